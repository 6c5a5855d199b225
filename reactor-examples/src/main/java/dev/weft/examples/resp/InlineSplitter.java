package dev.weft.examples.resp;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Splits an inline command line into arguments as Redis does ({@code sdssplitargs}): words separated by blanks;
 * {@code "double quotes"} with the escapes {@code \n \r \t \b \a}, {@code \xHH} and a backslash before any other
 * byte; {@code 'single quotes'} where only {@code \'} is an escape. A closing quote must be followed by a blank or
 * the end of the line, and a quote must be closed; otherwise the line is refused. A NUL byte outside quotes ends
 * the line (C strings end there).
 *
 * <p>Stateless; any thread.
 */
final class InlineSplitter {

    /** Thrown when the quotes of a line are unbalanced. */
    static final class UnbalancedQuotesException extends Exception {
        private static final long serialVersionUID = 1L;

        UnbalancedQuotesException() {
            super("unbalanced quotes in request", null, false, false);
        }
    }

    private InlineSplitter() {
    }

    /**
     * Splits {@code line[from, to)}, handing each argument (a fresh array) to {@code sink}, in order.
     *
     * @param line the bytes
     * @param from the start of the line
     * @param to   the end of the line, its {@code \r\n} or {@code \n} excluded
     * @param sink receives the arguments
     * @throws UnbalancedQuotesException if a quote is not closed, or not followed by a blank; then some arguments
     *                                   may have been handed over already
     */
    static void split(byte[] line, int from, int to, Consumer<byte[]> sink) throws UnbalancedQuotesException {
        int i = from;
        ByteArrayOutputStream word = new ByteArrayOutputStream();
        while (true) {
            while (i < to && isSpace(line[i])) {
                i++;
            }
            if (i >= to || line[i] == 0) {
                return;
            }
            word.reset();
            i = readWord(line, i, to, word);
            sink.accept(word.toByteArray());
        }
    }

    /** Reads one word starting at {@code i} (not blank); returns the index after it. */
    private static int readWord(byte[] b, int i, int to, ByteArrayOutputStream word) throws UnbalancedQuotesException {
        Quote quote = Quote.NONE;
        while (true) {
            int c = i < to ? b[i] : 0;
            int next = i + 1 < to ? b[i + 1] : 0;
            switch (quote) {
                case DOUBLE:
                    if (c == '\\' && next == 'x' && i + 3 < to && isHex(b[i + 2]) && isHex(b[i + 3])) {
                        word.write(Character.digit(b[i + 2], 16) * 16 + Character.digit(b[i + 3], 16));
                        i += 3;
                    } else if (c == '\\' && next != 0) {
                        i++;
                        word.write(unescape(b[i]));
                    } else if (c == '"') {
                        return closeQuote(next, i);
                    } else if (c == 0) {
                        throw new UnbalancedQuotesException();
                    } else {
                        word.write(c);
                    }
                    break;
                case SINGLE:
                    if (c == '\\' && next == '\'') {
                        i++;
                        word.write('\'');
                    } else if (c == '\'') {
                        return closeQuote(next, i);
                    } else if (c == 0) {
                        throw new UnbalancedQuotesException();
                    } else {
                        word.write(c);
                    }
                    break;
                default:
                    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0) {
                        return i;
                    } else if (c == '"') {
                        quote = Quote.DOUBLE;
                    } else if (c == '\'') {
                        quote = Quote.SINGLE;
                    } else {
                        word.write(c);
                    }
                    break;
            }
            i++;
        }
    }

    private enum Quote { NONE, DOUBLE, SINGLE }

    /** After a closing quote at {@code i}: the next byte must be a blank or the end. */
    private static int closeQuote(int next, int i) throws UnbalancedQuotesException {
        if (next != 0 && !isSpace((byte) next)) {
            throw new UnbalancedQuotesException();
        }
        return i + 1;
    }

    private static int unescape(byte c) {
        switch (c) {
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'b':
                return '\b';
            case 'a':
                return 7;
            default:
                return c;
        }
    }

    /** C's {@code isspace} in the C locale. */
    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static boolean isHex(byte c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
