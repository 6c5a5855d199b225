package dev.weft.reactor;

/**
 * The reason given to {@link FileDescriptor#connectionLost(Throwable)} when the reactor ends a watch itself, for
 * instance at shutdown. (The protocol layer's {@code ConnectionLost} reason joins it with the networking work.)
 */
public class ConnectionLostException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what happened
     */
    public ConnectionLostException(String message) {
        super(message);
    }

    /**
     * Creates the reason with a cause.
     *
     * @param message what happened
     * @param cause   the underlying error
     */
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
