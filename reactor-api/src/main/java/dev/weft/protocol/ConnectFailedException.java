package dev.weft.protocol;

/**
 * Why an outgoing connection could not be made, as given to {@link ClientFactory#clientConnectionFailed(Connector,
 * Throwable)} (Twisted's {@code ConnectError}). Subclasses name the common cases; other causes are attached.
 */
public class ConnectFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what happened
     * @param cause   the underlying error, or null
     */
    public ConnectFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
