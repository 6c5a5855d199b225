package dev.weft.compat;

import static dev.weft.compat.net.Bytes.KIB;
import static dev.weft.compat.net.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Bytes;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Reasons;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionClosedException;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.PushProducer;
import dev.weft.protocol.Transport;
import dev.weft.reactor.Reactor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A TCP connection's transport: ordered delivery, close, abort, errors, pausing, socket options, shutdown. */
final class TcpConnectionContractTest {
    private static final long SEED = 0x5eed_7c9L;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ContractTest
    void echoesTenMebibytesInOrderAndClosesCleanly(ReactorHarness h) throws Exception {
        int total = 10 * MIB;
        List<byte[]> chunks = Bytes.randomChunks(SEED, total, 64 * KIB);
        String expected = Bytes.digestOf(chunks);
        try (Net net = Net.open(h)) {
            RecordingFactory server = RecordingFactory.echo(net);
            ListeningPort port = net.listen(server);
            Recorder client = new Recorder(net, "client").keep(0);
            client.onMade(p -> chunks.forEach(p.transport()::write));
            client.onData((p, data) -> {
                if (p.received() == total) {
                    p.transport().loseConnection();
                }
            });
            net.connect(port, client);
            net.await("10 MiB to come back and both ends to close", () -> client.isLost() && server.lost(0),
                    () -> client.describe() + "; " + server.describe());
            assertEquals(total, client.received(), "the client must get back exactly what it wrote");
            assertEquals(expected, client.digest(), "the client must get back the same bytes in the same order");
            assertEquals(total, server.<Recorder>server(0).received(), "the server must get every byte");
            client.assertLostOnceWith(ConnectionDone.class);
            server.<Recorder>server(0).assertLostOnceWith(ConnectionDone.class);
        }
    }

