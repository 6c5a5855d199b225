package dev.weft.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorGroup;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Weft protocols hosted on every loop of a multi-loop Netty server: {@link NettyReactor#attachGroup} makes one
 * reactor per loop of the server's child group, and {@link ProtocolHandler#ProtocolHandler(ReactorGroup, Factory)}
 * runs each channel's protocol on the reactor of that channel's loop. Blocking {@link Socket} clients on loopback.
 */
@Timeout(30)
class GroupHostingTest {
    private static final int LOOPS = 3;
    private static final int WAIT_MS = (int) TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS);

    private MultiThreadIoEventLoopGroup boss;
    private MultiThreadIoEventLoopGroup workers;

    @AfterEach
    void tearDown() {
        if (boss != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aServerOnSeveralLoopsHostsEachProtocolOnTheReactorOfItsChannelsLoop() throws Exception {
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(LOOPS, NioIoHandler.newFactory());
        ReactorGroup reactors = NettyReactor.attachGroup(workers);
        assertEquals(LOOPS, reactors.size());
        Map<Thread, EventLoop> loopOfThread = new HashMap<>();
        for (EventExecutor e : workers) {
            loopOfThread.put(e.submit(Thread::currentThread).get(5, TimeUnit.SECONDS), (EventLoop) e);
        }
        for (Reactor r : reactors.members()) {
            assertTrue(((NettyReactor) r).isAttached());
        }
        RecordingFactory factory = new RecordingFactory();
        Channel server = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ProtocolHandler(reactors, factory));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        CountDownLatch running = new CountDownLatch(LOOPS);
        CountDownLatch stopped = new CountDownLatch(LOOPS);
        for (Reactor r : reactors.members()) {
            r.callWhenRunning(running::countDown);
            r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, stopped::countDown);
            ((NettyReactor) r).startRunning();
        }
        TestSupport.await(running, "every reactor to run on its loop");

        int connections = RecordingFactory.CONNECTIONS; // Netty's child group hands channels to its loops in turn
        for (int i = 0; i < connections; i++) {
            echoOnce(port, "line " + i);
        }
        TestSupport.await(factory.allLost, "every connection to be lost");
        Map<EventLoop, Integer> perLoop = new HashMap<>();
        for (RecordingProtocol p : factory.protocols) {
            Set<Thread> threads = new HashSet<>(p.threads);
            assertEquals(1, threads.size(), "every callback of a protocol on one thread: " + p.threads);
            Thread t = threads.iterator().next();
            EventLoop loop = loopOfThread.get(t);
            assertEquals(p.channelLoop, loop, "the protocol ran on its channel's loop");
            perLoop.merge(loop, 1, Integer::sum);
        }
        assertEquals(LOOPS, perLoop.size(), "every loop's reactor hosted some connections: " + perLoop);
        assertEquals(1, factory.starts.get(), "startFactory once for the group");

        server.close().sync();
        for (Reactor r : reactors.members()) {
            r.callFromThread(r::stop);
        }
        TestSupport.await(stopped, "every reactor to stop");
        assertEquals(1, factory.stops.get(), "stopFactory once, at the last reactor's shutdown");
    }

    @Test
    void attachGroupRefusesAGroupShutDownOrWithoutIoEventLoops() {
        MultiThreadIoEventLoopGroup down = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        down.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NettyReactor.attachGroup(down));
        assertTrue(e.getMessage().contains("shut down"), e.getMessage());

        DefaultEventLoopGroup plain = new DefaultEventLoopGroup(2);
        try {
            e = assertThrows(IllegalArgumentException.class, () -> NettyReactor.attachGroup(plain));
            assertTrue(e.getMessage().contains("not an io.netty.channel.IoEventLoop"), e.getMessage());
        } finally {
            plain.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
        assertThrows(NullPointerException.class, () -> NettyReactor.attachGroup(null));
    }

    @Test
    void createGroupRefusesASizeBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NettyReactor.createGroup(0));
        assertTrue(e.getMessage().startsWith("size"), e.getMessage());
    }

    @Test
    void aHandlerOfAGroupOnALoopOfNoMemberClosesTheChannel() throws Exception {
        workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ReactorGroup reactors = NettyReactor.attachGroup(workers);
        RecordingFactory factory = new RecordingFactory();
        Channel server = new ServerBootstrap()
                .group(boss, boss) // children on a loop that no member runs on
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ProtocolHandler(reactors, factory));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(WAIT_MS);
            assertEquals(-1, s.getInputStream().read(), "the channel is closed");
        }
        assertEquals(0, factory.protocols.size());
        server.close().sync();
    }

    private static void echoOnce(int port, String line) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), WAIT_MS);
            s.setSoTimeout(WAIT_MS);
            byte[] out = (line + "\n").getBytes(StandardCharsets.US_ASCII);
            OutputStream o = s.getOutputStream();
            o.write(out);
            o.flush();
            InputStream in = s.getInputStream();
            assertEquals(line + "\n", new String(in.readNBytes(out.length), StandardCharsets.US_ASCII));
        }
    }

    /** Echoes, recording the thread of every callback and the loop of its channel. */
    private static final class RecordingProtocol extends Protocol {
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final RecordingFactory owner;
        volatile EventLoop channelLoop;

        RecordingProtocol(RecordingFactory owner) {
            this.owner = owner;
        }

        @Override
        public void connectionMade() {
            threads.add(Thread.currentThread());
            channelLoop = ((NettyChannelTransport) transport()).channel().eventLoop();
        }

        @Override
        public void dataReceived(byte[] data) {
            threads.add(Thread.currentThread());
            transport().write(data);
        }

        @Override
        public void connectionLost(Throwable reason) {
            threads.add(Thread.currentThread());
            owner.allLost.countDown();
        }
    }

    /** Builds recording protocols; counts startFactory and stopFactory. */
    private static final class RecordingFactory extends Factory {
        final List<RecordingProtocol> protocols = new CopyOnWriteArrayList<>();
        static final int CONNECTIONS = 30;
        final CountDownLatch allLost = new CountDownLatch(CONNECTIONS);
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            RecordingProtocol p = new RecordingProtocol(this);
            p.setFactory(this);
            protocols.add(p);
            return p;
        }

        @Override
        protected void startFactory() {
            starts.incrementAndGet();
        }

        @Override
        protected void stopFactory() {
            stops.incrementAndGet();
        }
    }
}
