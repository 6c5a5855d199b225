package dev.weft.compat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Reasons;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.compat.reliability.Framings.Case;
import dev.weft.compat.reliability.Framings.Kind;
import dev.weft.compat.reliability.Framings.Record;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.basic.FramingReceiver;
import dev.weft.reactor.Reactor;
import dev.weft.testing.StringTransport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Hostile input, framing: seeded streams of valid frames, frames over the limit and random bytes, written in random
 * pieces over a real TCP connection to each framing receiver ({@code LineReceiver} with four delimiters,
 * {@code Int8/16/32StringReceiver}, {@code NetstringReceiver}), whose reads the server splits again at random. On
 * every backend variant:
 * <ul>
 *   <li>no exception escapes to the loop: nothing is logged at ERROR;</li>
 *   <li>the receiver delivers exactly the frames, and reports the same violation, that it reports for the whole
 *       stream given in one piece (so the split changes nothing but, as in Twisted, how much of the stream a
 *       {@code lineLengthExceeded} is given and the wording of a netstring parse error);</li>
 *   <li>memory is bounded: after every piece, the receiver's parse buffer is at most its limit, plus its framing
 *       overhead, plus that one piece;</li>
 *   <li>a violation closes the connection (the peer sees it end without closing it); a clean stream is read to its
 *       end and the connection closes cleanly when the peer closes it.</li>
 * </ul>
 */
final class FramingFuzzContractTest {
    private static final long SEED = 0x5eed_f4a3L;

    /** The server side: the receiver under test, fed each read in random pieces, with its buffer checked. */
    private static final class Splitter extends Protocol {
        private final Net net;
        private final Case c;
        final Record rec = new Record();
        final FramingReceiver receiver;
        private final Random pieces;
        private final int overhead;
        final List<String> overflows = new ArrayList<>();
        final List<Throwable> reasons = new ArrayList<>();
        long received;
        int reads;
        int piecesFed;
        int maxCapacity;

        Splitter(Net net, Case c) {
            this.net = net;
            this.c = c;
            this.receiver = Framings.receiver(c, rec);
            this.pieces = new Random(c.seed() ^ 0x9e37_79b9_7f4a_7c15L);
            this.overhead = c.kind().overhead(c.delimiter());
        }

        @Override
        public void connectionMade() {
            receiver.makeConnection(transport);
        }

        @Override
        public void dataReceived(byte[] data) {
            reads++;
            received += data.length;
            int off = 0;
            // A real transport delivers nothing after loseConnection; neither do these pieces of one read (Twisted's
            // LineReceiver would go on parsing a later call, and its other receivers never look at disconnecting).
            while (off < data.length && !transport.isDisconnecting()) {
                int n = Math.min(data.length - off, pieceSize(pieces));
                receiver.dataReceived(Arrays.copyOfRange(data, off, off + n));
                piecesFed++;
                off += n;
                int capacity = Framings.bufferCapacity(receiver);
                maxCapacity = Math.max(maxCapacity, capacity);
                long bound = (long) c.maxLength() + overhead + n;
                if (capacity > bound && overflows.size() < 5) {
                    overflows.add("a buffer of " + capacity + " bytes after a piece of " + n + " (bound " + bound
                            + ")");
                }
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            reasons.add(reason);
            receiver.connectionLost(reason);
            net.poke();
        }

        String describe() {
            return "server: " + rec.describe() + "; " + received + " bytes in " + reads + " reads, " + piecesFed
                    + " pieces; largest buffer " + maxCapacity + "; lost " + reasons.size() + " times"
                    + (reasons.isEmpty() ? "" : " (" + Reasons.describe(reasons.get(0)) + ")");
        }
    }

    private static int pieceSize(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 1 + rnd.nextInt(16);
            case 2 -> 1 + rnd.nextInt(4096);
            default -> Integer.MAX_VALUE;
        };
    }

    /** The reference: what the receiver makes of the whole stream in one piece, on a {@link StringTransport}. */
    private static Record reference(Case c) {
        Record rec = new Record();
        FramingReceiver r = Framings.receiver(c, rec);
        StringTransport t = new StringTransport();
        r.makeConnection(t);
        r.dataReceived(c.stream().clone());
        return rec;
    }

