package dev.weft.protocol;

/**
 * An address was not acceptable: a host name where an IP address is required (UDP {@code connect}), a port out of
 * range (Twisted's {@code InvalidAddressError}).
 */
public class InvalidAddressException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong with which address
     */
    public InvalidAddressException(String message) {
        super(message);
    }
}
