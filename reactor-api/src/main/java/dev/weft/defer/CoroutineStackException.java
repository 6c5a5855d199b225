package dev.weft.defer;

/**
 * Not thrown: added as a suppressed exception to a failure thrown at a coroutine's {@link Deferred#await()} after
 * a suspension; its stack trace is the body's stack at that await, so a failure that passes through coroutines
 * names each await site. Created on the coroutine's thread.
 */
public final class CoroutineStackException extends Exception {
    private static final long serialVersionUID = 1L;

    CoroutineStackException(String message) {
        super(message);
    }
}