    /** Writes the stream in random pieces, one per pass of the loop; closes after the last one if told to. */
    private static void writeInPieces(Reactor r, Recorder client, byte[] stream, Random rnd, int[] off,
            boolean closeAtEnd) {
        if (client.isLost() || client.transport().isDisconnecting()) {
            return;
        }
        int n = Math.min(stream.length - off[0], 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 16_384));
        client.transport().write(Arrays.copyOfRange(stream, off[0], off[0] + n));
        off[0] += n;
        if (off[0] < stream.length) {
            r.callLater(0, () -> writeInPieces(r, client, stream, rnd, off, closeAtEnd));
        } else if (closeAtEnd) {
            client.transport().loseConnection();
        }
    }

    private static String hex(byte[] b) {
        String h = HexFormat.of().formatHex(b, 0, Math.min(b.length, 16));
        return b.length + " bytes " + h + (b.length > 16 ? "..." : "");
    }

    /** Sends one case over a connection of its own and checks the outcome; returns the server side. */
    private static Splitter runCase(Net net, Case c) throws Exception {
        Record expected = reference(c);
        boolean violation = !expected.violations.isEmpty();
        List<Splitter> servers = new ArrayList<>();
        RecordingFactory factory = new RecordingFactory(net, i -> {
            Splitter s = new Splitter(net, c);
            servers.add(s);
            return s;
        });
        ListeningPort port = net.listen(factory);
        Recorder client = new Recorder(net, "fuzzing client").keep(0);
        Random writes = new Random(c.seed() * 31 + 7);
        int[] off = {0};
        client.onMade(p -> writeInPieces(net.reactor(), client, c.stream(), writes, off, !violation));
        net.connect(port, client);
        net.await(c + ": both ends of the connection to close",
                () -> client.isLost() && !servers.isEmpty() && !servers.get(0).reasons.isEmpty(),
                () -> client.describe() + "; sent " + off[0] + " of " + c.stream().length + " bytes; "
                        + (servers.isEmpty() ? "no server" : servers.get(0).describe()));
        net.run(port::stopListening);
        Splitter server = servers.get(0);

        assertEquals(List.of(), server.overflows, c + ": the parse buffer exceeded its bound; " + server.describe());
        assertEquals(expected.violations, server.rec.violations, c + ": violations; " + server.describe());
        assertEquals(expected.frames.size(), server.rec.frames.size(), c + ": frames delivered; expected "
                + expected.describe() + "; " + server.describe());
        for (int i = 0; i < expected.frames.size(); i++) {
            if (!Arrays.equals(expected.frames.get(i), server.rec.frames.get(i))) {
                fail(c + ": frame " + i + " differs: expected " + hex(expected.frames.get(i)) + ", got "
                        + hex(server.rec.frames.get(i)));
            }
        }
        assertEquals(1, server.reasons.size(), c + ": connectionLost once; " + server.describe());
        client.assertLostOnceWith(ConnectionDone.class, dev.weft.protocol.ConnectionLost.class);
        if (violation) {
            // The client never closes in this case: the receiver's violation did (its loseConnection; the peer's
            // bytes still in flight may turn the close into a reset).
            Reasons.assertOneOf(c + ": server's reason after the violation", server.reasons.get(0),
                    ConnectionDone.class, dev.weft.protocol.ConnectionLost.class);
        } else {
            assertEquals(c.stream().length, server.received, c + ": a clean stream is read to its end");
            Reasons.assertOneOf(c + ": server's reason", server.reasons.get(0), ConnectionDone.class);
        }
        return server;
    }

    private static void fuzz(ReactorHarness h, BackendVariant v, Kind kind) throws Exception {
        LogCapture logs = h.captureLogs();
        long bytes = 0;
        long frames = 0;
        int violations = 0;
        int cases = 0;
        double worst = 0;
        long t0 = System.nanoTime();
        try (Net net = Net.open(h)) {
            for (int shape = 0; shape < Framings.SHAPES.length; shape++) {
                for (int round = 0; round < 2; round++) {
                    Case c = Framings.generate(kind, shape, SEED + kind.ordinal() * 1000L + shape * 10L + round);
                    Splitter s = runCase(net, c);
                    cases++;
                    bytes += s.received;
                    frames += s.rec.frames.size();
                    violations += s.rec.violations.size();
                    worst = Math.max(worst, s.maxCapacity / (double) (c.maxLength() + kind.overhead(c.delimiter())));
                }
            }
        }
        List<?> errors = Faults.errors(logs).stream()
                .filter(e -> !e.getFormattedMessage().startsWith(Faults.UNHANDLED_IN_DEFERRED)).toList();
        assertEquals(List.of(), errors.stream().map(Object::toString).toList(),
                "nothing may be logged at ERROR: no exception escapes to the loop");
        Figures.record(v, "framing fuzz: " + kind, "%d connections, %,d bytes received, %,d frames, %d violations "
                + "(each closed its connection), largest parse buffer %.2f x (limit + framing), %,d ms", cases,
                bytes, frames, violations, worst, Figures.millisSince(t0));
    }

    @ContractTest
    void lineReceiverSurvivesRandomBytesAndSplitsOverARealConnection(ReactorHarness h, BackendVariant v)
            throws Exception {
        fuzz(h, v, Kind.LINE);
    }

    @ContractTest
    void int8StringReceiverSurvivesRandomBytesAndSplitsOverARealConnection(ReactorHarness h, BackendVariant v)
            throws Exception {
        fuzz(h, v, Kind.INT8);
    }

    @ContractTest
    void int16StringReceiverSurvivesRandomBytesAndSplitsOverARealConnection(ReactorHarness h, BackendVariant v)
            throws Exception {
        fuzz(h, v, Kind.INT16);
    }

    @ContractTest
    void int32StringReceiverSurvivesRandomBytesAndSplitsOverARealConnection(ReactorHarness h, BackendVariant v)
            throws Exception {
        fuzz(h, v, Kind.INT32);
    }

    @ContractTest
    void netstringReceiverSurvivesRandomBytesAndSplitsOverARealConnection(ReactorHarness h, BackendVariant v)
            throws Exception {
        fuzz(h, v, Kind.NETSTRING);
    }
}
