package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.weft.compat.harness.WatchesChannels;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.RecordingDescriptor;
import dev.weft.compat.harness.TestPipe;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.Reactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** When timed calls run: ordering, passes of the loop, extreme delays, errors. */
final class DelayedCallContractTest {

    @ContractTest
    void callsRunInOrderOfTheirDeadlines(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> order = new CopyOnWriteArrayList<>();
        r.callLater(0.03, () -> {
            order.add("30ms");
            r.stop();
        });
        r.callLater(0.01, () -> order.add("10ms"));
        r.callLater(0.02, () -> order.add("20ms"));
        r.callLater(0, () -> order.add("0ms"));
        h.run();
        assertEquals(List.of("0ms", "10ms", "20ms", "30ms"), order);
    }

    @ContractTest
    void callsWithTheSameDeadlineRunFirstInFirstOut(ReactorHarness h) {
        Reactor r = h.reactor();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<DelayedCall> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            calls.add(r.callLater(0.02, () -> order.add(n)));
        }
        double deadline = calls.get(0).getTime();
        for (DelayedCall c : calls.subList(1, calls.size())) {
            c.delay(deadline - c.getTime()); // exact: the two times are within a factor of 2 (Sterbenz)
            assertEquals(deadline, c.getTime(), "precondition: same deadline");
        }
        r.callLater(0.05, r::stop);
        h.run();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
    }

    @ContractTest
    void callsScheduledInOneCallbackWithZeroDelayRunFirstInFirstOut(ReactorHarness h) {
        Reactor r = h.reactor();
        List<Integer> order = new CopyOnWriteArrayList<>();
        r.callWhenRunning(() -> {
            for (int i = 0; i < 100; i++) {
                int n = i;
                r.callLater(0, () -> order.add(n));
            }
            r.callLater(0, r::stop);
        });
        h.run();
        assertEquals(100, order.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, order.get(i));
        }
    }

    @ContractTest
    @WatchesChannels
    void callLaterZeroMadeInACallbackRunsInALaterPassAfterAPoll(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe().write((byte) 1); // stays readable: the reader never drains it
        List<String> events = new ArrayList<>();
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source())
                .onRead(self -> events.add("R"));
        AtomicInteger timers = new AtomicInteger();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            events.add("T");
            if (timers.incrementAndGet() < 5) {
                r.callLater(0, tick[0]);
            } else {
                r.removeReader(reader);
                r.stop();
            }
        };
        r.callWhenRunning(() -> {
            r.addReader(reader);
            r.callLater(0, tick[0]);
        });
        h.run();
        String trace = String.join("", events);
        assertEquals(5, timers.get(), trace);
        assertFalse(trace.substring(trace.indexOf('T')).contains("TT"),
                "a callLater(0) made in a timed call ran in the same pass, with no poll in between: " + trace);
    }

    @ContractTest
    @WatchesChannels
    void chainOfZeroDelayCallsCannotStarveReadyDescriptor(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe().write((byte) 1);
        AtomicInteger ticks = new AtomicInteger();
        AtomicBoolean readerRan = new AtomicBoolean();
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source()).onRead(self -> {
            if (!readerRan.getAndSet(true)) {
                r.removeReader(self);
                r.stop();
            }
        });
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (readerRan.get()) {
                return;
            }
            if (ticks.incrementAndGet() == 100_000) {
                r.stop(); // starved: end the test rather than spin until the watchdog
                return;
            }
            r.callLater(0, tick[0]);
        };
        r.callWhenRunning(() -> {
            r.callLater(0, tick[0]);
            r.addReader(reader);
        });
        h.run();
        assertTrue(readerRan.get(), "the ready reader never ran while callLater(0) re-armed itself");
        assertTrue(ticks.get() < 100, "the reader waited " + ticks.get() + " timer passes");
    }

    @ContractTest
    void hugeDelayNeitherBreaksTheLoopNorFires(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicBoolean fired = new AtomicBoolean();
        AtomicBoolean stopped = new AtomicBoolean();
        DelayedCall huge = r.callLater(Math.pow(2, 128), () -> fired.set(true));
        r.callLater(0.01, () -> {
            stopped.set(true);
            r.stop();
        });
        h.run();
        assertTrue(stopped.get(), "the call due after 10 ms ran");
        assertFalse(fired.get(), "the call due after 2^128 s ran");
        assertTrue(huge.active(), "the call due after 2^128 s is still pending");
        assertTrue(huge.getTime() >= Math.pow(2, 128), "its time is " + huge.getTime());
    }

    @ContractTest
    void hugeDelayAloneDoesNotPreventWakingFromAnotherThread(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicBoolean fired = new AtomicBoolean();
        r.callLater(Math.pow(2, 128), () -> fired.set(true));
        r.callWhenRunning(() -> {
            Thread t = new Thread(() -> r.callFromThread(r::stop), "waker");
            t.setDaemon(true);
            t.start();
        });
        h.run();
        assertFalse(fired.get());
    }

    @ContractTest
    void exceptionInDelayedCallIsLoggedAndLaterCallsRun(ReactorHarness h) {
        Reactor r = h.reactor();
        LogCapture logs = h.captureLogs();
        List<String> events = new CopyOnWriteArrayList<>();
        r.callLater(0, () -> {
            throw new IllegalStateException("marker-timed-call-failure");
        });
        r.callLater(0, () -> events.add("same pass"));
        r.callLater(0.01, () -> {
            events.add("later");
            r.stop();
        });
        h.run();
        assertEquals(List.of("same pass", "later"), events);
        assertTrue(logs.await(LogCapture.atLeast(Level.WARN).and(LogCapture.mentions("marker-timed-call-failure")),
                Duration.ofSeconds(2)) != null, "the exception must be logged");
    }

    @ContractTest
    void delayedCallNeverRunsBeforeItsTime(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> early = new CopyOnWriteArrayList<>();
        AtomicInteger ran = new AtomicInteger();
        for (double d : new double[] {0.001, 0.005, 0.01, 0.02, 0.03}) {
            DelayedCall[] self = new DelayedCall[1];
            self[0] = r.callLater(d, () -> {
                double now = r.seconds();
                if (now < self[0].getTime()) {
                    early.add(d + "s call ran at " + now + " < " + self[0].getTime());
                }
                if (ran.incrementAndGet() == 5) {
                    r.stop();
                }
            });
        }
        h.run();
        assertEquals(List.of(), early);
    }

    @ContractTest
    void nothingScheduledRunsBeforeRun(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.callLater(0, () -> events.add("timer"));
        r.addSystemEventTrigger(dev.weft.reactor.Phase.BEFORE, dev.weft.reactor.ReactorCore.STARTUP,
                () -> events.add("startup"));
        r.callLater(0.01, r::stop);
        assertEquals(List.of(), events, "nothing ran before run()");
        h.run();
        assertEquals(List.of("startup", "timer"), events);
    }

    @ContractTest
    void secondsIsMonotonicAndAdvances(Reactor r) {
        double prev = r.seconds();
        double first = prev;
        for (int i = 0; i < 100_000; i++) {
            double now = r.seconds();
            assertTrue(now >= prev, "seconds() went back from " + prev + " to " + now);
            prev = now;
        }
        final double start = first;
        assertTrue(dev.weft.compat.harness.Await.spinUntil(() -> r.seconds() > start, Duration.ofSeconds(1)),
                "seconds() did not advance in 1 s");
        assertNotEquals(first, r.seconds());
    }

    @ContractTest
    void secondsAdvancesAtTheRateOfRealTime(Reactor r) {
        double s0 = r.seconds();
        long n0 = System.nanoTime();
        dev.weft.compat.harness.Await.spinUntil(() -> System.nanoTime() - n0 >= 20_000_000, Duration.ofSeconds(1));
        double ds = r.seconds() - s0;
        double dn = (System.nanoTime() - n0) / 1e9;
        assertTrue(ds > 0.015 && ds <= dn + 0.005, "seconds() advanced " + ds + " s in " + dn + " s");
    }

    @ContractTest
    void delayedCallMadeBeforeRunRunsOnTheReactorThread(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Thread> loop = new AtomicReference<>();
        AtomicReference<Thread> timer = new AtomicReference<>();
        r.callLater(0, () -> {
            timer.set(Thread.currentThread());
            r.stop();
        });
        r.callWhenRunning(() -> loop.set(Thread.currentThread()));
        h.run();
        assertEquals(loop.get(), timer.get());
    }
}
