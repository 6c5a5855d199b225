package dev.weft.protocol;

/** The connection attempt was abandoned with {@link Connector#stopConnecting()} (Twisted's {@code UserError}). */
public class ConnectCancelledException extends ConnectFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what happened
     */
    public ConnectCancelledException(String message) {
        super(message, null);
    }
}
