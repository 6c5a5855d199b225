package dev.weft.defer;

import dev.weft.reactor.ReactorTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A result that is not there yet, with Twisted's semantics: a chain of (callback, errback) pairs that the result
 * runs through once it arrives.
 *
 * <p>A Deferred fires once, with {@link #callback(Object)} or {@link #errback(Throwable)}; the result then runs
 * through the chain. A callback that throws, or an errback that returns a failed result, sends the result down the
 * error path; an errback that returns normally sends it back to the success path. A callback (or errback) that
 * returns a Deferred pauses the chain until that Deferred fires, and its result continues the outer chain (stack
 * depth stays bounded however deep the nesting). Callbacks added to a Deferred that has fired run at once, in the
 * calling thread; callbacks added from inside a running callback run after it returns.
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
         * Transforms the result.
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
         * Handles the failure.
         *
         * @param failure the current failure
         * @return a result (or a Deferred of one) to continue on the success path
         * @throws Exception to continue on the error path with that exception
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
         * Handles the outcome.
         *
         * @param result  the result, or null on failure
         * @param failure the failure, or null on success
         * @return the next result, or a Deferred of it
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
         * Cancels the work.
         *
         * @param d the Deferred being cancelled
         */
        void cancel(Deferred<T> d);
    }

    /** Creates a Deferred with no canceller. */
    public Deferred() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Creates a Deferred whose {@link #cancel()} calls {@code canceller}.
     *
     * @param canceller what stops the work, or null
     */
    public Deferred(Canceller<T> canceller) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * A Deferred that has fired with {@code result}.
     *
     * @param result the result
     * @param <T>    the result type
     * @return the fired Deferred
     */
    public static <T> Deferred<T> succeed(T result) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * A Deferred that has failed with {@code failure}.
     *
     * @param failure the failure
     * @param <T>     the result type
     * @return the failed Deferred
     * @throws NullPointerException if {@code failure} is null
     */
    public static <T> Deferred<T> fail(Throwable failure) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * A Deferred that fires when {@code stage} completes, on the thread that completes it (use
     * {@code callFromThread} to come back to the reactor thread). Cancelling the Deferred cancels the stage when
     * it is a {@link java.util.concurrent.Future}. A {@link java.util.concurrent.CompletionException} is unwrapped.
     *
     * @param stage the stage
     * @param <T>   the result type
     * @return a Deferred of its result
     * @throws NullPointerException if {@code stage} is null
     */
    public static <T> Deferred<T> fromCompletionStage(CompletionStage<T> stage) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Fires the Deferred with a result.
     *
     * @param result the result
     * @throws AlreadyCalledException if it has fired already (except once after a {@link #cancel()} without a
     *                                canceller that fired it, which is ignored)
     */
    public void callback(T result) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Fires the Deferred with a failure.
     *
     * @param failure the failure
     * @throws AlreadyCalledException if it has fired already (same exception to the rule as {@link #callback})
     * @throws NullPointerException   if {@code failure} is null
     */
    public void errback(Throwable failure) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Whether the Deferred has fired.
     *
     * @return true once {@code callback} or {@code errback} was called
     */
    public boolean isCalled() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Adds a callback; failures pass it by.
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
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Adds a callback that returns a Deferred; the chain waits for it and goes on with its result.
     *
     * @param cb  the callback
     * @param <R> the result type of the returned Deferred
     * @return this Deferred, typed for the next link
     * @throws NullPointerException if {@code cb} is null
     */
    public <R> Deferred<R> addCallbackDeferred(Callback<? super T, Deferred<R>> cb) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Adds an errback; results pass it by.
     *
     * @param eb the errback
     * @return this Deferred
     * @throws NullPointerException if {@code eb} is null
     */
    public Deferred<T> addErrback(Errback<Throwable, ? extends T> eb) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Adds an errback for one kind of failure (Twisted's {@code Failure.trap}): other failures, and results, pass
     * it by.
     *
     * @param type the failure class to handle (subclasses included)
     * @param eb   the errback
     * @param <E>  the failure type
     * @return this Deferred
     * @throws NullPointerException if an argument is null
     */
    public <E extends Throwable> Deferred<T> addErrback(Class<E> type, Errback<? super E, ? extends T> eb) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Adds a callback and an errback as one link: exactly one of them runs.
     *
     * @param cb  the callback
     * @param eb  the errback
     * @param <R> the result type after them
     * @return this Deferred, typed for the next link
     * @throws NullPointerException if an argument is null
     */
    public <R> Deferred<R> addCallbacks(Callback<? super T, ? extends R> cb, Errback<Throwable, ? extends R> eb) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Adds one function for both paths.
     *
     * @param f   the function
     * @param <R> the result type after it
     * @return this Deferred, typed for the next link
     * @throws NullPointerException if {@code f} is null
     */
    public <R> Deferred<R> addBoth(Both<? super T, ? extends R> f) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Fires {@code other} with this chain's result at this point (Twisted's {@code chainDeferred}); this chain
     * goes on with {@code null}.
     *
     * @param other the Deferred to fire
     * @return this Deferred
     * @throws NullPointerException if {@code other} is null
     */
    public Deferred<T> chainDeferred(Deferred<T> other) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Cancels the Deferred: if it is waiting on a Deferred returned by a callback, that one is cancelled;
     * otherwise, if it has not fired, the canceller runs, and if that did not fire it, it fails with
     * {@link CancelledException}. Does nothing on a Deferred that has fired and is not waiting.
     */
    public void cancel() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Cancels the Deferred after {@code seconds} on {@code clock} unless it has fired by then; a cancellation by
     * this timeout turns into {@link DeferredTimeoutException}. The timer is cancelled when the Deferred fires.
     *
     * @param seconds the timeout: finite and not negative
     * @param clock   the clock (a reactor, or a {@code Clock} in tests)
     * @return this Deferred
     * @throws IllegalArgumentException if {@code seconds} is negative, NaN or infinite
     * @throws NullPointerException     if {@code clock} is null
     */
    public Deferred<T> addTimeout(double seconds, ReactorTime clock) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * A CompletableFuture that completes when this Deferred's chain reaches this point, with its result or its
     * failure (the chain goes on with the same result, so the failure is still there to handle). Cancelling the
     * future cancels this Deferred. The future completes on the thread that fires the Deferred.
     *
     * @return the future
     */
    public CompletableFuture<T> toCompletableFuture() {
        throw new UnsupportedOperationException("TODO");
    }
}
