package dev.weft.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link AcceptReadiness} on an io_uring loop: its action runs once a connection waits on the listening socket, not
 * before, and not after {@code stop()}; and the io_uring default the backend sets ({@link IoUringDefaults}).
 */
@Timeout(20)
class AcceptReadinessTest {
    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop loop;
    private Channel server;

    @BeforeEach
    void setUp() throws Exception {
        TestSupport.assumeTransport("io_uring");
        group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
        loop = (IoEventLoop) group.next();
        server = NettySockets.IO_URING.bindListening(new InetSocketAddress("127.0.0.1", 0), 50, false);
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.unsafe().closeForcibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> op) throws Exception {
        return loop.submit(op).get(TestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void runsItsActionOnceAConnectionWaitsOnTheLoopThread() throws Exception {
        int fd = ((UnixChannel) server).fd().intValue();
        AcceptReadiness readiness = onLoop(() -> new AcceptReadiness(loop, fd));
        CountDownLatch ready = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Thread[] ranOn = new Thread[1];
        assertTrue(onLoop(() -> readiness.whenReady(() -> {
            ranOn[0] = Thread.currentThread();
            runs.incrementAndGet();
            ready.countDown();
        })));
        // Nothing waits on the socket: nothing has run.
        assertEquals(0, (int) onLoop(runs::get), "no connection waits yet");
        try (Socket client = new Socket("127.0.0.1", port())) {
            TestSupport.await(ready, "the readiness of a waiting connection");
            assertEquals(1, runs.get());
            assertTrue(onLoop(() -> loop.inEventLoop(ranOn[0])), "on the loop thread");
            onLoop(() -> {
                readiness.stop();
                return null;
            });
            assertFalse(onLoop(() -> readiness.whenReady(runs::incrementAndGet)), "stopped: nothing more runs");
        }
    }

    @Test
    void aStoppedWatchRunsNothingWhenAConnectionComes() throws Exception {
        int fd = ((UnixChannel) server).fd().intValue();
        AcceptReadiness readiness = onLoop(() -> new AcceptReadiness(loop, fd));
        AtomicInteger runs = new AtomicInteger();
        onLoop(() -> {
            readiness.whenReady(runs::incrementAndGet);
            readiness.stop();
            return null;
        });
        // A second watch of the same socket sees the connection; the stopped one, polled in the same turns, did not.
        AcceptReadiness other = onLoop(() -> new AcceptReadiness(loop, fd));
        CountDownLatch seen = new CountDownLatch(1);
        onLoop(() -> other.whenReady(seen::countDown));
        try (Socket client = new Socket("127.0.0.1", port())) {
            TestSupport.await(seen, "the second watch");
            assertEquals(0, (int) onLoop(runs::get), "the stopped watch ran nothing");
            onLoop(() -> {
                other.stop();
                return null;
            });
        }
    }

    @Test
    void theBackendTurnsNettysMultishotAcceptsOffUnlessTheUserChose() {
        String chosen = System.getProperty(IoUringDefaults.ACCEPT_MULTISHOT);
        IoUringDefaults.apply();
        assertEquals(chosen, System.getProperty(IoUringDefaults.ACCEPT_MULTISHOT), "set already: left as it is");
        if ("false".equals(chosen)) {
            assertFalse(IoUring.isAcceptMultishotEnabled(), "Netty read the default before it initialised IoUring");
        }
    }
}
