package dev.weft.bench.load;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The raw java.nio baseline's RESP2 request parser, over a {@link ByteBuffer} (direct or heap): arrays of bulk
 * strings and inline commands, as {@link RespFrameDecoder} reads them, with the same limits and error texts.
 *
 * <p>{@link #parse} hands every complete command from the buffer's position to the handler and leaves the position
 * at the first byte of an incomplete one; the caller keeps those bytes and parses them again with the next read.
 * The argument array is reused from command to command; each argument is a fresh {@code byte[]}.
 */
final class NioRespParser {

    private static final byte[] EMPTY = new byte[0];

    /** Receives the commands. */
    interface Handler {
        /**
         * One command.
         *
         * @param argv the arguments, the name first (entries from argc on are unspecified)
         * @param argc how many, at least 1
         * @return false to stop parsing (QUIT)
         */
        boolean command(byte[][] argv, int argc);
    }

    /** Malformed input; the message is Redis's error text. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super("ERR Protocol error: " + message, null, false, false);
        }
    }

    private byte[][] argv = new byte[8][];

    /**
     * Parses the complete commands in {@code buf}.
     *
     * @param buf     the bytes, from position to limit; the position moves past each complete command
     * @param handler receives them
     * @return false if the handler asked to stop
     * @throws Malformed on malformed input
     */
    boolean parse(ByteBuffer buf, Handler handler) throws Malformed {
        while (buf.hasRemaining()) {
            int argc = parseOne(buf);
            if (argc < 0) {
                return true;
            }
            if (argc > 0) {
                boolean goOn = handler.command(argv, argc);
                Arrays.fill(argv, 0, argc, null);
                if (!goOn) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Parses one command into argv: its argc, 0 for an empty one (skipped), -1 if incomplete (position kept). */
    private int parseOne(ByteBuffer buf) throws Malformed {
        int start = buf.position();
        int end = buf.limit();
        if (buf.get(start) != '*') {
            return inline(buf, start, end);
        }
        int lf = lineEnd(buf, start, end, "too big mbulk count string");
        if (lf < 0) {
            return -1;
        }
        long n = number(buf, start + 1, lf, "invalid multibulk length");
        if (n > RespFrameDecoder.MAX_ARGS) {
            throw new Malformed("invalid multibulk length");
        }
        int pos = lf + 1;
        if (n <= 0) {
            buf.position(pos);
            return 0;
        }
        for (int i = 0; i < n; i++) {
            if (pos >= end) {
                return incomplete(i);
            }
            byte b = buf.get(pos);
            if (b != '$') {
                throw new Malformed("expected '$', got '" + printable(b) + "'");
            }
            lf = lineEnd(buf, pos, end, "too big bulk count string");
            if (lf < 0) {
                return incomplete(i);
            }
            long len = number(buf, pos + 1, lf, "invalid bulk length");
            if (len < 0 || len > RespFrameDecoder.MAX_BULK) {
                throw new Malformed("invalid bulk length");
            }
            pos = lf + 1;
            if ((long) end - pos < len + 2) {
                return incomplete(i);
            }
            int l = (int) len;
            if (buf.get(pos + l) != '\r' || buf.get(pos + l + 1) != '\n') {
                throw new Malformed("bulk string not followed by CRLF");
            }
            byte[] arg = l == 0 ? EMPTY : new byte[l];
            buf.get(pos, arg);
            pos += l + 2;
            push(i, arg);
        }
        buf.position(pos);
        return (int) n;
    }

    private int incomplete(int filled) {
        Arrays.fill(argv, 0, filled, null);
        return -1;
    }

    private void push(int i, byte[] arg) {
        if (i == argv.length) {
            argv = Arrays.copyOf(argv, i * 2);
        }
        argv[i] = arg;
    }

    private int inline(ByteBuffer buf, int start, int end) throws Malformed {
        int lf = lineEnd(buf, start, end, "too big inline request");
        if (lf < 0) {
            return -1;
        }
        int lineEnd = lf > start && buf.get(lf - 1) == '\r' ? lf - 1 : lf;
        int n = 0;
        int i = start;
        while (i < lineEnd) {
            while (i < lineEnd && isBlank(buf.get(i))) {
                i++;
            }
            int from = i;
            while (i < lineEnd && !isBlank(buf.get(i))) {
                i++;
            }
            if (i > from) {
                byte[] w = new byte[i - from];
                buf.get(from, w);
                push(n++, w);
            }
        }
        buf.position(lf + 1);
        return n;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int lineEnd(ByteBuffer buf, int from, int end, String tooLong) throws Malformed {
        for (int i = from; i < end; i++) {
            if (buf.get(i) == '\n') {
                if (i - from > RespFrameDecoder.MAX_LINE) {
                    throw new Malformed(tooLong);
                }
                return i;
            }
        }
        if (end - from > RespFrameDecoder.MAX_LINE) {
            throw new Malformed(tooLong);
        }
        return -1;
    }

    private static long number(ByteBuffer buf, int from, int lf, String error) throws Malformed {
        int to = lf - 1;
        if (to < from || buf.get(to) != '\r') {
            throw new Malformed(error);
        }
        boolean negative = from < to && buf.get(from) == '-';
        int i = negative ? from + 1 : from;
        if (i == to || to - i > 18) {
            throw new Malformed(error);
        }
        long v = 0;
        for (; i < to; i++) {
            int d = buf.get(i) - '0';
            if (d < 0 || d > 9) {
                throw new Malformed(error);
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
