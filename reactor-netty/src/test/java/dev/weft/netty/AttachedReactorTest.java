package dev.weft.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorAlreadyRunningException;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorNotRestartableException;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AttachedReactorTest {
    private MultiThreadIoEventLoopGroup group;
    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
        loopThread = loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void startRunningRunsEverythingOnTheLoopAndStopLeavesTheGroupAlone() throws Exception {
        NettyReactor r = NettyReactor.attach(loop);
        assertTrue(r.isAttached());
        assertEquals("netty-attached-nio", r.backendName());
        assertSame(loop, r.eventLoop());
        List<String> events = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.STARTUP, () -> {
            events.add("startup");
            threads.add(Thread.currentThread());
        });
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> {
            events.add("shutdown");
            threads.add(Thread.currentThread());
            stopped.countDown();
        });
        r.callLater(0.02, () -> {
            events.add("b");
            threads.add(Thread.currentThread());
            r.stop();
        });
        r.callLater(0.01, () -> {
            events.add("a");
            threads.add(Thread.currentThread());
        });
        r.startRunning();
        assertThrows(ReactorAlreadyRunningException.class, r::startRunning);
        TestSupport.await(stopped, "the reactor to stop");
        assertEquals(List.of("startup", "a", "b", "shutdown"), events);
        for (Thread t : threads) {
            assertSame(loopThread, t);
        }
        assertFalse(loop.isShuttingDown(), "stop() must not shut down the borrowed loop");
        assertEquals("ok", loop.submit(() -> "ok").get(5, TimeUnit.SECONDS));
        assertThrows(ReactorNotRestartableException.class, r::startRunning);
    }

    @Test
    void resetAndDelayFromANettyTaskBringTheArmedTimerForward() throws Exception {
        NettyReactor r = NettyReactor.attach(loop);
        CountDownLatch fired = new CountDownLatch(2);
        AtomicReference<DelayedCall> a = new AtomicReference<>();
        AtomicReference<DelayedCall> b = new AtomicReference<>();
        CountDownLatch scheduled = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, stopped::countDown);
        r.callWhenRunning(() -> {
            a.set(r.callLater(60, fired::countDown));
            b.set(r.callLater(60, fired::countDown));
            scheduled.countDown();
        });
        r.startRunning();
        TestSupport.await(scheduled, "the calls to be scheduled");
        // Outside the reactor's passes, as a Netty handler would: the one Netty timer is armed for 60 s.
        loop.execute(() -> {
            a.get().reset(0.01);
            b.get().delay(-59.99);
        });
        TestSupport.await(fired, "the calls made earlier from a Netty task to run");
        r.callFromThread(r::stop);
        TestSupport.await(stopped, "the reactor to stop");
    }

    @Test
    void runFromAnotherThreadBlocksUntilStoppedAndCallFromThreadWorks() throws Exception {
        NettyReactor r = NettyReactor.attach(loop);
        AtomicReference<Thread> seen = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        r.callWhenRunning(running::countDown);
        Thread runner = new Thread(r::run, "attached-run");
        runner.start();
        TestSupport.await(running, "the reactor to start");
        assertTrue(runner.isAlive(), "run() blocks while the reactor runs");
        r.callFromThread(() -> {
            seen.set(Thread.currentThread());
            r.stop();
        });
        runner.join(TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS));
        assertFalse(runner.isAlive(), "run() returns after stop()");
        assertSame(loopThread, seen.get());
    }

    @Test
    void crashEndsRunAndRunWorksAgain() throws Exception {
        NettyReactor r = NettyReactor.attach(loop);
        List<String> events = new CopyOnWriteArrayList<>();
        r.callWhenRunning(() -> {
            events.add("first");
            r.crash();
        });
        r.run();
        r.callLater(0, () -> {
            events.add("second");
            r.stop();
        });
        r.run();
        assertEquals(List.of("first", "second"), events);
    }

    @Test
    void iterateRunsOnePassOnTheLoop() {
        NettyReactor r = NettyReactor.attach(loop);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        r.callLater(0, () -> threads.add(Thread.currentThread()));
        r.iterate(0);
        r.iterate(0);
        assertEquals(List.of(loopThread), threads);
    }

    @Test
    void readerOnAttachedLoop() throws Exception {
        NettyReactor r = NettyReactor.attach(loop);
        Pipe p = TestSupport.pipe();
        try {
            List<String> got = new CopyOnWriteArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            r.addReader(new TestSupport.PipeReader(p.source(), s -> {
                got.add(s);
                threads.add(Thread.currentThread());
                r.stop();
            }));
            TestSupport.write(p, "ping");
            r.run();
            assertEquals(List.of("ping"), got);
            assertEquals(List.of(loopThread), threads);
            assertTrue(p.source().isOpen());
        } finally {
            p.source().close();
            p.sink().close();
        }
    }

    @Test
    void nothingIsDispatchedBeforeTheReactorRuns() throws Exception {
        NettyReactor r = NettyReactor.attach(loop);
        Pipe p = TestSupport.pipe();
        try {
            List<String> got = new CopyOnWriteArrayList<>();
            r.addReader(new TestSupport.PipeReader(p.source(), s -> {
                got.add(s);
                r.stop();
            }));
            TestSupport.write(p, "early");
            // let the borrowed loop turn a few times: the reader must not run yet
            for (int i = 0; i < 3; i++) {
                loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
            }
            assertTrue(got.isEmpty(), "a reader ran before run(): " + got);
            r.run();
            assertEquals(List.of("early"), got);
        } finally {
            p.source().close();
            p.sink().close();
        }
    }

    @Test
    void runOnTheLoopThreadIsRefused() throws Exception {
        NettyReactor r = NettyReactor.attach(loop);
        Throwable t = loop.submit(() -> {
            try {
                r.run();
                return null;
            } catch (Throwable e) {
                return e;
            }
        }).get(5, TimeUnit.SECONDS);
        assertTrue(t instanceof IllegalStateException, String.valueOf(t));
        assertTrue(t.getMessage().contains("startRunning"), t.getMessage());
        // the refusal left the reactor untouched: it still starts
        CountDownLatch running = new CountDownLatch(1);
        r.callWhenRunning(() -> {
            running.countDown();
            r.stop();
        });
        loop.submit(r::startRunning).get(5, TimeUnit.SECONDS);
        TestSupport.await(running, "the reactor to start");
    }

    @Test
    void attachingToANonIoLoopOrAShutDownLoopIsRefused() throws Exception {
        DefaultEventLoop plain = new DefaultEventLoop();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NettyReactor.attach(plain));
            assertTrue(e.getMessage().contains("IoEventLoop"), e.getMessage());
        } finally {
            plain.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        MultiThreadIoEventLoopGroup other = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoop gone = other.next();
        other.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NettyReactor.attach(gone));
        assertTrue(e.getMessage().contains("shut down"), e.getMessage());
    }

    @Test
    void ownerShuttingDownTheLoopFailsAWaitingRun() throws Exception {
        NettyReactor r = NettyReactor.attach(loop);
        CountDownLatch running = new CountDownLatch(1);
        r.callWhenRunning(running::countDown);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "attached-run");
        runner.start();
        TestSupport.await(running, "the reactor to start");
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        runner.join(TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS));
        assertFalse(runner.isAlive(), "run() must not hang once the loop is gone");
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("shut down"), thrown.get().getMessage());
    }
}
