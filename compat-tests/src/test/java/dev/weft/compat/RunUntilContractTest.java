package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.compat.harness.WatchesChannels;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.RecordingDescriptor;
import dev.weft.compat.harness.TestPipe;
import dev.weft.defer.Deferred;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorAlreadyRunningException;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorNotRestartableException;
import dev.weft.reactor.ReactorNotRunningException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** runUntil: run the loop until a Deferred fires. */
final class RunUntilContractTest {

    /** A distinct failure for identity checks. */
    static final class MarkerException extends Exception {
        private static final long serialVersionUID = 1L;

        MarkerException(String message) {
            super(message);
        }
    }

    private static <T> Deferred<T> firedLater(Reactor r, double delay, T value) {
        Deferred<T> d = new Deferred<>();
        r.callLater(delay, () -> d.callback(value));
        return d;
    }

    @ContractTest
    void runUntilReturnsTheValue(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        assertEquals("value", h.runUntil(firedLater(r, 0.01, "value")));
    }

    @ContractTest
    void runUntilThrowsTheFailureAsItIs(ReactorHarness h) {
        Reactor r = h.reactor();
        MarkerException boom = new MarkerException("boom");
        Deferred<String> d = new Deferred<>();
        r.callLater(0.01, () -> d.errback(boom));
        MarkerException thrown = assertThrows(MarkerException.class, () -> h.runUntil(d));
        assertSame(boom, thrown);
    }

    @ContractTest
    void runUntilOfAFiredDeferredReturnsItsValue(ReactorHarness h) throws Exception {
        assertEquals(42, h.runUntil(Deferred.succeed(42)));
    }

    @ContractTest
    void runUntilCanRunAgainAndAgain(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.callWhenRunning(() -> events.add("started"));
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> events.add("shutdown"));
        assertEquals(1, h.runUntil(firedLater(r, 0, 1)));
        assertEquals(2, h.runUntil(firedLater(r, 0.01, 2)));
        MarkerException boom = new MarkerException("third");
        Deferred<Integer> failing = new Deferred<>();
        r.callLater(0, () -> failing.errback(boom));
        assertSame(boom, assertThrows(MarkerException.class, () -> h.runUntil(failing)));
        assertEquals(4, h.runUntil(firedLater(r, 0, 4)));
        assertEquals(List.of("started"), events, "startup once, no shutdown");
    }

    @ContractTest
    void runUntilRunsTimersScheduledBetweenCalls(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        assertEquals("a", h.runUntil(firedLater(r, 0, "a")));
        List<String> events = new CopyOnWriteArrayList<>();
        r.callLater(0, () -> events.add("timer"));
        r.callFromThread(() -> events.add("thread call"));
        Deferred<String> d = new Deferred<>();
        r.callLater(0.01, () -> d.callback("b"));
        assertEquals("b", h.runUntil(d));
        assertEquals(2, events.size(), String.valueOf(events));
    }

    @ContractTest
    void runUntilAfterStopRaisesNotRestartable(ReactorHarness h) {
        Reactor r = h.reactor();
        r.callWhenRunning(r::stop);
        h.run();
        assertThrows(ReactorNotRestartableException.class, () -> h.runUntil(firedLater(r, 0, 1)));
    }

    @ContractTest
    void runUntilOfAFiredDeferredAfterStopRaisesNotRestartable(ReactorHarness h) {
        Reactor r = h.reactor();
        r.callWhenRunning(r::stop);
        h.run();
        assertThrows(ReactorNotRestartableException.class, () -> h.runUntil(Deferred.succeed(1)));
    }

    @ContractTest
    void runUntilRaisesNotRunningWhenStoppedBeforeTheDeferredFires(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> events.add("shutdown"));
        r.callLater(0.01, r::stop);
        assertThrows(ReactorNotRunningException.class, () -> h.runUntil(new Deferred<String>()));
        assertEquals(List.of("shutdown"), events, "the stop ran the shutdown");
    }

    @ContractTest
    void runUntilRaisesNotRunningWhenCrashedBeforeTheDeferredFires(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        r.callLater(0.01, r::crash);
        assertThrows(ReactorNotRunningException.class, () -> h.runUntil(new Deferred<String>()));
        assertEquals("again", h.runUntil(firedLater(r, 0, "again")), "a crashed reactor runs again");
    }

    @ContractTest
    void runUntilInsideACallbackRaisesAlreadyRunning(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        r.callWhenRunning(() -> {
            try {
                r.runUntil(new Deferred<Integer>());
            } catch (Throwable t) {
                thrown.set(t);
            }
            r.stop();
        });
        h.run();
        assertEquals(ReactorAlreadyRunningException.class, thrown.get() == null ? null : thrown.get().getClass());
    }

    @ContractTest
    void runUntilOfAFiredDeferredInsideACallbackRaisesAlreadyRunning(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        r.callWhenRunning(() -> {
            try {
                r.runUntil(Deferred.succeed(1));
            } catch (Throwable t) {
                thrown.set(t);
            }
            r.stop();
        });
        h.run();
        assertEquals(ReactorAlreadyRunningException.class, thrown.get() == null ? null : thrown.get().getClass());
    }

    @ContractTest
    void runThenStopAfterRunUntilShutsDown(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        List<String> events = new CopyOnWriteArrayList<>();
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> events.add("shutdown"));
        assertEquals(1, h.runUntil(firedLater(r, 0, 1)));
        r.callLater(0, r::stop);
        h.run();
        assertEquals(List.of("shutdown"), events);
    }

    @ContractTest
    void runUntilReturnsWhenTheDeferredIsFiredFromAnotherThread(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        Deferred<String> d = new Deferred<>();
        r.callWhenRunning(() -> {
            Thread t = new Thread(() -> r.callFromThread(() -> d.callback("from thread")), "firer");
            t.setDaemon(true);
            t.start();
        });
        assertEquals("from thread", h.runUntil(d));
    }

    @ContractTest
    @WatchesChannels
    void runUntilReturnsWhenTheDeferredIsFiredByAReader(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe();
        Deferred<Integer> d = new Deferred<>();
        AtomicInteger calls = new AtomicInteger();
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source()).onRead(self -> {
            byte[] got = pipe.drain();
            r.removeReader(self);
            calls.incrementAndGet();
            d.callback((int) got[0]);
        });
        r.addReader(reader);
        r.callLater(0.01, () -> pipe.write((byte) 5));
        assertEquals(5, h.runUntil(d));
        assertEquals(1, calls.get());
    }
}