    @ContractTest
    void writeAfterLoseConnectionInTheSameCallbackIsStillSent(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            List<Throwable> lateWriteErrors = new ArrayList<>();
            boolean[] laterWriteDone = {false};
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "server")
                    .onMade(p -> {
                        p.transport().write(ascii("first "));
                        p.transport().loseConnection();
                        p.transport().write(ascii("second"));
                    })
                    .onLost((p, reason) -> {
                        try {
                            p.transport().write(ascii("inside connectionLost"));
                        } catch (Throwable t) {
                            lateWriteErrors.add(t);
                        }
                        r.callLater(0, () -> {
                            try {
                                p.transport().write(ascii("after connectionLost"));
                            } catch (Throwable t) {
                                lateWriteErrors.add(t);
                            }
                            laterWriteDone[0] = true;
                            net.poke();
                        });
                    }));
            ListeningPort port = net.listen(server);
            Recorder client = net.connect(port);
            net.await("both ends to close", () -> client.isLost() && server.lost(0) && laterWriteDone[0],
                    () -> client.describe() + "; " + server.describe());
            assertEquals("first second", client.text(), "a write made after loseConnection, before returning, "
                    + "must still be sent; " + client.describe());
            assertEquals(List.of("made", "data", "lost:ConnectionDone"), client.events(), "the peer gets the data "
                    + "then the end of the stream");
            server.<Recorder>server(0).assertLostOnceWith(ConnectionDone.class);
            assertEquals(List.of(), lateWriteErrors, "write after connectionLost must do nothing, not throw");
        }
    }

    @ContractTest
    void loseConnectionFlushesPendingDataFirst(ReactorHarness h) throws Exception {
        byte[] payload = Bytes.random(SEED, MIB);
        try (Net net = Net.open(h)) {
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "server").onMade(p -> {
                p.transport().write(payload);
                p.transport().loseConnection();
            }));
            ListeningPort port = net.listen(server);
            Recorder client = net.connect(port, new Recorder(net, "client").keep(MIB));
            net.await("the client to get 1 MiB and the end of the stream", client::isLost,
                    () -> client.describe() + "; " + server.describe());
            assertEquals(MIB, client.received(), "loseConnection must send everything written before it");
            assertArrayEquals(payload, client.bytes(), "the bytes must arrive intact and in order");
            assertEquals(List.of("made", "data", "lost:ConnectionDone"), client.events());
            net.await("the server's connectionLost", () -> server.lost(0), server::describe);
            server.<Recorder>server(0).assertLostOnceWith(ConnectionDone.class);
        }
    }

    /** A push producer that only counts what it is told. */
    static final class CountingProducer implements PushProducer {
        int pauses;
        int resumes;
        int stops;

        @Override
        public void pauseProducing() {
            pauses++;
        }

        @Override
        public void resumeProducing() {
            resumes++;
        }

        @Override
        public void stopProducing() {
            stops++;
        }
    }

    @ContractTest
    void abortConnectionWithAFullWriteBufferLosesTheConnectionOnceLater(ReactorHarness h) throws Exception {
        byte[] big = new byte[8 * MIB];
        CountingProducer producer = new CountingProducer();
        boolean[] insideAbort = {false};
        boolean[] lostInsideAbort = {false};
        try (Net net = Net.open(h)) {
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "aborting server")
                    .onMade(p -> {
                        p.transport().registerProducer(producer, true);
                        p.transport().write(big);
                    })
                    .onLost((p, reason) -> lostInsideAbort[0] |= insideAbort[0]));
            ListeningPort port = net.listen(server);
            Recorder peer = new Recorder(net, "paused peer").keep(0);
            peer.onMade(p -> p.transport().pauseProducing());
            net.connect(port, peer);
            net.await("the server's connectionMade", () -> server.made(0), server::describe);
            net.passes(5); // the server flushes what the kernel takes; the rest stays in its write buffer
            Recorder aborting = server.server(0);
            net.run(() -> {
                Transport t = aborting.transport();
                insideAbort[0] = true;
                try {
                    t.abortConnection();
                    t.abortConnection();
                } finally {
                    insideAbort[0] = false;
                }
            });
            net.await("the aborting side's connectionLost", aborting::isLost, aborting::describe);
            net.run(() -> peer.transport().resumeProducing());
            net.await("the peer's connectionLost", peer::isLost, peer::describe);
            net.passes(3);
            assertFalse(lostInsideAbort[0], "connectionLost must not run inside abortConnection()");
            aborting.assertLostOnceWith(ConnectionAborted.class);
            assertEquals(1, producer.stops, "abortConnection must stop the registered producer, once");
            peer.assertLostOnceWith(ConnectionLost.class, ConnectionDone.class);
            assertFalse(peer.reason() instanceof ConnectionAborted, "the peer did not abort: "
                    + Reasons.describe(peer.reason()));
        }
    }

    @ContractTest
    void abortConnectionInsideDataReceivedEndsDeliveryAfterItReturns(ReactorHarness h) throws Exception {
        boolean[] insideDataReceived = {false};
        boolean[] lostInsideDataReceived = {false};
        try (Net net = Net.open(h)) {
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "server")
                    .onData((p, data) -> {
                        insideDataReceived[0] = true;
                        try {
                            p.transport().abortConnection();
                        } finally {
                            insideDataReceived[0] = false;
                        }
                    })
                    .onLost((p, reason) -> lostInsideDataReceived[0] |= insideDataReceived[0]));
            ListeningPort port = net.listen(server);
            Recorder client = new Recorder(net, "client");
            byte[] lots = Bytes.random(SEED, MIB);
            client.onMade(p -> {
                for (int off = 0; off < lots.length; off += 16 * KIB) {
                    p.transport().write(Arrays.copyOfRange(lots, off, off + 16 * KIB));
                }
            });
            net.connect(port, client);
            net.await("both ends to close", () -> server.lost(0) && client.isLost(),
                    () -> server.describe() + "; " + client.describe());
            net.passes(3);
            Recorder s = server.server(0);
            assertFalse(lostInsideDataReceived[0], "connectionLost must not run inside abortConnection(), even from "
                    + "dataReceived");
            assertEquals(1, s.dataCalls(), "dataReceived must not be called again after abortConnection(); "
                    + s.describe());
            assertEquals(List.of("made", "data", "lost:ConnectionAborted"), s.events());
            s.assertLostOnceWith(ConnectionAborted.class);
            client.assertLostOnceWith(ConnectionLost.class, ConnectionDone.class);
            assertFalse(client.reason() instanceof ConnectionAborted, "the client did not abort: "
                    + Reasons.describe(client.reason()));
        }
    }

    /** Thrown by the test from dataReceived. */
    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom() {
            super("thrown by the test from dataReceived");
        }
    }

    @ContractTest
    void exceptionFromDataReceivedLosesThatConnectionWithItAsCause(ReactorHarness h) throws Exception {
        Boom boom = new Boom();
        try (Net net = Net.open(h)) {
            RecordingFactory server = new RecordingFactory(net, i -> i == 0
                    ? new Recorder(net, "throwing server").onData((p, data) -> {
                        throw boom;
                    })
                    : new Recorder(net, "server #" + i).echo());
            ListeningPort port = net.listen(server);
            Recorder first = net.connect(port, new Recorder(net, "first client"));
            net.run(() -> first.transport().write(ascii("boom")));
            net.await("the connection whose dataReceived threw to end", () -> server.lost(0) && first.isLost(),
                    () -> server.describe() + "; " + first.describe());
            Recorder thrower = server.server(0);
            thrower.assertLostOnceWith(ConnectionLost.class);
            assertSame(boom, thrower.reason().getCause(), "the reason's cause must be the exception dataReceived "
                    + "threw, was " + Reasons.describe(thrower.reason()));
            first.assertLostOnceWith(ConnectionDone.class, ConnectionLost.class);

            Recorder second = net.connect(port, new Recorder(net, "second client"));
            net.run(() -> second.transport().write(ascii("still serving")));
            net.await("the server to serve a second connection", () -> second.received() == 13,
                    () -> second.describe() + "; " + server.describe());
            assertEquals("still serving", second.text());
        }
    }

    @ContractTest
    void pauseProducingStopsDataReceivedUntilResumeProducing(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "server")
                    .onData((p, data) -> {
                        if (p.dataCalls() == 1) {
                            p.transport().pauseProducing();
                        }
                    }));
            ListeningPort port = net.listen(server);
            Recorder client = net.connect(port);
            net.run(() -> client.transport().write(ascii("one")));
            net.await("the server to get \"one\"", () -> server.protocols().size() == 1
                    && server.<Recorder>server(0).received() == 3, server::describe);
            Recorder s = server.server(0);
            net.run(() -> client.transport().write(ascii("two")));
            net.passes(5);
            assertEquals("one", s.text(), "no dataReceived while the transport is paused");
            net.run(() -> s.transport().resumeProducing());
            net.await("the server to get \"two\" after resumeProducing", () -> s.received() == 6, s::describe);
            assertEquals("onetwo", s.text());
        }
    }

    @ContractTest
    void tcpNoDelayAndKeepAliveReadBackWhatWasSet(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            Recorder client = net.connect(port);
            net.await("the server's connectionMade", () -> server.made(0), server::describe);
            for (Transport t : List.of(client.transport(), server.<Recorder>server(0).transport())) {
                String side = t == client.transport() ? "client" : "server";
                boolean[] seen = net.call(() -> {
                    boolean[] b = new boolean[4];
                    t.setTcpNoDelay(true);
                    b[0] = t.getTcpNoDelay();
                    t.setTcpNoDelay(false);
                    b[1] = t.getTcpNoDelay();
                    t.setTcpKeepAlive(true);
                    b[2] = t.getTcpKeepAlive();
                    t.setTcpKeepAlive(false);
                    b[3] = t.getTcpKeepAlive();
                    return b;
                });
                assertArrayEquals(new boolean[] {true, false, true, false}, seen, side + ": getTcpNoDelay and "
                        + "getTcpKeepAlive after setting true then false");
            }
        }
    }

    @ContractTest
    void stoppingTheReactorLosesOpenConnectionsBeforeRunReturns(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            Recorder client = net.connect(port);
            net.await("the server's connectionMade", () -> server.made(0), server::describe);
            net.stopReactor();
            client.assertLostOnceWith(ConnectionClosedException.class);
            server.<Recorder>server(0).assertLostOnceWith(ConnectionClosedException.class);
        }
    }
}
