package dev.weft.protocol.basic;

/**
 * A receiver of strings prefixed by their length as an unsigned big-endian 8-bit integer (Twisted's
 * {@code Int8StringReceiver}); see {@link IntNStringReceiver}. Subclass it and implement
 * {@link #stringReceived(byte[])}.
 */
public abstract class Int8StringReceiver extends IntNStringReceiver {

    /** Creates a receiver with a 1-byte prefix and the default limit. */
    protected Int8StringReceiver() {
        super(1);
    }
}
