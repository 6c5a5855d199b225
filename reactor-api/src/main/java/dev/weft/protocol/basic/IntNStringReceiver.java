package dev.weft.protocol.basic;

import java.util.Arrays;
import java.util.Objects;

/**
 * The base of the length-prefixed receivers {@link Int8StringReceiver}, {@link Int16StringReceiver} and
 * {@link Int32StringReceiver} (Twisted's {@code IntNStringReceiver}): each string is sent as its length, an unsigned
 * big-endian integer of 1, 2 or 4 bytes, followed by its bytes.
 *
 * <p>Subclass one of the three and implement {@link #stringReceived(byte[])}. It makes the same callbacks, with the
 * same arguments, in the same order, as Twisted 22.4's classes, for every sequence of chunks and every handler
 * (pinned against real Twisted by a differential test). Each {@code dataReceived} parses what it kept and the new
 * chunk from the start; a prefix above {@link #getMaxLength()} (default {@value #DEFAULT_MAX_LENGTH}, Twisted's
 * {@code MAX_LENGTH}) calls {@link #lengthLimitExceeded(long)} (default: {@code transport.loseConnection()}) and ends
 * the call, keeping the whole chunk: as in Twisted, a handler that leaves the connection open gets
 * {@code lengthLimitExceeded} again on every later {@code dataReceived}, after the strings of that chunk that came
 * before the prefix are delivered again, until the limit is raised to admit it. Likewise an exception from
 * {@code stringReceived} keeps the whole chunk, and a {@code dataReceived} made from inside a callback parses the
 * chunk of the call it is made from again, from its start. Delivery does not look at the transport's
 * {@code disconnecting} (a real transport delivers nothing after {@code loseConnection()}).
 *
 * <p>Memory: the receiver holds at most the prefix plus {@code maxLength} bytes plus the chunk being parsed, except
 * while paused and after an over-long prefix: then what arrives after the over-long prefix is kept up to the prefix
 * plus {@code maxLength} bytes and the rest is dropped (Twisted keeps it all, without bound; it is parsed only if the
 * handler raises the limit to admit the over-long string).
 *
 * <p>Every callback runs on the reactor thread; {@code dataReceived} is final. Not thread-safe.
 */
public abstract class IntNStringReceiver extends PausableFramingReceiver {

    /** The default limit on a string's length, in bytes (Twisted's {@code MAX_LENGTH}). */
    public static final int DEFAULT_MAX_LENGTH = 99999;

    private static final byte[] EMPTY = new byte[0];
    private static final int NOT_STUCK = -1;

    private final int prefixLength;
    /** What was received and not yet parsed (Twisted's {@code _unprocessed}): {@code buf[start, end)}. */
    private byte[] buf = EMPTY;
    private int start;
    private int end;
    /** How many {@code dataReceived} calls are running (more than one when a callback calls it). */
    private int depth;
    /** After an over-long prefix: where its string's bytes start, relative to {@code start}; else NOT_STUCK. */
    private int stuckAt = NOT_STUCK;
    /** After an over-long prefix: the length it announced. */
    private long stuckLength;
    /** Bytes dropped since the last over-long prefix (kept memory bounded); nonzero only while stuck. */
    private long dropped;
    /** Every byte ever dropped that way; for tests. */
    private long droppedInAll;

    IntNStringReceiver(int prefixLength) {
        super(DEFAULT_MAX_LENGTH);
        this.prefixLength = prefixLength;
    }

    /**
     * Called on the reactor thread for each complete string, in order. Not called while paused.
     *
     * @param data the string's bytes; the receiver owns the array
     */
    protected abstract void stringReceived(byte[] data);

    /**
     * Called on the reactor thread when a length prefix exceeds {@link #getMaxLength()}; the call of
     * {@code dataReceived} that found it ends after it. The default loses the connection.
     *
     * @param length the length announced by the prefix
     */
    protected void lengthLimitExceeded(long length) {
        if (transport != null) {
            transport.loseConnection();
        }
    }

