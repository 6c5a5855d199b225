package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.defer.Deferred;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorAlreadyRunningException;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorNotRestartableException;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.TriggerId;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** run, stop, crash, iterate, isRunning and callWhenRunning. */
final class LifecycleContractTest {

    @ContractTest
    void stopWhenNotRunningRaisesNotRunning(Reactor r) {
        assertThrows(ReactorNotRunningException.class, r::stop);
    }

    @ContractTest
    void stopTwiceRaisesNotRunning(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Throwable> second = new AtomicReference<>();
        r.callWhenRunning(() -> {
            r.stop();
            second.set(assertThrows(ReactorNotRunningException.class, r::stop));
        });
        h.run();
        assertTrue(second.get() instanceof ReactorNotRunningException, "second stop() must raise");
    }

    @ContractTest
    void stopAfterRunReturnedRaisesNotRunning(ReactorHarness h) {
        Reactor r = h.reactor();
        r.callWhenRunning(r::stop);
        h.run();
        assertThrows(ReactorNotRunningException.class, r::stop);
    }

    @ContractTest
    void callWhenRunningRunsInOrder(ReactorHarness h) {
        Reactor r = h.reactor();
        List<Integer> order = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            r.callWhenRunning(() -> order.add(n));
        }
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    @ContractTest
    void callWhenRunningWhenAlreadyRunningRunsAtOnce(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicReference<TriggerId> id = new AtomicReference<>(new TriggerId(Phase.AFTER, "sentinel"));
        r.callWhenRunning(() -> {
            id.set(r.callWhenRunning(() -> events.add("inner")));
            events.add("returned");
            r.stop();
        });
        h.run();
        assertEquals(List.of("inner", "returned"), events);
        assertNull(id.get(), "callWhenRunning returns null when it ran f at once");
    }

