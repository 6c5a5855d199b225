package dev.weft.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.protocol.Connector;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.Factory;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PushProducer;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorCore;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Smoke tests of TCP and UDP on each mode: owned nio, owned epoll, attached to a caller-owned NIO group. */
@Timeout(30)
class NetworkingTest {
    private static final String LOCAL = "127.0.0.1";

    private MultiThreadIoEventLoopGroup group;
    private EventLoop loop;
    private DatagramSocket udpInUse;

    @AfterEach
    void tearDown() {
        if (udpInUse != null) {
            udpInUse.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private NettyReactor reactor(String mode) {
        if (mode.equals("attached")) {
            group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            loop = group.next();
            return NettyReactor.attach(loop);
        }
        if (mode.equals("epoll")) {
            TestSupport.assumeEpoll();
        }
        return NettyReactor.create(mode);
    }

    /** Runs the reactor until {@code d} fires, failing after a bounded wait. */
    private static <T> T await(NettyReactor r, Deferred<T> d) throws Exception {
        d.addTimeout(TestSupport.TIMEOUT_SECONDS, r);
        return r.runUntil(d);
    }

    private static void stop(NettyReactor r) {
        r.stop();
        r.run();
    }

    private int freeUdpPortInUse() throws Exception {
        udpInUse = new DatagramSocket(0, InetAddress.getByName(LOCAL));
        return udpInUse.getLocalPort();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOCAL))) {
            return s.getLocalPort();
        }
    }

    /** Echoes what it reads. */
    static class Echo extends Protocol {
        final Set<Thread> threads;

        Echo(Set<Thread> threads) {
            this.threads = threads;
        }

        @Override
        public void dataReceived(byte[] data) {
            threads.add(Thread.currentThread());
            transport().write(data);
        }
    }

    /** Writes a payload, reads it back, closes, and reports what it read and why it was closed. */
    static final class Sender extends Protocol {
        final byte[] payload;
        final Deferred<Object[]> done;
        final Set<Thread> threads;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();

        Sender(byte[] payload, Deferred<Object[]> done, Set<Thread> threads) {
            this.payload = payload;
            this.done = done;
            this.threads = threads;
        }

        @Override
        public void connectionMade() {
            threads.add(Thread.currentThread());
            transport().write(payload);
        }

        @Override
        public void dataReceived(byte[] data) {
            got.write(data, 0, data.length);
            if (got.size() >= payload.length) {
                transport().loseConnection();
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            threads.add(Thread.currentThread());
            done.callback(new Object[] {got.toByteArray(), reason});
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "attached"})
    void echoRoundTripOnTheReactorThread(String mode) throws Exception {
        NettyReactor r = reactor(mode);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Deferred<Throwable> serverLost = new Deferred<>();
        ListeningPort port = r.listenTCP(0, Factory.forProtocol(() -> new Echo(threads) {
            @Override
            public void connectionLost(Throwable reason) {
                serverLost.callback(reason);
            }
        }), 50, LOCAL);
        int p = port.getHost().getPort();
        assertTrue(p > 0, "port 0 picks a port: " + port.getHost());
        byte[] payload = new byte[1 << 20];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        Deferred<Object[]> done = new Deferred<>();
        AtomicReference<InetSocketAddress> peer = new AtomicReference<>();
        r.connectTCP(LOCAL, p, new ClientFactory(() -> new Sender(payload, done, threads)) {
            @Override
            public void clientConnectionLost(Connector connector, Throwable reason) {
                peer.set(connector.getDestination());
            }
        });
        Object[] result = await(r, done);
        assertArrayEquals(payload, (byte[]) result[0]);
        assertInstanceOf(ConnectionDone.class, result[1]);
        assertInstanceOf(ConnectionDone.class, await(r, serverLost));
        assertEquals(p, peer.get().getPort());
        Deferred<Void> stopped = port.stopListening();
        await(r, stopped);
        Thread reactorThread = mode.equals("attached") ? loop.submit(Thread::currentThread).get() : Thread.currentThread();
        assertEquals(Set.of(reactorThread), threads);
        stop(r);
        assertThrows(ConnectException.class, () -> new Socket(LOCAL, p).close(), "the port is closed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "attached"})
    void listenBeforeTheReactorRunsAndServeABlockingClient(String mode) throws Exception {
        NettyReactor r = reactor(mode);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch lost = new CountDownLatch(1);
        AtomicReference<Throwable> reason = new AtomicReference<>();
        ListeningPort port = r.listenTCP(0, Factory.forProtocol(() -> new Echo(threads) {
            @Override
            public void connectionLost(Throwable why) {
                reason.set(why);
                lost.countDown();
            }
        }), 50, LOCAL);
        CountDownLatch shutdown = new CountDownLatch(1);
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, shutdown::countDown);
        // The port is bound before run(): a client may connect at once; it is served once the reactor runs.
        try (Socket s = new Socket(LOCAL, port.getHost().getPort())) {
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS));
            OutputStream out = s.getOutputStream();
            out.write("ping".getBytes(US_ASCII));
            out.flush();
            Thread runner = null;
            if (mode.equals("attached")) {
                r.startRunning();
            } else {
                runner = new Thread(r::run, "owned-reactor");
                runner.start();
            }
            InputStream in = s.getInputStream();
            byte[] got = in.readNBytes(4);
            assertEquals("ping", new String(got, US_ASCII));
            s.shutdownOutput();
            assertEquals(-1, in.read(), "the server closes after the client's end of stream");
            TestSupport.await(lost, "the server's connectionLost");
            assertInstanceOf(ConnectionDone.class, reason.get());
            // The port is closed (and its port released) once the Deferred of stopListening fires.
            r.blockingCallFromThread(port::stopListening);
            assertThrows(ConnectException.class, () -> new Socket(LOCAL, port.getHost().getPort()).close());
            r.callFromThread(r::stop);
            TestSupport.await(shutdown, "the reactor to stop");
            if (runner != null) {
                runner.join(TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS));
                assertFalse(runner.isAlive());
            }
        }
        if (mode.equals("attached")) {
            assertFalse(loop.isShuttingDown(), "stop() leaves the borrowed loop alone");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "attached"})
    void listenOnAUsedPortThrowsAtOnceBeforeRunAndInACallback(String mode) throws Exception {
        NettyReactor r = reactor(mode);
        try (ServerSocket used = new ServerSocket(0, 1, InetAddress.getByName(LOCAL))) {
            int p = used.getLocalPort();
            Factory f = Factory.forProtocol(() -> new Protocol() { });
            CannotListenException e = assertThrows(CannotListenException.class, () -> r.listenTCP(p, f, 50, LOCAL));
            assertEquals(p, e.address().getPort());
            assertThrows(CannotListenException.class, () -> r.listenTCP(p, f, 50, ""));
            assertThrows(CannotListenException.class, () -> r.listenUDP(freeUdpPortInUse(), new DatagramProtocol() {
            }, LOCAL, 512));
            Deferred<Throwable> inCallback = new Deferred<>();
            r.callLater(0, () -> {
                try {
                    r.listenTCP(p, f, 50, LOCAL);
                    inCallback.callback(null);
                } catch (CannotListenException x) {
                    inCallback.callback(x);
                }
            });
            assertInstanceOf(CannotListenException.class, await(r, inCallback));
        }
        stop(r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "attached"})
    void refusedConnectIsReportedToTheFactory(String mode) throws Exception {
        NettyReactor r = reactor(mode);
        int p = freePort();
        Deferred<Throwable> failed = new Deferred<>();
        r.connectTCP(LOCAL, p, new ClientFactory(() -> new Protocol() { }) {
            @Override
            public void clientConnectionFailed(Connector connector, Throwable reason) {
                failed.callback(reason);
            }
        });
        assertInstanceOf(ConnectionRefusedException.class, await(r, failed));
        stop(r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "attached"})
    void abortGivesConnectionAbortedHereAndALostConnectionThere(String mode) throws Exception {
        NettyReactor r = reactor(mode);
        Deferred<Throwable> serverLost = new Deferred<>();
        ListeningPort port = r.listenTCP(0, Factory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionLost(Throwable reason) {
                serverLost.callback(reason);
            }
        }), 50, LOCAL);
        Deferred<Throwable> clientLost = new Deferred<>();
        r.connectTCP(LOCAL, port.getHost().getPort(), ClientFactory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                transport().write("x".getBytes(US_ASCII));
                transport().abortConnection();
            }

            @Override
            public void connectionLost(Throwable reason) {
                clientLost.callback(reason);
            }
        }));
        assertInstanceOf(ConnectionAborted.class, await(r, clientLost));
        Throwable there = await(r, serverLost);
        assertNotNull(there);
        assertFalse(there instanceof ConnectionAborted, "the peer's reason: " + there);
        stop(r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "attached"})
    void udpRoundTripAndRefusalInConnectedMode(String mode) throws Exception {
        NettyReactor r = reactor(mode);
        DatagramTransport echo = r.listenUDP(0, new DatagramProtocol() {
            @Override
            public void datagramReceived(byte[] data, InetSocketAddress from) {
                transport().write(data, from);
            }
        }, LOCAL, 512);
        int echoPort = echo.getHost().getPort();
        assertTrue(echoPort > 0);
        Deferred<String> back = new Deferred<>();
        // startProtocol runs inside listenUDP: before run() here, so the first datagram waits for the loop.
        DatagramTransport client = r.listenUDP(0, new DatagramProtocol() {
            @Override
            public void startProtocol() {
                transport().write("ping".getBytes(US_ASCII), new InetSocketAddress(LOCAL, echoPort));
            }

            @Override
            public void datagramReceived(byte[] data, InetSocketAddress from) {
                back.callback(new String(data, US_ASCII) + "@" + from.getPort());
            }
        }, LOCAL, 512);
        assertEquals("ping@" + echoPort, await(r, back));

        int closed = freePort();
        Deferred<String> refused = new Deferred<>();
        r.listenUDP(0, new DatagramProtocol() {
            @Override
            public void startProtocol() {
                transport().connect(LOCAL, closed);
                transport().write(new byte[] {1});
            }

            @Override
            public void connectionRefused() {
                refused.callback("refused");
            }
        }, LOCAL, 512);
        assertEquals("refused", await(r, refused));

        // Longer datagrams than the maximum are cut to it.
        Deferred<Integer> size = new Deferred<>();
        DatagramTransport small = r.listenUDP(0, new DatagramProtocol() {
            @Override
            public void datagramReceived(byte[] data, InetSocketAddress from) {
                size.callback(data.length);
            }
        }, LOCAL, 16);
        r.callLater(0, () -> client.write(new byte[100], small.getHost()));
        assertEquals(16, await(r, size));
        byte[] big = new byte[600];
        Arrays.fill(big, (byte) 1);
        assertThrows(IllegalArgumentException.class, () -> client.write(big, echo.getHost()));
        stop(r);
    }
    /** Half-closes after a request (client) or after replying to the peer's end of stream (server). */
    static final class HalfCloser extends Protocol implements HalfCloseableProtocol {
        final List<String> events = new ArrayList<>();
        final Deferred<List<String>> done = new Deferred<>();
        final boolean server;

        HalfCloser(boolean server) {
            this.server = server;
        }

        @Override
        public void connectionMade() {
            events.add("made");
            if (!server) {
                transport().write("req".getBytes(US_ASCII));
                transport().loseWriteConnection();
            }
        }

        @Override
        public void dataReceived(byte[] data) {
            events.add("data:" + new String(data, US_ASCII));
        }

        @Override
        public void readConnectionLost() {
            events.add("readLost");
            if (server) {
                transport().write("resp".getBytes(US_ASCII));
                transport().loseWriteConnection();
            }
        }

        @Override
        public void writeConnectionLost() {
            events.add("writeLost");
        }

        @Override
        public void connectionLost(Throwable reason) {
            events.add("lost:" + reason.getClass().getSimpleName());
            done.callback(events);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "attached"})
    void halfCloseEachWayThenConnectionDone(String mode) throws Exception {
        NettyReactor r = reactor(mode);
        HalfCloser server = new HalfCloser(true);
        ListeningPort port = r.listenTCP(0, Factory.forProtocol(() -> server), 50, LOCAL);
        HalfCloser client = new HalfCloser(false);
        r.connectTCP(LOCAL, port.getHost().getPort(), ClientFactory.forProtocol(() -> client));
        assertEquals(List.of("made", "writeLost", "data:resp", "readLost", "lost:ConnectionDone"),
                await(r, client.done));
        assertEquals(List.of("made", "data:req", "readLost", "writeLost", "lost:ConnectionDone"),
                await(r, server.done));
        stop(r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "attached"})
    void aStreamingProducerIsPausedWhileTheReaderPauses(String mode) throws Exception {
        NettyReactor r = reactor(mode);
        long target = 8L << 20;
        List<String> producerEvents = new ArrayList<>();
        ListeningPort port = r.listenTCP(0, Factory.forProtocol(() -> new Protocol() {
            long sent;
            boolean paused;
            boolean finished;

            @Override
            public void connectionMade() {
                transport().registerProducer(new PushProducer() {
                    @Override
                    public void pauseProducing() {
                        producerEvents.add("pause");
                        paused = true;
                    }

                    @Override
                    public void resumeProducing() {
                        producerEvents.add("resume");
                        paused = false;
                        produce();
                    }

                    @Override
                    public void stopProducing() {
                        finished = true;
                    }
                }, true);
                produce();
            }

            void produce() {
                byte[] chunk = new byte[16384];
                while (!paused && !finished && sent < target) {
                    transport().write(chunk);
                    sent += chunk.length;
                }
                if (sent >= target && !finished) {
                    finished = true;
                    transport().unregisterProducer();
                    transport().loseConnection();
                }
            }
        }), 50, LOCAL);
        Deferred<Long> received = new Deferred<>();
        r.connectTCP(LOCAL, port.getHost().getPort(), ClientFactory.forProtocol(() -> new Protocol() {
            long got;
            int chunks;

            @Override
            public void dataReceived(byte[] data) {
                got += data.length;
                if (++chunks % 20 == 0) {
                    transport().pauseProducing();
                    r.callLater(0.001, transport()::resumeProducing);
                }
            }

            @Override
            public void connectionLost(Throwable reason) {
                received.callback(got);
            }
        }));
        assertEquals(target, await(r, received));
        assertTrue(producerEvents.contains("pause"), "the producer was paused: " + producerEvents);
        assertEquals(producerEvents.stream().filter("pause"::equals).count(),
                producerEvents.stream().filter("resume"::equals).count(), "each pause is resumed: " + producerEvents);
        stop(r);
    }
}
