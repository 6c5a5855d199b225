package dev.weft.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorNotRestartableException;
import dev.weft.reactor.Reactors;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(20)
class OwnedReactorTest {

    private static NettyReactor create(String transport) {
        if (transport.equals("epoll")) {
            TestSupport.assumeEpoll();
        }
        NettyReactor r = NettyReactor.create(transport);
        assertEquals(transport, r.transport());
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void timersRunInOrderOnTheRunningThreadAndStopEndsRun(String transport) {
        NettyReactor r = create(transport);
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> seen = new AtomicReference<>();
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> events.add("shutdown"));
        r.callLater(0.02, () -> {
            events.add("late");
            r.stop();
        });
        r.callLater(0.01, () -> events.add("a"));
        r.callLater(0.01, () -> {
            events.add("b");
            seen.set(Thread.currentThread());
        });
        r.callWhenRunning(() -> events.add("running"));
        r.run();
        assertEquals(List.of("running", "a", "b", "late", "shutdown"), events);
        assertSame(Thread.currentThread(), seen.get());
        assertTrue(r.eventLoop().isTerminated(), "the owned loop is shut down after stop");
        assertThrows(ReactorNotRestartableException.class, r::run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void callFromThreadWakesTheLoop(String transport) throws Exception {
        NettyReactor r = create(transport);
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AtomicReference<Thread> callThread = new AtomicReference<>();
        r.callWhenRunning(() -> {
            loopThread.set(Thread.currentThread());
            running.countDown();
        });
        Thread t = new Thread(r::run, "owned-loop");
        t.start();
        TestSupport.await(running, "the reactor to run");
        r.callFromThread(() -> {
            callThread.set(Thread.currentThread());
            r.stop();
        });
        t.join(TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS));
        assertTrue(!t.isAlive(), "run() returned after stop");
        assertSame(loopThread.get(), callThread.get());
    }

    @Test
    void readerOnNioSeesDataAndNettyNeverClosesTheChannel() throws Exception {
        NettyReactor r = create("nio");
        Pipe p = TestSupport.pipe();
        try {
            List<String> got = new CopyOnWriteArrayList<>();
            TestSupport.PipeReader reader = new TestSupport.PipeReader(p.source(), s -> {
                got.add(s);
                r.stop();
            });
            r.addReader(reader);
            assertEquals(List.of(reader), r.getReaders());
            TestSupport.write(p, "hello");
            r.run();
            assertEquals(List.of("hello"), got);
            assertTrue(r.getReaders().isEmpty(), "shutdown removed the reader");
            assertTrue(r.eventLoop().isTerminated());
            assertTrue(p.source().isOpen(), "a watched channel stays open after the loop shut down");
        } finally {
            p.source().close();
            p.sink().close();
        }
    }

    @Test
    void removeReaderThenAddAgainKeepsWorking() throws Exception {
        NettyReactor r = create("nio");
        Pipe p = TestSupport.pipe();
        try {
            List<String> got = new CopyOnWriteArrayList<>();
            TestSupport.PipeReader[] reader = new TestSupport.PipeReader[1];
            reader[0] = new TestSupport.PipeReader(p.source(), s -> {
                got.add(s);
                r.removeReader(reader[0]);
                if (got.size() == 1) {
                    r.callLater(0, () -> {
                        r.addReader(reader[0]);
                        TestSupport.write(p, "two");
                    });
                } else {
                    r.stop();
                }
            });
            r.addReader(reader[0]);
            TestSupport.write(p, "one");
            r.run();
            assertEquals(List.of("one", "two"), got);
        } finally {
            p.source().close();
            p.sink().close();
        }
    }

    /**
     * A native loop watches a raw SelectableChannel through a JDK selector on a helper thread (no --add-exports): the
     * reader sees the data on the loop thread, and the helper thread ends once nothing is watched.
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring"})
    void readerOnANativeLoopSeesDataOnTheLoopThreadAndTheHelperEnds(String transport) throws Exception {
        TestSupport.assumeTransport(transport);
        NettyReactor r = create(transport);
        Pipe p = TestSupport.pipe();
        try {
            List<String> got = new CopyOnWriteArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            TestSupport.PipeReader reader = new TestSupport.PipeReader(p.source(), s -> {
                got.add(s);
                threads.add(Thread.currentThread());
                r.removeAll();
                r.stop();
            });
            r.addReader(reader);
            assertEquals(List.of(reader), r.getReaders());
            // Written from another thread once the loop waits: the helper must wake it.
            r.callLater(0.05, () -> new Thread(() -> TestSupport.write(p, "hello")).start());
            r.run();
            assertEquals(List.of("hello"), got);
            assertEquals(List.of(Thread.currentThread()), threads, "doRead runs on the thread that runs the loop");
            assertTrue(p.source().isOpen(), "a watched channel stays open after the loop shut down");
            assertTrue(watchThreads().isEmpty(), "the helper thread ended: " + watchThreads());
        } finally {
            p.source().close();
            p.sink().close();
        }
    }

    private static List<String> watchThreads() {
        List<String> names = new java.util.ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("weft-watch-") && t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void ioUringWhereTheKernelRefusesItFailsNamingTheCauseAndAutoDoesNotPickIt() {
        Throwable refused = new UnsupportedOperationException("io_uring_setup: Operation not permitted");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NettyIoKind.select("io_uring", () -> null, () -> refused));
        assertTrue(e.getMessage().contains(NettyReactor.TRANSPORT_OPTION + "=io_uring"), e.getMessage());
        assertTrue(e.getMessage().contains("Operation not permitted"), e.getMessage());
        assertSame(refused, e.getCause());
        assertSame(NettyIoKind.EPOLL, NettyIoKind.select("auto", () -> null, () -> refused));
        assertSame(NettyIoKind.NIO, NettyIoKind.select("auto", () -> refused, () -> refused));
        assertSame(NettyIoKind.IO_URING, NettyIoKind.select("IO_URING", () -> refused, () -> null));
    }

    @Test
    void unknownTransportListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NettyIoKind.select("uring", () -> null, () -> null));
        assertTrue(e.getMessage().contains("nio, epoll, io_uring or auto"), e.getMessage());
        assertTrue(e.getMessage().contains("'uring'"), e.getMessage());
    }

    @Test
    void iterateZeroDoesNotBlock() {
        NettyReactor r = create("nio");
        List<String> events = new CopyOnWriteArrayList<>();
        r.callLater(0, () -> events.add("t"));
        r.iterate(0);
        r.iterate(0);
        assertEquals(List.of("t"), events);
    }

    @Test
    void theLoopIsBoundToTheFirstThreadThatRanIt() throws Exception {
        NettyReactor r = create("nio");
        r.iterate(0);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                r.iterate(0);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS));
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("first thread"), thrown.get().getMessage());
        r.iterate(0);
    }

    @Test
    void transportOptionIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NettyReactor.create("kqueue"));
        assertTrue(e.getMessage().contains(NettyReactor.TRANSPORT_OPTION), e.getMessage());
        NettyReactor auto = NettyReactor.create("auto");
        assertEquals(NettyIoKind.epollUnavailabilityCause() == null ? "epoll" : "nio", auto.transport());
        assertEquals("netty-" + auto.transport(), auto.backendName(), "the name says which transport runs");
        if (NettyIoKind.epollUnavailabilityCause() != null) {
            IllegalStateException s = assertThrows(IllegalStateException.class, () -> NettyReactor.create("epoll"));
            assertTrue(s.getMessage().contains("nio"), s.getMessage());
        }
    }

    @Test
    void providerMakesAnOwnedReactorFromConfiguration() {
        String old = System.getProperty(NettyReactor.TRANSPORT_OPTION);
        System.setProperty(NettyReactor.TRANSPORT_OPTION, "nio");
        try {
            Reactor r = Reactors.create("netty");
            assertTrue(r instanceof NettyReactor);
            assertEquals("netty-nio", r.backendName());
            assertEquals("nio", ((NettyReactor) r).transport());
            assertTrue(!((NettyReactor) r).isAttached());
        } finally {
            if (old == null) {
                System.clearProperty(NettyReactor.TRANSPORT_OPTION);
            } else {
                System.setProperty(NettyReactor.TRANSPORT_OPTION, old);
            }
        }
    }

    /**
     * A reactor that never runs holds no descriptor: the loop's selector (NIO) or epoll descriptors are opened when
     * it first runs, so creating reactors that are never run does not leak descriptors.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "io_uring"})
    void reactorsThatNeverRunHoldNoDescriptor(String transport) throws Exception {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        TestSupport.assumeTransport(transport);
        create(transport); // the first one loads what is loaded once per JVM (classes, the native library)
        int before = openDescriptors(fds);
        List<NettyReactor> kept = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            kept.add(create(transport));
        }
        int after = openDescriptors(fds);
        assertTrue(after - before <= 2, "40 reactors never run hold " + (after - before) + " descriptors ("
                + before + " open before, " + after + " after)");
        NettyReactor r = kept.get(0);
        r.callLater(0, r::stop);
        r.run();
        assertTrue(r.eventLoop().isTerminated(), "a reactor created this way still runs, and stops");
    }

    private static int openDescriptors(Path fds) throws IOException {
        try (Stream<Path> s = Files.list(fds)) {
            return (int) s.count();
        }
    }
}
