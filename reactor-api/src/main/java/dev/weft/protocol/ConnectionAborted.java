package dev.weft.protocol;

/** This side aborted the connection with {@code abortConnection()} (Twisted's {@code ConnectionAborted}). */
public class ConnectionAborted extends ConnectionLost {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what happened
     */
    public ConnectionAborted(String message) {
        super(message);
    }
}
