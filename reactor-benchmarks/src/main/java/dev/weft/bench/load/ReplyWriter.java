package dev.weft.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Encodes RESP2 replies into whatever buffer a raw server writes from: a Netty {@code ByteBuf} or a
 * {@code java.nio.ByteBuffer}. Subclasses supply the three {@code put} methods; the encoding is here, written once.
 */
abstract class ReplyWriter {

    static final byte[] OK = ascii("+OK\r\n");
    static final byte[] PONG = ascii("+PONG\r\n");
    static final byte[] NULL_BULK = ascii("$-1\r\n");
    static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    private static final byte[] CRLF = {'\r', '\n'};

    /** Scratch space for a prefix and the digits of a long. */
    private final byte[] digits = new byte[24];

    abstract void put(byte b);

    abstract void put(byte[] b, int off, int len);

    final void put(byte[] b) {
        put(b, 0, b.length);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An already encoded reply, e.g. {@link #OK}. */
    final void raw(byte[] encoded) {
        put(encoded, 0, encoded.length);
    }

    /** An error reply; CR and LF in the message become spaces, as in Redis. */
    final void error(String message) {
        byte[] m = ascii(message);
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\r' || m[i] == '\n') {
                m[i] = ' ';
            }
        }
        put((byte) '-');
        put(m, 0, m.length);
        put(CRLF, 0, 2);
    }

    final void integer(long v) {
        prefixed((byte) ':', v);
    }

    final void arrayHeader(int n) {
        if (n == 0) {
            raw(EMPTY_ARRAY);
        } else {
            prefixed((byte) '*', n);
        }
    }

    /** A bulk string, or the null bulk string for null. */
    final void bulk(byte[] value) {
        if (value == null) {
            raw(NULL_BULK);
            return;
        }
        prefixed((byte) '$', value.length);
        put(value, 0, value.length);
        put(CRLF, 0, 2);
    }

    /** {@code prefix}, the decimal digits of {@code v}, CRLF; no allocation. */
    private void prefixed(byte prefix, long v) {
        byte[] d = digits;
        int i = d.length;
        d[--i] = '\n';
        d[--i] = '\r';
        if (v == Long.MIN_VALUE) {
            byte[] s = ascii(Long.toString(v));
            i -= s.length;
            System.arraycopy(s, 0, d, i, s.length);
        } else {
            boolean negative = v < 0;
            long x = negative ? -v : v;
            do {
                d[--i] = (byte) ('0' + (x % 10));
                x /= 10;
            } while (x != 0);
            if (negative) {
                d[--i] = '-';
            }
        }
        d[--i] = prefix;
        put(d, i, d.length - i);
    }
}
