package dev.weft.defer;

import dev.weft.reactor.internal.StandIn;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One run of a coroutine body inside a {@code jdk.internal.vm.Continuation} (the opt-in
 * {@code weft.coroutines=continuation}): the body runs on the very thread it acts for, so it needs no thread of its
 * own and no stand-in. {@code fromCoroutine} runs the continuation on the calling thread; an {@code await()} of an
 * unfired Deferred yields it back there; the callback that fires that Deferred runs it again on the firing thread,
 * until it awaits again or ends; the body's outcome fires the coroutine's Deferred from inside the continuation.
 *
 * <p>Stack depth stays constant however deeply bodies start or resume one another. A body that starts or resumes
 * another (by {@code fromCoroutine}, or by firing what the other awaits) does not run it on top of its own stack: it
 * yields to the loop of {@link #runLoop} below it, which runs the other body and then runs this one again, so the
 * call returns once the other has awaited or ended, as the rules require. Only where the JVM cannot yield (a
 * pinned continuation) does the other body run on top, nested.
 *
 * <p>A body that never awaits an unfired Deferred costs a continuation object and no thread. A suspended body is
 * its captured stack, registered with {@link StandIn#suspended} so that a reactor's shutdown cancels it.
 *
 * <p>Fields are written and read by whichever thread runs the continuation at the time; the Deferred that resumes
 * the body carries the hand-over from the thread that suspended it to the thread that fires it.
 */
final class ContinuationRun<T> implements BodyRun {
    /** The body whose continuation is mounted innermost on this thread. */
    private static final ThreadLocal<ContinuationRun<?>> CURRENT = new ThreadLocal<>();

    /** Where the body is. */
    private enum State {
        /** Created, not yet run. */
        NEW,
        /** Mounted, running the body's code. */
        RUNNING,
        /** Mounted, the body has ended: firing the coroutine's Deferred. */
        FIRING,
        /** Yielded so that the loop below runs {@link #handedTo} first; then it runs this one again. */
        HANDING,
        /** Yielded in an {@code await()} of {@link #awaiting}. */
        SUSPENDED,
        /** Ended, its Deferred chained to the Deferred the body returned ({@link #awaiting}). */
        CHAINED,
        /** Ended. */
        ENDED
    }

    private final Continuations continuations;
    private final Coroutine<T> body;
    private final Deferred<T> outer;
    private final Object continuation;
    private State state = State.NEW;
    /** The Deferred awaited (SUSPENDED) or returned (CHAINED), else null. */
    private Deferred<?> awaiting;
    /** The body the loop is to run before this one (HANDING). */
    private ContinuationRun<?> handedTo;
    /** The thread the body was suspended on. */
    private Thread suspendedFor;
    /** What the awaited Deferred fired with; set by the resuming thread. */
    private Object resumeValue;
    private Throwable resumeFailure;
    /** What firing the coroutine's Deferred threw (a misuse, such as firing it by hand); thrown outside. */
    private Throwable firingFailure;
    /** What the body this one handed to threw as it ended; thrown where this one handed over. */
    private Throwable handedFailure;

    ContinuationRun(Continuations continuations, Coroutine<T> body, Deferred<T> outer) {
        this.continuations = continuations;
        this.body = body;
        this.outer = outer;
        this.continuation = continuations.create(this::runBody);
    }

    @Override
    public void start() {
        run();
    }

    /** The outer Deferred's canceller, and the reactor's at its shutdown: cancels what the body awaits. */
    @Override
    public void cancelAwaited() {
        Deferred<?> d = awaiting;
        if (d != null) {
            d.cancel();
        }
    }

    /** The body runs on the thread it acts for: that thread. Never asked, since this body is no stand-in. */
    @Override
    public Thread actingThread() {
        return Thread.currentThread();
    }

    /** The body runs on the thread it acts for: runs {@code op} at once. Never asked, as above. */
    @Override
    public void runOnDriver(Runnable op) {
        op.run();
    }

    /** The body runs on the thread it acts for: runs {@code op} at once. Never asked, as above. */
    @Override
    public void queueOnDriver(Runnable op) {
        op.run();
    }

    @Override
    public Deferred<?> outer() {
        return outer;
    }

    static <T> T await(Deferred<T> d) throws Exception {
        ContinuationRun<?> run = CURRENT.get();
        if (run == null || run.state != State.RUNNING) {
            throw CoroutineRun.outsideABody();
        }
        return BodyRun.await(run, d);
    }

    /** Yields until {@code d} fires; returns or throws its outcome. Inside the continuation. */
    @SuppressWarnings("unchecked")
    @Override
    public <V> V suspendOn(Deferred<V> d) throws Exception {
        awaiting = d;
        state = State.SUSPENDED;
        try {
            continuations.yieldNow();
        } catch (IllegalStateException e) {
            awaiting = null;
            state = State.RUNNING;
            throw isPinned(e) ? pinned(e) : e;
        }
        // Run again by runLoop on the firing thread, after resume() has set the outcome.
        awaiting = null;
        Object value = resumeValue;
        Throwable f = resumeFailure;
        resumeValue = null;
        resumeFailure = null;
        if (f != null) {
            f.addSuppressed(awaitSite());
            throw sneaky(f);
        }
        return (V) value;
    }

    /** The body's stack at its await, without the frames of the thread that resumed it. Inside the continuation. */
    private static CoroutineStackException awaitSite() {
        CoroutineStackException site = new CoroutineStackException("awaited in a coroutine body (continuation), "
                + "resumed on thread " + Thread.currentThread().getName());
        StackTraceElement[] frames = site.getStackTrace();
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].getClassName().equals(ContinuationRun.class.getName())
                    && frames[i].getMethodName().equals("runBody")) {
                site.setStackTrace(Arrays.copyOf(frames, i + 1));
                break;
            }
        }
        return site;
    }

    private static boolean isPinned(IllegalStateException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Pinned");
    }

    private static IllegalStateException pinned(IllegalStateException e) {
        return new IllegalStateException("await() of an unfired Deferred cannot suspend this coroutine body with "
                + CoroutineMode.PROPERTY + "=continuation on this JDK (" + Runtime.version().feature() + "): the JVM "
                + "reports \"" + e.getMessage() + "\" (a synchronized block or method on the body's stack before "
                + "JDK 24, or a native frame such as a class initializer). Await outside it, or run bodies on "
                + "threads (remove " + CoroutineMode.PROPERTY + ")", e);
    }

    /**
     * Runs this body until it awaits an unfired Deferred or ends. Inside another body's continuation, that one
     * yields so that its loop runs this one, and goes on afterwards; elsewhere, runs the loop here. On the thread
     * the body acts for now.
     */
    private void run() {
        ContinuationRun<?> caller = CURRENT.get();
        if (caller != null && caller.handOver(this)) {
            return;
        }
        runLoop(this);
    }

    /**
     * Yields this mounted body so that its loop runs {@code next}, then goes on; false if the JVM cannot yield it
     * here (then nothing has happened). Inside this body's continuation.
     */
    private boolean handOver(ContinuationRun<?> next) {
        State was = state;
        handedTo = next;
        state = State.HANDING;
        try {
            continuations.yieldNow();
        } catch (IllegalStateException e) {
            handedTo = null;
            state = was;
            if (isPinned(e)) {
                return false;
            }
            throw e;
        }
        state = was;
        Throwable t = handedFailure;
        if (t != null) {
            handedFailure = null;
            throw sneaky(t);
        }
        return true;
    }

    /**
     * Runs {@code first}, and every body that one hands over to in turn, each until it awaits or ends, on this
     * stack: a body that hands over stays below the one it handed to and is run again once that one has awaited or
     * ended. On the calling thread.
     */
    private static void runLoop(ContinuationRun<?> first) {
        ArrayDeque<ContinuationRun<?>> stack = new ArrayDeque<>();
        stack.push(first);
        ContinuationRun<?> previous = CURRENT.get();
        Throwable failure = null;
        while (!stack.isEmpty()) { // each step mounts one continuation, which yields (awaits, hands over) or ends
            ContinuationRun<?> run = stack.peek();
            CURRENT.set(run);
            try {
                run.mount();
            } finally {
                if (previous == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(previous);
                }
            }
            if (run.state == State.HANDING) {
                ContinuationRun<?> next = run.handedTo;
                run.handedTo = null;
                stack.push(next);
            } else {
                stack.pop();
                if (run.state == State.SUSPENDED) {
                    run.suspended();
                } else {
                    failure = run.takeFiringFailure();
                    if (failure != null && !stack.isEmpty()) {
                        stack.peek().handedFailure = failure; // thrown in the body that started or resumed it
                        failure = null;
                    }
                }
            }
        }
        if (failure != null) {
            throw sneaky(failure);
        }
    }

    /** Mounts the continuation and runs it until it yields or ends. On the loop's thread. */
    private void mount() {
        if (state == State.NEW || state == State.SUSPENDED) {
            state = State.RUNNING;
        }
        continuations.run(continuation);
    }

    /** The body yielded in an await: it resumes inside the callback that fires what it awaits. On the loop's thread. */
    private void suspended() {
        Deferred<?> d = awaiting;
        suspendedFor = Thread.currentThread();
        StandIn.suspended(this, suspendedFor);
        d.addBoth((value, f) -> {
            resume(value, f);
            return null;
        });
    }

    /** The awaited Deferred fired: run the body until it awaits again or ends. On the firing thread. */
    private void resume(Object value, Throwable f) {
        StandIn.resumed(this, suspendedFor);
        suspendedFor = null;
        resumeValue = value;
        resumeFailure = f;
        run();
    }

    /** The continuation's code: runs the body, then fires the coroutine's Deferred. Inside the continuation. */
    private void runBody() {
        Object result;
        try {
            result = body.run();
        } catch (Throwable t) {
            fireSafely(null, t);
            return;
        }
        fireSafely(result, null);
    }

    /**
     * Fires the coroutine's Deferred with the body's outcome (or chains it to a returned Deferred); keeps what that
     * throws for the loop. Inside the continuation.
     */
    private void fireSafely(Object result, Throwable failure) {
        state = State.FIRING;
        try {
            if (failure != null) {
                outer.errback(failure);
            } else if (result instanceof Deferred) {
                Deferred<?> inner = (Deferred<?>) result;
                awaiting = inner;
                state = State.CHAINED;
                inner.addBoth((value, innerFailure) -> {
                    awaiting = null;
                    state = State.ENDED;
                    if (innerFailure != null) {
                        outer.errback(innerFailure);
                    } else {
                        fire(value);
                    }
                    return null;
                });
                return;
            } else {
                fire(result);
            }
        } catch (Throwable t) {
            firingFailure = t;
        }
        if (state == State.FIRING) {
            state = State.ENDED;
        }
    }

    /** The continuation ended: what firing the coroutine's Deferred threw, or null. On the loop's thread. */
    private Throwable takeFiringFailure() {
        Throwable t = firingFailure;
        firingFailure = null;
        return t;
    }

    @SuppressWarnings("unchecked")
    private void fire(Object value) {
        outer.callback((T) value);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
