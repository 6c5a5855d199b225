package dev.weft.reactor;

/**
 * Thrown when something that happens once is asked to happen again: a {@link DelayedCall} that has already run (or is
 * running) is cancelled, delayed or reset, or a {@link dev.weft.defer.Deferred} that has fired is fired again
 * (Twisted's {@code AlreadyCalled} and {@code AlreadyCalledError}, one type here). Thrown on the calling thread.
 */
public final class AlreadyCalledException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted
     */
    public AlreadyCalledException(String message) {
        super(message);
    }
}
