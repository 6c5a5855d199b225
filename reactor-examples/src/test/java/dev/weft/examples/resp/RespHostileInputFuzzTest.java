package dev.weft.examples.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.examples.resp.RespFuzzInputs.Shape;
import dev.weft.examples.resp.RespFuzzInputs.Split;
import dev.weft.task.Clock;
import dev.weft.testing.StringTransport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile input for the RESP server, at the protocol level (no sockets, no reactor: a {@link StringTransport} and a
 * {@link Clock}), fast enough for thousands of seeded inputs: random bytes, RESP's alphabet at random, mutated valid
 * pipelines, huge, negative and overflowing lengths, lines at and over 64 KiB, each cut into reads at random points.
 *
 * <p>Three oracles: {@link RespReference}, which reads each whole input without any state between chunks (the
 * incremental {@link RespParser} must find the same commands and the same error however the input is cut); the same
 * input fed to the protocol in one read (a cut input must get the same bytes back); and, for valid pipelines, a
 * model of the store that computes the replies itself.
 *
 * <p>Every failure message names its seed, shape and split; a seed reproduces its input with
 * {@code RespFuzzInputs.input(seed, "k", false)}.
 */
@Timeout(180)
final class RespHostileInputFuzzTest {

    /** The first seed of each test; the seeds are consecutive from there. */
    static final long FIRST_SEED = 20_240_501L;
    /** Inputs checked against the reference reading, each under two splits. */
    static final int PARSER_SEEDS = 5_000;
    /** Inputs fed to the protocol, each in one read and under one split. */
    static final int PROTOCOL_SEEDS = 3_000;
    /** Valid pipelines checked against the model, each under three splits. */
    static final int MODEL_SEEDS = 1_000;

    private static final String PROTOCOL_ERROR = "-ERR Protocol error: ";

    // ------------------------------------------------------------------------------------------------ parser level

    /** Records what the parser hands over; stops at QUIT, as the server does. */
    private static final class Commands implements RespParser.Handler {
        final List<byte[][]> commands = new ArrayList<>();

        @Override
        public boolean command(byte[][] argv, int argc) {
            commands.add(Arrays.copyOf(argv, argc));
            return !new String(argv[0], StandardCharsets.ISO_8859_1).equalsIgnoreCase("quit");
        }
    }

    @Test
    void theIncrementalParserFindsTheCommandsAndTheErrorOfTheWholeInputHoweverItIsCut() {
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<Shape, Integer> shapes = new EnumMap<>(Shape.class);
        for (long seed = FIRST_SEED; seed < FIRST_SEED + PARSER_SEEDS; seed++) {
            byte[] in = RespFuzzInputs.input(seed, "k", false);
            RespReference.Outcome expected = RespReference.read(in);
            outcomes.merge(kind(expected, in), 1, Integer::sum);
            shapes.merge(RespFuzzInputs.shape(seed), 1, Integer::sum);
            SplittableRandom r = new SplittableRandom(seed ^ 0x5EED);
            for (int round = 0; round < 2; round++) {
                Split split = round == 0 ? Split.WHOLE : RespFuzzInputs.someSplit(in, r);
                checkParser(seed, split, in, RespFuzzInputs.split(in, split, r), expected);
            }
        }
        // The fuzz is only worth something if the inputs reach every way a stream can end.
        for (String kind : new String[] {"complete", "incomplete", "quit", "invalid multibulk length",
            "invalid bulk length", "expected '$'", "bulk string not followed by CRLF", "too big inline request",
            "too big mbulk count string", "too big bulk count string"}) {
            assertTrue(outcomes.getOrDefault(kind, 0) >= 5, "too few inputs end as '" + kind + "': " + outcomes);
        }
        assertEquals(Shape.values().length, shapes.size(), "every shape is generated: " + shapes);
    }

    private static void checkParser(long seed, Split split, byte[] in, List<byte[]> chunks,
            RespReference.Outcome expected) {
        String where = describe(seed, split, in);
        Commands got = new Commands();
        RespParser parser = new RespParser(got);
        String error = null;
        long fed = 0;
        long largestChunk = 0;
        for (byte[] chunk : chunks) {
            int before = got.commands.size();
            boolean doneBefore = parser.isDone();
            try {
                parser.feed(chunk);
            } catch (RespParser.ProtocolException e) {
                if (error != null) {
                    fail(where + ": a second protocol error, " + e.getMessage() + ", after " + error);
                }
                assertTrue(e.getMessage().startsWith("Protocol error: "), e.getMessage());
                error = e.getMessage().substring("Protocol error: ".length());
            } catch (RuntimeException | Error e) {
                throw new AssertionError(where + ": feed threw " + e, e);
            }
            if (doneBefore) {
                assertEquals(before, got.commands.size(), where + ": a command was parsed after the parser stopped");
            }
            fed += chunk.length;
            largestChunk = Math.max(largestChunk, chunk.length);
            long bound = retainedBound(largestChunk, fed);
            long retained = parser.retainedBytes();
            if (retained > bound) {
                fail(where + ": the parser holds " + retained + " bytes after " + fed + " bytes arrived, more than "
                        + "the bound " + bound);
            }
            if (parser.isDone()) {
                assertEquals(0, parser.retainedBytes(), where + ": a stopped parser still holds bytes");
            }
        }
        assertSameCommands(expected.readable(), RespReference.Outcome.readable(got.commands),
                where + ": commands differ from the reference (" + expected + ")");
        assertEquals(expected.error, error, where + ": the error differs from the reference");
        assertEquals(expected.closes(), parser.isDone(),
                where + ": whether the parser stopped differs from the reference (" + expected + ")");
    }

