package dev.weft.reactor;

/** Thrown by {@link ReactorCore#run()} when the reactor was stopped: a stopped reactor cannot run again. */
public final class ReactorNotRestartableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted, and why it is refused
     */
    public ReactorNotRestartableException(String message) {
        super(message);
    }
}
