package dev.weft.defer;

import dev.weft.reactor.AlreadyCalledException;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A result that is not there yet, with Twisted's semantics: a chain of (callback, errback) pairs that the result
 * runs through once it arrives.
 *
 * <p>A Deferred fires once, with {@link #callback(Object)} or {@link #errback(Throwable)}; the result then runs
 * through the chain. A callback that throws, or an errback that throws, sends the result down the error path; an
 * errback that returns normally sends it back to the success path. A callback (or errback) that returns a Deferred
 * pauses the chain until that Deferred fires, and its result continues the outer chain (the inner Deferred goes on
 * with {@code null}, so a failure is reported once). Stack depth stays bounded however deep the nesting.
 *
 * <p>When callbacks run: callbacks present when the Deferred fires run inside {@code callback}/{@code errback},
 * on the thread that calls it. Callbacks added to a Deferred that has fired (and is not waiting on another
 * Deferred) run at once, inside the {@code add...} call, on the calling thread. Callbacks added from inside a
 * running callback of the same Deferred run after that callback returns. Callbacks of a Deferred waiting on an
 * inner Deferred run when the inner one fires, on the thread that fires it.
 *
 * <p>A failure still at the end of the chain when the Deferred is garbage-collected is logged ("Unhandled error in
 * Deferred"); see {@link UnhandledErrors}.
 *
 * <p>Not thread-safe: a Deferred belongs to one thread at a time, normally the reactor thread.
 *
 * @param <T> the type of the result at this point of the chain
 */
public final class Deferred<T> {

    /**
     * A callback: gets the result, returns the next result (or a Deferred of it).
     *
     * @param <A> the result it gets
     * @param <R> the result it returns
     */
    @FunctionalInterface
    public interface Callback<A, R> {
        /**
         * Transforms the result. Runs on the thread that fires the Deferred, or that adds the callback to a
         * Deferred that has fired.
         *
         * @param result the current result
         * @return the next result, or a Deferred of it
         * @throws Exception to send the chain down the error path
         */
        R apply(A result) throws Exception;
    }

    /**
     * An errback: gets the failure, returns a result to recover, or throws to keep failing.
     *
     * @param <E> the failure type it handles
     * @param <R> the result it returns
     */
    @FunctionalInterface
    public interface Errback<E extends Throwable, R> {
        /**
         * Handles the failure. Runs on the thread that fires the Deferred, or that adds the errback to a Deferred
         * that has fired.
         *
         * @param failure the current failure
         * @return a result (or a Deferred of one) to continue on the success path
         * @throws Exception to continue on the error path with that exception (rethrow {@code failure} to keep it)
         */
        R apply(E failure) throws Exception;
    }

    /**
     * A callback for both paths, like {@link CompletionStage#handle}: exactly one of its arguments is meaningful.
     *
     * @param <A> the result it gets on success
     * @param <R> the result it returns
     */
    @FunctionalInterface
    public interface Both<A, R> {
        /**
         * Handles the outcome. Runs on the thread that fires the Deferred, or that adds it to a Deferred that has
         * fired.
         *
         * @param result  the result, or null on failure
         * @param failure the failure, or null on success
         * @return the next result, or a Deferred of it (returning normally after a failure recovers from it)
         * @throws Exception to continue on the error path
         */
        R apply(A result, Throwable failure) throws Exception;
    }

    /**
     * Called by {@link #cancel()} to stop the work behind a Deferred. It may fire the Deferred; if it does not, the
     * Deferred fails with {@link CancelledException}.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Canceller<T> {
        /**
         * Cancels the work. Runs inside {@link #cancel()}, on its thread, before the Deferred has fired. An
         * exception it throws propagates out of {@code cancel()}.
         *
         * @param d the Deferred being cancelled
         */
        void cancel(Deferred<T> d);
    }

    /** The chain's links, oldest first; null until the first one is added. */
    private ArrayDeque<Link> links;
    /** A value, a {@link Failure}, or the Deferred this one waits on (only while {@link #paused}). */
    private Object result;
    private boolean called;
    /** Non-zero while waiting on the Deferred held in {@link #result}. */
    private int paused;
    /** True while one of this Deferred's links is running: re-entrant firing of the chain is deferred. */
    private boolean running;
    /** Set by {@link #cancel()} without a canceller: swallow one late callback/errback. */
    private boolean suppressAlreadyCalled;
    private Canceller<T> canceller;
    /** Non-null while the chain ends in a failure: reports it if this Deferred is garbage-collected. */
    private UnhandledErrors.Tracker tracker;
    /** A failure that {@link #await()} has thrown at once: it stays the result but is never reported. */
    private Throwable awaitedFailure;
    /** Set on a coroutine's Deferred: {@link #cancel()} does not fail it; the body decides how it ends. */
    private boolean bodyDecidesOnCancel;

    /** Creates a Deferred with no canceller. */
    public Deferred() {
    }

    /**
     * Creates a Deferred whose {@link #cancel()} calls {@code canceller}.
     *
     * @param canceller what stops the work, or null
     */
    public Deferred(Canceller<T> canceller) {
        this.canceller = canceller;
    }

    /**
     * A Deferred that has fired with {@code result}: callbacks added to it run at once, on the thread that adds
     * them.
     *
     * @param result the result
     * @param <T>    the result type
     * @return the fired Deferred
     * @throws IllegalArgumentException if {@code result} is a Deferred
     */
    public static <T> Deferred<T> succeed(T result) {
        Deferred<T> d = new Deferred<>();
        d.callback(result);
        return d;
    }

    /**
     * A Deferred that has failed with {@code failure}: errbacks added to it run at once, on the thread that adds
     * them. If none handles the failure, it is logged when the Deferred is garbage-collected.
     *
     * @param failure the failure
     * @param <T>     the result type
     * @return the failed Deferred
     * @throws NullPointerException if {@code failure} is null
     */
    public static <T> Deferred<T> fail(Throwable failure) {
        Deferred<T> d = new Deferred<>();
        d.errback(failure);
        return d;
    }

    /**
     * A Deferred that fires when {@code stage} completes, on the thread that completes it (use
     * {@code callFromThread} to come back to the reactor thread); if the stage has completed already, the Deferred
     * has fired when this method returns. Cancelling the Deferred cancels the stage when it is a
     * {@link java.util.concurrent.Future}, and the Deferred then fails with {@link CancelledException}; a result
     * the stage produces after that is ignored. A {@link java.util.concurrent.CompletionException} is unwrapped.
     *
     * @param stage the stage
     * @param <T>   the result type
     * @return a Deferred of its result
     * @throws NullPointerException if {@code stage} is null
     */
    public static <T> Deferred<T> fromCompletionStage(CompletionStage<T> stage) {
        requireNonNull(stage, "stage");
        AtomicBoolean cancelled = new AtomicBoolean();
        Deferred<T> d = new Deferred<>(self -> {
            cancelled.set(true);
            if (stage instanceof Future<?>) {
                try {
                    ((Future<?>) stage).cancel(false);
                } catch (UnsupportedOperationException e) {
                    // e.g. CompletableFuture.minimalCompletionStage(): it runs on; its result is ignored.
                }
            }
        });
        stage.whenComplete((value, error) -> {
            if (cancelled.get()) {
                return;
            }
            if (error == null) {
                d.callback(value);
            } else {
                Throwable cause = error;
                while (cause instanceof CompletionException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                d.errback(cause);
            }
        });
        return d;
    }

    /**
     * Runs {@code body} as a coroutine (Twisted's {@code Deferred.fromCoroutine}, {@code ensureDeferred}, or a call
     * of an {@code @inlineCallbacks} function): the body starts now, on behalf of the calling thread, and runs until
     * it {@linkplain #await() awaits} a Deferred that has not fired, or ends; the returned Deferred may have fired
     * already when this method returns. Returning fires the returned Deferred with the value (a returned Deferred is
     * chained: it fires with that Deferred's result); an exception escaping the body fails it with that exception.
     * Cancelling it cancels the Deferred the body awaits, whose {@link CancelledException} the body gets at its
     * {@code await()} and may catch.
     *
     * <p>The body runs on a coroutine thread of its own (a virtual thread on JDK 21+, a daemon platform thread named
     * {@code weft-coroutine-N} on JDK 17), with a strict hand-off: while it runs, the thread it runs on behalf of
     * (the caller here, later the thread that fires the awaited Deferred) waits, and a reactor's thread checks treat
     * the body as that thread. With the opt-in {@code weft.coroutines=continuation} (JDK 21+, with
     * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}) the body instead runs as a continuation on the
     * thread it acts for: the caller here, later the thread that fires the awaited Deferred. Call it on any thread;
     * it returns once the body has awaited an unfired Deferred or ended.
     *
     * @param body the code to run
     * @param <T>  the result type
     * @return a Deferred of the body's result
     * @throws NullPointerException     if {@code body} is null
     * @throws IllegalArgumentException if the option {@code weft.coroutines} has an unknown value
     * @throws IllegalStateException    if it asks for {@code continuation} and this JVM cannot run it (the message
     *                                  names the JVM flag to add)
     */
    public static <T> Deferred<T> fromCoroutine(Coroutine<T> body) {
        requireNonNull(body, "body");
        Deferred<T> outer = new Deferred<>();
        outer.bodyDecidesOnCancel = true;
        BodyRun run = CoroutineMode.selected().newRun(body, outer);
        outer.canceller = d -> run.cancelAwaited();
        run.start();
        return outer;
    }

    /**
     * Inside a coroutine body (see {@link #fromCoroutine}), waits for this Deferred and returns its result, or
     * throws its failure (the exception itself). A Deferred that has fired returns at once, without a thread
     * switch, and keeps its result (a failure thrown here counts as handled). Otherwise the body suspends; it
     * resumes inside the {@code callback}/{@code errback} that fires this Deferred, on behalf of that thread, and
     * this Deferred's chain goes on with {@code null}. A failure thrown after a suspension carries the await site
     * as a suppressed {@link CoroutineStackException}. Call it on a coroutine body's thread only. With
     * {@code weft.coroutines=continuation}, an await of an unfired Deferred where the JVM cannot suspend the body
     * (a native frame such as a class initializer; {@code synchronized} before JDK 24) throws
     * {@code IllegalStateException}.
     *
     * @return the result
     * @throws Exception                the failure of this Deferred
     * @throws IllegalStateException    outside a coroutine body (use {@code fromCoroutine}, or
     *                                  {@code blockingCallFromThread} on a non-reactor thread), or when a body
     *                                  awaits its own Deferred
     */
    public T await() throws Exception {
        return CoroutineMode.selected().await(this);
    }

    /**
     * Twisted's {@code race}: a Deferred that fires with the index and result of the first of {@code ds} to
     * succeed; the others are then cancelled. If all of them fail, it fails with a {@link FirstErrorException}
     * whose cause is the first failure and whose suppressed exceptions are all of them, in order. Cancelling it
     * cancels all of them. Call it on the thread that owns the Deferreds; it fires on the thread that fires the
     * winner (or the last failure).
     *
     * @param ds  the Deferreds to race (at least one)
     * @param <T> the result type
     * @return a Deferred of the winner
     * @throws NullPointerException     if {@code ds} or one of its elements is null
     * @throws IllegalArgumentException if {@code ds} is empty
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of copies the array; it is never stored or handed on
    public static <T> Deferred<Raced<T>> race(Deferred<? extends T>... ds) {
        return Race.race(java.util.List.of(ds));
    }

    /**
     * The winner of a {@link #race}: its index among the raced Deferreds and its result.
     *
     * @param index  the winner's position in the arguments of {@code race}
     * @param result its result
     * @param <T>    the result type
     */
    public record Raced<T>(int index, T result) {
    }

    /**
     * Whether the Deferred has a result now (Twisted's {@code called} with a {@code result} not waiting on another
     * Deferred): it fired and its chain is neither running nor waiting. For tests; see
     * {@code dev.weft.testing.DeferredAssertions} for the result itself. Thread of the Deferred's user.
     *
     * @return true if a result (a value or a failure) sits at the end of the chain
     */
    public boolean hasResult() {
        return hasReadyResult();
    }

    /** Whether {@link #await()} can take the result now: fired and not waiting on, or running, its chain. */
    boolean hasReadyResult() {
        return called && paused == 0 && !running && !(result instanceof Deferred);
    }

    /** The ready result, or throws the ready failure (then counted as handled). Only if {@link #hasReadyResult}. */
    @SuppressWarnings("unchecked")
    T readyResult() throws Throwable {
        Object r = result;
        if (r instanceof Failure) {
            awaitedFailure = ((Failure) r).cause;
            settleTracker();
            throw awaitedFailure;
        }
        return (T) r;
    }

    /**
     * Fires the Deferred with a result: the chain runs now, on the calling thread, until it ends or waits on
     * another Deferred.
     *
     * <p>A {@link Throwable} given here is a value and takes the success path, as an exception not wrapped in a
     * {@code Failure} does in Twisted; Twisted's {@code d.callback(failure)}, which takes the error path, is
     * {@link #errback(Throwable)} in Weft (Java has no {@code Failure} type to tell the two apart).
     *
     * @param result the result
     * @throws AlreadyCalledException   if it has fired already (except once after a {@link #cancel()} without a
     *                                  canceller, which is ignored)
     * @throws IllegalArgumentException if {@code result} is a Deferred (return it from a callback instead, or use
     *                                  {@link #chainDeferred})
     */
    public void callback(T result) {
        if (result instanceof Deferred) {
            throw new IllegalArgumentException("result must not be a Deferred: return it from a callback instead");
        }
        start(result);
    }

    /**
     * Fires the Deferred with a failure: the chain runs now, on the calling thread, until it ends or waits on
     * another Deferred.
     *
     * @param failure the failure
     * @throws AlreadyCalledException if it has fired already (same exception to the rule as {@link #callback})
     * @throws NullPointerException   if {@code failure} is null
     */
    public void errback(Throwable failure) {
        requireNonNull(failure, "failure");
        start(new Failure(failure));
    }

    /**
     * Whether the Deferred has fired.
     *
     * @return true once {@code callback} or {@code errback} was called (including by {@link #cancel()})
     */
    public boolean isCalled() {
        return called;
    }

    /**
     * Adds a callback; failures pass it by. It runs when the result reaches it: at once, on the calling thread, if
     * the Deferred has fired and is not waiting; otherwise on the thread that fires it.
     *
     * <p>If {@code cb} returns a Deferred, the chain waits for it; to have the type follow, use
     * {@link #addCallbackDeferred(Callback)}.
     *
     * @param cb  the callback
     * @param <R> the result type after it
     * @return this Deferred, typed for the next link
     * @throws NullPointerException if {@code cb} is null
     */
    public <R> Deferred<R> addCallback(Callback<? super T, ? extends R> cb) {
        requireNonNull(cb, "cb");
        return addLink(new Link(cb, null, null));
    }

    /**
     * Adds a callback that returns a Deferred; the chain waits for it and goes on with its result. It runs as
     * {@link #addCallback} says.
     *
     * @param cb  the callback
     * @param <R> the result type of the returned Deferred
     * @return this Deferred, typed for the next link
     * @throws NullPointerException if {@code cb} is null
     */
    public <R> Deferred<R> addCallbackDeferred(Callback<? super T, Deferred<R>> cb) {
        requireNonNull(cb, "cb");
        return addLink(new Link(cb, null, null));
    }

    /**
     * Adds an errback; results pass it by. It runs when a failure reaches it: at once, on the calling thread, if
     * the Deferred has fired and is not waiting; otherwise on the thread that fires it.
     *
     * @param eb the errback
     * @return this Deferred
     * @throws NullPointerException if {@code eb} is null
     */
    public Deferred<T> addErrback(Errback<Throwable, ? extends T> eb) {
        requireNonNull(eb, "eb");
        return addLink(new Link(null, eb, null));
    }

    /**
     * Adds an errback that returns a Deferred: the chain waits for it and goes on with its result (or its failure).
     * It runs as {@link #addErrback(Errback)} says. (This is {@code addErrback} with a type that lets the errback
     * return a Deferred.)
     *
     * @param eb the errback
     * @return this Deferred
     * @throws NullPointerException if {@code eb} is null
     */
    public Deferred<T> addErrbackDeferred(Errback<Throwable, Deferred<T>> eb) {
        requireNonNull(eb, "eb");
        return addLink(new Link(null, eb, null));
    }

    /**
     * Adds an errback for one kind of failure (Twisted's {@code Failure.trap}): other failures, and results, pass
     * it by. It runs as {@link #addErrback(Errback)} says.
     *
     * @param type the failure class to handle (subclasses included)
     * @param eb   the errback
     * @param <E>  the failure type
     * @return this Deferred
     * @throws NullPointerException if an argument is null
     */
    public <E extends Throwable> Deferred<T> addErrback(Class<E> type, Errback<? super E, ? extends T> eb) {
        requireNonNull(type, "type");
        requireNonNull(eb, "eb");
        return addLink(new Link(null, eb, type));
    }

    /**
     * Adds a callback and an errback as one link: exactly one of them runs, when the result reaches the link (at
     * once on the calling thread if the Deferred has fired and is not waiting, otherwise on the thread that fires
     * it). A failure thrown by {@code cb} does not reach {@code eb}.
     *
     * @param cb  the callback
     * @param eb  the errback
     * @param <R> the result type after them
     * @return this Deferred, typed for the next link
     * @throws NullPointerException if an argument is null
     */
    public <R> Deferred<R> addCallbacks(Callback<? super T, ? extends R> cb, Errback<Throwable, ? extends R> eb) {
        requireNonNull(cb, "cb");
        requireNonNull(eb, "eb");
        return addLink(new Link(cb, eb, null));
    }

    /**
     * Adds one function for both paths (Twisted's {@code addBoth}); it runs as {@link #addCallbacks} says.
     *
     * @param f   the function
     * @param <R> the result type after it
     * @return this Deferred, typed for the next link
     * @throws NullPointerException if {@code f} is null
     */
    public <R> Deferred<R> addBoth(Both<? super T, ? extends R> f) {
        requireNonNull(f, "f");
        return addLink(new BothLink(f));
    }

    /**
     * Fires {@code other} with this chain's result at this point (Twisted's {@code chainDeferred}); this chain
     * goes on with {@code null}. {@code other} fires when the result reaches this link, on that thread.
     *
     * @param other the Deferred to fire
     * @return this Deferred
     * @throws NullPointerException     if {@code other} is null
     * @throws IllegalArgumentException if {@code other} is this Deferred
     */
    public Deferred<T> chainDeferred(Deferred<T> other) {
        requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("other must not be this Deferred");
        }
        Callback<T, Void> cb = other::callbackNull;
        Errback<Throwable, Void> eb = other::errbackNull;
        return addLink(new Link(cb, eb, null));
    }

    /**
     * Cancels the Deferred: if it is waiting on a Deferred returned by a callback, that one is cancelled (and so on
     * down a chain of waiting Deferreds); otherwise, if it has not fired, the canceller runs, and if that did not
     * fire it, it fails with {@link CancelledException}. Without a canceller, one later {@code callback} or
     * {@code errback} (from the work that was not stopped) is then ignored. Does nothing on a Deferred that has
     * fired and is not waiting. Callbacks run inside this call, on the calling thread.
     */
    public void cancel() {
        Deferred<?> d = this;
        while (d.called && d.result instanceof Deferred) {
            d = (Deferred<?>) d.result;
        }
        if (!d.called) {
            d.cancelNow();
        }
    }

    /**
     * Cancels the Deferred after {@code seconds} on {@code clock} unless it has fired by then (Twisted's
     * {@code addTimeout}); a {@link CancelledException} caused by this timeout turns into
     * {@link DeferredTimeoutException} (with the CancelledException as its cause). If the canceller fires the
     * Deferred some other way, that result stays. The timer is cancelled when the result reaches this point of the
     * chain. The cancellation runs in the clock's timer callback, on its thread (the reactor thread).
     *
     * @param seconds the timeout: finite and not negative
     * @param clock   the clock (a reactor, or a {@code Clock} in tests)
     * @return this Deferred
     * @throws IllegalArgumentException if {@code seconds} is negative, NaN or infinite
     * @throws NullPointerException     if {@code clock} is null
     */
    public Deferred<T> addTimeout(double seconds, ReactorTime clock) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be finite and not negative: " + seconds);
        }
        requireNonNull(clock, "clock");
        TimeoutLink link = new TimeoutLink(seconds);
        link.timer = clock.callLater(seconds, () -> {
            link.timedOut = true;
            cancel();
        });
        return addLink(link);
    }

    /**
     * A CompletableFuture that completes when this Deferred's chain reaches this point, with its result or its
     * failure (the chain goes on with the same result, so the failure is still there to handle). Cancelling the
     * future cancels this Deferred, on the thread that cancels the future. The future completes on the thread that
     * fires the Deferred (at once if it has fired).
     *
     * @return the future
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> future = new CompletableFuture<>();
        addLink(new FutureLink(future));
        future.whenComplete((value, error) -> {
            if (error instanceof CancellationException && future.isCancelled()) {
                cancel();
            }
        });
        return future;
    }

    /**
     * Describes the Deferred's state, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        String id = "Deferred@" + Integer.toHexString(System.identityHashCode(this));
        if (!called) {
            return id + "{not fired}";
        }
        if (paused > 0 && result instanceof Deferred) {
            return id + "{waiting on Deferred@" + Integer.toHexString(System.identityHashCode(result)) + "}";
        }
        if (result instanceof Failure) {
            return id + "{failure: " + ((Failure) result).cause + "}";
        }
        return id + "{result: " + result + "}";
    }

    /**
     * Adds a link that runs {@code action} on both paths and passes the result on unchanged (or fails with what
     * {@code action} throws).
     */
    Deferred<T> addFinally(Runnable action) {
        requireNonNull(action, "action");
        return addLink(new FinallyLink(action));
    }

    /** Whether the chain ends in a failure that would be reported if this Deferred were collected now. */
    boolean tracksUnhandledFailure() {
        return tracker != null;
    }

    /** Adds a link that sees every outcome; used by DeferredList. */
    Deferred<T> addObserver(Observer observer) {
        return addLink(new ObserverLink(observer));
    }

    /**
     * Sees an outcome and decides what the chain goes on with: {@code keep} or {@code null}.
     */
    interface Observer {
        /**
         * @param succeeded whether the chain is on the success path
         * @param value     the result, or the failure
         * @return true to let the result pass on, false to go on with {@code null}
         */
        boolean observe(boolean succeeded, Object value);
    }

    private Void callbackNull(T value) {
        callback(value);
        return null;
    }

    private Void errbackNull(Throwable failure) {
        errback(failure);
        return null;
    }

    private void cancelNow() {
        Canceller<T> c = canceller;
        if (c != null) {
            c.cancel(this);
        } else {
            suppressAlreadyCalled = true;
        }
        if (!called && !bodyDecidesOnCancel) {
            errback(new CancelledException("Deferred was cancelled"));
        }
    }

    private void start(Object firstResult) {
        if (called) {
            if (suppressAlreadyCalled) {
                suppressAlreadyCalled = false;
                return;
            }
            throw new AlreadyCalledException("Deferred has already been fired: " + this);
        }
        called = true;
        canceller = null;
        result = firstResult;
        runCallbacks();
    }

    @SuppressWarnings("unchecked")
    private <R> Deferred<R> addLink(Link link) {
        if (links == null) {
            links = new ArrayDeque<>(4);
        }
        links.addLast(link);
        if (called) {
            runCallbacks();
        }
        return (Deferred<R>) this;
    }

    /**
     * Runs the chain, and the chains of Deferreds that were waiting on this one, iteratively: a Deferred whose
     * result moves to a waiting Deferred is kept on an explicit stack while the waiting one runs, then resumes with
     * {@code null}.
     */
    private void runCallbacks() {
        if (running) {
            return; // the loop already running this Deferred will pick up new links
        }
        ArrayList<Deferred<?>> stack = null;
        Deferred<?> current = this;
        while (true) {
            boolean finished = true;
            ArrayDeque<Link> queue = current.links;
            while (current.paused == 0 && queue != null && !queue.isEmpty()) {
                Link link = queue.pollFirst();
                if (link instanceof Continuation) {
                    // The Deferred waiting on this one resumes with our result; we go on with null.
                    Deferred<?> waiter = ((Continuation) link).waiter;
                    waiter.result = current.result;
                    current.result = null;
                    waiter.paused--;
                    if (stack == null) {
                        stack = new ArrayList<>();
                    }
                    stack.add(current);
                    current = waiter;
                    finished = false;
                    break;
                }
                Object next;
                current.running = true;
                try {
                    next = link.run(current.result);
                } catch (Throwable t) {
                    next = new Failure(t);
                } finally {
                    current.running = false;
                }
                if (next instanceof Deferred) {
                    Deferred<?> inner = (Deferred<?>) next;
                    if (inner == current) {
                        next = new Failure(new IllegalStateException(
                                "a callback returned the Deferred it was added to: " + current));
                    } else if (!inner.called || inner.running || inner.paused > 0
                            || inner.result instanceof Deferred) {
                        // Wait for the inner Deferred: it hands its result over through a continuation.
                        current.result = inner;
                        current.paused++;
                        inner.addLinkQuietly(new Continuation(current));
                        break;
                    } else {
                        // The inner Deferred has its result: take it over now.
                        next = inner.result;
                        inner.result = null;
                        inner.settleTracker();
                    }
                }
                current.result = next;
            }
            if (!finished) {
                continue;
            }
            current.settleTracker();
            if (stack == null || stack.isEmpty()) {
                return;
            }
            current = stack.remove(stack.size() - 1);
        }
    }

    /** Adds a link without running the chain: the loop that runs (or will run) this Deferred picks it up. */
    private void addLinkQuietly(Link link) {
        if (links == null) {
            links = new ArrayDeque<>(4);
        }
        links.addLast(link);
    }

    /** Tracks the failure at the end of the chain, or stops tracking once there is none. */
    private void settleTracker() {
        Object r = result;
        UnhandledErrors.Tracker t = tracker;
        if (r instanceof Failure) {
            Throwable cause = ((Failure) r).cause;
            if (cause == awaitedFailure) {
                if (t != null) {
                    t.release();
                    tracker = null;
                }
                return;
            }
            if (t != null && t.failure() == cause) {
                return;
            }
            if (t != null) {
                t.release();
            }
            tracker = UnhandledErrors.track(this, cause);
        } else if (t != null) {
            t.release();
            tracker = null;
        }
    }

    private static void requireNonNull(Object value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
    }

    /** A failed result: a private type, so no user value can be mistaken for a failure. */
    private static final class Failure {
        final Throwable cause;

        Failure(Throwable cause) {
            this.cause = cause;
        }
    }

    /** One link of the chain: a callback, an errback, either or both (null means "pass it on"). */
    private static class Link {
        private final Callback<Object, Object> cb;
        private final Errback<Throwable, Object> eb;
        private final Class<? extends Throwable> trap;

        @SuppressWarnings("unchecked")
        Link(Callback<?, ?> cb, Errback<?, ?> eb, Class<? extends Throwable> trap) {
            this.cb = (Callback<Object, Object>) cb;
            this.eb = (Errback<Throwable, Object>) eb;
            this.trap = trap;
        }

        /** Returns the next result: a value, a Failure, or a Deferred to wait on. */
        Object run(Object current) throws Throwable {
            if (current instanceof Failure) {
                Throwable cause = ((Failure) current).cause;
                if (eb == null || (trap != null && !trap.isInstance(cause))) {
                    return current;
                }
                return eb.apply(cause);
            }
            return cb == null ? current : cb.apply(current);
        }
    }

    /** Hands the result to a Deferred that waits on this one; handled by the loop itself. */
    private static final class Continuation extends Link {
        final Deferred<?> waiter;

        Continuation(Deferred<?> waiter) {
            super(null, null, null);
            this.waiter = waiter;
        }
    }

    private static final class BothLink extends Link {
        private final Both<Object, Object> f;

        @SuppressWarnings("unchecked")
        BothLink(Both<?, ?> f) {
            super(null, null, null);
            this.f = (Both<Object, Object>) f;
        }

        @Override
        Object run(Object current) throws Throwable {
            if (current instanceof Failure) {
                return f.apply(null, ((Failure) current).cause);
            }
            return f.apply(current, null);
        }
    }

    private static final class FinallyLink extends Link {
        private final Runnable action;

        FinallyLink(Runnable action) {
            super(null, null, null);
            this.action = action;
        }

        @Override
        Object run(Object current) {
            action.run();
            return current;
        }
    }

    private static final class ObserverLink extends Link {
        private final Observer observer;

        ObserverLink(Observer observer) {
            super(null, null, null);
            this.observer = observer;
        }

        @Override
        Object run(Object current) {
            boolean keep = current instanceof Failure
                    ? observer.observe(false, ((Failure) current).cause)
                    : observer.observe(true, current);
            return keep ? current : null;
        }
    }

    private static final class FutureLink extends Link {
        private final CompletableFuture<Object> future;

        @SuppressWarnings("unchecked")
        FutureLink(CompletableFuture<?> future) {
            super(null, null, null);
            this.future = (CompletableFuture<Object>) future;
        }

        @Override
        Object run(Object current) {
            if (current instanceof Failure) {
                future.completeExceptionally(((Failure) current).cause);
            } else {
                future.complete(current);
            }
            return current;
        }
    }

    private static final class TimeoutLink extends Link {
        private final double seconds;
        DelayedCall timer;
        boolean timedOut;

        TimeoutLink(double seconds) {
            super(null, null, null);
            this.seconds = seconds;
        }

        @Override
        Object run(Object current) {
            if (!timedOut && timer.active()) {
                timer.cancel();
            }
            if (timedOut && current instanceof Failure && ((Failure) current).cause instanceof CancelledException) {
                DeferredTimeoutException e =
                        new DeferredTimeoutException("Deferred timed out after " + seconds + " seconds");
                e.initCause(((Failure) current).cause);
                return new Failure(e);
            }
            return current;
        }
    }
}
