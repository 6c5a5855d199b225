package dev.weft.reactor;

/** Thrown by {@link ReactorCore#run()} (and {@code runUntil}, {@code iterate}) when the reactor is already running. */
public final class ReactorAlreadyRunningException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted, and why it is refused
     */
    public ReactorAlreadyRunningException(String message) {
        super(message);
    }
}