    /**
     * Parses what was kept and {@code data} into strings (see the class comment). Called by the transport on the
     * reactor thread.
     *
     * @param data the bytes read
     * @throws NullPointerException if {@code data} is null
     */
    @Override
    public final void dataReceived(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        append(data);
        // This call's view of the bytes (Twisted's alldata); the kept bytes are this view until the call ends.
        final byte[] all = buf;
        final int from = start;
        final int to = end;
        // Where the string of the over-long prefix that stopped the last call starts in this view, or -1.
        final int stuckIndex = stuckAt == NOT_STUCK ? -1 : from + stuckAt;
        int offset = from;
        depth++;
        try {
            while (to - offset >= prefixLength && !paused) {
                long length = readPrefix(all, offset);
                int messageStart = offset + prefixLength;
                if (length > maxLength) {
                    keep(all, from, to);
                    stuckAt = messageStart - from;
                    stuckLength = length;
                    lengthLimitExceeded(length);
                    return;
                }
                if (dropped > 0 && messageStart >= stuckIndex) {
                    throw bytesWereDropped(length);
                }
                if (to - messageStart < length) {
                    break;
                }
                int messageEnd = messageStart + (int) length;
                byte[] packet = Arrays.copyOfRange(all, messageStart, messageEnd);
                offset = messageEnd;
                stringReceived(packet);
            }
            keep(all, offset, to);
            if (stuckIndex >= 0 && offset < stuckIndex) {
                stuckAt = stuckIndex - offset; // stopped (paused) before the over-long prefix: still stuck on it
            } else {
                stuckAt = NOT_STUCK;
                dropped = 0;
            }
        } finally {
            depth--;
            if (depth == 0 && buf.length > Math.max(softCap(), end - start)) {
                // Give back a large array: what is held between two reads stays within the bound.
                buf = start == end ? EMPTY : Arrays.copyOfRange(buf, start, end);
                end -= start;
                start = 0;
            }
        }
    }

    private IllegalStateException bytesWereDropped(long length) {
        long lost = dropped;
        buf = EMPTY;
        start = 0;
        end = 0;
        stuckAt = NOT_STUCK;
        dropped = 0;
        return new IllegalStateException("the limit now admits a string of " + length + " bytes, but " + lost
                + " bytes that followed its prefix were dropped to bound memory while it was over the limit: raise"
                + " the limit from lengthLimitExceeded, before they arrive, to receive it; the buffer was emptied");
    }

    private void keep(byte[] array, int from, int to) {
        buf = array;
        start = from;
        end = to;
    }

    /**
     * Appends {@code data} to the kept bytes. The bytes of a running call's view are never moved or overwritten:
     * while a call runs, growth copies into a new array.
     */
    private void append(byte[] data) {
        int len = data.length;
        if (stuckAt != NOT_STUCK && (dropped > 0 || stuckLength > maxLength)) {
            long room = dropped > 0 ? 0 : (long) stuckAt + prefixLength + maxLength - (end - start);
            len = (int) Math.max(0, Math.min(len, room));
            dropped += data.length - len;
            droppedInAll += data.length - len;
        }
        if (len == 0) {
            return;
        }
        int size = end - start;
        if (buf.length - end < len) {
            long needed = (long) size + len;
            if (needed > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("buffer would exceed the largest array");
            }
            if (depth == 0 && needed <= buf.length) {
                System.arraycopy(buf, start, buf, 0, size);
            } else {
                long doubled = Math.max(64L, 2L * buf.length);
                int capacity = (int) Math.max(needed, Math.min(doubled, softCap()));
                byte[] bigger = new byte[capacity];
                System.arraycopy(buf, start, bigger, 0, size);
                buf = bigger;
            }
            start = 0;
            end = size;
        }
        System.arraycopy(data, 0, buf, end, len);
        end += len;
    }

    private long readPrefix(byte[] array, int at) {
        long length = 0;
        for (int i = 0; i < prefixLength; i++) {
            length = (length << 8) | (array[at + i] & 0xFF);
        }
        return length;
    }

    /** Bytes held for parsing; for tests of the memory bound. */
    final int bufferedBytes() {
        return end - start;
    }

    /** Bytes dropped, since the connection began, after over-long prefixes that the handler left open; for tests. */
    final long droppedBytes() {
        return droppedInAll;
    }

    /** The capacity of the parse buffer; for tests of the memory bound. */
    final int bufferCapacity() {
        return buf.length;
    }

    private long softCap() {
        return (long) prefixLength + maxLength;
    }

    /**
     * Writes {@code data} with its length prefix, in one write.
     *
     * @param data the string's bytes
     * @throws NullPointerException    if {@code data} is null
     * @throws StringTooLongException  if {@code data} has {@code 2^(8*prefixLength)} bytes or more
     * @throws IllegalStateException   if there is no transport yet
     */
    public void sendString(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        if (prefixLength < 4 && data.length >= 1L << (8 * prefixLength)) {
            throw new StringTooLongException("a string of " + data.length + " bytes does not fit a "
                    + prefixLength + "-byte prefix (limit " + ((1L << (8 * prefixLength)) - 1) + ")");
        }
        if (transport == null) {
            throw new IllegalStateException("not connected: no transport");
        }
        byte[] out = new byte[prefixLength + data.length];
        int length = data.length;
        for (int i = prefixLength - 1; i >= 0; i--) {
            out[i] = (byte) length;
            length >>>= 8;
        }
        System.arraycopy(data, 0, out, prefixLength, data.length);
        transport.write(out);
    }

    /**
     * The size of the length prefix.
     *
     * @return 1, 2 or 4 bytes
     */
    public final int prefixLength() {
        return prefixLength;
    }
}
