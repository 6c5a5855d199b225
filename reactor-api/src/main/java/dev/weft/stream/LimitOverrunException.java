package dev.weft.stream;

import java.io.IOException;

/**
 * A line or a chunk before a separator is longer than the reader's limit (asyncio's {@code LimitOverrunError}).
 *
 * <p>After {@link StreamReader#readUntil(byte[])} the bytes stay in the reader (read them some other way, or
 * close); after {@link StreamReader#readLine()} the over-long line is dropped, up to and including its newline if
 * that was seen, else everything buffered, as asyncio's {@code readline} does. {@link #consumed()} is how many
 * bytes were looked at.
 */
public final class LimitOverrunException extends IOException {
    private static final long serialVersionUID = 1L;

    /** How many bytes were looked at. */
    private final int consumed;
    /** The reader's limit. */
    private final int limit;

    LimitOverrunException(String message, int consumed, int limit) {
        super(message + " (limit " + limit + " bytes, " + consumed + " bytes looked at)");
        this.consumed = consumed;
        this.limit = limit;
    }

    /**
     * How many bytes were looked at: the index of the separator when it was found past the limit, else how many
     * bytes are known not to hold it.
     *
     * @return the count, greater than {@link #limit()}
     */
    public int consumed() {
        return consumed;
    }

    /**
     * The reader's limit.
     *
     * @return the limit, in bytes
     */
    public int limit() {
        return limit;
    }
}
