package dev.weft.protocol.basic;

/**
 * A receiver of strings prefixed by their length as an unsigned big-endian 32-bit integer (Twisted's
 * {@code Int32StringReceiver}); see {@link IntNStringReceiver}. Subclass it and implement
 * {@link #stringReceived(byte[])}.
 */
public abstract class Int32StringReceiver extends IntNStringReceiver {

    /** Creates a receiver with a 4-byte prefix and the default limit. */
    protected Int32StringReceiver() {
        super(4);
    }
}
