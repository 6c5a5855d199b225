package dev.weft.protocol;

import java.net.InetSocketAddress;

/**
 * A listen call could not bind its port (in use, no permission, unknown interface). Thrown by {@code listenTCP},
 * {@code listenSSL}, {@code listenUNIX} and {@code listenUDP} before they return (Twisted's {@code CannotListenError}).
 */
public class CannotListenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress address;

    /**
     * Creates the exception.
     *
     * @param address the address that could not be bound, or null if unknown
     * @param cause   the underlying error, or null
     */
    public CannotListenException(InetSocketAddress address, Throwable cause) {
        super("cannot listen on " + address + (cause == null ? "" : ": " + cause), cause);
        this.address = address;
    }

    /**
     * Creates the exception with a message of its own (a UNIX socket's, whose address is its path).
     *
     * @param message what could not be bound, and why
     * @param address the address that could not be bound (for a UNIX socket, an unresolved address whose host
     *                string is the path, port 0), or null if unknown
     * @param cause   the underlying error, or null
     */
    public CannotListenException(String message, InetSocketAddress address, Throwable cause) {
        super(message, cause);
        this.address = address;
    }

    /**
     * The address that could not be bound.
     *
     * @return the address, or null if unknown
     */
    public InetSocketAddress address() {
        return address;
    }
}
