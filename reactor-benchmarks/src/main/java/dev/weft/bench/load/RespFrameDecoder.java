package dev.weft.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.util.Arrays;
import java.util.List;

/**
 * The raw Netty baseline's RESP2 request decoder: turns the bytes of a connection into commands, each a
 * {@code byte[][]} (the name first), from arrays of bulk strings ({@code *N\r\n$len\r\n...\r\n}) and inline
 * commands (words separated by spaces or tabs, ended by {@code \n} or {@code \r\n}).
 *
 * <p>It decodes one command per {@link #decode} call and leaves an incomplete one in the cumulation, to be decoded
 * again when more bytes arrive. Malformed input, a header or inline line over {@link #MAX_LINE} bytes, or a bulk
 * length over {@link #MAX_BULK} produce one {@link ProtocolError} (with Redis's text); everything after it is
 * discarded.
 */
final class RespFrameDecoder extends ByteToMessageDecoder {

    /** The longest header or inline line, as in Redis. */
    static final int MAX_LINE = 64 * 1024;
    /** The longest bulk string, as in Redis. */
    static final long MAX_BULK = 512L * 1024 * 1024;
    /** The most arguments of one command, as in Redis. */
    static final long MAX_ARGS = 1024 * 1024;

    private static final byte[] EMPTY = new byte[0];

    /** A request that cannot be parsed; the connection must answer it and close. */
    static final class ProtocolError {
        final String message;

        ProtocolError(String message) {
            this.message = "ERR Protocol error: " + message;
        }
    }

    /** Thrown inside the decoder on malformed input. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            Object cmd = decodeOne(in);
            if (cmd != null) {
                out.add(cmd);
            }
        } catch (Malformed e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            out.add(new ProtocolError(e.getMessage()));
        }
    }

    /**
     * Decodes one command from the reader index. Returns null (reader index unchanged) when it is incomplete; skips
     * an empty array or an empty inline line (reader index moved, nothing returned).
     */
    static Object decodeOne(ByteBuf in) throws Malformed {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (start >= end) {
            return null;
        }
        if (in.getByte(start) != '*') {
            return inline(in, start, end);
        }
        int lf = lineEnd(in, start, end, "too big mbulk count string");
        if (lf < 0) {
            return null;
        }
        long n = number(in, start + 1, lf, "invalid multibulk length");
        if (n > MAX_ARGS) {
            throw new Malformed("invalid multibulk length");
        }
        int pos = lf + 1;
        if (n <= 0) {
            in.readerIndex(pos);
            return null;
        }
        byte[][] argv = new byte[(int) Math.min(n, 16)][];
        for (int i = 0; i < n; i++) {
            if (pos >= end) {
                return null;
            }
            byte b = in.getByte(pos);
            if (b != '$') {
                throw new Malformed("expected '$', got '" + printable(b) + "'");
            }
            lf = lineEnd(in, pos, end, "too big bulk count string");
            if (lf < 0) {
                return null;
            }
            long len = number(in, pos + 1, lf, "invalid bulk length");
            if (len < 0 || len > MAX_BULK) {
                throw new Malformed("invalid bulk length");
            }
            pos = lf + 1;
            if ((long) end - pos < len + 2) {
                return null;
            }
            int l = (int) len;
            if (in.getByte(pos + l) != '\r' || in.getByte(pos + l + 1) != '\n') {
                throw new Malformed("bulk string not followed by CRLF");
            }
            byte[] arg = l == 0 ? EMPTY : new byte[l];
            in.getBytes(pos, arg);
            pos += l + 2;
            if (i == argv.length) {
                argv = Arrays.copyOf(argv, (int) Math.min(n, argv.length * 2L));
            }
            argv[i] = arg;
        }
        in.readerIndex(pos);
        return argv;
    }

    private static Object inline(ByteBuf in, int start, int end) throws Malformed {
        int lf = lineEnd(in, start, end, "too big inline request");
        if (lf < 0) {
            return null;
        }
        int lineEnd = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        byte[][] words = new byte[4][];
        int n = 0;
        int i = start;
        while (i < lineEnd) {
            while (i < lineEnd && isBlank(in.getByte(i))) {
                i++;
            }
            int from = i;
            while (i < lineEnd && !isBlank(in.getByte(i))) {
                i++;
            }
            if (i > from) {
                byte[] w = new byte[i - from];
                in.getBytes(from, w);
                if (n == words.length) {
                    words = Arrays.copyOf(words, n * 2);
                }
                words[n++] = w;
            }
        }
        in.readerIndex(lf + 1);
        return n == 0 ? null : Arrays.copyOf(words, n);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** The index of the LF ending the line at {@code from}, or -1; a line longer than MAX_LINE is an error. */
    private static int lineEnd(ByteBuf in, int from, int end, String tooLong) throws Malformed {
        int lf = in.forEachByte(from, end - from, ByteProcessor.FIND_LF);
        if (lf < 0 ? end - from > MAX_LINE : lf - from > MAX_LINE) {
            throw new Malformed(tooLong);
        }
        return lf;
    }

    /** The decimal number of a header line {@code [from, lf)}, which must end with CR. */
    private static long number(ByteBuf in, int from, int lf, String error) throws Malformed {
        int to = lf - 1;
        if (to < from || in.getByte(to) != '\r') {
            throw new Malformed(error);
        }
        boolean negative = from < to && in.getByte(from) == '-';
        int i = negative ? from + 1 : from;
        if (i == to || to - i > 18) {
            throw new Malformed(error);
        }
        long v = 0;
        for (; i < to; i++) {
            int d = in.getByte(i) - '0';
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
