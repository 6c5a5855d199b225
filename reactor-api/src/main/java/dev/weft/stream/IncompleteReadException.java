package dev.weft.stream;

import java.io.EOFException;
import java.util.OptionalInt;

/**
 * The stream ended before a read was satisfied (asyncio's {@code IncompleteReadError}): thrown by
 * {@link StreamReader#readExactly(int)} when fewer than n bytes came before the end of stream, and by
 * {@link StreamReader#readUntil(byte[])} when the separator never came. The bytes that did come are in
 * {@link #partial()}; they are no longer in the reader.
 */
public final class IncompleteReadException extends EOFException {
    private static final long serialVersionUID = 1L;

    /** The bytes read before the end of stream. */
    private final byte[] partial;
    /** The count wanted, or -1 for a separator. */
    private final int expected;

    IncompleteReadException(byte[] partial, int expected) {
        super(message(partial.length, expected));
        this.partial = partial;
        this.expected = expected;
    }

    private static String message(int got, int expected) {
        return expected >= 0
                ? "end of stream after " + got + " of the " + expected + " bytes expected"
                : "end of stream after " + got + " bytes, before the separator";
    }

    /**
     * The bytes read before the end of stream.
     *
     * @return a copy of them (empty if none came)
     */
    public byte[] partial() {
        return partial.clone();
    }

    /**
     * How many bytes the read wanted: n for {@code readExactly(n)}; empty for {@code readUntil}, which wanted a
     * separator, not a count.
     *
     * @return the count expected, if the read had one
     */
    public OptionalInt expected() {
        return expected >= 0 ? OptionalInt.of(expected) : OptionalInt.empty();
    }
}
