package dev.weft.reactor;

/** Thrown by {@link ReactorCore#stop()} when the reactor is not running or is already stopping. */
public final class ReactorNotRunningException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted, and why it is refused
     */
    public ReactorNotRunningException(String message) {
        super(message);
    }
}
