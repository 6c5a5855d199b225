package dev.weft.protocol;

/** The connection was closed cleanly (Twisted's {@code ConnectionDone}). */
public class ConnectionDone extends ConnectionClosedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what happened
     */
    public ConnectionDone(String message) {
        super(message, null);
    }
}
