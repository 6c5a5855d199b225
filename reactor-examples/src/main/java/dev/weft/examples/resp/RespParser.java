package dev.weft.examples.resp;

import java.util.Arrays;

/**
 * An incremental parser of RESP2 requests: arrays of bulk strings ({@code *N\r\n$len\r\n...\r\n}) and inline
 * commands (a line ended by {@code \n} or {@code \r\n}, split into words as Redis does, quotes and escapes
 * included: see {@link InlineSplitter}; unbalanced quotes are a protocol error).
 *
 * <p>Feed it the chunks a connection reads, in order, with {@link #feed(byte[])}; chunk boundaries do not matter.
 * Each complete command goes to the {@link Handler} at once, so several pipelined commands in one chunk are handed
 * over in order. Each argument is a fresh {@code byte[]} (the handler may keep it); nothing else is allocated per
 * command in the common case.
 *
 * <p>Memory is bounded: only an unterminated header or inline line is kept between chunks, and one longer than
 * {@link #MAX_LINE} is a protocol error, so at most {@code MAX_LINE} plus one chunk is held; a bulk string is
 * copied into its own array as it arrives, which grows with the data received, never to a length announced but not
 * sent. After a protocol error the parser ignores everything.
 *
 * <p>Not thread-safe: one parser per connection, used on the reactor thread.
 */
final class RespParser {

    /** The longest header ({@code *N}, {@code $len}) or inline line, without its {@code \n}, as in Redis: 64 KiB. */
    static final int MAX_LINE = 64 * 1024;

    /** The longest bulk string a request may carry, as in Redis ({@code proto-max-bulk-len}): 512 MiB. */
    static final long MAX_BULK = 512L * 1024 * 1024;

