package dev.weft.compat.reliability;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Reasons;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.basic.FramingReceiver;
import dev.weft.protocol.basic.Int16StringReceiver;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.protocol.basic.NetstringReceiver;
import dev.weft.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * The framing receivers behave as Twisted 22.4's {@code basic.py} over a real connection, on every backend variant:
 * the behaviours where Twisted's classes differ from a "clean" framing, which ported code notices.
 * <ul>
 *   <li>{@code lineLengthExceeded} receives the overlong line, its delimiter and everything read after it; a handler
 *       that gives back the tail (as Twisted's own tests do) has it parsed on the next read;</li>
 *   <li>{@code loseConnection} from {@code lineReceived} stops delivery in the middle of the chunk, while
 *       {@code NetstringReceiver} and the {@code IntNStringReceiver}s (which do not look at {@code disconnecting})
 *       deliver the rest of that chunk;</li>
 *   <li>an {@code IntNStringReceiver} whose {@code lengthLimitExceeded} leaves the connection open parses the chunk
 *       that held the over-long prefix again on every later read: the strings before it, then the limit again;</li>
 *   <li>raw mode gets the rest of the chunk in one piece.</li>
 * </ul>
 * Each client write is small and made at once, so the server reads it in one piece on loopback; the literal
 * expectations (Twisted's results for those reads) are checked then. In every case the events also equal those of
 * the same receiver fed the very reads the server made over a {@link StringTransport}, which
 * {@code TwistedDifferentialTest} (reactor-api) pins to real Twisted for any chunking.
 */
final class TwistedFramingContractTest {

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String text(byte[] b) {
        return new String(b, US_ASCII);
    }

    /** The server side: the receiver, fed each read as it comes, with the reads recorded. */
    private static final class Reads extends Protocol {
        private final Net net;
        final FramingReceiver receiver;
        final List<String> events;
        final List<byte[]> reads = new ArrayList<>();
        final List<Throwable> lost = new ArrayList<>();

        Reads(Net net, FramingReceiver receiver, List<String> events) {
            this.net = net;
            this.receiver = receiver;
            this.events = events;
        }

        @Override
        public void connectionMade() {
            receiver.makeConnection(transport);
        }

        @Override
        public void dataReceived(byte[] data) {
            reads.add(data.clone());
            receiver.dataReceived(data);
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost.add(reason);
            net.poke();
        }

        String describe() {
            return "events " + events + "; " + reads.size() + " reads; lost " + lost.size();
        }
    }

    /** Runs one connection: the server's receiver is made by {@code make}; the client writes each of {@code writes}. */
    private static Reads exchange(Net net, Function<List<String>, FramingReceiver> make, int[] eventsAfterWrite,
            boolean serverCloses, byte[]... writes) throws Exception {
        return exchange(net, make, eventsAfterWrite, serverCloses, r -> { }, writes);
    }

    /** As above; {@code afterFirst} runs on the reactor thread once the first write's events are seen. */
    private static Reads exchange(Net net, Function<List<String>, FramingReceiver> make, int[] eventsAfterWrite,
            boolean serverCloses, java.util.function.Consumer<FramingReceiver> afterFirst, byte[]... writes)
            throws Exception {
        List<Reads> servers = new ArrayList<>();
        ListeningPort port = net.listen(new RecordingFactory(net, i -> {
            List<String> events = new ArrayList<>();
            Reads r = new Reads(net, make.apply(events), events);
            servers.add(r);
            return r;
        }));
        Recorder client = net.connect(port, new Recorder(net, "client"));
        net.await("the server's connection", () -> !servers.isEmpty(), client::describe);
        Reads server = servers.get(0);
        for (int i = 0; i < writes.length; i++) {
            byte[] w = writes[i];
            int n = eventsAfterWrite[i];
            net.run(() -> client.transport().write(w));
            net.await(n + " events on the server", () -> server.events.size() >= n, server::describe);
            if (i == 0) {
                net.run(() -> afterFirst.accept(server.receiver));
            }
        }
        if (!serverCloses) {
            net.run(() -> client.transport().loseConnection());
        }
        net.await("both ends to close", () -> client.isLost() && !server.lost.isEmpty(),
                () -> client.describe() + "; " + server.describe());
        net.run(port::stopListening);
        Reasons.assertOneOf("the server's reason", server.lost.get(0), ConnectionDone.class);

        // The same receiver, fed the reads the server made, over a StringTransport (pinned to Twisted elsewhere).
        List<String> reference = new ArrayList<>();
        FramingReceiver ref = make.apply(reference);
        ref.makeConnection(new StringTransport());
        for (byte[] read : server.reads) {
            ref.dataReceived(read.clone());
        }
        assertEquals(reference, server.events, "the events of the same reads over a StringTransport; "
                + server.describe());
        return server;
    }

    private static boolean oneReadPerWrite(Reads server, byte[]... writes) {
        if (server.reads.size() != writes.length) {
            return false;
        }
        for (int i = 0; i < writes.length; i++) {
            if (!Arrays.equals(server.reads.get(i), writes[i])) {
                return false;
            }
        }
        return true;
    }

    /** Twisted's test handler: lineLengthExceeded gives back everything after the first maxLength + 1 bytes. */
    private static LineReceiver rebuffering(List<String> events) {
        LineReceiver r = new LineReceiver() {
            @Override
            protected void lineReceived(byte[] line) {
                events.add("line " + text(line));
                if (text(line).equals("bye")) {
                    transport().loseConnection();
                }
            }

            @Override
            protected void lineLengthExceeded(byte[] line) {
                events.add("exceeded " + text(line));
                if (line.length > getMaxLength() + 1) {
                    setLineMode(Arrays.copyOfRange(line, getMaxLength() + 1, line.length));
                }
            }
        };
        r.setMaxLength(8);
        return r;
    }

    @ContractTest
    void lineLengthExceededGetsTheOverlongLineAndEverythingReadAfterIt(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            byte[] first = "ok\r\n0123456789AB\r\nnext\r\n".getBytes(US_ASCII);
            byte[] second = "bye\r\n".getBytes(US_ASCII);
            Reads server = exchange(net, TwistedFramingContractTest::rebuffering, new int[] {2, 5}, true, first,
                    second);
            if (oneReadPerWrite(server, first, second)) {
                // Twisted: the whole tail goes to lineLengthExceeded; what the handler gives back ("9AB\r\nnext\r\n")
                // waits for the next read, which parses it before its own line.
                assertEquals(List.of("line ok", "exceeded 0123456789AB\r\nnext\r\n", "line 9AB", "line next",
                        "line bye"), server.events);
            }
        }
    }

    @ContractTest
    void loseConnectionFromLineReceivedStopsDeliveryInTheMiddleOfTheChunk(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            byte[] write = "a\r\nbye\r\nb\r\nc\r\n".getBytes(US_ASCII);
            Reads server = exchange(net, TwistedFramingContractTest::rebuffering, new int[] {2}, true, write);
            assertEquals(List.of("line a", "line bye"), server.events, server.describe());
        }
    }

    @ContractTest
    void netstringReceiverDeliversTheRestOfTheChunkAfterLoseConnection(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            byte[] write = "1:a,3:bye,1:b,".getBytes(US_ASCII);
            Function<List<String>, FramingReceiver> make = events -> new NetstringReceiver() {
                @Override
                protected void stringReceived(byte[] data) {
                    events.add("string " + text(data));
                    if (text(data).equals("bye")) {
                        transport().loseConnection();
                    }
                }
            };
            Reads server = exchange(net, make, new int[] {2}, true, write);
            if (oneReadPerWrite(server, write)) {
                assertEquals(List.of("string a", "string bye", "string b"), server.events);
            }
        }
    }

    @ContractTest
    void intNStringReceiverThatKeepsTheConnectionParsesTheChunkAgainOnEveryLaterRead(ReactorHarness h)
            throws Exception {
        try (Net net = Net.open(h)) {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            first.writeBytes(new byte[] {0, 1, 'a', 0, 50, 'x', 'y'}); // "a", then a prefix of 50 over the limit of 3
            byte[] second = {'z'};
            Function<List<String>, FramingReceiver> make = events -> {
                Int16StringReceiver r = new Int16StringReceiver() {
                    @Override
                    protected void stringReceived(byte[] data) {
                        events.add("string " + text(data));
                    }

                    @Override
                    protected void lengthLimitExceeded(long length) {
                        events.add("limit " + length); // and the connection stays open
                    }
                };
                r.setMaxLength(3);
                return r;
            };
            byte[] w1 = first.toByteArray();
            Reads server = exchange(net, make, new int[] {2, 4}, false, w1, second);
            if (oneReadPerWrite(server, w1, second)) {
                assertEquals(List.of("string a", "limit 50", "string a", "limit 50"), server.events);
            }
        }
    }

    @ContractTest
    void rawModeGetsTheRestOfTheChunkInOnePieceAndNeverAnEmptyArray(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            // The raw part is longer than the line limit: it is not cut at it.
            byte[] first = "head\r\nraw\r\nXYZ\r\nWWWWWWWWW".getBytes(US_ASCII);
            byte[] second = "bye".getBytes(US_ASCII);
            Function<List<String>, FramingReceiver> make = events -> {
                LineReceiver r = new LineReceiver() {
                    @Override
                    protected void lineReceived(byte[] line) {
                        events.add("line " + text(line));
                        if (text(line).equals("raw")) {
                            setRawMode();
                        }
                    }

                    @Override
                    protected void rawDataReceived(byte[] data) {
                        events.add("raw " + hex(data));
                        if (text(data).equals("bye")) {
                            transport().loseConnection();
                        }
                    }
                };
                r.setMaxLength(4);
                return r;
            };
            // Pausing and resuming with nothing buffered delivers nothing (no empty rawDataReceived); a no-op in
            // Twisted too, so the reference run, which does not replay it, stays comparable.
            java.util.function.Consumer<FramingReceiver> pauseResume = r -> {
                ((LineReceiver) r).pauseProducing();
                ((LineReceiver) r).resumeProducing();
            };
            Reads server = exchange(net, make, new int[] {3, 4}, true, pauseResume, first, second);
            if (oneReadPerWrite(server, first, second)) {
                assertEquals(List.of("line head", "line raw", "raw " + hex("XYZ\r\nWWWWWWWWW".getBytes(US_ASCII)),
                        "raw " + hex(second)), server.events);
            }
            assertEquals(List.of(), server.events.stream().filter(e -> e.equals("raw ")).toList(),
                    "no empty rawDataReceived");
        }
    }
}
