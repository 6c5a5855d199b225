package dev.weft.protocol;

/** The connection was not made within the timeout given to {@code connectTCP} (Twisted's {@code TimeoutError}). */
public class ConnectTimeoutException extends ConnectFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what happened
     */
    public ConnectTimeoutException(String message) {
        super(message, null);
    }
}
