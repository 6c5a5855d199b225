package dev.weft.examples.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A reference reading of a whole RESP2 request stream, written for the fuzz tests independently of the incremental
 * {@link RespParser}: it sees the entire input at once, so it has no state between chunks, no pending buffer and no
 * memory of how far it searched. What the incremental parser does with the same bytes, however they are split, must
 * match it.
 *
 * <p>The rules it applies are the server's documented ones (Redis's, see {@code RespParser}): an array header
 * {@code *N\r\n} (N at most {@link Integer#MAX_VALUE}; N of 0 or less is ignored) followed by N bulk strings
 * {@code $len\r\n<len bytes>\r\n} (len from 0 to {@link RespParser#MAX_BULK}); any other first byte starts an
 * inline command, a line of words separated by spaces and tabs ended by {@code \n} (one {@code \r} before it is
 * dropped); a header number is an optional {@code -} and 1 to 18 decimal digits; a header or inline line longer
 * than {@link RespParser#MAX_LINE} bytes (its {@code \n} not counted) is an error whether it has ended or not. The
 * stream stops at the first error, or after a {@code QUIT} command.
 */
final class RespReference {

    /** What a whole input means. */
    static final class Outcome {
        /** The complete commands, in order, each as its arguments (the name first); QUIT included. */
        final List<byte[][]> commands = new ArrayList<>();
        /** The Redis error text after {@code "Protocol error: "}, or null when the input has no protocol error. */
        String error;
        /** Whether the stream ended with a QUIT (the commands after it, if any, are not read). */
        boolean quit;
        /** Where reading stopped: the end of the input, or the start of an unterminated command. */
        int consumed;

        /**
         * Whether the server closes the connection after this input (a protocol error, or QUIT).
         *
         * @return whether the connection is closed
         */
        boolean closes() {
            return error != null || quit;
        }

        /**
         * The commands as readable strings (ISO-8859-1), for assertion messages and comparisons.
         *
         * @return one list of arguments per command
         */
        List<List<String>> readable() {
            return readable(commands);
        }

        static List<List<String>> readable(List<byte[][]> commands) {
            List<List<String>> out = new ArrayList<>();
            for (byte[][] c : commands) {
                List<String> args = new ArrayList<>();
                for (byte[] a : c) {
                    args.add(new String(a, StandardCharsets.ISO_8859_1));
                }
                out.add(args);
            }
            return out;
        }

        @Override
        public String toString() {
            return commands.size() + " commands, error=" + error + ", quit=" + quit + ", consumed=" + consumed;
        }
    }

    private RespReference() {
    }

    /**
     * Reads {@code in} as a whole.
     *
     * @param in the bytes a client sent
     * @return the commands it holds and how it ends
     */
    static Outcome read(byte[] in) {
        Outcome o = new Outcome();
        int pos = 0;
        while (pos < in.length) {
            int next = in[pos] == '*' ? array(in, pos, o) : inline(in, pos, o);
            if (next < 0) {
                o.consumed = pos;
                return o;
            }
            pos = next;
            if (o.error != null || o.quit) {
                o.consumed = pos;
                return o;
            }
        }
        o.consumed = pos;
        return o;
    }

    /** Reads an array at {@code pos}; returns where it ends, or -1 if it is incomplete (or an error was set). */
    private static int array(byte[] in, int pos, Outcome o) {
        Long count = header(in, pos, "too big mbulk count string", "invalid multibulk length", o);
        if (count == null) {
            return -1;
        }
        if (count > Integer.MAX_VALUE) {
            o.error = "invalid multibulk length";
            return -1;
        }
        int p = lineEnd(in, pos) + 1;
        List<byte[]> args = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            if (p >= in.length) {
                return -1;
            }
            if (in[p] != '$') {
                o.error = "expected '$', got '" + printable(in[p]) + "'";
                return -1;
            }
            Long len = header(in, p, "too big bulk count string", "invalid bulk length", o);
            if (len == null) {
                return -1;
            }
            if (len < 0 || len > RespParser.MAX_BULK) {
                o.error = "invalid bulk length";
                return -1;
            }
            int body = lineEnd(in, p) + 1;
            long avail = in.length - body;
            if (avail >= len + 1 && in[body + (int) (long) len] != '\r'
                    || avail >= len + 2 && in[body + (int) (long) len + 1] != '\n') {
                o.error = "bulk string not followed by CRLF";
                return -1;
            }
            if (avail < len + 2) {
                return -1;
            }
            args.add(Arrays.copyOfRange(in, body, body + (int) (long) len));
            p = body + (int) (long) len + 2;
        }
        if (count > 0) {
            command(args, o);
        }
        return p;
    }

    /**
     * The number of the header line at {@code pos} (its first byte is the marker); null if the line has not ended
     * (or is an error, then set on {@code o}).
     */
    private static Long header(byte[] in, int pos, String tooLong, String invalid, Outcome o) {
        int lf = lineEnd(in, pos);
        if (lf < 0) {
            if (in.length - pos > RespParser.MAX_LINE) {
                o.error = tooLong;
            }
            return null;
        }
        if (lf - pos > RespParser.MAX_LINE) {
            o.error = tooLong;
            return null;
        }
        String text = new String(in, pos + 1, lf - pos - 1, StandardCharsets.ISO_8859_1);
        if (!text.matches("-?[0-9]{1,18}\r")) {
            o.error = invalid;
            return null;
        }
        return Long.parseLong(text.substring(0, text.length() - 1));
    }

    /** Reads an inline line at {@code pos}; returns where it ends, or -1 if it has not ended (or is an error). */
    private static int inline(byte[] in, int pos, Outcome o) {
        int lf = lineEnd(in, pos);
        if (lf < 0) {
            if (in.length - pos > RespParser.MAX_LINE) {
                o.error = "too big inline request";
            }
            return -1;
        }
        if (lf - pos > RespParser.MAX_LINE) {
            o.error = "too big inline request";
            return -1;
        }
        int end = lf > pos && in[lf - 1] == '\r' ? lf - 1 : lf;
        List<byte[]> words = new ArrayList<>();
        int start = -1;
        for (int i = pos; i <= end; i++) {
            boolean blank = i == end || in[i] == ' ' || in[i] == '\t';
            if (blank && start >= 0) {
                words.add(Arrays.copyOfRange(in, start, i));
                start = -1;
            } else if (!blank && start < 0) {
                start = i;
            }
        }
        if (!words.isEmpty()) {
            command(words, o);
        }
        return lf + 1;
    }

    private static void command(List<byte[]> args, Outcome o) {
        byte[][] argv = args.toArray(new byte[0][]);
        o.commands.add(argv);
        if (new String(argv[0], StandardCharsets.ISO_8859_1).equalsIgnoreCase("quit")) {
            o.quit = true;
        }
    }

    private static int lineEnd(byte[] in, int pos) {
        for (int i = pos; i < in.length; i++) {
            if (in[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
