package dev.weft.examples.resp;

import dev.weft.protocol.Transport;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes RESP2 replies into one growing buffer, written to the transport in one {@code write} by {@link #flush()}:
 * the replies to the commands of one read go out together.
 *
 * <p>A bulk string of {@link #DIRECT_WRITE} bytes or more is not copied: the buffer is flushed and the value's own
 * array is written (stored values are never changed in place, so the transport may keep it). The buffer is also
 * flushed when it passes {@link #FLUSH_AT}, so a long pipeline does not build one huge reply.
 *
 * <p>Not thread-safe: one per connection, used on the reactor thread.
 */
final class RespReply {

    /** Bulk strings at least this long are written as they are, not copied into the buffer. */
    static final int DIRECT_WRITE = 16 * 1024;

    /** The buffer is written out when it holds this much, even in the middle of a read. */
    static final int FLUSH_AT = 64 * 1024;

    private static final int INITIAL = 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK = ascii("$-1\r\n");
    private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    private static final byte[] OK = ascii("+OK\r\n");

    private final Transport transport;
    private byte[] buf = new byte[INITIAL];
    private int len;

    /**
     * A reply buffer that writes to {@code transport}.
     *
     * @param transport the connection
     */
    RespReply(Transport transport) {
        this.transport = transport;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Appends {@code +OK}. */
    void ok() {
        raw(OK);
    }

    /**
     * Appends bytes already encoded, e.g. a constant simple-string reply.
     *
     * @param encoded the encoded reply, e.g. {@code "+PONG\r\n"} as bytes
     */
    void raw(byte[] encoded) {
        ensure(encoded.length);
        System.arraycopy(encoded, 0, buf, len, encoded.length);
        len += encoded.length;
    }

    /**
     * Appends an error reply. CR and LF in the message become spaces, as Redis does, so a client's bytes echoed in
     * a message cannot break the framing.
     *
     * @param message the message with its code, e.g. {@code "ERR syntax error"}
     */
    void error(String message) {
        byte[] m = ascii(message);
        ensure(m.length + 3);
        buf[len++] = '-';
        for (byte b : m) {
            buf[len++] = b == '\r' || b == '\n' ? (byte) ' ' : b;
        }
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    /**
     * Appends an integer reply.
     *
     * @param v the value
     */
    void integer(long v) {
        prefixed((byte) ':', v);
    }

    /**
     * Appends an array header; its elements follow.
     *
     * @param n the number of elements
     */
    void arrayHeader(int n) {
        if (n == 0) {
            raw(EMPTY_ARRAY);
        } else {
            prefixed((byte) '*', n);
        }
    }

    /**
     * Appends a bulk string, or the null bulk string.
     *
     * @param value the value, or null for {@code $-1}
     */
    void bulk(byte[] value) {
        if (value == null) {
            raw(NULL_BULK);
            return;
        }
        prefixed((byte) '$', value.length);
        if (value.length >= DIRECT_WRITE) {
            flush();
            transport.write(value);
        } else {
            raw(value);
        }
        raw(CRLF);
    }

    /** Writes the buffered replies, if any, in one {@code transport.write}. */
    void flush() {
        if (len == 0) {
            return;
        }
        transport.write(Arrays.copyOf(buf, len));
        len = 0;
        if (buf.length > 4 * FLUSH_AT) {
            buf = new byte[INITIAL];
        }
    }

    /** Flushes if the buffer has grown past {@link #FLUSH_AT}. */
    void flushIfFull() {
        if (len >= FLUSH_AT) {
            flush();
        }
    }

    /**
     * How many bytes are buffered.
     *
     * @return the buffered length
     */
    int buffered() {
        return len;
    }

    /** Appends {@code prefix}, the decimal digits of {@code v} and CRLF, without allocating. */
    private void prefixed(byte prefix, long v) {
        ensure(23);
        buf[len++] = prefix;
        if (v == Long.MIN_VALUE) {
            raw(ascii(Long.toString(v)));
        } else {
            if (v < 0) {
                buf[len++] = '-';
                v = -v;
            }
            int digits = 1;
            for (long t = v; t >= 10; t /= 10) {
                digits++;
            }
            int i = len + digits;
            len = i;
            do {
                buf[--i] = (byte) ('0' + (v % 10));
                v /= 10;
            } while (v != 0);
        }
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + extra, buf.length * 2));
        }
    }
}
