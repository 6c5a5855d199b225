package dev.weft.protocol;

/**
 * The reason a connection ended, as given to {@code connectionLost}: one of {@link ConnectionDone} (closed
 * cleanly), {@link ConnectionLost} (anything else, with the cause attached) or {@link ConnectionAborted} (this side
 * aborted). Twisted's {@code ConnectionClosed}.
 */
public abstract class ConnectionClosedException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what happened
     * @param cause   the underlying error, or null
     */
    protected ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
