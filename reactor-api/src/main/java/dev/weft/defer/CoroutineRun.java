package dev.weft.defer;

import dev.weft.reactor.internal.StandIn;
import dev.weft.reactor.internal.VirtualThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of a coroutine body on its own thread, with a strict hand-off between the body and the thread it runs on
 * behalf of (the driver): exactly one of them runs; the other waits. The hand-off goes through {@link #turn}, a
 * volatile field, so each side sees everything the other wrote before handing over. On JDK 21+ (virtual threads)
 * the waiting side parks and is unparked; on JDK 17 (platform threads) it waits on this object's monitor, because
 * there {@code LockSupport.unpark} of a platform thread searches the list of all threads, which makes deep chains
 * of suspended coroutines quadratic. (On JDK 25 the monitor hand-off of a virtual thread measured 108 µs a round
 * trip at load 20, against 41 µs for a bare park/unpark ping-pong.)
 *
 * <p>Work the body hands to the driver comes two ways: {@link #runOnDriver} waits for its result (two hand-offs);
 * {@link #queueOnDriver} queues an operation that reports nothing (a backend's write), which the driver runs, in
 * order, when the body next hands over, so that a body writing as it goes costs no hand-off per write. The queue is
 * bounded ({@value #MAX_QUEUED} operations): a body that queues more without handing over waits while the driver
 * runs them.
 *
 * <p>A body awaiting a Deferred that never fires stays parked: its thread is never reclaimed (a platform thread on
 * JDK 17; on JDK 21+ a virtual thread, which holds no carrier while parked). Cancelling the coroutine's Deferred
 * ends such a body, unless it catches the {@link CancelledException} and waits again.
 */
final class CoroutineRun<T> implements BodyRun {
    private static final ThreadLocal<CoroutineRun<?>> CURRENT = new ThreadLocal<>();
    private static final ThreadFactory VIRTUAL = VirtualThreads.factory("weft-coroutine-");
    private static final ThreadFactory THREADS = VIRTUAL != null ? VIRTUAL : platformThreads();
    /** Virtual threads hand over by park/unpark; platform threads (JDK 17) through the monitor. */
    private static final boolean PARKING = VIRTUAL != null;

    /** How many queued operations a body may hold before it hands them to the driver and waits. */
    static final int MAX_QUEUED = 64;
    private static final Runnable NOTHING = () -> {
    };

    private final Coroutine<T> body;
    private final Deferred<T> outer;
    private final Thread thread;
    /** The thread allowed to run now: {@link #thread} or the driver. */
    private volatile Thread turn;
    /** The thread waiting while the body runs; written by the driver before it hands over. */
    private Thread driver;
    /** The thread the body acts as: the driver, or what the driver itself stands in for. */
    private Thread actingFor;
    /** The thread the body acted as when it last suspended. */
    private Thread suspendedFor;
    /** The Deferred the body waits on, or null while it runs. */
    private Deferred<?> awaiting;
    /** What the awaited Deferred fired with; set by the resuming driver. */
    private Object resumeValue;
    private Throwable resumeFailure;
    /** Work the body hands to the waiting driver ({@link #runOnDriver}), and how it failed. */
    private Runnable driverOp;
    private Throwable driverOpFailure;
    /** Operations queued for the driver ({@link #queueOnDriver}), in order; written by the body, run by the driver. */
    private final List<Runnable> queued = new ArrayList<>();

    CoroutineRun(Coroutine<T> body, Deferred<T> outer) {
        this.body = body;
        this.outer = outer;
        this.thread = THREADS.newThread(this::runBody);
    }

    /** Starts the body and waits until it awaits an unfired Deferred or ends. On the caller's thread. */
    @Override
    public void start() {
        handToBody(true);
    }

    /** The outer Deferred's canceller, and the reactor's at its shutdown: cancels what the body awaits. */
    @Override
    public void cancelAwaited() {
        Deferred<?> d = awaiting;
        if (d != null) {
            d.cancel();
        }
    }

    @Override
    public Deferred<?> outer() {
        return outer;
    }

    static <T> T await(Deferred<T> d) throws Exception {
        CoroutineRun<?> run = CURRENT.get();
        if (run == null) {
            throw outsideABody();
        }
        return BodyRun.await(run, d);
    }

    /** The failure of an {@code await()} outside a body, in either mode. */
    static IllegalStateException outsideABody() {
        return new IllegalStateException("await() called outside a coroutine body: run the code with "
                + "Deferred.fromCoroutine(...), or, on a thread that is not the reactor's, wait with "
                + "blockingCallFromThread");
    }

    @SuppressWarnings("unchecked")
    @Override
    public <V> V suspendOn(Deferred<V> d) throws Exception {
        awaiting = d;
        suspendedFor = actingFor;
        StandIn.suspended(this, suspendedFor);
        d.addBoth((value, failure) -> {
            resume(value, failure);
            return null;
        });
        handToDriver();
        awaiting = null;
        Object value = resumeValue;
        Throwable failure = resumeFailure;
        resumeValue = null;
        resumeFailure = null;
        if (failure != null) {
            failure.addSuppressed(new CoroutineStackException("awaited in coroutine " + thread.getName()));
            throw sneaky(failure);
        }
        return (V) value;
    }

    /** The awaited Deferred fired: run the body until it awaits again or ends. On the firing thread. */
    private void resume(Object value, Throwable failure) {
        StandIn.resumed(this, suspendedFor);
        resumeValue = value;
        resumeFailure = failure;
        handToBody(false);
    }

    /**
     * The driver's side: hands over to the body and parks until the body hands back, running what the body hands
     * it meanwhile ({@link #runOnDriver}).
     */
    private void handToBody(boolean first) {
        Thread me = Thread.currentThread();
        driver = me;
        actingFor = StandIn.actingThread();
        StandIn.handedTo(me, thread);
        try {
            if (first) {
                turn = thread; // before start(), which happens-before everything the new thread does
                thread.start();
            } else {
                giveTurn(thread);
            }
            serveBody(me);
        } finally {
            StandIn.handedTo(me, null);
        }
    }

    /**
     * Waits for the body to hand back; runs each operation it hands over meanwhile, after those it queued before.
     * A queued operation's failure is the failure of the operation waited for after it, or, if the body handed back
     * for good (it suspended or ended), is thrown here. On the driver's thread.
     */
    private void serveBody(Thread me) {
        while (true) {
            waitForTurn(me);
            Throwable queuedFailure = runQueued();
            Runnable op = driverOp;
            if (op == null) {
                if (queuedFailure != null) {
                    throw sneaky(queuedFailure);
                }
                return;
            }
            driverOp = null;
            if (queuedFailure != null) {
                driverOpFailure = queuedFailure;
            } else {
                try {
                    op.run();
                } catch (Throwable t) {
                    driverOpFailure = t;
                }
            }
            giveTurn(thread);
        }
    }

    /** Runs the queued operations in order; returns the first failure, after running the rest. On the driver. */
    private Throwable runQueued() {
        if (queued.isEmpty()) {
            return null;
        }
        Throwable first = null;
        for (int i = 0; i < queued.size(); i++) {
            try {
                queued.get(i).run();
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                } else {
                    first.addSuppressed(t);
                }
            }
        }
        queued.clear();
        return first;
    }

    @Override
    public Thread actingThread() {
        return actingFor;
    }

    @Override
    public void runOnDriver(Runnable op) {
        driverOp = op;
        handOver(driver, thread);
        Throwable failure = driverOpFailure;
        if (failure != null) {
            driverOpFailure = null;
            throw sneaky(failure);
        }
    }

    @Override
    public void queueOnDriver(Runnable op) {
        queued.add(op);
        if (queued.size() >= MAX_QUEUED) {
            runOnDriver(NOTHING);
        }
    }

    /** The body's side: hands back to the driver and parks until resumed. On the coroutine's thread. */
    private void handToDriver() {
        handOver(driver, thread);
    }

    /** Gives the turn to {@code to} and waits until it comes back to {@code me}. */
    private void handOver(Thread to, Thread me) {
        giveTurn(to);
        waitForTurn(me);
    }

    /** Hands the turn to {@code to}: a volatile write and an unpark on JDK 21+, a monitor on JDK 17. */
    private void giveTurn(Thread to) {
        if (PARKING) {
            turn = to;
            LockSupport.unpark(to);
        } else {
            synchronized (this) {
                turn = to;
                notifyAll();
            }
        }
    }

    /** Waits until the turn is {@code me}'s; an interrupt meanwhile is kept for after. */
    private void waitForTurn(Thread me) {
        boolean interrupted = false;
        if (PARKING) {
            while (turn != me) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } else {
            synchronized (this) {
                while (turn != me) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        }
        if (interrupted) {
            me.interrupt();
        }
    }

    /** The coroutine thread's work: waits for its turn, runs the body, fires the outer Deferred, hands back. */
    private void runBody() {
        waitForTurn(thread);
        CURRENT.set(this);
        StandIn.enter(this);
        try {
            Object result;
            try {
                result = body.run();
            } catch (Throwable t) {
                CURRENT.remove();
                outer.errback(t);
                return;
            }
            CURRENT.remove();
            if (result instanceof Deferred) {
                Deferred<?> inner = (Deferred<?>) result;
                awaiting = inner;
                inner.addBoth((value, failure) -> {
                    awaiting = null;
                    if (failure != null) {
                        outer.errback(failure);
                    } else {
                        fire(value);
                    }
                    return null;
                });
            } else {
                fire(result);
            }
        } finally {
            CURRENT.remove();
            StandIn.enter(null);
            giveTurn(driver);
        }
    }

    @SuppressWarnings("unchecked")
    private void fire(Object value) {
        outer.callback((T) value);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** Daemon platform threads named {@code weft-coroutine-N} (JDK 17). */
    private static ThreadFactory platformThreads() {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, "weft-coroutine-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
