package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.HalfCloseRecorder;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ListeningPort;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** loseWriteConnection and HalfCloseableProtocol: a half-closed connection still reads, and ends cleanly. */
final class HalfCloseContractTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ContractTest
    void endOfStreamClosesAPeerThatIsNotHalfCloseable(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            HalfCloseRecorder client = new HalfCloseRecorder(net, "half-closing client");
            client.onMade(p -> {
                p.transport().write(ascii("hello"));
                p.transport().loseWriteConnection();
            });
            net.connect(port, client);
            net.await("both ends to close", () -> server.lost(0) && client.isLost(),
                    () -> server.describe() + "; " + client.describe());
            net.passes(3);
            Recorder s = server.server(0);
            assertEquals("hello", s.text(), "data written before loseWriteConnection must arrive");
            assertEquals(List.of("made", "data", "lost:ConnectionDone"), s.events(), "a protocol that is not "
                    + "half-closeable gets connectionLost(ConnectionDone) at the peer's end of stream");
            assertEquals(1, client.writeLostCount(), "writeConnectionLost must run once after loseWriteConnection; "
                    + client.describe());
            assertTrue(client.readLostCount() <= 1, "readConnectionLost at most once; " + client.describe());
            client.assertLostOnceWith(ConnectionDone.class);
        }
    }

    @ContractTest
    void halfClosedConnectionStillReadsTheReply(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory server = new RecordingFactory(net, i -> new HalfCloseRecorder(net, "half-closeable "
                    + "server").onReadLost(p -> {
                        p.transport().write(ascii("reply to " + p.text()));
                        p.transport().loseConnection();
                    }));
            ListeningPort port = net.listen(server);
            HalfCloseRecorder client = new HalfCloseRecorder(net, "half-closing client");
            client.onMade(p -> {
                p.transport().write(ascii("hello"));
                p.transport().loseWriteConnection();
            });
            net.connect(port, client);
            net.await("both ends to close", () -> server.lost(0) && client.isLost(),
                    () -> server.describe() + "; " + client.describe());
            net.passes(3);
            HalfCloseRecorder s = server.server(0);
            assertEquals(List.of("made", "data", "readLost", "lost:ConnectionDone"), s.events(), "a half-closeable "
                    + "protocol gets readConnectionLost (not connectionLost) at the peer's end of stream, and "
                    + "connectionLost(ConnectionDone) after its own loseConnection");
            assertEquals("hello", s.text());
            assertEquals("reply to hello", client.text(), "the half-closed client must still read the reply; "
                    + client.describe());
            assertEquals(1, client.writeLostCount(), "writeConnectionLost must run once after loseWriteConnection; "
                    + client.describe());
            assertTrue(client.readLostCount() <= 1, "readConnectionLost at most once; " + client.describe());
            client.assertLostOnceWith(ConnectionDone.class);
            s.assertLostOnceWith(ConnectionDone.class);
        }
    }

    @ContractTest
    void bothSidesHalfCloseThenEachGetsConnectionDoneOnce(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory server = new RecordingFactory(net, i -> new HalfCloseRecorder(net, "half-closing "
                    + "server").onReadLost(p -> {
                        p.transport().write(ascii("pong"));
                        p.transport().loseWriteConnection();
                    }));
            ListeningPort port = net.listen(server);
            HalfCloseRecorder client = new HalfCloseRecorder(net, "half-closing client");
            client.onMade(p -> {
                p.transport().write(ascii("ping"));
                p.transport().loseWriteConnection();
            });
            net.connect(port, client);
            net.await("both ends to close", () -> server.lost(0) && client.isLost(),
                    () -> server.describe() + "; " + client.describe());
            net.passes(3);
            HalfCloseRecorder s = server.server(0);
            assertEquals("ping", s.text());
            assertEquals("pong", client.text(), "the client half-closed first and must still read the reply");
            assertEquals(1, s.readLostCount(), "server readConnectionLost once; " + s.describe());
            assertEquals(1, s.writeLostCount(), "server writeConnectionLost once; " + s.describe());
            assertEquals(1, client.readLostCount(), "client readConnectionLost once; " + client.describe());
            assertEquals(1, client.writeLostCount(), "client writeConnectionLost once; " + client.describe());
            s.assertLostOnceWith(ConnectionDone.class);
            client.assertLostOnceWith(ConnectionDone.class);
        }
    }
}
