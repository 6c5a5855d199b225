package dev.weft.compat.reliability;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.Await;
import dev.weft.netty.NettyReactor;
import dev.weft.netty.ProtocolHandler;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorCore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reactor attached to a Netty loop, with a connection whose first event reaches the loop after
 * {@code startRunning()} has returned but before the reactor's first pass (which fires the {@code startup} event).
 * The connection must wait for that pass, as every event that comes before the reactor runs does: it must neither
 * be refused as if the reactor had stopped (a {@link ProtocolHandler} connection) nor start its protocol before
 * the reactor runs (a {@code listenTCP} connection).
 *
 * <p>The window is made deterministic by holding the loop in a task while the client connects and
 * {@code startRunning()} is called: when the task ends, the loop sees the accept before the reactor's first pass.
 * The Netty backend's {@code ProtocolHandlerTest.connectionsMadeBeforeTheReactorRunsWaitForIt} hit this window
 * now and then (the server closed the connection, logging "has stopped: closing ..."), which is how it was found.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AttachedStartupRaceTest {
    private static final String LOCAL = "127.0.0.1";

    private MultiThreadIoEventLoopGroup group;
    private EventLoop loop;
    private NettyReactor reactor;

    @BeforeEach
    void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
        reactor = NettyReactor.attach(loop);
    }

    @AfterEach
    void tearDown() {
        try {
            if (reactor.isRunning()) {
                CountDownLatch done = new CountDownLatch(1);
                reactor.callFromThread(() -> {
                    reactor.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, done::countDown);
                    reactor.stop();
                });
                Await.latch(done, "the reactor to stop");
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** An echo protocol that notes whether the reactor was running when it was made. */
    private final class Echo extends Protocol {
        private final List<String> events;

        Echo(List<String> events) {
            this.events = events;
        }

        @Override
        public void connectionMade() {
            events.add("connectionMade, running=" + reactor.isRunning());
        }

        @Override
        public void dataReceived(byte[] data) {
            transport.write(data);
        }
    }

    /**
     * Connects a client while the loop is held, then calls {@code startRunning()} and releases the loop.
     *
     * @return the connected client socket
     */
    private Socket connectWhileTheLoopIsHeldThenStart(int port, List<String> events) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            Await.latchWithin(release, Await.TIMEOUT);
        });
        Await.latch(held, "the loop to be held");
        Socket s = new Socket(LOCAL, port); // the kernel completes the handshake; the loop has not accepted yet
        s.setSoTimeout((int) Await.TIMEOUT.toMillis());
        reactor.callWhenRunning(() -> events.add("callWhenRunning"));
        reactor.startRunning();
        release.countDown();
        return s;
    }

    private static String echo(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[text.length()];
        int got = 0;
        while (got < buf.length) {
            int n = in.read(buf, got, buf.length - got);
            if (n < 0) {
                return "(end of stream after " + got + " bytes: the server closed the connection)";
            }
            got += n;
        }
        return new String(buf, US_ASCII);
    }

    @Test
    void aProtocolHandlerConnectionAcceptedBeforeTheFirstPassIsServedOnceTheReactorRuns() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        Factory factory = Factory.forProtocol(() -> new Echo(events));
        Channel server = new ServerBootstrap()
                .group(loop, loop)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ProtocolHandler(reactor, factory));
                    }
                })
                .bind(new InetSocketAddress(LOCAL, 0)).sync().channel();
        try (Socket s = connectWhileTheLoopIsHeldThenStart(((InetSocketAddress) server.localAddress()).getPort(),
                events)) {
            assertEquals("hello", echo(s, "hello"), "events: " + events);
        } finally {
            server.close().sync();
        }
        assertEquals(List.of("callWhenRunning", "connectionMade, running=true"), events);
    }

    @Test
    void aListenTcpConnectionAcceptedBeforeTheFirstPassStartsAfterStartup() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(() -> new Echo(events)), 50, LOCAL);
        try (Socket s = connectWhileTheLoopIsHeldThenStart(port.getHost().getPort(), events)) {
            assertEquals("hello", echo(s, "hello"), "events: " + events);
        }
        assertEquals(List.of("callWhenRunning", "connectionMade, running=true"), events);
        assertTrue(reactor.isRunning());
    }
}
