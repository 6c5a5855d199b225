package dev.weft.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorCore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Netty server serving its own echo handler, with a reactor attached to its one event loop: the reactor's
 * timers and thread calls interleave with the server's handlers on the loop's thread, and the server keeps serving
 * after the reactor stopped.
 */
@Timeout(20)
class ServerInteropTest {

    /** Echoes each read; while the reactor runs, also schedules a reactor timer and a thread call per read. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        private final NettyReactor reactor;
        private final List<String> events;
        private final List<Thread> threads;

        Echo(NettyReactor reactor, List<String> events, List<Thread> threads) {
            this.reactor = reactor;
            this.events = events;
            this.threads = threads;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            String s = ((ByteBuf) msg).toString(StandardCharsets.US_ASCII);
            record("read:" + s);
            if (reactor.isRunning()) {
                reactor.callLater(0, () -> record("timer:" + s));
                reactor.callFromThread(() -> record("thread:" + s));
            }
            ctx.writeAndFlush(msg);
        }

        private void record(String e) {
            events.add(e);
            threads.add(Thread.currentThread());
        }
    }

    @Test
    void reactorAndServerShareTheLoopAndTheServerOutlivesTheReactor() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            Thread loopThread = loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
            NettyReactor reactor = NettyReactor.attach(loop);
            List<String> events = new CopyOnWriteArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            Channel server = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new Echo(reactor, events, threads));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();

            CountDownLatch ticked = new CountDownLatch(3);
            CountDownLatch stopped = new CountDownLatch(1);
            reactor.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, stopped::countDown);
            CountDownLatch running = new CountDownLatch(1);
            reactor.callWhenRunning(() -> {
                running.countDown();
                tick(reactor, ticked, threads);
            });
            reactor.startRunning();
            TestSupport.await(running, "the reactor to start on the server's loop");

            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS));
                assertEquals("a", exchange(client, "a"));
                TestSupport.await(ticked, "reactor timers to tick while the server serves");
                CountDownLatch seen = new CountDownLatch(1);
                // after "a" was echoed, its timer and thread call have run or will before this thread call returns
                reactor.callFromThread(() -> reactor.callLater(0, seen::countDown));
                TestSupport.await(seen, "the reactor to catch up");
                assertEquals(List.of("read:a", "thread:a", "timer:a"), events,
                        "a read's thread call and callLater(0) run in the reactor's next pass, in that order");

                reactor.callFromThread(reactor::stop);
                TestSupport.await(stopped, "the reactor to stop");
                assertFalse(loop.isShuttingDown(), "stopping the reactor must not shut down the server's loop");
                assertEquals("b", exchange(client, "b"));
            }
            try (Socket another = new Socket("127.0.0.1", port)) {
                another.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS));
                assertEquals("c", exchange(another, "c"));
            }
            List<String> after = new ArrayList<>(events).subList(3, events.size());
            assertEquals(List.of("read:b", "read:c"), after, "after stop the server serves without the reactor");
            assertTrue(threads.size() >= 6);
            for (Thread t : threads) {
                assertSame(loopThread, t, "every handler and reactor callback runs on the loop's thread");
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void tick(NettyReactor reactor, CountDownLatch ticked, List<Thread> threads) {
        reactor.callLater(0.005, () -> {
            threads.add(Thread.currentThread());
            ticked.countDown();
            if (ticked.getCount() > 0) {
                tick(reactor, ticked, threads);
            }
        });
    }

    private static String exchange(Socket s, String text) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[text.length()];
        int n = 0;
        while (n < buf.length) {
            int k = in.read(buf, n, buf.length - n);
            if (k < 0) {
                throw new AssertionError("the server closed the connection");
            }
            n += k;
        }
        return new String(buf, StandardCharsets.US_ASCII);
    }
}
