package dev.weft.compat;

import static dev.weft.compat.net.Bytes.KIB;
import static dev.weft.compat.net.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Bytes;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import dev.weft.protocol.Transport;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.spi.StreamTransport;
import dev.weft.compat.net.RecordingClientFactory;
import dev.weft.compat.net.Tls;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/** Producers and consumers: a transport pauses a streaming producer, drives a pull producer, and stops both. */
final class FlowControlContractTest {
    private static final long SEED = 0xf10_c0deL;

    @BeforeAll
    static void makeTheCertificate() {
        Tls.warmUp(); // keytool takes about a second: not inside a test's time limit
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A streaming producer that writes one 16 KiB chunk per pass of the loop ({@code callLater(0)}) while it is not
     * paused, up to a total, then unregisters and loses the connection. It samples how far the writer is ahead of
     * the reader at each write.
     */
    static final class ChunkPusher implements PushProducer {
        static final int CHUNK = 16 * KIB;
        private final Reactor reactor;
        private final Transport transport;
        private final Recorder reader;
        private final long total;
        private final byte[] pattern = Bytes.random(SEED, CHUNK);
        private final Bytes.Digest digest = new Bytes.Digest();
        private final Runnable onFirstPause;
        long written;
        long maxAhead;
        long maxBuffered;
        int pauses;
        int resumes;
        int resumesAfterFirstPause;
        int stops;
        boolean paused;
        boolean finished;
        private boolean scheduled;

        ChunkPusher(Reactor reactor, Transport transport, Recorder reader, long total, Runnable onFirstPause) {
            this.reactor = reactor;
            this.transport = transport;
            this.reader = reader;
            this.total = total;
            this.onFirstPause = onFirstPause;
        }

        void start() {
            transport.registerProducer(this, true);
            schedule();
        }

        private void schedule() {
            if (!scheduled && !finished && stops == 0) {
                scheduled = true;
                reactor.callLater(0, this::tick);
            }
        }

        private void tick() {
            scheduled = false;
            if (paused || finished || stops > 0) {
                return;
            }
            byte[] chunk = pattern.clone();
            ByteBuffer.wrap(chunk).putLong(written); // every chunk differs: a reordering shows in the digest
            digest.update(chunk);
            transport.write(chunk);
            written += chunk.length;
            maxAhead = Math.max(maxAhead, written - reader.received());
            maxBuffered = Math.max(maxBuffered, ((StreamTransport) transport).writeBufferSize());
            if (written >= total) {
                finished = true;
                transport.unregisterProducer();
                transport.loseConnection();
            } else {
                schedule();
            }
        }

        String expectedDigest() {
            return digest.toString();
        }

        @Override
        public void pauseProducing() {
            pauses++;
            paused = true;
            if (pauses == 1) {
                onFirstPause.run();
            }
        }

        @Override
        public void resumeProducing() {
            resumes++;
            if (pauses > 0) {
                resumesAfterFirstPause++;
            }
            paused = false;
            schedule();
        }

        @Override
        public void stopProducing() {
            stops++;
        }

        String describe() {
            return "producer: written " + written + " of " + total + ", paused " + pauses + " times, resumed "
                    + resumes + " times, stopped " + stops + " times, now " + (paused ? "paused" : "not paused")
                    + ", at most " + maxAhead + " bytes ahead of the reader, at most " + maxBuffered
                    + " bytes in the transport's write buffer";
        }
    }

    @ContractTest
    void streamingProducerIsPausedForASlowReaderAndResumed(ReactorHarness h) throws Exception {
        long total = 32L * MIB;
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            Recorder reader = new Recorder(net, "slow reader").keep(0);
            reader.onMade(p -> p.transport().pauseProducing());
            ChunkPusher[] pusher = new ChunkPusher[1];
            // Once the producer has been paused (the reader's kernel buffers are full), the reader waits five more
            // passes of the loop, then reads again.
            Runnable resumeReaderLater = () -> {
                int[] left = {5};
                Runnable[] step = new Runnable[1];
                step[0] = () -> {
                    if (--left[0] > 0) {
                        r.callLater(0, step[0]);
                    } else {
                        reader.transport().resumeProducing();
                    }
                };
                r.callLater(0, step[0]);
            };
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "writer").onMade(p -> {
                pusher[0] = new ChunkPusher(r, p.transport(), reader, total, resumeReaderLater);
                pusher[0].start();
            }));
            ListeningPort port = net.listen(server);
            net.connect(port, reader);
            net.await("the slow reader to get 32 MiB and the end of the stream", reader::isLost,
                    () -> reader.describe() + "; " + (pusher[0] == null ? "no producer" : pusher[0].describe()));
            ChunkPusher p = pusher[0];
            assertTrue(p.pauses >= 1, "a streaming producer must be paused when the reader does not read; "
                    + p.describe());
            assertTrue(p.resumesAfterFirstPause >= 1, "a paused producer must be resumed once the buffer drains; "
                    + p.describe());
            assertTrue(p.maxAhead < 16L * MIB, "the writer must not get far ahead of a paused reader (kernel buffers "
                    + "hold a few MiB): " + p.describe());
            assertTrue(p.maxBuffered < MIB, "the writer's buffered bytes must stay under 1 MiB: " + p.describe());
            assertEquals(0, p.stops, "an unregistered producer must not be stopped; " + p.describe());
            assertEquals(total, reader.received(), "every byte written must arrive");
            assertEquals(p.expectedDigest(), reader.digest(), "the bytes must arrive in order");
            reader.assertLostOnceWith(ConnectionDone.class);
        }
    }

    /**
     * A pull producer that writes one 64 KiB chunk each time it is asked, a fixed number of times, then unregisters
     * and loses the connection.
     */
    static final class ChunkPuller implements PullProducer {
        static final int CHUNK = 64 * KIB;
        private final Transport transport;
        private final int chunks;
        private final byte[] pattern = Bytes.random(SEED + 1, CHUNK);
        private final Bytes.Digest digest = new Bytes.Digest();
        int calls;
        int written;
        int stops;
        boolean registering;
        boolean firstCallInsideRegister;

        ChunkPuller(Transport transport, int chunks) {
            this.transport = transport;
            this.chunks = chunks;
        }

        void start() {
            registering = true;
            try {
                transport.registerProducer(this, false);
            } finally {
                registering = false;
            }
        }

        @Override
        public void resumeProducing() {
            calls++;
            if (calls == 1) {
                firstCallInsideRegister = registering;
            }
            if (written >= chunks) {
                return;
            }
            byte[] chunk = pattern.clone();
            ByteBuffer.wrap(chunk).putInt(written);
            digest.update(chunk);
            written++;
            transport.write(chunk);
            if (written == chunks) {
                transport.unregisterProducer();
                transport.loseConnection();
            }
        }

        @Override
        public void stopProducing() {
            stops++;
        }

        String expectedDigest() {
            return digest.toString();
        }

        String describe() {
            return "pull producer: asked " + calls + " times, wrote " + written + " of " + chunks + " chunks, stopped "
                    + stops + " times";
        }
    }

    @ContractTest
    void pullProducerIsAskedAtRegistrationAndAfterEachDrain(ReactorHarness h) throws Exception {
        int chunks = 100;
        try (Net net = Net.open(h)) {
            ChunkPuller[] puller = new ChunkPuller[1];
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "writer").onMade(p -> {
                puller[0] = new ChunkPuller(p.transport(), chunks);
                puller[0].start();
            }));
            ListeningPort port = net.listen(server);
            Recorder reader = net.connect(port, new Recorder(net, "reader").keep(0));
            net.await("the reader to get 100 chunks and the end of the stream", reader::isLost,
                    () -> reader.describe() + "; " + (puller[0] == null ? "no producer" : puller[0].describe()));
            ChunkPuller p = puller[0];
            assertTrue(p.firstCallInsideRegister, "a pull producer must get resumeProducing() at once, inside "
                    + "registerProducer; " + p.describe());
            assertEquals(chunks, p.calls, "a pull producer must be asked once per drain (it unregisters after the "
                    + "last chunk); " + p.describe());
            assertEquals(0, p.stops, "an unregistered producer must not be stopped; " + p.describe());
            assertEquals((long) chunks * ChunkPuller.CHUNK, reader.received(), "every chunk must arrive; "
                    + reader.describe());
            assertEquals(p.expectedDigest(), reader.digest(), "the chunks must arrive in order");
            reader.assertLostOnceWith(ConnectionDone.class);
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

    /** A pull producer that only counts what it is told. */
    static final class CountingPullProducer implements PullProducer {
        int resumes;
        int stops;

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
    void registerProducerTwiceThrowsIllegalState(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            ListeningPort port = net.listen(RecordingFactory.recorders(net));
            Recorder client = net.connect(port);
            Transport t = client.transport();
            CountingProducer first = new CountingProducer();
            net.run(() -> t.registerProducer(first, true));
            assertThrows(IllegalStateException.class, () -> net.run(() -> t.registerProducer(new CountingProducer(),
                    true)), "registerProducer while a producer is registered");
            net.run(t::unregisterProducer);
            CountingProducer again = new CountingProducer();
            net.run(() -> t.registerProducer(again, true)); // after unregisterProducer, registering works again
            net.run(t::unregisterProducer);
            assertEquals(0, first.stops, "a failed second registration must not stop the first producer");
        }
    }

    @ContractTest
    void registerProducerOnADisconnectedTransportStopsItAtOnce(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            ListeningPort port = net.listen(RecordingFactory.recorders(net));
            Recorder client = net.connect(port);
            net.run(() -> client.transport().loseConnection());
            net.await("the client's connectionLost", client::isLost, client::describe);
            CountingProducer producer = new CountingProducer();
            int stopsRightAfter = net.call(() -> {
                client.transport().registerProducer(producer, true);
                return producer.stops;
            });
            assertEquals(1, stopsRightAfter, "registerProducer on a disconnected transport must call stopProducing()"
                    + " at once, inside the call");
            net.passes(3);
            assertEquals(1, producer.stops, "stopProducing() once");
        }
    }

    @ContractTest
    void registeredProducerIsStoppedWhenTheConnectionIsLost(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            Recorder client = net.connect(port);
            net.await("the server's connectionMade", () -> server.made(0), server::describe);
            CountingProducer producer = new CountingProducer();
            net.run(() -> client.transport().registerProducer(producer, true));
            net.run(() -> server.<Recorder>server(0).transport().loseConnection());
            net.await("the client's connectionLost", client::isLost, client::describe);
            net.passes(3);
            assertEquals(1, producer.stops, "a registered producer must get stopProducing() once when the connection"
                    + " is lost");
        }
    }

    @ContractTest
    void loseConnectionWaitsForAStreamingProducerToUnregister(ReactorHarness h) throws Exception {
        CountingProducer producer = new CountingProducer();
        checkLoseConnectionWaitsForTheProducer(h, producer, true, () -> producer.stops);
    }

    @ContractTest
    void loseConnectionWaitsForAPullProducerToUnregister(ReactorHarness h) throws Exception {
        CountingPullProducer producer = new CountingPullProducer();
        checkLoseConnectionWaitsForTheProducer(h, producer, false, () -> producer.stops);
    }

    private static void checkLoseConnectionWaitsForTheProducer(ReactorHarness h, dev.weft.protocol.Producer producer,
            boolean streaming, java.util.function.IntSupplier stops) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            Recorder client = net.connect(port);
            net.await("the server's connectionMade", () -> server.made(0), server::describe);
            Recorder s = server.server(0);
            Transport t = s.transport();
            net.run(() -> {
                t.registerProducer(producer, streaming);
                t.write(ascii("part one;"));
                t.loseConnection();
            });
            net.await("the client to get part one", () -> client.received() == 9, client::describe);
            net.passes(5);
            assertFalse(client.isLost() || s.isLost(), "loseConnection must not close the connection while a "
                    + "producer is registered; " + client.describe() + "; " + s.describe());
            net.run(() -> {
                t.write(ascii(" part two"));
                t.unregisterProducer();
            });
            net.await("the connection to close after unregisterProducer", () -> client.isLost() && s.isLost(),
                    () -> client.describe() + "; " + s.describe());
            assertEquals("part one; part two", client.text(), "what the producer wrote after loseConnection must "
                    + "be sent before the close");
            assertEquals(List.of("made", "data", "lost:ConnectionDone"), client.events());
            s.assertLostOnceWith(ConnectionDone.class);
            assertEquals(0, stops.getAsInt(), "an unregistered producer must not be stopped");
        }
    }

    // ---------------------------------------------------------------- a pull producer registered on a full buffer

    @ContractTest
    void pullProducerRegisteredWhileDataIsBufferedIsResumedOnceTheBufferDrains(ReactorHarness h) throws Exception {
        int big = 16 * MIB;
        byte[] bulk = Bytes.random(SEED + 3, big);
        byte[] trailer = ascii("the end");
        try (Net net = Net.open(h)) {
            long[] bufferedAtCall = {-1, -1};
            int[] calls = {0};
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "writer").onMade(p -> {
                Transport t = p.transport();
                t.write(bulk); // the client runs on this loop: it cannot read before this callback returns
                bufferedAtCall[0] = ((StreamTransport) t).writeBufferSize();
                t.registerProducer(new PullProducer() {
                    @Override
                    public void resumeProducing() {
                        calls[0]++;
                        if (calls[0] == 2) {
                            bufferedAtCall[1] = ((StreamTransport) t).writeBufferSize();
                            t.write(trailer);
                            t.unregisterProducer();
                            t.loseConnection();
                        }
                        // the first call, inside registerProducer, writes nothing: the buffer is full
                    }

                    @Override
                    public void stopProducing() {
                    }
                }, false);
            }));
            ListeningPort port = net.listen(server);
            Recorder reader = net.connect(port, new Recorder(net, "reader").keep(0));
            net.await("the second resumeProducing, the bulk, the trailer and the end of the stream",
                    reader::isLost, () -> reader.describe() + "; the pull producer was asked " + calls[0]
                            + " times; buffered at registration: " + bufferedAtCall[0]);
            assertTrue(bufferedAtCall[0] > 0, "the bulk write must still be buffered at registration (else this test"
                    + " checks nothing): " + bufferedAtCall[0]);
            assertEquals(2, calls[0], "a pull producer must be asked at registration and again once the buffer "
                    + "drains");
            assertEquals(0, bufferedAtCall[1], "the second resumeProducing must come once the buffer is empty");
            assertEquals(big + trailer.length, reader.received(), "every byte must arrive; " + reader.describe());
            Bytes.Digest expected = new Bytes.Digest();
            expected.update(bulk);
            expected.update(trailer);
            assertEquals(expected.toString(), reader.digest(), "the bytes must arrive in order");
            reader.assertLostOnceWith(ConnectionDone.class);
        }
    }

    // ---------------------------------------------------------------- a streaming producer over TLS

    /**
     * A streaming producer that writes 16 KiB chunks in a loop, at once, while it is not paused, up to a total, then
     * unregisters and loses the connection; it samples the transport's write buffer after each write.
     */
    static final class GreedyPusher implements PushProducer {
        static final int CHUNK = 16 * KIB;
        private final Reactor reactor;
        private final Transport transport;
        private final long total;
        private final byte[] pattern = Bytes.random(SEED + 4, CHUNK);
        private final Bytes.Digest digest = new Bytes.Digest();
        long written;
        long writtenBeforeFirstPause = -1;
        long maxBuffered;
        int pauses;
        int resumes;
        int stops;
        boolean paused;
        boolean finished;

        GreedyPusher(Reactor reactor, Transport transport, long total) {
            this.reactor = reactor;
            this.transport = transport;
            this.total = total;
        }

        void start() {
            transport.registerProducer(this, true);
            produce();
        }

        private void produce() {
            while (!paused && !finished && stops == 0) {
                byte[] chunk = pattern.clone();
                ByteBuffer.wrap(chunk).putLong(written);
                digest.update(chunk);
                transport.write(chunk);
                written += chunk.length;
                maxBuffered = Math.max(maxBuffered, ((StreamTransport) transport).writeBufferSize());
                if (written >= total) {
                    finished = true;
                    transport.unregisterProducer();
                    transport.loseConnection();
                }
            }
        }

        @Override
        public void pauseProducing() {
            if (pauses++ == 0) {
                writtenBeforeFirstPause = written;
            }
            paused = true;
        }

        @Override
        public void resumeProducing() {
            resumes++;
            paused = false;
            reactor.callLater(0, this::produce); // not inside the transport's call
        }

        @Override
        public void stopProducing() {
            stops++;
        }

        String describe() {
            return "producer: written " + written + " of " + total + " (" + writtenBeforeFirstPause + " before the "
                    + "first pause), paused " + pauses + " times, resumed " + resumes + " times, stopped " + stops
                    + " times, at most " + maxBuffered + " bytes in the transport's write buffer";
        }
    }

    @ContractTest
    void streamingProducerOverTlsIsPausedAtTheLimitBeforeAndAfterTheHandshake(ReactorHarness h) throws Exception {
        long total = 10L * MIB;
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "reader").keep(0));
            ListeningPort port = net.call(() -> r.listenSSL(0, server, Tls.serverContext(), 50, Net.LOOPBACK));
            GreedyPusher[] pusher = new GreedyPusher[1];
            Recorder client = new Recorder(net, "writer").onMade(p -> {
                // connectionMade of connectSSL: the handshake has not started; every byte waits for it
                pusher[0] = new GreedyPusher(r, p.transport(), total);
                pusher[0].start();
            });
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            int number = port.getHost().getPort();
            net.connect(f, client, () -> r.connectSSL("localhost", number, f, Tls.clientContext()));
            GreedyPusher p = pusher[0];
            long limit = StreamTransport.WRITE_BUFFER_LIMIT;
            assertTrue(p.pauses >= 1 && p.writtenBeforeFirstPause <= limit + GreedyPusher.CHUNK, "a streaming "
                    + "producer writing before the TLS handshake must be paused by the time the buffer passes the "
                    + "limit; " + p.describe());
            net.await("the reader to get 10 MiB and the end of the stream", () -> server.made(0)
                    && server.<Recorder>server(0).isLost(), () -> p.describe() + "; " + server.describe());
            Recorder reader = server.server(0);
            assertTrue(p.resumes >= 1, "the producer must be resumed once the handshake is done and the buffer "
                    + "drained; " + p.describe());
            assertTrue(p.maxBuffered <= limit + GreedyPusher.CHUNK, "the transport's write buffer must stay within "
                    + "the limit and a chunk, before and after the handshake; " + p.describe());
            assertEquals(total, reader.received(), "every byte must arrive; " + reader.describe());
            assertEquals(p.digest.toString(), reader.digest(), "the bytes must arrive in order");
            reader.assertLostOnceWith(ConnectionDone.class);
            assertEquals(0, p.stops, "an unregistered producer must not be stopped; " + p.describe());
        }
    }

    // ---------------------------------------------------------------- the drain cycle follows polls

    /** A pull producer that writes one byte each time it is asked, until the connection is lost or a cap. */
    static final class OneBytePuller implements PullProducer {
        private final Transport transport;
        private final int cap;
        int calls;
        int stops;

        OneBytePuller(Transport transport, int cap) {
            this.transport = transport;
            this.cap = cap;
        }

        @Override
        public void resumeProducing() {
            if (++calls < cap) { // past the cap it writes nothing: no more drains, the test cannot hang
                transport.write(new byte[] {'x'});
            }
        }

        @Override
        public void stopProducing() {
            stops++;
        }
    }

    @ContractTest
    void drainResumeCycleToAClosedPeerLetsTimersAndIoRun(ReactorHarness h) throws Exception {
        int cap = 5_000;
        int bound = 100;
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            OneBytePuller[] puller = new OneBytePuller[1];
            int[] callsWhenTimerRan = {-1};
            int[] callsWhenLost = {-1};
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "writer").onMade(p -> {
                puller[0] = new OneBytePuller(p.transport(), cap);
                r.callLater(0.05, () -> callsWhenTimerRan[0] = puller[0].calls);
                p.transport().registerProducer(puller[0], false);
            }).onLost((p, reason) -> callsWhenLost[0] = puller[0].calls));
            ListeningPort port = net.listen(server);
            try (Socket peer = new Socket()) {
                // The peer connects and closes its side at once; the writer sees it only by reading, after a poll.
                peer.connect(port.getHost(), 4_000); // the listening socket's backlog takes it: the loop is not needed
                peer.shutdownOutput();
                net.await("the writer's connectionLost and the timer", () -> callsWhenLost[0] >= 0
                        && callsWhenTimerRan[0] >= 0, () -> server.describe() + "; pull producer asked "
                        + (puller[0] == null ? 0 : puller[0].calls) + " times");
            }
            assertTrue(callsWhenTimerRan[0] < bound, "a callLater(0.05) must run while a pull producer writes to a "
                    + "closed peer, not after " + callsWhenTimerRan[0] + " drain/resume cycles: each drain "
                    + "notification must come in a pass that follows a poll for I/O (the connection was lost after "
                    + callsWhenLost[0] + ")");
            assertTrue(callsWhenLost[0] < bound, "the peer's close must be seen within " + bound + " drain/resume "
                    + "cycles, not after " + callsWhenLost[0]);
            assertEquals(1, puller[0].stops, "the producer must be stopped once when the connection is lost");
            assertTrue(server.<Recorder>server(0).reason() instanceof ConnectionDone, "the peer's end of stream must "
                    + "close the connection cleanly; " + server.describe());
        }
    }

    // ---------------------------------------------------------------- paused reads hold at most one read

    /**
     * Over TLS one read of ciphertext gives several records, so a protocol that pauses in {@code dataReceived} leaves
     * the rest of that read held; it pauses in each {@code dataReceived} and resumes on the next pass, while the peer
     * sends 4 MiB in one write. What is held must stay within one read (64 KiB on every backend) and the TLS record
     * that straddles it.
     */
    @ContractTest
    void dataHeldWhileReadingIsPausedStaysWithinOneReadAndArrivesInOrder(ReactorHarness h) throws Exception {
        int total = 4 * MIB;
        long bound = 64 * KIB + 16 * KIB;
        byte[] data = Bytes.random(SEED + 5, total);
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            long[] maxHeld = {0};
            int[] pauses = {0};
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "pausing reader").keep(0)
                    .onData((p, d) -> {
                        StreamTransport t = (StreamTransport) p.transport();
                        t.pauseProducing();
                        pauses[0]++;
                        maxHeld[0] = Math.max(maxHeld[0], t.readBufferSize());
                        r.callLater(0, () -> {
                            maxHeld[0] = Math.max(maxHeld[0], t.readBufferSize());
                            t.resumeProducing();
                        });
                    }));
            ListeningPort port = net.call(() -> r.listenSSL(0, server, Tls.serverContext(), 50, Net.LOOPBACK));
            Recorder writer = new Recorder(net, "writer");
            RecordingClientFactory f = RecordingClientFactory.of(net, writer);
            int number = port.getHost().getPort();
            net.connect(f, writer, () -> r.connectSSL("localhost", number, f, Tls.clientContext()));
            net.run(() -> writer.transport().write(data));
            net.await("the reader to get 4 MiB", () -> server.made(0) && server.<Recorder>server(0).received()
                    >= total, () -> server.describe() + "; held at most " + maxHeld[0] + " bytes over " + pauses[0]
                    + " pauses");
            Recorder reader = server.server(0);
            assertTrue(maxHeld[0] <= bound, "while the protocol has paused reading, the transport must hold at most "
                    + "one read and a TLS record (" + bound + " bytes), not " + maxHeld[0] + " (" + pauses[0]
                    + " pauses)");
            assertEquals(total, reader.received(), "every byte must arrive; " + reader.describe());
            assertEquals(Bytes.digestOf(data), reader.digest(), "the bytes must arrive in order");
            net.run(() -> writer.transport().loseConnection());
            net.await("the reader's connectionLost", reader::isLost, reader::describe);
            reader.assertLostOnceWith(ConnectionDone.class);
        }
    }

    /**
     * Over plain TCP, a peer that sends 4 MiB in one write, to a reader that pauses in each {@code dataReceived} and
     * resumes on the next pass: while the peer's side is open, what is held stays within one read (64 KiB); every
     * byte arrives in order, then the peer closes and the reader sees the end of stream.
     */
    @ContractTest
    void pausedReaderHoldsAtMostOneReadWhileThePeerSends(ReactorHarness h) throws Exception {
        int total = 4 * MIB;
        long oneRead = 64 * KIB;
        byte[] data = Bytes.random(SEED + 6, total);
        try (Net net = Net.open(h)) {
            PausingReader reader = new PausingReader(net);
            Recorder writer = net.connect(net.listen(reader.factory), new Recorder(net, "writer"));
            net.run(() -> writer.transport().write(data));
            net.await("the reader to get 4 MiB", () -> reader.factory.made(0)
                    && reader.recorder().received() == total, reader::describe);
            assertTrue(reader.maxHeld <= oneRead, "while the protocol has paused reading, the transport must hold at"
                    + " most one read (" + oneRead + " bytes), not " + reader.describe());
            assertEquals(Bytes.digestOf(data), reader.recorder().digest(), "the bytes must arrive in order");
            net.run(() -> writer.transport().loseConnection());
            net.await("the reader's connectionLost", () -> reader.recorder().isLost(), reader::describe);
            reader.recorder().assertLostOnceWith(ConnectionDone.class);
        }
    }

    /**
     * A peer that sends 16 MiB in one write and closes at once, to a reader that pauses in each
     * {@code dataReceived}: what is held stays within one read plus what the kernel had buffered for the connection
     * when the peer's end of stream came (Netty's epoll transport reads on to the end of the stream once it has
     * seen the peer close, whatever {@code autoRead} says: see the README), never the whole stream; then everything
     * arrives in order, and the end of stream after it.
     */
    @ContractTest
    void pausedReaderOfAPeerThatSendsAndClosesHoldsAtMostOneReadAndTheKernelsBuffer(ReactorHarness h)
            throws Exception {
        int total = 16 * MIB;
        long bound = 64 * KIB + kernelReceiveBufferMax();
        byte[] data = Bytes.random(SEED + 7, total);
        try (Net net = Net.open(h)) {
            PausingReader reader = new PausingReader(net);
            Recorder writer = net.connect(net.listen(reader.factory), new Recorder(net, "writer"));
            net.run(() -> {
                writer.transport().write(data);
                writer.transport().loseConnection();
            });
            net.await("the reader to get 16 MiB and the end of the stream", () -> reader.factory.made(0)
                    && reader.recorder().isLost(), reader::describe);
            assertTrue(reader.maxHeld <= bound, "while the protocol has paused reading, the transport must hold at"
                    + " most one read and the kernel's receive buffer (" + bound + " bytes), not "
                    + reader.describe());
            assertEquals(total, reader.recorder().received(), "every byte must arrive; " + reader.describe());
            assertEquals(Bytes.digestOf(data), reader.recorder().digest(), "the bytes must arrive in order");
            reader.recorder().assertLostOnceWith(ConnectionDone.class);
        }
    }

    /** The largest receive buffer the kernel gives a TCP socket (the third field of {@code tcp_rmem}), else 6 MiB. */
    private static long kernelReceiveBufferMax() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_rmem"))
                    .trim().split("\\s+");
            return Long.parseLong(f[2]);
        } catch (java.io.IOException | RuntimeException e) {
            return 6L * MIB;
        }
    }

    /** A server protocol that pauses reading in each {@code dataReceived} and resumes on the next pass. */
    private static final class PausingReader {
        final RecordingFactory factory;
        long maxHeld;
        int pauses;

        PausingReader(Net net) {
            Reactor r = net.reactor();
            factory = new RecordingFactory(net, i -> new Recorder(net, "pausing reader").keep(0)
                    .onData((p, d) -> {
                        StreamTransport t = (StreamTransport) p.transport();
                        t.pauseProducing();
                        pauses++;
                        maxHeld = Math.max(maxHeld, t.readBufferSize());
                        r.callLater(0, () -> {
                            maxHeld = Math.max(maxHeld, t.readBufferSize());
                            t.resumeProducing();
                        });
                    }));
        }

        Recorder recorder() {
            return factory.<Recorder>server(0);
        }

        String describe() {
            return factory.describe() + "; held at most " + maxHeld + " bytes over " + pauses + " pauses";
        }
    }
}
