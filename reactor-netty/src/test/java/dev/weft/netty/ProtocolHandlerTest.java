package dev.weft.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Factory;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PushProducer;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.spi.StreamTransport;
import dev.weft.testing.TestCertificates;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipelineException;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.logging.LoggingHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProtocolHandler} in a real Netty server on a caller-owned one-loop group, behind the user's own handlers,
 * with the reactor attached to the same loop; blocking {@link Socket} clients on loopback.
 */
@Timeout(30)
class ProtocolHandlerTest {
    private static final String LOCAL = "127.0.0.1";
    private static final int WAIT_MS = (int) TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS);

    private MultiThreadIoEventLoopGroup group;
    private MultiThreadIoEventLoopGroup otherGroup;
    private EventLoop loop;
    private Thread loopThread;
    private NettyReactor reactor;
    private boolean started;
    private boolean stopped;

    @BeforeEach
    void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
        loopThread = loop.submit(Thread::currentThread).get(TestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        reactor = NettyReactor.attach(loop);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (started && !stopped) {
                stopReactor();
            }
        } finally {
            if (otherGroup != null) {
                otherGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ---------------------------------------------------------------- helpers

    private void startReactor() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        reactor.callWhenRunning(running::countDown);
        reactor.startRunning();
        started = true;
        TestSupport.await(running, "the reactor to run on the server's loop");
    }

    private void stopReactor() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        reactor.callFromThread(() -> {
            reactor.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, done::countDown);
            reactor.stop();
        });
        TestSupport.await(done, "the reactor to stop");
        stopped = true;
    }

    /** A server on {@code on} whose children get the handlers {@code init} adds. Returns its port. */
    private static int serve(EventLoop on, Consumer<SocketChannel> init) throws InterruptedException {
        Channel server = new ServerBootstrap()
                .group(on, on)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init.accept(ch);
                    }
                })
                .bind(new InetSocketAddress(LOCAL, 0)).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private int serve(Consumer<SocketChannel> init) throws InterruptedException {
        return serve(loop, init);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(LOCAL, port);
        s.setSoTimeout(WAIT_MS);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(US_ASCII));
        out.flush();
    }

    /** Reads one line, without its "\r\n"; null at the end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(US_ASCII);
    }

    /** Reads to the end of stream; a reset also ends it. */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                all.write(buf, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // the peer reset the connection: that ends it too
        }
        return all.toString(US_ASCII);
    }

    private static NettyChannelTransport nettyTransport(Protocol p) {
        return (NettyChannelTransport) p.transport();
    }

    /** What a protocol saw, for the test thread (written on the loop, read after a latch). */
    private static final class Probe {
        final CountDownLatch made = new CountDownLatch(1);
        final CountDownLatch lost = new CountDownLatch(1);
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile Channel channel;
        volatile boolean handlerHasTheTransport;
        volatile Thread timerThread;
        volatile boolean timerOnChannelLoop;
        volatile double timerDelay = -1;
        volatile Throwable reason;
    }

    /** Answers each "PING" line with "PONG" 50 ms later, from a reactor timer, noting where the timer ran. */
    private final class PingPong extends LineReceiver {
        private final Probe probe;

        PingPong(Probe probe) {
            this.probe = probe;
        }

        @Override
        public void connectionMade() {
            Channel ch = nettyTransport(this).channel();
            probe.channel = ch;
            ProtocolHandler handler = ch.pipeline().get(ProtocolHandler.class);
            probe.handlerHasTheTransport = handler != null && handler.transport() == transport()
                    && handler.protocol() == this;
            probe.made.countDown();
        }

        @Override
        protected void lineReceived(byte[] line) {
            String s = new String(line, US_ASCII);
            probe.events.add("line:" + s);
            if (s.equals("PING")) {
                double at = reactor.seconds();
                Channel ch = nettyTransport(this).channel();
                reactor.callLater(0.05, () -> {
                    probe.timerThread = Thread.currentThread();
                    probe.timerOnChannelLoop = ch.eventLoop().inEventLoop();
                    probe.timerDelay = reactor.seconds() - at;
                    sendLine("PONG");
                });
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            probe.reason = reason;
            probe.lost.countDown();
        }
    }

    /** A user's metrics handler: counts the bytes that pass each way. */
    private static final class ByteCounter extends ChannelDuplexHandler {
        final AtomicLong in = new AtomicLong();
        final AtomicLong out = new AtomicLong();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf) {
                in.addAndGet(((ByteBuf) msg).readableBytes());
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf) {
                out.addAndGet(((ByteBuf) msg).readableBytes());
            }
            ctx.write(msg, promise);
        }
    }

    /** A half-closeable echo: on the peer's end of stream it writes "bye" and shuts its own side. */
    private static final class HalfCloser extends Protocol implements HalfCloseableProtocol {
        final Probe probe;
        final StringBuilder data = new StringBuilder();

        HalfCloser(Probe probe) {
            this.probe = probe;
        }

        @Override
        public void dataReceived(byte[] bytes) {
            data.append(new String(bytes, US_ASCII));
            transport().write(bytes);
        }

        @Override
        public void readConnectionLost() {
            probe.events.add("readLost:" + data);
            transport().write("bye".getBytes(US_ASCII));
            transport().loseWriteConnection();
        }

        @Override
        public void writeConnectionLost() {
            probe.events.add("writeLost");
        }

        @Override
        public void connectionLost(Throwable reason) {
            probe.events.add("lost:" + reason.getClass().getSimpleName());
            probe.reason = reason;
            probe.lost.countDown();
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void pingIsAnsweredFromAReactorTimerOnTheChannelsLoopBehindTheUsersHandlers() throws Exception {
        Probe probe = new Probe();
        AtomicReference<Channel> child = new AtomicReference<>();
        AtomicReference<ByteCounter> counter = new AtomicReference<>();
        Factory factory = Factory.forProtocol(() -> new PingPong(probe));
        int port = serve(ch -> {
            child.set(ch);
            counter.set(new ByteCounter());
            ch.pipeline().addLast(new LoggingHandler(LogLevel.DEBUG), counter.get(),
                    new IdleStateHandler(0, 0, 60), new ProtocolHandler(reactor, factory));
        });
        startReactor();
        try (Socket s = connect(port)) {
            send(s, "PING\r\n");
            assertEquals("PONG", readLine(s.getInputStream()));
            TestSupport.await(probe.made, "connectionMade");
            assertSame(loopThread, probe.timerThread, "the reactor's timer runs on the server's loop thread");
            assertTrue(probe.timerOnChannelLoop, "the timer runs on the channel's event loop");
            assertTrue(probe.timerDelay >= 0.049, "PONG waited for the 50 ms timer: " + probe.timerDelay);
            assertSame(child.get(), probe.channel, "the transport's channel() is the child channel");
            assertTrue(probe.handlerHasTheTransport, "ProtocolHandler.transport() is the protocol's transport");
            assertEquals(6, counter.get().in.get(), "the user's handler in front saw the bytes read");
            assertEquals(6, counter.get().out.get(), "the user's handler in front saw the bytes written");
        }
        TestSupport.await(probe.lost, "connectionLost after the client closed");
        assertInstanceOf(ConnectionDone.class, probe.reason, "the peer's close is clean: " + probe.reason);
        assertEquals(List.of("line:PING"), probe.events);
    }

    @Test
    void aBodyResumedByTheUsersHandlerWritesInProgramOrderWithThatHandlersWrites() throws Exception {
        CountDownLatch made = new CountDownLatch(1);
        AtomicReference<Deferred<Void>> gate = new AtomicReference<>();
        Factory factory = Factory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                Deferred<Void> g = new Deferred<>();
                gate.set(g);
                Deferred.fromCoroutine(() -> {
                    g.await();
                    transport().write("b0 ".getBytes(US_ASCII)); // from the body, resumed by the user's handler
                    return null;
                });
                made.countDown();
            }
        });
        int port = serve(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                ctx.writeAndFlush(Unpooled.copiedBuffer("u0 ", US_ASCII));
                gate.get().callback(null); // the body runs inside this call, on the loop's behalf
                ctx.writeAndFlush(Unpooled.copiedBuffer("u1\r\n", US_ASCII));
            }
        }, new ProtocolHandler(reactor, factory)));
        startReactor();
        try (Socket s = connect(port)) {
            TestSupport.await(made, "connectionMade");
            send(s, "go\r\n");
            assertEquals("u0 b0 u1", readLine(s.getInputStream()),
                    "a body's write must reach the peer between the writes the handler made before and after");
        }
    }

    @Test
    void connectionsMadeBeforeTheReactorRunsWaitForIt() throws Exception {
        Probe probe = new Probe();
        int port = serve(ch -> ch.pipeline().addLast(new ProtocolHandler(reactor,
                Factory.forProtocol(() -> new PingPong(probe)))));
        try (Socket s = connect(port)) {
            send(s, "PING\r\n");
            loop.submit(() -> { }).get(TestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, probe.made.getCount(), "no protocol runs before the reactor does");
            startReactor();
            assertEquals("PONG", readLine(s.getInputStream()));
        }
        TestSupport.await(probe.lost, "connectionLost");
        assertInstanceOf(ConnectionDone.class, probe.reason);
    }

    @Test
    void theFactoryStartsAtItsFirstConnectionAndStopsOnceAfterItsConnectionsAtShutdown() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        BlockingQueue<Integer> made = new LinkedBlockingQueue<>();
        Factory factory = new Factory() {
            private int built;

            @Override
            protected void startFactory() {
                events.add("start");
            }

            @Override
            protected void stopFactory() {
                events.add("stop");
            }

            @Override
            public Protocol buildProtocol(InetSocketAddress address) {
                int id = ++built;
                events.add("build" + id);
                Protocol p = new Protocol() {
                    @Override
                    public void connectionMade() {
                        events.add("made" + id);
                        made.add(id);
                    }

                    @Override
                    public void connectionLost(Throwable reason) {
                        events.add("lost" + id + ":" + reason.getClass().getSimpleName());
                    }
                };
                p.setFactory(this);
                return p;
            }
        };
        // Two servers (two "ports") share the factory: still one doStart and one doStop on this reactor.
        int port1 = serve(ch -> ch.pipeline().addLast(new ProtocolHandler(reactor, factory)));
        int port2 = serve(ch -> ch.pipeline().addLast(new ProtocolHandler(reactor, factory)));
        startReactor();
        assertEquals(List.of(), events, "a factory no connection used is not started");
        try (Socket a = connect(port1)) {
            assertEquals(1, made.poll(TestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            try (Socket b = connect(port2)) {
                assertEquals(2, made.poll(TestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertEquals(List.of("start", "build1", "made1", "build2", "made2"), events);
                stopReactor();
                assertEquals("", readToEnd(a.getInputStream()), "the reactor's shutdown closes its connections");
                assertEquals("", readToEnd(b.getInputStream()));
            }
        }
        assertEquals(List.of("start", "build1", "made1", "build2", "made2", "lost1:ConnectionLost",
                "lost2:ConnectionLost", "stop"), events, "doStop once, after the connections were lost");
        assertEquals(0, factory.numPorts());
        try (Socket c = connect(port1)) {
            assertEquals("", readToEnd(c.getInputStream()), "after the reactor stopped, channels are closed");
        }
        assertEquals(8, events.size(), "no protocol is built once the reactor has stopped: " + events);
    }

    @Test
    void withHalfClosureAllowedTheProtocolWritesAfterThePeersEndOfStream() throws Exception {
        Probe probe = new Probe();
        int port = serve(ch -> {
            ch.config().setAllowHalfClosure(true);
            ch.pipeline().addLast(new ProtocolHandler(reactor, Factory.forProtocol(() -> new HalfCloser(probe))));
        });
        startReactor();
        try (Socket s = connect(port)) {
            send(s, "hello");
            s.shutdownOutput();
            assertEquals("hellobye", readToEnd(s.getInputStream()));
        }
        TestSupport.await(probe.lost, "connectionLost");
        assertEquals(List.of("readLost:hello", "writeLost", "lost:ConnectionDone"), probe.events);
    }

    @Test
    void withoutHalfClosureThePeersEndOfStreamClosesWithConnectionDone() throws Exception {
        Probe halfCloser = new Probe();
        int port = serve(ch -> ch.pipeline().addLast(new ProtocolHandler(reactor,
                Factory.forProtocol(() -> new HalfCloser(halfCloser)))));
        Probe plain = new Probe();
        int plainPort = serve(ch -> ch.pipeline().addLast(new ProtocolHandler(reactor,
                Factory.forProtocol(() -> new PingPong(plain)))));
        startReactor();
        try (Socket s = connect(port)) {
            send(s, "hello");
            s.shutdownOutput();
            readToEnd(s.getInputStream());
        }
        TestSupport.await(halfCloser.lost, "connectionLost of the half-closeable protocol");
        assertEquals(List.of("readLost:hello", "writeLost", "lost:ConnectionDone"), halfCloser.events,
                "Netty closed the channel at the end of stream: both halves are gone");
        try (Socket s = connect(plainPort)) {
            send(s, "HI\r\n");
            s.shutdownOutput();
            assertEquals("", readToEnd(s.getInputStream()));
        }
        TestSupport.await(plain.lost, "connectionLost of the plain protocol");
        assertInstanceOf(ConnectionDone.class, plain.reason);
        assertEquals(List.of("line:HI"), plain.events, "the data before the end of stream is delivered");
    }

    @Test
    void aChannelClosedByAnIdleHandlerInFrontGivesConnectionDone() throws Exception {
        Probe probe = new Probe();
        int port = serve(ch -> ch.pipeline().addLast(
                new IdleStateHandler(0, 0, 100, TimeUnit.MILLISECONDS),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof IdleStateEvent) {
                            ctx.close();
                        } else {
                            ctx.fireUserEventTriggered(evt);
                        }
                    }
                },
                new ProtocolHandler(reactor, Factory.forProtocol(() -> new PingPong(probe)))));
        startReactor();
        try (Socket s = connect(port)) {
            assertNull(readLine(s.getInputStream()), "the idle handler closes the channel");
        }
        TestSupport.await(probe.lost, "connectionLost");
        assertInstanceOf(ConnectionDone.class, probe.reason, "closed by a handler, without an error");
    }

    @Test
    void abortConnectionGivesConnectionAborted() throws Exception {
        Probe probe = new Probe();
        int port = serve(ch -> ch.pipeline().addLast(new ProtocolHandler(reactor, Factory.forProtocol(
                () -> new LineReceiver() {
                    @Override
                    protected void lineReceived(byte[] line) {
                        probe.events.add("line:" + new String(line, US_ASCII));
                        transport().abortConnection();
                        probe.events.add("aborted");
                    }

                    @Override
                    public void connectionLost(Throwable reason) {
                        probe.events.add("lost");
                        probe.reason = reason;
                        probe.lost.countDown();
                    }
                }))));
        startReactor();
        try (Socket s = connect(port)) {
            send(s, "ABORT\r\n");
            assertEquals("", readToEnd(s.getInputStream()));
        }
        TestSupport.await(probe.lost, "connectionLost");
        assertInstanceOf(ConnectionAborted.class, probe.reason);
        assertEquals(List.of("line:ABORT", "aborted", "lost"), probe.events, "never inside abortConnection");
    }

    @Test
    void aStreamingProducerIsPausedBySlowReaderAndResumed() throws Exception {
        long target = 4L << 20;
        int chunk = 16 * 1024;
        List<String> producerEvents = new CopyOnWriteArrayList<>();
        AtomicLong bufferedAtFirstPause = new AtomicLong(-1);
        CountDownLatch paused = new CountDownLatch(1);
        Probe probe = new Probe();
        AtomicReference<ByteCounter> counter = new AtomicReference<>();
        Supplier<Protocol> streamer = () -> new Protocol() {
            long sent;
            boolean producerPaused;
            boolean finished;

            @Override
            public void connectionMade() {
                transport().registerProducer(new PushProducer() {
                    @Override
                    public void pauseProducing() {
                        producerEvents.add("pause");
                        producerPaused = true;
                        bufferedAtFirstPause.compareAndSet(-1, ((StreamTransport) transport()).writeBufferSize());
                        paused.countDown();
                    }

                    @Override
                    public void resumeProducing() {
                        producerEvents.add("resume");
                        producerPaused = false;
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
                byte[] bytes = new byte[chunk];
                while (!producerPaused && !finished && sent < target) {
                    transport().write(bytes);
                    sent += bytes.length;
                }
                if (sent >= target && !finished) {
                    finished = true;
                    transport().unregisterProducer();
                    transport().loseConnection();
                }
            }

            @Override
            public void connectionLost(Throwable reason) {
                probe.reason = reason;
                probe.lost.countDown();
            }
        };
        int port = serve(ch -> {
            ch.config().setSendBufferSize(16 * 1024);
            counter.set(new ByteCounter());
            ch.pipeline().addLast(counter.get(), new ProtocolHandler(reactor, Factory.forProtocol(streamer)));
        });
        startReactor();
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.setSoTimeout(WAIT_MS);
            s.connect(new InetSocketAddress(LOCAL, port));
            TestSupport.await(paused, "the producer to be paused while the client reads nothing");
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            long got = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                got += n;
            }
            assertEquals(target, got);
        }
        TestSupport.await(probe.lost, "connectionLost");
        assertInstanceOf(ConnectionDone.class, probe.reason);
        long buffered = bufferedAtFirstPause.get();
        assertTrue(buffered > StreamTransport.WRITE_BUFFER_LIMIT && buffered <= StreamTransport.WRITE_BUFFER_LIMIT
                + chunk, "paused as soon as more than 64 KiB were buffered: " + buffered);
        long pauses = producerEvents.stream().filter("pause"::equals).count();
        long resumes = producerEvents.stream().filter("resume"::equals).count();
        // The last write may pause the producer just before it unregisters: that one pause is never resumed.
        assertTrue(resumes >= 1 && (pauses == resumes || pauses == resumes + 1),
                "each pause but perhaps the last is resumed: " + producerEvents);
        assertEquals(target, counter.get().out.get(), "every byte went through the user's handler");
    }

    @Test
    void theUsersSslHandlerInFrontCarriesTheProtocol() throws Exception {
        TestCertificates certs = TestCertificates.selfSigned("localhost");
        Probe probe = new Probe();
        int port = serve(ch -> {
            SSLEngine engine = certs.serverContext().createSSLEngine();
            engine.setUseClientMode(false);
            ch.pipeline().addLast(new SslHandler(engine),
                    new ProtocolHandler(reactor, Factory.forProtocol(() -> new PingPong(probe))));
        });
        startReactor();
        try (SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory().createSocket(LOCAL, port)) {
            s.setSoTimeout(WAIT_MS);
            SSLParameters params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(params);
            send(s, "PING\r\n");
            assertEquals("PONG", readLine(s.getInputStream()));
            TestSupport.await(probe.made, "connectionMade");
            String serverSide = loop.submit(() -> {
                SslHandler ssl = probe.channel.pipeline().get(SslHandler.class);
                return ssl.engine().getSession().getProtocol();
            }).get(TestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(s.getSession().getProtocol(), serverSide);
            assertTrue(serverSide.startsWith("TLS"), serverSide);
        }
        TestSupport.await(probe.lost, "connectionLost");
        assertInstanceOf(ConnectionDone.class, probe.reason, "the TLS client closed cleanly: " + probe.reason);
    }

    /** Reads a first line, then hands the channel (and the bytes after that line) to a ProtocolHandler. */
    private final class Sniffer extends ChannelInboundHandlerAdapter {
        private final Factory factory;
        private ByteBuf seen;

        Sniffer(Factory factory) {
            this.factory = factory;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (seen == null) {
                seen = ctx.alloc().buffer();
            }
            seen.writeBytes(in);
            in.release();
            int nl = seen.indexOf(seen.readerIndex(), seen.writerIndex(), (byte) '\n');
            if (nl < 0) {
                return;
            }
            String first = seen.readCharSequence(nl - seen.readerIndex(), US_ASCII).toString();
            seen.skipBytes(1);
            ByteBuf rest = seen;
            seen = null;
            if (!first.equals("WEFT")) {
                rest.release();
                ctx.close();
                return;
            }
            ctx.pipeline().addLast(new ProtocolHandler(reactor, factory));
            if (rest.isReadable()) {
                ctx.fireChannelRead(rest);
            } else {
                rest.release();
            }
            ctx.pipeline().remove(this);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (seen != null) {
                seen.release();
                seen = null;
            }
        }
    }

    @Test
    void addedToAnActiveChannelItStartsAtOnceAndGetsTheBytesPassedOn() throws Exception {
        Probe probe = new Probe();
        AtomicReference<Channel> child = new AtomicReference<>();
        Factory factory = Factory.forProtocol(() -> new PingPong(probe));
        int port = serve(ch -> {
            child.set(ch);
            ch.pipeline().addLast(new Sniffer(factory));
        });
        startReactor();
        try (Socket s = connect(port)) {
            send(s, "WEFT\nPING\r\n");
            InputStream in = s.getInputStream();
            assertEquals("PONG", readLine(in));
            send(s, "PING\r\n");
            assertEquals("PONG", readLine(in));
            assertSame(child.get(), probe.channel);
        }
        TestSupport.await(probe.lost, "connectionLost");
        assertInstanceOf(ConnectionDone.class, probe.reason);
        assertEquals(List.of("line:PING", "line:PING"), probe.events);
    }

    @Test
    void removingTheHandlerDetachesTheProtocolAndLeavesTheChannelOpen() throws Exception {
        Probe probe = new Probe();
        int port = serve(ch -> ch.pipeline().addLast(new ProtocolHandler(reactor, Factory.forProtocol(
                () -> new LineReceiver() {
                    @Override
                    protected void lineReceived(byte[] line) {
                        Channel c = nettyTransport(this).channel();
                        reactor.callLater(0, () -> {
                            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.writeAndFlush(msg);
                                }
                            });
                            c.pipeline().remove(ProtocolHandler.class);
                        });
                    }

                    @Override
                    public void connectionLost(Throwable reason) {
                        probe.reason = reason;
                        probe.lost.countDown();
                    }
                }))));
        startReactor();
        try (Socket s = connect(port)) {
            send(s, "SWITCH\r\n");
            TestSupport.await(probe.lost, "connectionLost once the handler is removed");
            assertInstanceOf(ConnectionLost.class, probe.reason);
            assertInstanceOf(ChannelPipelineException.class, probe.reason.getCause());
            send(s, "abc");
            byte[] echoed = new byte[3];
            int n = 0;
            while (n < 3) {
                int k = s.getInputStream().read(echoed, n, 3 - n);
                assertTrue(k > 0, "the channel stays open for the handlers that remain");
                n += k;
            }
            assertEquals("abc", new String(echoed, US_ASCII));
        }
    }

    @Test
    void aHandlerOnAnotherLoopThanTheReactorsIsRefusedAndItsChannelClosed() throws Exception {
        otherGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicReference<Throwable> caught = new AtomicReference<>();
        CountDownLatch reported = new CountDownLatch(1);
        Factory factory = Factory.forProtocol(() -> new PingPong(new Probe()));
        // Added once the channel is active, so that the refusal reaches this handler (a ChannelInitializer in
        // the pipeline would catch it first, log it and close the channel).
        int port = serve(otherGroup.next(), ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.pipeline().addLast(new ProtocolHandler(reactor, factory));
                ctx.fireChannelActive();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                caught.set(cause);
                reported.countDown();
            }
        }));
        startReactor();
        try (Socket s = connect(port)) {
            assertEquals("", readToEnd(s.getInputStream()), "the channel is closed");
        }
        TestSupport.await(reported, "the refusal to reach the pipeline");
        Throwable refusal = caught.get();
        assertInstanceOf(ChannelPipelineException.class, refusal);
        assertInstanceOf(IllegalStateException.class, refusal.getCause());
        String message = refusal.getCause().getMessage();
        assertTrue(message.contains("NettyReactor.attach(ch.eventLoop())"), message);
        assertEquals(0, factory.numPorts(), "the factory was not started");
    }

    @Test
    void theHandlerIsNotSharable() {
        ProtocolHandler h = new ProtocolHandler(reactor, Factory.forProtocol(() -> new PingPong(new Probe())));
        assertFalse(h.isSharable());
        assertNull(h.transport());
        assertNull(h.protocol());
        assertNotNull(h.toString());
    }
}
