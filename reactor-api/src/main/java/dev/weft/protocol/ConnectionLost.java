package dev.weft.protocol;

/**
 * The connection was lost in a non-clean fashion: an I/O error, an exception in a callback, the reactor shutting
 * down (Twisted's {@code ConnectionLost}). The cause, if any, is attached.
 */
public class ConnectionLost extends ConnectionClosedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what happened
     */
    public ConnectionLost(String message) {
        super(message, null);
    }

    /**
     * Creates the reason with its cause.
     *
     * @param message what happened
     * @param cause   the underlying error
     */
    public ConnectionLost(String message, Throwable cause) {
        super(message, cause);
    }
}
