package dev.weft.reactor;

/** Thrown when a {@link DelayedCall} that was cancelled is cancelled, delayed or reset again. */
public final class AlreadyCancelledException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted
     */
    public AlreadyCancelledException(String message) {
        super(message);
    }
}
