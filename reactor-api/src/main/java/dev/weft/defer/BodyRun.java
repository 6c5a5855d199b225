package dev.weft.defer;

import dev.weft.reactor.internal.StandIn;

/**
 * One run of a coroutine body, by whichever machinery {@link CoroutineMode} selected: a thread of its own
 * ({@link CoroutineRun}) or a continuation on the thread it acts for ({@link ContinuationRun}).
 */
interface BodyRun extends StandIn.Body {
    /** Runs the body until it awaits an unfired Deferred or ends. On the thread that calls {@code fromCoroutine}. */
    void start();

    /** The Deferred of the coroutine this run is: the body may not await it. Any thread. */
    Deferred<?> outer();

    /** Suspends the running body until {@code d} fires; returns or throws its outcome. On the body's side. */
    <V> V suspendOn(Deferred<V> d) throws Exception;

    /**
     * {@code await()} inside {@code run}'s body, in either mode: a body awaiting its own Deferred is refused; a fired
     * Deferred gives its outcome at once, with no suspension; any other suspends the body.
     */
    static <T> T await(BodyRun run, Deferred<T> d) throws Exception {
        if (d == run.outer()) {
            throw new IllegalStateException("a coroutine body awaited its own Deferred: it can never fire");
        }
        if (d.hasReadyResult()) {
            try {
                return d.readyResult();
            } catch (Throwable t) {
                throw BodyRun.<RuntimeException>sneaky(t);
            }
        }
        return run.suspendOn(d);
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable t) throws X {
        throw (X) t;
    }
}
