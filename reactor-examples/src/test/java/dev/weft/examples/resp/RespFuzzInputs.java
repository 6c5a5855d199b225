package dev.weft.examples.resp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Hostile and valid RESP request streams for the fuzz tests, each made from a seed (the same seed gives the same
 * bytes on every run and JDK), and the ways to cut a stream into the chunks a connection could read.
 *
 * <p>Shapes, picked by the seed: uniformly random bytes; random bytes from RESP's own alphabet; a valid pipeline of
 * array and inline commands; such a pipeline with a few mutations; a valid prefix followed by a hostile header (a
 * huge, negative or overflowing array or bulk length, a 512 MiB bulk announced but not sent); a valid prefix
 * followed by a line at, just under or over 64 KiB (inline, array header or bulk header, ended or not); and a valid
 * pipeline with random noise after it. Every size is bounded: an input is at most about 200 KB.
 */
final class RespFuzzInputs {

    /** The kinds of input. */
    enum Shape {
        RANDOM_BYTES, RESP_ALPHABET, VALID_PIPELINE, MUTATED, HUGE_HEADERS, LONG_LINES, VALID_THEN_NOISE
    }

    /** How a stream is cut into reads. */
    enum Split {
        WHOLE, RANDOM_CUTS, BYTE_BY_BYTE, AT_DELIMITERS, SMALL_PIECES
    }

    private static final byte[] RESP_ALPHABET = bytes("*$\r\n\r\n\r\n0123456789-:+ \tPINGECHOSETGETQUITabcxyz");
    private static final byte[] SPECIALS = bytes("*$\r\n-0123456789:+ \t\0");
    private static final String[] HOSTILE_NUMBERS = {
        "-1", "-2", "-5", "0", "", "99999999999999999999", "2147483647", "2147483648", "536870912", "536870913",
        "9223372036854775807", "-9223372036854775808", "999999999999999999", "1000000000000000000", "+1", "1.5",
        "0x10", " 1", "007",
    };
    private static final String[] HOSTILE_ITEMS = {
        "*2147483647\r\n", "*2147483648\r\n", "*-1\r\n", "*-2147483649\r\n", "*99999999999999999999\r\n",
        "*1\r\n$536870912\r\n", "*1\r\n$536870913\r\n", "*1\r\n$-1\r\n", "*1\r\n$-5\r\n",
        "*1\r\n$9223372036854775807\r\n", "*1\r\n$99999999999999999999\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\n",
        "*2\r\n$4\r\nECHO\r\n$100000\r\n", "*1000000\r\n$4\r\nPING\r\n", "*1\r\n:1\r\n", "*1\r\n+OK\r\n", "*1\r\n$4\r\nPINGxx",
        "*1\r\n$4\r\nPING\rx", "*1\n", "*x\r\n", "*\r\n", "$4\r\nPING\r\n", "*1\r\n$\r\n", "*1\r\n$4\n",
    };

    private RespFuzzInputs() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The shape of the input of {@code seed}.
     *
     * @param seed the seed
     * @return its shape
     */
    static Shape shape(long seed) {
        return Shape.values()[(int) Math.floorMod(seed, (long) Shape.values().length)];
    }

