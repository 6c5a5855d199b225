package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LoopThread;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.defer.Deferred;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An interrupt of the thread that runs the reactor is a request to stop, as a SIGINT is: the loop clears the flag at
 * the end of the pass that saw it (so its poll for I/O can block again: an interrupted thread never makes it spin)
 * and stops if it may; an interrupt while it already stops is only cleared.
 */
final class InterruptContractTest {

    @ContractTest
    void interruptFromACallbackStopsTheReactorAndTheFlagIsCleared(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        for (Phase p : Phase.values()) {
            r.addSystemEventTrigger(p, ReactorCore.SHUTDOWN,
                    () -> events.add(p + " interrupted=" + Thread.currentThread().isInterrupted()));
        }
        r.callWhenRunning(() -> r.callLater(0, () -> {
            events.add("interrupt");
            Thread.currentThread().interrupt();
        }));
        h.run();
        assertEquals(List.of("interrupt", "BEFORE interrupted=false", "DURING interrupted=false",
                "AFTER interrupted=false"), events);
    }

    @ContractTest
    void interruptWhileShutdownWaitsIsClearedAndShutdownGoesOn(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            Deferred<Void> held = new Deferred<>();
            r.callLater(0, () -> Thread.currentThread().interrupt());
            r.callLater(0.05, () -> {
                events.add("later call interrupted=" + Thread.currentThread().isInterrupted());
                held.callback(null);
            });
            return held;
        });
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> events.add("after-shutdown"));
        r.callWhenRunning(r::stop);
        h.run();
        assertEquals(List.of("later call interrupted=false", "after-shutdown"), events);
    }

    @ContractTest
    void interruptOfTheThreadBlockedInRunStopsTheReactor(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> events.add("before-shutdown"));
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> events.add("after-shutdown"));
        r.callLater(60, () -> events.add("the timer of a minute ran"));
        LoopThread loop = h.startInBackground(r);
        loop.awaitRunning();
        loop.thread().interrupt();
        loop.joinOrFail();
        assertEquals(List.of("before-shutdown", "after-shutdown"), events);
    }
}