    @ContractTest
    void isRunningIsFalseInBeforeStartupTrueInDuringAndAfter(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> seen = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.STARTUP, () -> seen.add("before=" + r.isRunning()));
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.STARTUP, () -> seen.add("during=" + r.isRunning()));
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.STARTUP, () -> seen.add("after=" + r.isRunning()));
        r.callWhenRunning(r::stop);
        assertFalse(r.isRunning(), "not running before run()");
        h.run();
        assertEquals(List.of("before=false", "during=true", "after=true"), seen);
    }

    @ContractTest
    void isRunningIsTrueInBeforeShutdownAndFalseAfterShutdown(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> seen = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> seen.add("before=" + r.isRunning()));
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> seen.add("after=" + r.isRunning()));
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of("before=true", "after=false"), seen);
        assertFalse(r.isRunning(), "not running once run() returned");
    }

    @ContractTest
    void runInsideRunningReactorRaisesAlreadyRunning(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        r.callWhenRunning(() -> {
            try {
                r.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
            r.stop();
        });
        h.run();
        assertTrue(thrown.get() instanceof ReactorAlreadyRunningException,
                "run() from a callback must raise ReactorAlreadyRunningException, got " + thrown.get());
    }

    @ContractTest
    void iterateInsideCallbackRaisesAlreadyRunning(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        r.callWhenRunning(() -> r.callLater(0, () -> {
            try {
                r.iterate(0);
            } catch (Throwable t) {
                thrown.set(t);
            }
            r.stop();
        }));
        h.run();
        assertTrue(thrown.get() instanceof ReactorAlreadyRunningException,
                "iterate() from a callback must raise ReactorAlreadyRunningException, got " + thrown.get());
    }

    @ContractTest
    void iterateZeroDoesNotBlock(ReactorHarness h) {
        Reactor r = h.reactor();
        long t0 = System.nanoTime();
        h.iterate(r, 0, Duration.ofSeconds(1));
        h.iterate(r, 0, Duration.ofSeconds(1));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1000, "two iterate(0) calls took " + ms + " ms");
    }

    @ContractTest
    void iterateRejectsNegativeNaNAndInfiniteDelays(Reactor r) {
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.iterate(bad),
                    "iterate(" + bad + ")");
            Messages.assertNamesArgument(e, "delaySeconds", "delay");
        }
    }

    @ContractTest
    void crashFiresNoShutdownTriggersAndRunWorksAfterIt(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> shutdown = new CopyOnWriteArrayList<>();
        for (Phase p : Phase.values()) {
            r.addSystemEventTrigger(p, ReactorCore.SHUTDOWN, () -> shutdown.add(p.name()));
        }
        r.callWhenRunning(r::crash);
        h.run();
        assertEquals(List.of(), shutdown, "crash() must fire no shutdown trigger");

        List<String> second = new CopyOnWriteArrayList<>();
        r.callLater(0, () -> {
            second.add("ran");
            r.stop();
        });
        h.run();
        assertEquals(List.of("ran"), second, "the second run() runs scheduled calls");
        assertEquals(List.of("BEFORE", "DURING", "AFTER"), shutdown, "stop() after the crash shuts down");
    }

    @ContractTest
    void crashWhileBeforeShutdownTriggersWaitEndsRun(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            events.add("before");
            r.callLater(0, r::crash);
            return new dev.weft.defer.Deferred<Void>(); // never fires
        });
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, () -> events.add("during"));
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of("before"), events);
    }

    @ContractTest
    void runAfterStopRaisesNotRestartable(ReactorHarness h) {
        Reactor r = h.reactor();
        r.callWhenRunning(r::stop);
        h.run();
        assertThrows(ReactorNotRestartableException.class, h::run);
    }

    @ContractTest
    void callLaterZeroStopEndsRun(ReactorHarness h) {
        Reactor r = h.reactor();
        r.callLater(0, r::stop);
        h.run();
        assertFalse(r.isRunning());
    }

    @ContractTest
    void stopDuringStartupTriggerEndsRunAfterStartup(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.STARTUP, () -> {
            events.add("during-startup");
            r.stop();
        });
        r.callWhenRunning(() -> events.add("after-startup"));
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> events.add("before-shutdown"));
        h.run();
        assertEquals(List.of("during-startup", "after-startup", "before-shutdown"), events);
    }

    @ContractTest
    void backendNameSaysWhatRuns(ReactorHarness h) {
        assertEquals(h.variant().backendName(), h.reactor().backendName());
    }

    @ContractTest
    void callbacksRunOnTheThreadThatRuns(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Thread> startup = new AtomicReference<>();
        AtomicReference<Thread> timer = new AtomicReference<>();
        AtomicReference<Thread> shutdown = new AtomicReference<>();
        r.callWhenRunning(() -> startup.set(Thread.currentThread()));
        r.callLater(0, () -> {
            timer.set(Thread.currentThread());
            r.stop();
        });
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> shutdown.set(Thread.currentThread()));
        h.run();
        assertSame(startup.get(), timer.get(), "timer thread");
        assertSame(startup.get(), shutdown.get(), "shutdown trigger thread");
    }

    @ContractTest
    void runAfterStopThenCrashDuringShutdownRaisesNotRestartable(ReactorHarness h) {
        Reactor r = h.reactor();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            r.callLater(0, r::crash);
            return new dev.weft.defer.Deferred<Void>(); // never fires: the crash ends the run mid-shutdown
        });
        r.callWhenRunning(r::stop);
        h.run();
        assertThrows(ReactorNotRestartableException.class, h::run, "stop() was called before");
    }

    /**
     * Twisted accepts {@code stop()} once {@code run()} has begun startup: from the callback of a Deferred that a
     * {@code BEFORE startup} trigger returned, startup completes ({@code DURING}, {@code AFTER}), then the reactor
     * shuts down and {@code run()} returns.
     */
    @ContractTest
    void stopFromABeforeStartupDeferredsCallbackCompletesStartupThenShutsDown(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.STARTUP, () -> {
            events.add("before-startup");
            Deferred<Void> d = new Deferred<>();
            d.addCallback(ignored -> {
                events.add("callback running=" + r.isRunning());
                try {
                    r.stop();
                    events.add("stop accepted");
                } catch (RuntimeException e) {
                    events.add("stop raised " + e.getClass().getSimpleName());
                }
                return null;
            });
            r.callLater(0, () -> d.callback(null));
            return d;
        });
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.STARTUP, () -> events.add("during-startup"));
        r.callWhenRunning(() -> events.add("after-startup"));
        for (Phase p : Phase.values()) {
            r.addSystemEventTrigger(p, ReactorCore.SHUTDOWN,
                    () -> events.add(p.name().toLowerCase(Locale.ROOT) + "-shutdown"));
        }
        h.run();
        assertEquals(List.of("before-startup", "callback running=false", "stop accepted", "during-startup",
                "after-startup", "before-shutdown", "during-shutdown", "after-shutdown"), events);
        assertFalse(r.isRunning());
        assertThrows(ReactorNotRestartableException.class, h::run, "the reactor was stopped");
    }

    /** Twisted: {@code stop()} inside a {@code BEFORE startup} trigger is accepted; shutdown follows at once. */
    @ContractTest
    void stopInsideABeforeStartupTriggerIsAcceptedAndShutsDown(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.STARTUP, () -> {
            r.stop();
            events.add("stop accepted");
        });
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> events.add("after-shutdown"));
        h.run();
        assertEquals(List.of("stop accepted", "after-shutdown"), events);
    }

    /**
     * Twisted: {@code run()} from an {@code AFTER shutdown} trigger (and from a {@code DURING} one) raises
     * {@code ReactorNotRestartable}: the reactor has stopped; from a {@code BEFORE shutdown} trigger, while the loop
     * still runs, {@code ReactorAlreadyRunning}.
     */
    @ContractTest
    void runFromAShutdownTriggerRaisesAlreadyRunningBeforeAndNotRestartableDuringAndAfter(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        for (Phase p : Phase.values()) {
            r.addSystemEventTrigger(p, ReactorCore.SHUTDOWN, () -> {
                try {
                    r.run();
                    events.add(p + ": run returned");
                } catch (RuntimeException e) {
                    events.add(p + ": " + e.getClass().getSimpleName());
                }
            });
        }
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of("BEFORE: ReactorAlreadyRunningException", "DURING: ReactorNotRestartableException",
                "AFTER: ReactorNotRestartableException"), events);
    }
}