    /** Compares command lists, naming the first difference briefly (a list can hold megabytes). */
    private static void assertSameCommands(List<List<String>> expected, List<List<String>> got, String where) {
        if (expected.equals(got)) {
            return;
        }
        int i = 0;
        while (i < expected.size() && i < got.size() && expected.get(i).equals(got.get(i))) {
            i++;
        }
        fail(where + ": " + expected.size() + " commands expected, " + got.size() + " parsed; the first "
                + "difference is command " + i + ": expected " + brief(expected, i) + ", parsed " + brief(got, i));
    }

    private static String brief(List<List<String>> commands, int i) {
        if (i >= commands.size()) {
            return "none";
        }
        List<String> c = commands.get(i);
        String s = c.size() + " arguments " + c.subList(0, Math.min(4, c.size()));
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /**
     * The most the parser may hold after {@code fed} bytes arrived in chunks of at most {@code largestChunk}: an
     * unterminated line of at most 64 KiB plus one chunk, and a bulk string's array that grows with what arrived
     * (at most twice it, or its first 64 KiB) — never a length that was only announced.
     */
    static long retainedBound(long largestChunk, long fed) {
        return RespParser.MAX_LINE + 2 + largestChunk + Math.max(64 * 1024, 2 * fed);
    }

    /** A name for how a stream ends, to check that the inputs reach each. */
    private static String kind(RespReference.Outcome o, byte[] in) {
        if (o.error != null) {
            return o.error.startsWith("expected '$'") ? "expected '$'" : o.error;
        }
        if (o.quit) {
            return "quit";
        }
        return o.consumed == in.length ? "complete" : "incomplete";
    }

    // ---------------------------------------------------------------------------------------------- protocol level

    /** What the protocol wrote and did with one input. */
    private static final class Run {
        byte[] written;
        boolean disconnecting;
        boolean aborting;
        boolean producerRegistered;
        long retained;
    }

    private static Run feedProtocol(long seed, Split split, byte[] in, List<byte[]> chunks) {
        Clock clock = new Clock();
        RespProtocol protocol = new RespProtocol(new RespStore(clock));
        StringTransport transport = new StringTransport();
        protocol.makeConnection(transport);
        Run run = new Run();
        long fed = 0;
        long largestChunk = 0;
        for (byte[] chunk : chunks) {
            try {
                protocol.dataReceived(chunk);
            } catch (Throwable t) {
                throw new AssertionError(describe(seed, split, in) + ": dataReceived threw " + t, t);
            }
            fed += chunk.length;
            largestChunk = Math.max(largestChunk, chunk.length);
            long bound = retainedBound(largestChunk, fed);
            long retained = protocol.retainedBytes();
            long f = fed;
            assertTrue(retained <= bound, () -> describe(seed, split, in) + ": the protocol holds " + retained
                    + " bytes after " + f + " bytes, more than the bound " + bound);
        }
        run.written = transport.value();
        run.disconnecting = transport.isDisconnecting();
        run.aborting = transport.isAborting();
        run.producerRegistered = transport.producer() != null;
        run.retained = protocol.retainedBytes();
        if (run.disconnecting) {
            transport.clear();
            protocol.dataReceived(RespFuzzInputs.bytes("*1\r\n$4\r\nPING\r\nPING\r\n"));
            assertEquals(0, transport.value().length, () -> describe(seed, split, in)
                    + ": a closing connection answered more requests");
        }
        return run;
    }

    @Test
    void noExceptionEscapesDataReceivedAndEachViolationIsAnsweredWithTheRedisErrorThenClosed() {
        int closedOnError = 0;
        int closedOnQuit = 0;
        for (long seed = FIRST_SEED; seed < FIRST_SEED + PROTOCOL_SEEDS; seed++) {
            byte[] in = RespFuzzInputs.input(seed, "k", false);
            RespReference.Outcome expected = RespReference.read(in);
            SplittableRandom r = new SplittableRandom(seed ^ 0xC0FFEE);
            Run whole = feedProtocol(seed, Split.WHOLE, in, RespFuzzInputs.split(in, Split.WHOLE, r));
            Split split = RespFuzzInputs.someSplit(in, r);
            Run cut = feedProtocol(seed, split, in, RespFuzzInputs.split(in, split, r));

            String where = describe(seed, split, in);
            assertArrayEquals(whole.written, cut.written, () -> where + ": the cut input got other replies than "
                    + "the whole one:\n whole " + excerpt(whole.written) + "\n cut   " + excerpt(cut.written));
            assertEquals(whole.disconnecting, cut.disconnecting, where);

            List<byte[]> replies = replies(whole.written, where);
            int want = expected.commands.size() + (expected.error != null ? 1 : 0);
            assertEquals(want, replies.size(), () -> where + ": one reply per command (" + expected + "), got "
                    + replies.size() + ": " + excerpt(whole.written));
            String last = replies.isEmpty() ? "" : new String(replies.get(replies.size() - 1),
                    StandardCharsets.ISO_8859_1);
            if (expected.error != null) {
                closedOnError++;
                assertEquals(PROTOCOL_ERROR + expected.error + "\r\n", last, where);
            } else if (expected.quit) {
                closedOnQuit++;
                assertEquals("+OK\r\n", last, where + ": QUIT is answered +OK");
            }
            for (Run run : new Run[] {whole, cut}) {
                assertEquals(expected.closes(), run.disconnecting, () -> where + ": closed after a violation or "
                        + "QUIT, and only then (" + expected + ")");
                if (run.disconnecting) {
                    assertFalse(run.aborting, where + ": loseConnection, so the error reply is sent, not abort");
                    assertFalse(run.producerRegistered, where + ": the producer is unregistered so the close "
                            + "is not held up");
                    assertEquals(0, run.retained, where + ": a closed connection's parser holds nothing");
                }
            }
        }
        assertTrue(closedOnError > PROTOCOL_SEEDS / 10, "inputs with violations: " + closedOnError);
        assertTrue(closedOnQuit >= 10, "inputs ending in QUIT: " + closedOnQuit);
    }

    @Test
    void aBulkAnnouncedAt512MiBHoldsOnlyWhatArrivedWhileItArrivesInPieces() {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + 50; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            RespProtocol protocol = new RespProtocol(new RespStore(new Clock()));
            StringTransport transport = new StringTransport();
            protocol.makeConnection(transport);
            protocol.dataReceived(RespFuzzInputs.bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + RespParser.MAX_BULK
                    + "\r\n"));
            long fed = 0;
            long largest = 0;
            for (int i = 0; i < 200 && fed < 4 << 20; i++) {
                byte[] piece = new byte[1 + r.nextInt(64 * 1024)];
                protocol.dataReceived(piece);
                fed += piece.length;
                largest = Math.max(largest, piece.length);
                long retained = protocol.retainedBytes();
                long bound = retainedBound(largest, fed);
                long s = seed;
                long f = fed;
                assertTrue(retained <= bound && retained >= f, () -> "seed " + s + ": holds " + retained
                        + " bytes after " + f + " of the bulk arrived; bound " + bound);
            }
            assertFalse(transport.isDisconnecting(), "a bulk of exactly 512 MiB is allowed, seed " + seed);
            assertEquals(0, transport.value().length, "no reply before the bulk is complete, seed " + seed);
        }
    }

    // ---------------------------------------------------------------------------------------------- valid streams

    @Test
    void aValidPipelineCutAtRandomGetsExactlyTheRepliesOfTheUncutOneAndOfTheModel() {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + MODEL_SEEDS; seed++) {
            List<String[]> commands = new ArrayList<>();
            byte[] in = RespFuzzInputs.modelledPipeline(seed, "k", commands);
            byte[] model = modelReplies(commands);
            SplittableRandom r = new SplittableRandom(seed ^ 0xFEED);
            Run whole = feedProtocol(seed, Split.WHOLE, in, List.of(in));
            long s = seed;
            assertArrayEquals(model, whole.written, () -> describe(s, Split.WHOLE, in) + ": replies differ from "
                    + "the model:\n model " + excerpt(model) + "\n got   " + excerpt(whole.written));
            for (int round = 0; round < 3; round++) {
                Split split = RespFuzzInputs.someSplit(in, r);
                Run cut = feedProtocol(seed, split, in, RespFuzzInputs.split(in, split, r));
                assertArrayEquals(whole.written, cut.written, () -> describe(s, split, in) + ": the cut pipeline "
                        + "got other replies than the uncut one");
                assertFalse(cut.disconnecting, describe(s, split, in));
            }
        }
    }

    /**
     * The replies a Redis server gives to {@code commands} (PING, ECHO, SET, GET, DEL, EXISTS, INCR, MGET) on an
     * empty database, computed with a map.
     */
    static byte[] modelReplies(List<String[]> commands) {
        Map<String, String> db = new HashMap<>();
        StringBuilder out = new StringBuilder();
        for (String[] c : commands) {
            switch (c[0]) {
                case "PING":
                    out.append("+PONG\r\n");
                    break;
                case "ECHO":
                    bulk(out, c[1]);
                    break;
                case "SET":
                    db.put(c[1], c[2]);
                    out.append("+OK\r\n");
                    break;
                case "GET":
                    bulk(out, db.get(c[1]));
                    break;
                case "DEL": {
                    int n = 0;
                    for (int i = 1; i < c.length; i++) {
                        n += db.remove(c[i]) != null ? 1 : 0;
                    }
                    out.append(':').append(n).append("\r\n");
                    break;
                }
                case "EXISTS": {
                    int n = 0;
                    for (int i = 1; i < c.length; i++) {
                        n += db.containsKey(c[i]) ? 1 : 0;
                    }
                    out.append(':').append(n).append("\r\n");
                    break;
                }
                case "INCR": {
                    String v = db.getOrDefault(c[1], "0");
                    long n;
                    try {
                        n = v.matches("0|-?[1-9][0-9]*") ? Long.parseLong(v) : Long.MAX_VALUE;
                    } catch (NumberFormatException tooBig) {
                        n = Long.MAX_VALUE;
                    }
                    if (n == Long.MAX_VALUE) {
                        out.append("-ERR value is not an integer or out of range\r\n");
                    } else {
                        db.put(c[1], Long.toString(n + 1));
                        out.append(':').append(n + 1).append("\r\n");
                    }
                    break;
                }
                case "MGET":
                    out.append('*').append(c.length - 1).append("\r\n");
                    for (int i = 1; i < c.length; i++) {
                        bulk(out, db.get(c[i]));
                    }
                    break;
                default:
                    throw new IllegalArgumentException("not modelled: " + c[0]);
            }
        }
        return RespFuzzInputs.bytes(out.toString());
    }

    private static void bulk(StringBuilder out, String v) {
        if (v == null) {
            out.append("$-1\r\n");
        } else {
            out.append('$').append(RespFuzzInputs.bytes(v).length).append("\r\n").append(v).append("\r\n");
        }
    }

    // ------------------------------------------------------------------------------------------------- utilities

    /**
     * Splits a server's output into its top-level replies (simple string, error, integer, bulk string, array).
     *
     * @param out   the bytes written
     * @param where the case, for the message of a malformed reply
     * @return each reply's bytes
     */
    static List<byte[]> replies(byte[] out, String where) {
        List<byte[]> list = new ArrayList<>();
        int pos = 0;
        while (pos < out.length) {
            int end = replyEnd(out, pos, where);
            list.add(Arrays.copyOfRange(out, pos, end));
            pos = end;
        }
        return list;
    }

    private static int replyEnd(byte[] out, int pos, String where) {
        int crlf = -1;
        for (int i = pos; i + 1 < out.length; i++) {
            if (out[i] == '\r' && out[i + 1] == '\n') {
                crlf = i;
                break;
            }
        }
        if (crlf < 0) {
            fail(where + ": an unterminated reply at " + pos + ": " + excerpt(Arrays.copyOfRange(out, pos,
                    out.length)));
        }
        String line = new String(out, pos + 1, crlf - pos - 1, StandardCharsets.ISO_8859_1);
        switch (out[pos]) {
            case '+':
            case '-':
            case ':':
                return crlf + 2;
            case '$': {
                int n = Integer.parseInt(line);
                return n < 0 ? crlf + 2 : crlf + 2 + n + 2;
            }
            case '*': {
                int n = Integer.parseInt(line);
                int p = crlf + 2;
                for (int i = 0; i < n; i++) {
                    p = replyEnd(out, p, where);
                }
                return p;
            }
            default:
                fail(where + ": a reply of unknown type at " + pos + ": " + excerpt(Arrays.copyOfRange(out, pos,
                        out.length)));
                return -1;
        }
    }

    /** The seed, shape, split and the start of the input, for a failure message. */
    static String describe(long seed, Split split, byte[] in) {
        return "seed " + seed + " (" + RespFuzzInputs.shape(seed) + ", split " + split + ", " + in.length
                + " bytes: " + excerpt(in) + ")";
    }

    /** At most 120 bytes, printable, with escapes. */
    static String excerpt(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length && i < 120; i++) {
            int c = b[i] & 0xff;
            if (c == '\r') {
                s.append("\\r");
            } else if (c == '\n') {
                s.append("\\n");
            } else if (c >= 0x20 && c < 0x7f) {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return b.length > 120 ? s + "...(" + b.length + " bytes)" : s.toString();
    }
}
