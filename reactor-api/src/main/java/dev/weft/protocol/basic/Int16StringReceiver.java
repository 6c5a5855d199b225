package dev.weft.protocol.basic;

/**
 * A receiver of strings prefixed by their length as an unsigned big-endian 16-bit integer (Twisted's
 * {@code Int16StringReceiver}); see {@link IntNStringReceiver}. Subclass it and implement
 * {@link #stringReceived(byte[])}.
 */
public abstract class Int16StringReceiver extends IntNStringReceiver {

    /** Creates a receiver with a 2-byte prefix and the default limit. */
    protected Int16StringReceiver() {
        super(2);
    }
}