    /** A bulk string announced longer than this is read into an array that grows as its data arrives. */
    private static final int DIRECT_ALLOC = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];

    /** Receives the commands, in order. */
    interface Handler {
        /**
         * Called for each complete command.
         *
         * @param argv the arguments: the command name first; entries from {@code argc} on are unspecified
         * @param argc how many arguments, at least 1
         * @return true to go on parsing, false to stop and ignore the rest of the input (after QUIT)
         */
        boolean command(byte[][] argv, int argc);
    }

    /** Thrown by {@link #feed(byte[])} on malformed input; its message is the Redis error text. */
    static final class ProtocolException extends Exception {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super("Protocol error: " + message, null, false, false);
        }
    }

    private enum State { COMMAND, BULK_HEADER, BULK_BODY, BULK_CR, BULK_LF, DONE }

    private final Handler handler;
    private State state = State.COMMAND;

    /** The unparsed tail of earlier chunks (an unterminated line), from 0 to pendingLen. */
    private byte[] pending = EMPTY;
    private int pendingLen;
    /** How many bytes of the unterminated line at the head of the input were already searched for its end. */
    private int scanned;

    private byte[][] argv = new byte[8][];
    private int argc;
    /** Arguments still to come in the current array. */
    private long remaining;

    /** The bulk string being read, its announced length and how much of it has arrived. */
    private byte[] bulk;
    private int bulkLen;
    private int bulkFilled;

    /**
     * A parser that hands commands to {@code handler}.
     *
     * @param handler receives the commands
     */
    RespParser(Handler handler) {
        this.handler = handler;
    }

    /**
     * Whether the parser stopped: after a protocol error, or after the handler returned false.
     *
     * @return whether further input is ignored
     */
    boolean isDone() {
        return state == State.DONE;
    }

    /**
     * How many bytes the parser holds between chunks (the unterminated line plus the bulk string being read), for
     * tests of bounded memory.
     *
     * @return the bytes retained
     */
    long retainedBytes() {
        return (long) pending.length + (bulk == null ? 0 : bulk.length);
    }

    /**
     * Parses a chunk, handing each complete command to the handler.
     *
     * @param data the bytes read
     * @throws ProtocolException on malformed input; the parser then ignores everything
     */
    void feed(byte[] data) throws ProtocolException {
        if (state == State.DONE || data.length == 0) {
            return;
        }
        byte[] buf;
        int end;
        if (pendingLen == 0) {
            buf = data;
            end = data.length;
        } else {
            ensurePending(pendingLen + data.length);
            System.arraycopy(data, 0, pending, pendingLen, data.length);
            pendingLen += data.length;
            buf = pending;
            end = pendingLen;
        }
        int pos;
        try {
            pos = parse(buf, 0, end);
        } catch (ProtocolException e) {
            fail();
            throw e;
        }
        if (state == State.DONE) {
            fail();
            return;
        }
        int left = end - pos;
        if (left == 0) {
            pendingLen = 0;
            if (pending.length > 2 * MAX_LINE) {
                pending = EMPTY;
            }
        } else if (buf == pending) {
            System.arraycopy(pending, pos, pending, 0, left);
            pendingLen = left;
        } else {
            ensurePending(left);
            System.arraycopy(data, pos, pending, 0, left);
            pendingLen = left;
        }
    }

    private void fail() {
        state = State.DONE;
        pending = EMPTY;
        pendingLen = 0;
        bulk = null;
        Arrays.fill(argv, 0, argc, null);
        argc = 0;
    }

    /** Grows the pending buffer to hold {@code n} bytes; doubling, but never past what is needed beyond MAX_LINE. */
    private void ensurePending(int n) {
        if (pending.length < n) {
            pending = Arrays.copyOf(pending, Math.max(n, Math.min(Math.max(256, pending.length * 2), MAX_LINE + 2)));
        }
    }

    /** Parses buf[pos, end); returns where an unterminated line starts (or end when everything was used). */
    private int parse(byte[] buf, int pos, int end) throws ProtocolException {
        while (pos < end) {
            switch (state) {
                case COMMAND: {
                    if (buf[pos] == '*') {
                        int lf = findLineEnd(buf, pos, end, "too big mbulk count string");
                        if (lf < 0) {
                            return pos;
                        }
                        long n = parseHeaderNumber(buf, pos + 1, lf, "invalid multibulk length");
                        if (n > Integer.MAX_VALUE) {
                            throw new ProtocolException("invalid multibulk length");
                        }
                        pos = lf + 1;
                        if (n > 0) {
                            remaining = n;
                            argc = 0;
                            state = State.BULK_HEADER;
                        }
                    } else {
                        int lf = findLineEnd(buf, pos, end, "too big inline request");
                        if (lf < 0) {
                            return pos;
                        }
                        int lineEnd = lf > pos && buf[lf - 1] == '\r' ? lf - 1 : lf;
                        splitInline(buf, pos, lineEnd);
                        pos = lf + 1;
                        if (argc > 0 && !dispatch()) {
                            return end;
                        }
                    }
                    break;
                }
                case BULK_HEADER: {
                    if (buf[pos] != '$') {
                        throw new ProtocolException("expected '$', got '" + printable(buf[pos]) + "'");
                    }
                    int lf = findLineEnd(buf, pos, end, "too big bulk count string");
                    if (lf < 0) {
                        return pos;
                    }
                    long len = parseHeaderNumber(buf, pos + 1, lf, "invalid bulk length");
                    if (len < 0 || len > MAX_BULK) {
                        throw new ProtocolException("invalid bulk length");
                    }
                    pos = lf + 1;
                    int n = (int) len;
                    if (end - pos >= n + 2) {
                        // The whole bulk string and its CRLF are here: copy it in one go.
                        if (buf[pos + n] != '\r' || buf[pos + n + 1] != '\n') {
                            throw new ProtocolException("bulk string not followed by CRLF");
                        }
                        byte[] arg = n == 0 ? EMPTY : Arrays.copyOfRange(buf, pos, pos + n);
                        pos += n + 2;
                        if (!addArgument(arg)) {
                            return end;
                        }
                    } else {
                        bulkLen = n;
                        bulkFilled = 0;
                        bulk = new byte[Math.min(n, DIRECT_ALLOC)];
                        state = n == 0 ? State.BULK_CR : State.BULK_BODY;
                    }
                    break;
                }
                case BULK_BODY: {
                    int n = Math.min(end - pos, bulkLen - bulkFilled);
                    if (bulk.length < bulkFilled + n) {
                        long grown = Math.max(bulkFilled + n, 2L * bulk.length);
                        bulk = Arrays.copyOf(bulk, (int) Math.min(grown, bulkLen));
                    }
                    System.arraycopy(buf, pos, bulk, bulkFilled, n);
                    bulkFilled += n;
                    pos += n;
                    if (bulkFilled == bulkLen) {
                        state = State.BULK_CR;
                    }
                    break;
                }
                case BULK_CR:
                    if (buf[pos++] != '\r') {
                        throw new ProtocolException("bulk string not followed by CRLF");
                    }
                    state = State.BULK_LF;
                    break;
                case BULK_LF: {
                    if (buf[pos++] != '\n') {
                        throw new ProtocolException("bulk string not followed by CRLF");
                    }
                    byte[] arg = bulk;
                    bulk = null;
                    state = State.BULK_HEADER;
                    if (!addArgument(arg)) {
                        return end;
                    }
                    break;
                }
                case DONE:
                default:
                    return end;
            }
        }
        return pos;
    }

    /**
     * The index of the {@code \n} that ends the line starting at {@code pos}, or -1 when it has not arrived yet.
     * Remembers how far it searched, so a line that comes byte by byte is searched once. A line longer than
     * {@link #MAX_LINE} (its {@code \n} not counted) is an error, whether it has ended or not.
     */
    private int findLineEnd(byte[] buf, int pos, int end, String tooLong) throws ProtocolException {
        for (int i = pos + scanned; i < end; i++) {
            if (buf[i] == '\n') {
                scanned = 0;
                if (i - pos > MAX_LINE) {
                    throw new ProtocolException(tooLong);
                }
                return i;
            }
        }
        scanned = end - pos;
        if (scanned > MAX_LINE) {
            throw new ProtocolException(tooLong);
        }
        return -1;
    }

    /**
     * Parses the number of a header line {@code buf[from, lf)}, which must end with {@code \r}, as Redis's
     * {@code string2ll}: {@code 0}, or an optional minus sign and digits not starting with 0, within a long
     * ({@code $007}, {@code $-0} and {@code *007} are refused).
     */
    private static long parseHeaderNumber(byte[] buf, int from, int lf, String error) throws ProtocolException {
        int to = lf - 1;
        if (to < from || buf[to] != '\r') {
            throw new ProtocolException(error);
        }
        try {
            return RespNumbers.parseLong(buf, from, to);
        } catch (NumberFormatException e) {
            throw new ProtocolException(error);
        }
    }

    private void splitInline(byte[] buf, int from, int to) throws ProtocolException {
        argc = 0;
        try {
            InlineSplitter.split(buf, from, to, this::pushArgument);
        } catch (InlineSplitter.UnbalancedQuotesException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    private void pushArgument(byte[] arg) {
        if (argc == argv.length) {
            argv = Arrays.copyOf(argv, argv.length * 2);
        }
        argv[argc++] = arg;
    }

    /** Adds an argument of the current array; dispatches the command when it is complete. */
    private boolean addArgument(byte[] arg) {
        pushArgument(arg);
        if (--remaining > 0) {
            return true;
        }
        state = State.COMMAND;
        return dispatch();
    }

    private boolean dispatch() {
        boolean goOn = handler.command(argv, argc);
        Arrays.fill(argv, 0, argc, null);
        argc = 0;
        if (!goOn) {
            state = State.DONE;
        }
        return goOn;
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
