package dev.weft.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A reactor attached to a loop of a user's io_uring group: its channels are io_uring ones, readers work. */
@Timeout(20)
class AttachedIoUringTest {
    private MultiThreadIoEventLoopGroup group;
    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void setUp() throws Exception {
        TestSupport.assumeTransport("io_uring");
        group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
        loop = group.next();
        loopThread = loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void echoesOverTcpAndReadsAPipeOnTheLoopThread() throws Exception {
        NettyReactor r = NettyReactor.attach(loop);
        assertEquals("netty-attached-io_uring", r.backendName());
        assertEquals("io_uring", r.transport());
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ListeningPort port = r.listenTCP(0, Factory.forProtocol(() -> new Protocol() {
            @Override
            public void dataReceived(byte[] data) {
                threads.add(Thread.currentThread());
                transport().write(data);
            }
        }), 50, "127.0.0.1");
        Pipe p = TestSupport.pipe();
        CountDownLatch piped = new CountDownLatch(1);
        try {
            r.addReader(new TestSupport.PipeReader(p.source(), s -> {
                threads.add(Thread.currentThread());
                piped.countDown();
            }));
            r.startRunning();
            try (Socket s = new Socket("127.0.0.1", port.getHost().getPort())) {
                s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS));
                OutputStream out = s.getOutputStream();
                out.write("ping".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] back = in.readNBytes(4);
                assertEquals("ping", new String(back, StandardCharsets.US_ASCII));
            }
            TestSupport.write(p, "x");
            TestSupport.await(piped, "the pipe's reader");
            assertTrue(threads.stream().allMatch(t -> t == loopThread), "every callback on the loop: " + threads);
            CountDownLatch stopped = new CountDownLatch(1);
            r.callFromThread(() -> {
                r.addSystemEventTrigger(dev.weft.reactor.Phase.AFTER, dev.weft.reactor.ReactorCore.SHUTDOWN,
                        stopped::countDown);
                r.stop();
            });
            TestSupport.await(stopped, "the shutdown");
        } finally {
            p.source().close();
            p.sink().close();
        }
    }
}
