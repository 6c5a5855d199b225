package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.defer.Deferred;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.TriggerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** System event triggers: phases, Deferreds that hold a phase, removal, errors. */
final class SystemEventContractTest {

    @ContractTest
    void shutdownPhasesFireInOrderBeforeRunReturns(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> events.add("after"));
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, () -> events.add("during"));
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> events.add("before"));
        r.callWhenRunning(r::stop);
        h.run();
        events.add("run returned");
        assertEquals(List.of("before", "during", "after", "run returned"), events);
    }

    @ContractTest
    void startupPhasesFireInOrder(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.STARTUP, () -> events.add("after"));
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.STARTUP, () -> events.add("during"));
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.STARTUP, () -> events.add("before"));
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of("before", "during", "after"), events);
    }

    @ContractTest
    void beforeShutdownTriggersDoNotRunInsideStop(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicBoolean fired = new AtomicBoolean();
        AtomicReference<Boolean> firedWhenStopReturned = new AtomicReference<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> fired.set(true));
        r.callWhenRunning(() -> {
            r.stop();
            firedWhenStopReturned.set(fired.get());
        });
        h.run();
        assertEquals(Boolean.FALSE, firedWhenStopReturned.get(), "BEFORE shutdown trigger ran inside stop()");
        assertTrue(fired.get(), "BEFORE shutdown trigger ran before run() returned");
    }

    @ContractTest
    void shutdownStartsAfterTheCurrentPass(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> events.add("shutdown"));
        r.callWhenRunning(() -> {
            // Both calls are due in the same pass; stop() in the first must not cut the second short.
            r.callLater(0, () -> {
                events.add("first");
                r.stop();
            });
            r.callLater(0, () -> events.add("second"));
        });
        h.run();
        assertEquals(List.of("first", "second", "shutdown"), events);
    }

    @ContractTest
    void beforeStartupDeferredDelaysStartupUntilItFires(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.STARTUP, () -> {
            events.add("before");
            Deferred<String> d = new Deferred<>();
            r.callLater(0.02, () -> {
                events.add("firing");
                d.callback("done");
            });
            return d;
        });
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.STARTUP, () -> events.add("during"));
        r.callWhenRunning(() -> {
            events.add("after");
            r.stop();
        });
        h.run();
        assertEquals(List.of("before", "firing", "during", "after"), events);
    }

    @ContractTest
    void beforeShutdownDeferredDelaysShutdownUntilItFires(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            events.add("before");
            Deferred<Void> d = new Deferred<>();
            r.callLater(0.02, () -> {
                events.add("firing");
                d.callback(null);
            });
            return d;
        });
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, () -> events.add("during"));
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> events.add("after"));
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of("before", "firing", "during", "after"), events);
    }

    @ContractTest
    void beforeShutdownDeferredsAreAwaitedTogether(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        Deferred<Void> slow = new Deferred<>();
        Deferred<Void> fast = new Deferred<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            events.add("slow trigger");
            r.callLater(0.04, () -> {
                events.add("slow fires");
                slow.callback(null);
            });
            return slow;
        });
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            events.add("fast trigger");
            r.callLater(0.01, () -> {
                events.add("fast fires");
                fast.callback(null);
            });
            return fast;
        });
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, () -> events.add("during"));
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of("slow trigger", "fast trigger", "fast fires", "slow fires", "during"), events);
    }

    @ContractTest
    void failedBeforeShutdownDeferredIsLoggedAndShutdownGoesOn(ReactorHarness h) {
        Reactor r = h.reactor();
        LogCapture logs = h.captureLogs();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            Deferred<Void> d = new Deferred<>();
            r.callLater(0, () -> d.errback(new IllegalStateException("marker-failed-shutdown-deferred")));
            return d;
        });
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, () -> events.add("during"));
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of("during"), events);
        assertTrue(logs.await(LogCapture.atLeast(Level.WARN).and(LogCapture.mentions(
                "marker-failed-shutdown-deferred")), Duration.ofSeconds(2)) != null,
                "the Deferred's failure must be logged");
    }

    @ContractTest
    void removedTriggerDoesNotRun(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        TriggerId id = r.addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, () -> events.add("removed"));
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, () -> events.add("kept"));
        r.removeSystemEventTrigger(id);
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of("kept"), events);
    }

    @ContractTest
    void removingUnknownTriggerRaisesIllegalArgument(Reactor r) {
        TriggerId id = r.addSystemEventTrigger(Phase.DURING, "custom", () -> { });
        r.removeSystemEventTrigger(id);
        assertThrows(IllegalArgumentException.class, () -> r.removeSystemEventTrigger(id), "removed twice");
        assertThrows(IllegalArgumentException.class,
                () -> r.removeSystemEventTrigger(new TriggerId(Phase.DURING, "custom")), "never added");
        assertThrows(NullPointerException.class, () -> r.removeSystemEventTrigger(null));
    }

    @ContractTest
    void removingPendingBeforeTriggerWhileBeforeTriggersRunPreventsIt(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicReference<TriggerId> second = new AtomicReference<>();
        r.addSystemEventTrigger(Phase.BEFORE, "custom", () -> {
            events.add("first");
            r.removeSystemEventTrigger(second.get());
        });
        second.set(r.addSystemEventTrigger(Phase.BEFORE, "custom", () -> events.add("second")));
        r.addSystemEventTrigger(Phase.DURING, "custom", () -> events.add("during"));
        r.callWhenRunning(() -> {
            r.fireSystemEvent("custom");
            r.stop();
        });
        h.run();
        assertEquals(List.of("first", "during"), events);
    }

    @ContractTest
    void exceptionInTriggerIsLoggedAndOtherTriggersRun(ReactorHarness h) {
        Reactor r = h.reactor();
        LogCapture logs = h.captureLogs();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.DURING, "custom", () -> events.add("one"));
        r.addSystemEventTrigger(Phase.DURING, "custom", () -> {
            throw new IllegalStateException("marker-trigger-failure");
        });
        r.addSystemEventTrigger(Phase.DURING, "custom", () -> events.add("three"));
        r.addSystemEventTrigger(Phase.AFTER, "custom", () -> events.add("after"));
        r.callWhenRunning(() -> {
            r.fireSystemEvent("custom");
            r.stop();
        });
        h.run();
        assertEquals(List.of("one", "three", "after"), events);
        assertTrue(logs.await(LogCapture.atLeast(Level.WARN).and(LogCapture.mentions("marker-trigger-failure")),
                Duration.ofSeconds(2)) != null, "the trigger's exception must be logged");
    }

    @ContractTest
    void exceptionInShutdownTriggerDoesNotPreventShutdown(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            throw new IllegalStateException("marker-shutdown-trigger-failure");
        });
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> events.add("after"));
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of("after"), events);
    }

    @ContractTest
    void customEventFiresItsPhasesInOrder(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.AFTER, "custom", () -> events.add("after"));
        r.addSystemEventTrigger(Phase.DURING, "custom", () -> events.add("during"));
        r.addSystemEventTrigger(Phase.BEFORE, "custom", () -> events.add("before"));
        r.addSystemEventTrigger(Phase.DURING, "other", () -> events.add("other"));
        r.callWhenRunning(() -> {
            r.fireSystemEvent("custom");
            events.add("fired");
            r.stop();
        });
        h.run();
        assertEquals(List.of("before", "during", "after", "fired"), events);
    }

    @ContractTest
    void customEventBeforeDeferredHoldsLaterPhases(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        Deferred<Void> hold = new Deferred<>();
        r.addSystemEventTrigger(Phase.BEFORE, "custom", () -> hold);
        r.addSystemEventTrigger(Phase.DURING, "custom", () -> {
            events.add("during");
            r.stop();
        });
        r.callWhenRunning(() -> {
            r.fireSystemEvent("custom");
            events.add("fireSystemEvent returned");
            r.callLater(0.01, () -> {
                events.add("firing");
                hold.callback(null);
            });
        });
        h.run();
        assertEquals(List.of("fireSystemEvent returned", "firing", "during"), events);
    }

    @ContractTest
    void triggersRunOnceEvenWhenTheirEventFiresTwice(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.DURING, "custom", () -> events.add("trigger"));
        r.callWhenRunning(() -> {
            r.fireSystemEvent("custom");
            r.fireSystemEvent("custom");
            r.stop();
        });
        h.run();
        assertEquals(List.of("trigger"), events);
    }

    @ContractTest
    void firingEventWithNoTriggersDoesNothing(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicBoolean returned = new AtomicBoolean();
        r.callWhenRunning(() -> {
            r.fireSystemEvent("nobody-listens");
            returned.set(true);
            r.stop();
        });
        h.run();
        assertTrue(returned.get());
    }

    @ContractTest
    void addSystemEventTriggerRejectsNulls(Reactor r) {
        Runnable f = () -> { };
        Messages.assertNamesArgument(assertThrows(NullPointerException.class,
                () -> r.addSystemEventTrigger(null, "custom", f)), "phase");
        Messages.assertNamesArgument(assertThrows(NullPointerException.class,
                () -> r.addSystemEventTrigger(Phase.DURING, null, f)), "event");
        Messages.assertNamesArgument(assertThrows(NullPointerException.class,
                () -> r.addSystemEventTrigger(Phase.DURING, "custom", (Runnable) null)), "trigger");
        assertThrows(NullPointerException.class, () -> r.fireSystemEvent(null));
        assertFalse(r.isRunning());
    }
}
