package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.weft.compat.harness.WatchesChannels;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.RecordingDescriptor;
import dev.weft.compat.harness.TestPipe;
import dev.weft.defer.Deferred;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.TriggerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Edges of the loop: calls that change other calls in the same pass, shutdown in progress, errors. */
final class LoopEdgeContractTest {

    @ContractTest
    void callCancelledByAnEarlierCallOfTheSamePassDoesNotRun(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        DelayedCall[] victim = new DelayedCall[1];
        r.callWhenRunning(() -> {
            r.callLater(0, () -> {
                events.add("first");
                victim[0].cancel();
            });
            victim[0] = r.callLater(0, () -> events.add("cancelled one ran"));
            r.callLater(0.01, r::stop);
        });
        h.run();
        assertEquals(List.of("first"), events);
    }

    @ContractTest
    void callPostponedByAnEarlierCallOfTheSamePassDoesNotRunYet(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        DelayedCall[] victim = new DelayedCall[1];
        r.callWhenRunning(() -> {
            r.callLater(0, () -> {
                events.add("first");
                victim[0].reset(10);
            });
            victim[0] = r.callLater(0, () -> events.add("postponed one ran"));
            r.callLater(0.02, r::stop);
        });
        h.run();
        assertEquals(List.of("first"), events);
    }

    @ContractTest
    void exceptionInThreadCallIsLoggedAndLaterCallsRun(ReactorHarness h) {
        Reactor r = h.reactor();
        LogCapture logs = h.captureLogs();
        List<String> events = new CopyOnWriteArrayList<>();
        r.callFromThread(() -> {
            throw new IllegalStateException("marker-thread-call-failure");
        });
        r.callFromThread(() -> events.add("next"));
        r.callLater(0.01, r::stop);
        h.run();
        assertEquals(List.of("next"), events);
        assertTrue(logs.await(LogCapture.atLeast(Level.WARN).and(LogCapture.mentions("marker-thread-call-failure")),
                Duration.ofSeconds(2)) != null, "the exception must be logged");
    }

    @ContractTest
    void exceptionInCallInThreadIsLoggedAndThePoolGoesOn(ReactorHarness h) {
        Reactor r = h.reactor();
        LogCapture logs = h.captureLogs();
        r.suggestThreadPoolSize(1);
        List<String> events = new CopyOnWriteArrayList<>();
        r.callWhenRunning(() -> {
            r.callInThread(() -> {
                throw new IllegalStateException("marker-pool-task-failure");
            });
            r.callInThread(() -> {
                events.add("next task");
                r.callFromThread(r::stop);
            });
        });
        h.run();
        assertEquals(List.of("next task"), events);
        assertTrue(logs.await(LogCapture.atLeast(Level.WARN).and(LogCapture.mentions("marker-pool-task-failure")),
                Duration.ofSeconds(2)) != null, "the exception must be logged");
    }

    @ContractTest
    @WatchesChannels
    void exceptionInDoReadIsLogged(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        LogCapture logs = h.captureLogs();
        TestPipe pipe = h.pipe().write((byte) 1);
        RecordingDescriptor failing = new RecordingDescriptor("failing-reader", pipe.source()).onRead(self -> {
            r.callLater(0, r::stop);
            throw new IllegalStateException("marker-doRead-logged");
        });
        r.callWhenRunning(() -> r.addReader(failing));
        h.run();
        assertTrue(logs.await(LogCapture.atLeast(Level.WARN).and(LogCapture.mentions("marker-doRead-logged")),
                Duration.ofSeconds(2)) != null, "the exception must be logged");
    }

    @ContractTest
    @WatchesChannels
    void loopKeepsServingDescriptorsAndThreadCallsWhileShutdownWaits(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe();
        List<String> events = new CopyOnWriteArrayList<>();
        Deferred<Void> hold = new Deferred<>();
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source()).onRead(self -> {
            pipe.drain();
            events.add("read");
            r.callFromThread(() -> {
                events.add("thread call");
                hold.callback(null);
            });
        });
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            events.add("before");
            r.callLater(0.01, () -> pipe.write((byte) 1));
            return hold;
        });
        r.addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, () -> events.add("during"));
        r.callWhenRunning(() -> {
            r.addReader(reader);
            r.stop();
        });
        h.run();
        assertEquals(List.of("before", "read", "thread call", "during"), events);
    }

    @ContractTest
    void stopWhileShuttingDownRaisesNotRunning(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            try {
                r.stop();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        r.callWhenRunning(r::stop);
        h.run();
        assertTrue(thrown.get() instanceof ReactorNotRunningException, "got " + thrown.get());
    }

    @ContractTest
    void removingPendingDuringTriggerWhileTheEventFiresPreventsIt(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicReference<TriggerId> victim = new AtomicReference<>();
        AtomicReference<TriggerId> afterVictim = new AtomicReference<>();
        r.addSystemEventTrigger(Phase.DURING, "custom", () -> {
            events.add("first");
            r.removeSystemEventTrigger(victim.get());
            r.removeSystemEventTrigger(afterVictim.get());
        });
        victim.set(r.addSystemEventTrigger(Phase.DURING, "custom", () -> events.add("removed during")));
        afterVictim.set(r.addSystemEventTrigger(Phase.AFTER, "custom", () -> events.add("removed after")));
        r.addSystemEventTrigger(Phase.AFTER, "custom", () -> events.add("after"));
        r.callWhenRunning(() -> {
            r.fireSystemEvent("custom");
            r.stop();
        });
        h.run();
        assertEquals(List.of("first", "after"), events);
    }

    @ContractTest
    void callWhenRunningFromABeforeStartupTriggerRunsInThisStartup(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.STARTUP,
                () -> r.callWhenRunning(() -> {
                    events.add("running=" + r.isRunning());
                    r.stop();
                }));
        h.run();
        assertEquals(List.of("running=true"), events);
    }

    @ContractTest
    void deferToThreadMadeBeforeRunIsDeliveredOnceRunning(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Thread> loop = new AtomicReference<>();
        AtomicReference<Thread> callback = new AtomicReference<>();
        r.deferToThread(() -> "early").addCallback(v -> {
            result.set(v);
            callback.set(Thread.currentThread());
            r.stop();
            return null;
        });
        r.callWhenRunning(() -> loop.set(Thread.currentThread()));
        h.run();
        assertEquals("early", result.get());
        assertEquals(loop.get(), callback.get());
    }

    @ContractTest
    void iterateWaitsAtMostItsDelay(ReactorHarness h) {
        Reactor r = h.reactor();
        long t0 = System.nanoTime();
        h.iterate(r, 0.05, Duration.ofSeconds(2));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1000, "iterate(0.05) took " + ms + " ms");
    }
}
