package dev.weft.compat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.compat.harness.Await;
import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.Watchdog;
import dev.weft.compat.net.Net;
import dev.weft.defer.Deferred;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorNotRunningException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The thread-safe entry points under load (heavy): {@code callFromThread} from 8 threads, {@code deferToThread}
 * with 10,000 tasks, {@code blockingCallFromThread} from 64 threads at once, and a shutdown while threads are
 * blocked in {@code blockingCallFromThread} (Twisted's issue 10124: there it hangs; here run() returns and every
 * blocked thread gets a {@link ReactorNotRunningException}).
 */
final class ThreadStressContractTest {
    private static final int CFT_THREADS = 8;
    private static final int CFT_CALLS = 250_000;
    private static final int DEFERRED_TASKS = 10_000;
    private static final int BLOCKING_THREADS = 64;
    private static final int BLOCKING_ROUNDS = 50;
    /** How many calls the racing threads make before the shutdown test stops the reactor. */
    private static final long RACING_CALLS_BEFORE_STOP = 2_000;
    /** How long a heavy run of the loop may take, under the invocation's hard limit. */
    private static final Duration HEAVY_RUN = Duration.ofSeconds(100);

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void joinAll(List<Thread> threads, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                fail(what + ": thread " + t.getName() + " did not end within " + Await.TIMEOUT.toMillis()
                        + " ms; its stack: " + stack(t));
            }
        }
    }

    private static String stack(Thread t) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            b.append("\n\tat ").append(e);
        }
        return b.toString();
    }

    /** The reactor-thread side of the callFromThread test: what ran, in what order, on which thread. */
    private static final class OrderCheck {
        final int[] next = new int[CFT_THREADS];
        final List<String> problems = new ArrayList<>();
        long ran;
        long outOfOrder;
        long offThread;
        Thread reactorThread;

        void ran(int thread, int seq, Deferred<Void> done) {
            if (Thread.currentThread() != reactorThread) {
                offThread++;
            }
            int expected = next[thread];
            if (seq != expected) {
                outOfOrder++;
                if (problems.size() < 5) {
                    problems.add("thread " + thread + ": call " + seq + " ran when " + expected + " was expected");
                }
            }
            next[thread] = seq + 1;
            if (++ran == (long) CFT_THREADS * CFT_CALLS) {
                done.callback(null);
            }
        }

        String describe() {
            StringBuilder b = new StringBuilder("ran " + ran + " calls; next per thread [");
            for (int i = 0; i < next.length; i++) {
                b.append(i == 0 ? "" : ", ").append(next[i]);
            }
            return b.append("], ").append(outOfOrder).append(" out of order, ").append(offThread)
                    .append(" off the reactor thread; ").append(problems).toString();
        }
    }

    @HeavyContractTest
    void callFromThreadFromEightThreadsRunsEveryCallOnceInEachThreadsOrder(ReactorHarness h, BackendVariant v)
            throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            OrderCheck check = new OrderCheck();
            Deferred<Void> done = new Deferred<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < CFT_THREADS; t++) {
                int thread = t;
                producers.add(start("callFromThread-producer-" + t, () -> {
                    Await.latch(go, "the reactor to run");
                    for (int seq = 0; seq < CFT_CALLS; seq++) {
                        int s = seq;
                        r.callFromThread(() -> check.ran(thread, s, done));
                    }
                }));
            }
            long[] started = new long[1];
            r.callWhenRunning(() -> {
                check.reactorThread = Thread.currentThread();
                started[0] = System.nanoTime();
                go.countDown();
            });
            Watchdog.guard(r, HEAVY_RUN, "runUntil(every callFromThread call ran) on " + v.name(),
                    () -> r.runUntil(done));
            long millis = Figures.millisSince(started[0]);
            joinAll(producers, "callFromThread producers");
            net.passes(3);
            assertEquals((long) CFT_THREADS * CFT_CALLS, check.ran, "no call may run twice: " + check.describe());
            assertEquals(0, check.outOfOrder, check::describe);
            assertEquals(0, check.offThread, check::describe);
            for (int t = 0; t < CFT_THREADS; t++) {
                assertEquals(CFT_CALLS, check.next[t], check::describe);
            }
            Figures.record(v, "callFromThread 8 threads x 250,000", "%,d calls in %,d ms (%,d calls/s)",
                    check.ran, millis, Figures.perSecond(check.ran, millis));
        }
    }

    @HeavyContractTest
    void deferToThreadTenThousandTasksAllCompleteWithTheirResults(ReactorHarness h, BackendVariant v)
            throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            int[] delivered = new int[DEFERRED_TASKS];
            List<String> problems = new ArrayList<>();
            int[] count = {0};
            Thread[] reactorThread = new Thread[1];
            Deferred<Void> done = new Deferred<>();
            long[] started = new long[1];
            net.run(() -> {
                reactorThread[0] = Thread.currentThread();
                started[0] = System.nanoTime();
                for (int i = 0; i < DEFERRED_TASKS; i++) {
                    int task = i;
                    r.deferToThread(() -> expected(task)).addCallbacks(result -> {
                        if (result != expected(task) && problems.size() < 5) {
                            problems.add("task " + task + " delivered " + result);
                        }
                        if (Thread.currentThread() != reactorThread[0] && problems.size() < 5) {
                            problems.add("task " + task + "'s result delivered on " + Thread.currentThread());
                        }
                        delivered[task]++;
                        if (++count[0] == DEFERRED_TASKS) {
                            done.callback(null);
                        }
                        return null;
                    }, failure -> {
                        problems.add("task " + task + " failed: " + failure);
                        return null;
                    });
                }
            });
            Watchdog.guard(r, HEAVY_RUN, "runUntil(10,000 deferToThread results) on " + v.name(),
                    () -> r.runUntil(done));
            long millis = Figures.millisSince(started[0]);
            net.passes(3);
            assertEquals(List.of(), problems);
            for (int i = 0; i < DEFERRED_TASKS; i++) {
                assertEquals(1, delivered[i], "task " + i + " must deliver its result exactly once");
            }
            Figures.record(v, "deferToThread 10,000 tasks", "%,d results in %,d ms (%,d tasks/s)",
                    (long) count[0], millis, Figures.perSecond(count[0], millis));
        }
    }

    private static long expected(int task) {
        return task * 7_919L + 13;
    }

    @HeavyContractTest
    void blockingCallFromThreadFromSixtyFourThreadsAtOnce(ReactorHarness h, BackendVariant v) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            // Reactor thread only: the first round's calls are held until all 64 threads are blocked at once.
            List<Deferred<Long>> held = new ArrayList<>();
            int[] finished = {0};
            int[] maxBlocked = {0};
            Deferred<Void> allDone = new Deferred<>();
            AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(BLOCKING_THREADS);
            AtomicLong calls = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < BLOCKING_THREADS; t++) {
                int thread = t;
                threads.add(start("blocking-caller-" + t, () -> {
                    try {
                        Await.latch(go, "the reactor to run");
                        for (int round = 0; round < BLOCKING_ROUNDS; round++) {
                            long want = thread * 1_000_000L + round;
                            int rnd = round;
                            Long got = r.blockingCallFromThread(() -> {
                                if (rnd == 0) {
                                    Deferred<Long> d = new Deferred<>();
                                    held.add(d);
                                    maxBlocked[0] = Math.max(maxBlocked[0], held.size());
                                    if (held.size() == BLOCKING_THREADS) {
                                        List<Deferred<Long>> all = new ArrayList<>(held);
                                        r.callLater(0, () -> all.forEach(x -> x.callback(-1L)));
                                    }
                                    return d.addCallback(ignored -> want);
                                }
                                if (rnd % 2 == 0) {
                                    Deferred<Long> d = new Deferred<>();
                                    r.callLater(0, () -> d.callback(want));
                                    return d;
                                }
                                return Deferred.succeed(want);
                            });
                            calls.incrementAndGet();
                            if (got == null || got != want) {
                                throw new AssertionError("thread " + thread + " round " + round + " got " + got
                                        + ", expected " + want);
                            }
                        }
                    } catch (Throwable e) {
                        failures.set(thread, e);
                    } finally {
                        r.callFromThread(() -> {
                            if (++finished[0] == BLOCKING_THREADS) {
                                allDone.callback(null);
                            }
                        });
                    }
                }));
            }
            long[] started = new long[1];
            net.run(() -> {
                started[0] = System.nanoTime();
                go.countDown();
            });
            Watchdog.guard(r, HEAVY_RUN, "runUntil(64 threads made their blockingCallFromThread calls) on "
                    + v.name(), () -> r.runUntil(allDone));
            long millis = Figures.millisSince(started[0]);
            joinAll(threads, "blockingCallFromThread callers");
            for (int t = 0; t < BLOCKING_THREADS; t++) {
                if (failures.get(t) != null) {
                    throw new AssertionError("thread " + t + " failed", failures.get(t));
                }
            }
            assertEquals(BLOCKING_THREADS, maxBlocked[0], "all 64 threads were blocked at the same time");
            assertEquals((long) BLOCKING_THREADS * BLOCKING_ROUNDS, calls.get());
            Figures.record(v, "blockingCallFromThread 64 threads x 50", "%,d calls, 64 blocked at once, in %,d ms",
                    calls.get(), millis);
        }
    }

    @HeavyContractTest
    void shutdownWhileThreadsAreBlockedInBlockingCallFromThreadEndsAndTheyGetAnError(ReactorHarness h,
            BackendVariant v) throws Exception {
        final int external = 16;
        final int pooled = 8;
        final int racing = 8;
        Reactor r = h.reactor();
        AtomicInteger arrived = new AtomicInteger();
        List<Throwable> outcomes = Collections.synchronizedList(new ArrayList<>());
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicLong racingCalls = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        // A call whose Deferred never fires: the calling thread stays blocked until shutdown releases it.
        Runnable blockForever = () -> {
            try {
                Object never = r.blockingCallFromThread(() -> {
                    arrived.incrementAndGet();
                    return new Deferred<Object>();
                });
                wrong.add(Thread.currentThread().getName() + " returned " + never);
            } catch (Throwable e) {
                outcomes.add(e);
            }
        };
        // Calls that keep coming while the reactor shuts down, each one served at once, until one fails.
        Runnable racer = () -> {
            try {
                while (true) {
                    r.blockingCallFromThread(() -> Deferred.succeed("ok"));
                    if (racingCalls.incrementAndGet() > 50_000_000L) {
                        wrong.add(Thread.currentThread().getName() + " was never refused");
                        return;
                    }
                }
            } catch (Throwable e) {
                outcomes.add(e);
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < external; i++) {
            threads.add(start("blocked-caller-" + i, () -> {
                Await.latch(go, "the reactor to run");
                blockForever.run();
            }));
        }
        for (int i = 0; i < racing; i++) {
            threads.add(start("racing-caller-" + i, () -> {
                Await.latch(go, "the reactor to run");
                racer.run();
            }));
        }
        // Stop once every blocked call has reached the reactor and the racing threads are well under way.
        Runnable[] stopWhenReady = new Runnable[1];
        stopWhenReady[0] = () -> {
            if (arrived.get() == external + pooled && racingCalls.get() >= RACING_CALLS_BEFORE_STOP) {
                r.stop();
            } else {
                r.callLater(0.001, stopWhenReady[0]);
            }
        };
        r.callWhenRunning(() -> {
            for (int i = 0; i < pooled; i++) {
                r.callInThread(blockForever);
            }
            go.countDown();
            stopWhenReady[0].run();
        });
        long started = System.nanoTime();
        h.run(r); // returns, under the harness's 5 s watchdog, only if shutdown does not deadlock
        long millis = Figures.millisSince(started);
        joinAll(threads, "threads blocked in blockingCallFromThread at shutdown");
        assertEquals(List.of(), new ArrayList<>(wrong));
        assertEquals(external + pooled + racing, outcomes.size(), "every thread ends with an error: " + outcomes);
        for (Throwable e : outcomes) {
            assertInstanceOf(ReactorNotRunningException.class, e, "the error a blocked thread gets: " + e);
        }
        Throwable[] late = new Throwable[1];
        Thread after = start("caller-after-shutdown", () -> {
            try {
                r.blockingCallFromThread(() -> Deferred.succeed("too late"));
            } catch (Throwable e) {
                late[0] = e;
            }
        });
        joinAll(List.of(after), "a blockingCallFromThread after shutdown");
        assertInstanceOf(ReactorNotRunningException.class, late[0], "a call after shutdown fails at once");
        Figures.record(v, "shutdown with blocked blockingCallFromThread", "%d blocked (%d threads, %d pool "
                + "threads) + %d racing threads (%,d calls served) released; run() returned in %,d ms",
                external + pooled, external, pooled, racing, racingCalls.get(), millis);
    }
}