    /**
     * The input of {@code seed}, its keys private to {@code keyPrefix}.
     *
     * @param seed      the seed
     * @param keyPrefix the prefix of every key a generated command names (so parallel connections do not share keys)
     * @param shared    true for a server that other connections use at the same time and whose clock moves: then no
     *                  command sees the whole store (DBSIZE, FLUSHALL, FLUSHDB) or depends on time (SET EX, TTL),
     *                  so the replies depend on the input alone
     * @return the bytes
     */
    static byte[] input(long seed, String keyPrefix, boolean shared) {
        SplittableRandom r = new SplittableRandom(seed);
        Commands c = new Commands(r, keyPrefix, shared);
        switch (shape(seed)) {
            case RANDOM_BYTES: {
                byte[] b = new byte[r.nextInt(4097)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) r.nextInt(256);
                }
                return b;
            }
            case RESP_ALPHABET: {
                byte[] b = new byte[r.nextInt(4097)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = RESP_ALPHABET[r.nextInt(RESP_ALPHABET.length)];
                }
                return b;
            }
            case VALID_PIPELINE:
                return c.pipeline(1 + r.nextInt(60), true);
            case MUTATED:
                return mutate(c.pipeline(1 + r.nextInt(30), true), r);
            case HUGE_HEADERS: {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(c.pipeline(r.nextInt(6), false));
                out.writeBytes(bytes(HOSTILE_ITEMS[r.nextInt(HOSTILE_ITEMS.length)]));
                int tail = r.nextInt(4);
                if (tail == 1) {
                    out.writeBytes(randomBytes(r, r.nextInt(2000)));
                } else if (tail == 3) { // enough for an announced bulk to grow past its first 64 KiB
                    out.writeBytes(randomBytes(r, 70_000 + r.nextInt(80_000)));
                } else if (tail == 2) {
                    out.writeBytes(c.pipeline(1 + r.nextInt(5), false));
                }
                return out.toByteArray();
            }
            case LONG_LINES: {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(c.pipeline(r.nextInt(4), false));
                out.writeBytes(longLine(r));
                if (r.nextBoolean()) {
                    out.writeBytes(c.pipeline(1 + r.nextInt(3), false));
                }
                return out.toByteArray();
            }
            case VALID_THEN_NOISE:
            default: {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(c.pipeline(1 + r.nextInt(20), false));
                out.writeBytes(randomBytes(r, r.nextInt(500)));
                return out.toByteArray();
            }
        }
    }

    /**
     * A valid pipeline of {@code n} commands without QUIT, its keys under {@code keyPrefix}, for tests that compare
     * replies with a model. Each command is also returned, in {@code commands}.
     *
     * @param seed      the seed
     * @param keyPrefix the key prefix
     * @param commands  receives the commands
     * @return the encoded pipeline
     */
    static byte[] modelledPipeline(long seed, String keyPrefix, List<String[]> commands) {
        SplittableRandom r = new SplittableRandom(seed);
        Commands c = new Commands(r, keyPrefix, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + r.nextInt(80);
        for (int i = 0; i < n; i++) {
            String[] cmd = c.modelled();
            commands.add(cmd);
            out.writeBytes(c.encode(cmd));
        }
        return out.toByteArray();
    }

    /**
     * Cuts {@code in} into the chunks of {@code split}: every byte in order, none empty.
     *
     * @param in    the stream
     * @param split how to cut it
     * @param r     the randomness
     * @return the chunks
     */
    static List<byte[]> split(byte[] in, Split split, SplittableRandom r) {
        TreeSet<Integer> cuts = new TreeSet<>();
        int n = in.length;
        switch (split) {
            case WHOLE:
                break;
            case RANDOM_CUTS: {
                int k = n < 2 ? 0 : 1 + r.nextInt(Math.min(n - 1, 100));
                for (int i = 0; i < k; i++) {
                    cuts.add(1 + r.nextInt(n - 1));
                }
                break;
            }
            case BYTE_BY_BYTE:
                for (int i = 1; i < n && i <= 4096; i++) {
                    cuts.add(i);
                }
                break;
            case AT_DELIMITERS:
                for (int i = 1; i < n && cuts.size() < 200; i++) {
                    byte b = in[i];
                    if ((b == '\r' || b == '\n' || b == '$' || b == '*') && r.nextInt(3) == 0) {
                        cuts.add(i + r.nextInt(2));
                    }
                }
                cuts.remove(n);
                break;
            case SMALL_PIECES:
            default:
                for (int i = 1 + r.nextInt(7); i < n && cuts.size() < 4096; i += 1 + r.nextInt(7)) {
                    cuts.add(i);
                }
                break;
        }
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            chunks.add(Arrays.copyOfRange(in, from, cut));
            from = cut;
        }
        if (from < n) {
            chunks.add(Arrays.copyOfRange(in, from, n));
        }
        return chunks;
    }

    /**
     * A split other than {@link Split#WHOLE}, picked at random; byte by byte only for inputs of at most 4 KiB.
     *
     * @param in the stream
     * @param r  the randomness
     * @return the split
     */
    static Split someSplit(byte[] in, SplittableRandom r) {
        Split[] choices = {Split.RANDOM_CUTS, Split.BYTE_BY_BYTE, Split.AT_DELIMITERS, Split.SMALL_PIECES};
        Split s = choices[r.nextInt(choices.length)];
        if (s == Split.BYTE_BY_BYTE && in.length > 4096 || s == Split.SMALL_PIECES && in.length > 16384) {
            s = Split.RANDOM_CUTS;
        }
        return s;
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] mutate(byte[] in, SplittableRandom r) {
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        cur.writeBytes(in);
        int ops = 1 + r.nextInt(8);
        for (int k = 0; k < ops; k++) {
            byte[] b = cur.toByteArray();
            if (b.length == 0) {
                break;
            }
            int at = r.nextInt(b.length);
            ByteArrayOutputStream next = new ByteArrayOutputStream();
            switch (r.nextInt(7)) {
                case 0: // replace with any byte
                    b[at] = (byte) r.nextInt(256);
                    next.writeBytes(b);
                    break;
                case 1: // replace with a byte RESP gives a meaning to
                    b[at] = SPECIALS[r.nextInt(SPECIALS.length)];
                    next.writeBytes(b);
                    break;
                case 2: // delete
                    next.write(b, 0, at);
                    next.write(b, at + 1, b.length - at - 1);
                    break;
                case 3: // insert
                    next.write(b, 0, at);
                    next.write(SPECIALS[r.nextInt(SPECIALS.length)]);
                    next.write(b, at, b.length - at);
                    break;
                case 4: { // duplicate a slice
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    next.write(b, 0, at + len);
                    next.write(b, at, b.length - at);
                    break;
                }
                case 5: // truncate
                    next.write(b, 0, at);
                    break;
                default: { // replace the digits after a '*' or '$' with a hostile number
                    int marker = -1;
                    for (int i = at; i < b.length; i++) {
                        if (b[i] == '*' || b[i] == '$') {
                            marker = i;
                            break;
                        }
                    }
                    if (marker < 0) {
                        next.writeBytes(b);
                        break;
                    }
                    int end = marker + 1;
                    while (end < b.length && (b[end] == '-' || b[end] >= '0' && b[end] <= '9')) {
                        end++;
                    }
                    next.write(b, 0, marker + 1);
                    next.writeBytes(bytes(HOSTILE_NUMBERS[r.nextInt(HOSTILE_NUMBERS.length)]));
                    next.write(b, end, b.length - end);
                    break;
                }
            }
            cur = next;
        }
        return cur.toByteArray();
    }

    /** A line at, around or over {@link RespParser#MAX_LINE}: inline, array header or bulk header; ended or not. */
    private static byte[] longLine(SplittableRandom r) {
        int[] lengths = {RespParser.MAX_LINE - 2, RespParser.MAX_LINE - 1, RespParser.MAX_LINE,
            RespParser.MAX_LINE + 1, RespParser.MAX_LINE + 2, 70 * 1024, 100 * 1024};
        int len = lengths[r.nextInt(lengths.length)];
        String end = new String[] {"\n", "\r\n", ""}[r.nextInt(3)];
        StringBuilder line = new StringBuilder(len + 8);
        switch (r.nextInt(4)) {
            case 0: // ECHO and one long word: a bulk reply when it fits
                line.append("ECHO ");
                while (line.length() < len) {
                    line.append('x');
                }
                break;
            case 1: // words: an unknown command with many arguments
                while (line.length() < len) {
                    line.append(r.nextInt(8) == 0 ? ' ' : (char) ('a' + r.nextInt(26)));
                }
                break;
            case 2: // an array header of many digits
                line.append('*');
                while (line.length() < len) {
                    line.append((char) ('0' + r.nextInt(10)));
                }
                break;
            default: // a bulk header of many digits
                line.append("*1\r\n$");
                while (line.length() < len + 4) {
                    line.append((char) ('0' + r.nextInt(10)));
                }
                break;
        }
        if (end.startsWith("\r")) {
            line.setLength(line.length() - 1); // the \r counts in the line's length
        }
        return bytes(line + end);
    }

    /** Makes random commands, their keys under a prefix. */
    private static final class Commands {
        private final SplittableRandom r;
        private final String prefix;
        private final boolean shared;

        Commands(SplittableRandom r, String prefix, boolean shared) {
            this.r = r;
            this.prefix = prefix;
            this.shared = shared;
        }

        /** {@code n} commands, each as an array or (when it can be) inline; QUIT at the end now and then. */
        byte[] pipeline(int n, boolean mayQuit) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < n; i++) {
                out.writeBytes(encode(any()));
            }
            if (mayQuit && r.nextInt(20) == 0) {
                out.writeBytes(encode(new String[] {r.nextBoolean() ? "QUIT" : "quit"}));
                if (r.nextBoolean()) {
                    out.writeBytes(encode(any()));
                }
            }
            return out.toByteArray();
        }

        /**
         * As an array of bulk strings, or inline when every argument is a non-empty word and the line is short (a
         * long inline line is the {@link Shape#LONG_LINES} shape's business).
         */
        byte[] encode(String[] cmd) {
            boolean inlineable = String.join(" ", cmd).length() < 1024;
            for (String a : cmd) {
                // Blanks, quotes and NUL mean something to Redis's inline splitting (sdssplitargs).
                inlineable &= !a.isEmpty() && a.chars().noneMatch(ch -> " \t\r\n\u000b\f\"'\0".indexOf(ch) >= 0);
            }
            inlineable &= cmd[0].charAt(0) != '*';
            if (inlineable && r.nextInt(4) == 0) {
                return bytes(String.join(r.nextBoolean() ? " " : " \t ", cmd) + (r.nextBoolean() ? "\r\n" : "\n"));
            }
            StringBuilder b = new StringBuilder("*").append(cmd.length).append("\r\n");
            for (String a : cmd) {
                b.append('$').append(bytes(a).length).append("\r\n").append(a).append("\r\n");
            }
            return bytes(b.toString());
        }

        String key() {
            return prefix + r.nextInt(8);
        }

        String value() {
            switch (r.nextInt(6)) {
                case 0:
                    return "";
                case 1:
                    return Integer.toString(r.nextInt(1000) - 500);
                case 2: { // binary, CR and LF included
                    char[] c = new char[1 + r.nextInt(40)];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = (char) r.nextInt(256);
                    }
                    return new String(c);
                }
                case 3: // over RespReply.DIRECT_WRITE, now and then over the parser's 64 KiB first allocation
                    return "v".repeat(r.nextInt(10) == 0 ? 70_000 + r.nextInt(30_000) : 16_000 + r.nextInt(2_000));
                default:
                    return "value" + r.nextInt(100);
            }
        }

        String[] any() {
            int k = r.nextInt(shared ? 15 : 18);
            if (shared && (k == 4 || k == 11)) {
                k = 5; // GET instead of SET EX and TTL: no reply that depends on the clock
            }
            switch (k) {
                case 0:
                    return new String[] {"PING"};
                case 1:
                    return new String[] {"ping", value()};
                case 2:
                    return new String[] {"ECHO", value()};
                case 3:
                    return new String[] {"SET", key(), value()};
                case 4:
                    return new String[] {"SET", key(), value(), "EX", Integer.toString(1 + r.nextInt(100))};
                case 5:
                    return new String[] {"GET", key()};
                case 6:
                    return new String[] {"DEL", key(), key()};
                case 7:
                    return new String[] {"EXISTS", key()};
                case 8:
                    return new String[] {"INCR", key()};
                case 9:
                    return new String[] {"MGET", key(), key(), key()};
                case 10:
                    return new String[] {"MSET", key(), value(), key(), value()};
                case 11:
                    return new String[] {"TTL", key()};
                case 12:
                    return new String[] {"NOPE" + r.nextInt(3), value()};
                case 13:
                    return new String[] {"GET"};
                case 14:
                    return new String[] {"CONFIG", "GET", "save"};
                case 15:
                    return new String[] {"DBSIZE"};
                case 16:
                    return new String[] {"FLUSHDB"};
                default:
                    return new String[] {"FLUSHALL"};
            }
        }

        /** A command the tests' model of the store can answer: PING, ECHO, SET, GET, DEL, EXISTS, INCR, MGET. */
        String[] modelled() {
            switch (r.nextInt(9)) {
                case 0:
                    return new String[] {"PING"};
                case 1:
                    return new String[] {"ECHO", value()};
                case 2:
                case 3:
                    return new String[] {"SET", key(), value()};
                case 4:
                    return new String[] {"GET", key()};
                case 5:
                    return new String[] {"DEL", key(), key()};
                case 6:
                    return new String[] {"EXISTS", key(), key()};
                case 7:
                    return new String[] {"INCR", key()};
                default:
                    return new String[] {"MGET", key(), key()};
            }
        }
    }
}
