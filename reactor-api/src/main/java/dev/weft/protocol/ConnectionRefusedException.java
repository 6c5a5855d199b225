package dev.weft.protocol;

/**
 * The peer refused the connection (TCP reset on connect); for UDP in connected mode, an ICMP port unreachable
 * (Twisted's {@code ConnectionRefusedError}).
 */
public class ConnectionRefusedException extends ConnectFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what happened
     * @param cause   the underlying error, or null
     */
    public ConnectionRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
