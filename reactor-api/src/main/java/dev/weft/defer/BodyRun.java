package dev.weft.defer;

import dev.weft.reactor.internal.StandIn;

/**
 * One run of a coroutine body, by whichever machinery {@link CoroutineMode} selected: a thread of its own
 * ({@link CoroutineRun}) or a continuation on the thread it acts for ({@link ContinuationRun}).
 */
interface BodyRun extends StandIn.Body {
    /** Runs the body until it awaits an unfired Deferred or ends. On the thread that calls {@code fromCoroutine}. */
    void start();
}
