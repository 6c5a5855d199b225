package dev.weft.protocol;

/** {@link Connector#stopConnecting()} was called with no attempt in progress (Twisted's {@code NotConnectingError}). */
public class NotConnectingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public NotConnectingException(String message) {
        super(message);
    }
}
