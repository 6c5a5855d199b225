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
 * inline command, a line ended by {@code \n} (one {@code \r} before it is dropped) read into words as Redis's
 * sdssplitargs does, quotes and escapes included (unbalanced quotes are an error); a header number is {@code 0} or
 * an optional {@code -} and digits not starting with 0, within a long; a header or inline line longer
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
        if (!text.matches("(0|-?[1-9][0-9]*)\r")) {
            o.error = invalid;
            return null;
        }
        try {
            return Long.parseLong(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            o.error = invalid; // past the range of a long
            return null;
        }
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
        List<byte[]> words = words(new String(in, pos, end - pos, StandardCharsets.ISO_8859_1));
        if (words == null) {
            o.error = "unbalanced quotes in request";
            return -1;
        }
        if (!words.isEmpty()) {
            command(words, o);
        }
        return lf + 1;
    }

    /**
     * Redis's reading of an inline line (sdssplitargs), over the whole line as text: the line is cut at its first
     * NUL; blanks (C's isspace) separate words; a word ends at a space, tab, CR or LF; quotes may start anywhere in
     * a word, and a closing quote must be followed by a blank or the end. Null when the quotes are unbalanced.
     */
    private static List<byte[]> words(String line) {
        int nul = line.indexOf('\0');
        String text = nul >= 0 ? line.substring(0, nul) : line;
        List<byte[]> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) {
                i++;
            }
            if (i == n) {
                return words;
            }
            StringBuilder w = new StringBuilder();
            char quote = 0;
            for (; ; i++) {
                char c = i < n ? text.charAt(i) : 0;
                if (quote == 0) {
                    if (c == 0 || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                        break;
                    } else if (c == '"' || c == '\'') {
                        quote = c;
                    } else {
                        w.append(c);
                    }
                    continue;
                }
                if (c == 0) {
                    return null;
                }
                if (c == quote) {
                    char after = i + 1 < n ? text.charAt(i + 1) : 0;
                    if (after != 0 && " \t\n\u000b\f\r".indexOf(after) < 0) {
                        return null;
                    }
                    i++;
                    break;
                }
                if (c == '\\' && i + 1 < n) {
                    char e = text.charAt(i + 1);
                    if (quote == '\'') {
                        if (e == '\'') {
                            w.append('\'');
                            i++;
                        } else {
                            w.append(c);
                        }
                    } else if (e == 'x' && i + 3 < n && isHex(text.charAt(i + 2)) && isHex(text.charAt(i + 3))) {
                        w.append((char) Integer.parseInt(text.substring(i + 2, i + 4), 16));
                        i += 3;
                    } else {
                        String from = "nrtba";
                        String to = "\n\r\t\b\u0007";
                        int k = from.indexOf(e);
                        w.append(k >= 0 ? to.charAt(k) : e);
                        i++;
                    }
                    continue;
                }
                w.append(c);
            }
            words.add(w.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
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
