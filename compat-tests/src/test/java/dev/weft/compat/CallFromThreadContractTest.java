package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.WatchesChannels;
import dev.weft.compat.harness.Await;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LoopThread;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.RecordingDescriptor;
import dev.weft.compat.harness.TestPipe;
import dev.weft.reactor.Reactor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** callFromThread: the thread-safe way in. */
final class CallFromThreadContractTest {

    @ContractTest
    void callFromThreadRunsOnTheReactorThread(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Thread> loop = new AtomicReference<>();
        AtomicReference<Thread> call = new AtomicReference<>();
        r.callWhenRunning(() -> {
            loop.set(Thread.currentThread());
            Thread t = new Thread(() -> r.callFromThread(() -> {
                call.set(Thread.currentThread());
                r.stop();
            }), "caller");
            t.setDaemon(true);
            t.start();
        });
        h.run();
        assertSame(loop.get(), call.get());
    }

    @ContractTest
    void callFromThreadFromTheReactorThreadWakesABlockedLoop(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicBoolean ran = new AtomicBoolean();
        // The inner call is made while the thread-call queue is being run, so it waits for the next pass; in
        // between the loop polls with nothing else pending and no timer: only the wake-up can end that poll.
        r.callWhenRunning(() -> r.callFromThread(() -> r.callFromThread(() -> {
            ran.set(true);
            r.stop();
        })));
        h.run();
        assertTrue(ran.get());
    }

    @ContractTest
    void callFromThreadMadeInATimedCallWakesABlockedLoop(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicBoolean ran = new AtomicBoolean();
        r.callLater(0, () -> r.callFromThread(() -> {
            ran.set(true);
            r.stop();
        }));
        h.run();
        assertTrue(ran.get());
    }

    @ContractTest
    void callFromThreadFromAnotherThreadWakesABlockedLoop(ReactorHarness h) {
        Reactor r = h.reactor();
        LoopThread loop = h.startInBackground(r);
        loop.awaitRunning();
        CountDownLatch ran = new CountDownLatch(1);
        r.callFromThread(ran::countDown);
        Await.latch(ran, "a call from the test thread to run");
        loop.stopAndJoin();
    }

    @ContractTest
    @WatchesChannels
    void callFromThreadMadeInAThreadCallRunsInTheNextPass(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe().write((byte) 1);
        List<String> events = new ArrayList<>();
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source())
                .onRead(self -> events.add("R"));
        AtomicInteger calls = new AtomicInteger();
        Runnable[] call = new Runnable[1];
        call[0] = () -> {
            events.add("C");
            if (calls.incrementAndGet() < 5) {
                r.callFromThread(call[0]);
            } else {
                r.removeReader(reader);
                r.stop();
            }
        };
        r.callWhenRunning(() -> {
            r.addReader(reader);
            r.callFromThread(call[0]);
        });
        h.run();
        String trace = String.join("", events);
        assertEquals(5, calls.get(), trace);
        assertFalse(trace.contains("CC"), "a call made while the thread calls ran was run in the same pass: "
                + trace);
    }

    @ContractTest
    void callsFromManyThreadsRunExactlyOnceInEachThreadsOrder(ReactorHarness h) {
        Reactor r = h.reactor();
        int threads = 4;
        int perThread = 2000;
        List<List<Integer>> seen = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            seen.add(new ArrayList<>());
        }
        AtomicReference<Thread> loop = new AtomicReference<>();
        List<String> wrongThread = new CopyOnWriteArrayList<>();
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        r.callWhenRunning(() -> {
            loop.set(Thread.currentThread());
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread caller = new Thread(() -> {
                    Await.latch(go, "the start signal");
                    for (int n = 0; n < perThread; n++) {
                        int seq = n;
                        r.callFromThread(() -> {
                            if (Thread.currentThread() != loop.get()) {
                                wrongThread.add(Thread.currentThread().getName());
                            }
                            seen.get(id).add(seq);
                        });
                    }
                    r.callFromThread(() -> {
                        if (finished.incrementAndGet() == threads) {
                            r.stop();
                        }
                    });
                }, "caller-" + t);
                caller.setDaemon(true);
                caller.start();
            }
            go.countDown();
        });
        h.run();
        assertEquals(List.of(), wrongThread, "calls ran off the reactor thread");
        for (int t = 0; t < threads; t++) {
            List<Integer> got = seen.get(t);
            assertEquals(perThread, got.size(), "thread " + t + " calls run");
            for (int n = 0; n < perThread; n++) {
                if (got.get(n) != n) {
                    throw new AssertionError("thread " + t + ": call " + n + " ran as number " + got.indexOf(n)
                            + " (order " + got.subList(Math.max(0, n - 3), Math.min(perThread, n + 3)) + ")");
                }
            }
        }
    }

    @ContractTest
    void threadCallsMadeBeforeRunWaitForIt(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        AtomicBoolean inRun = new AtomicBoolean();
        List<String> events = new CopyOnWriteArrayList<>();
        r.callFromThread(() -> events.add("from test thread, inRun=" + inRun.get()));
        Thread other = new Thread(() -> r.callFromThread(() -> {
            events.add("from other thread, inRun=" + inRun.get());
            r.stop();
        }), "other");
        other.start();
        other.join(Await.TIMEOUT.toMillis());
        assertEquals(List.of(), events, "thread calls ran before run()");
        inRun.set(true);
        h.run();
        assertEquals(List.of("from test thread, inRun=true", "from other thread, inRun=true"), events);
    }

    @ContractTest
    void threadCallsRunAfterStartupTriggers(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.callFromThread(() -> {
            events.add("thread call");
            r.stop();
        });
        r.callWhenRunning(() -> events.add("running"));
        h.run();
        assertEquals(List.of("running", "thread call"), events);
    }
}
