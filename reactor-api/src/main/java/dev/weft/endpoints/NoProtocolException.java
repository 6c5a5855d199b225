package dev.weft.endpoints;

import dev.weft.protocol.ConnectFailedException;

/**
 * The factory given to {@link ClientEndpoint#connect} built no protocol (returned null), so the connection was
 * closed (Twisted's {@code NoProtocol}).
 */
public class NoProtocolException extends ConnectFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which factory, and for which peer
     */
    public NoProtocolException(String message) {
        super(message, null);
    }
}
