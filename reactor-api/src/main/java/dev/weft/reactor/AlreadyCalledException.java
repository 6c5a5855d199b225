package dev.weft.reactor;

/** Thrown when a {@link DelayedCall} that has already run (or is running) is cancelled, delayed or reset. */
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
