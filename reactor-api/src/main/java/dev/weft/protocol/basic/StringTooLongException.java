package dev.weft.protocol.basic;

/**
 * A string given to {@code sendString} does not fit the length prefix of an {@link IntNStringReceiver}: it has
 * {@code 2^(8*n)} bytes or more for an {@code n}-byte prefix (Twisted's {@code StringTooLongError}).
 */
public class StringTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the length and the limit
     */
    public StringTooLongException(String message) {
        super(message);
    }
}
