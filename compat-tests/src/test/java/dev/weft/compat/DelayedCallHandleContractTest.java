package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.reactor.AlreadyCalledException;
import dev.weft.reactor.AlreadyCancelledException;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.Reactor;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** The {@link DelayedCall} handle: active, getTime, cancel, delay, reset; getDelayedCalls. */
final class DelayedCallHandleContractTest {

    @ContractTest
    void getTimeIsSecondsPlusDelay(Reactor r) {
        double before = r.seconds();
        DelayedCall c = r.callLater(5, () -> { });
        double after = r.seconds();
        assertTrue(c.getTime() >= before + 5 && c.getTime() <= after + 5,
                "getTime " + c.getTime() + " not within [" + (before + 5) + ", " + (after + 5) + "]");
    }

    @ContractTest
    void durationOverloadSchedulesLikeSeconds(Reactor r) {
        double before = r.seconds();
        DelayedCall c = r.callLater(java.time.Duration.ofMillis(2500), () -> { });
        double after = r.seconds();
        assertTrue(c.getTime() >= before + 2.5 && c.getTime() <= after + 2.5, "getTime " + c.getTime());
    }

    @ContractTest
    void activeUntilItRunsAndFalseInsideItsOwnCall(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Boolean> activeInside = new AtomicReference<>();
        DelayedCall[] self = new DelayedCall[1];
        self[0] = r.callLater(0, () -> {
            activeInside.set(self[0].active());
            r.stop();
        });
        assertTrue(self[0].active(), "active before it runs");
        h.run();
        assertEquals(Boolean.FALSE, activeInside.get(), "a call is marked called before its function runs");
        assertFalse(self[0].active(), "inactive after it ran");
    }

    @ContractTest
    void cancelledCallDoesNotRunAndIsInactive(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicBoolean ran = new AtomicBoolean();
        DelayedCall c = r.callLater(0, () -> ran.set(true));
        c.cancel();
        assertFalse(c.active());
        r.callLater(0.01, r::stop);
        h.run();
        assertFalse(ran.get());
    }

    @ContractTest
    void cancelInsideItsOwnCallRaisesAlreadyCalled(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        DelayedCall[] self = new DelayedCall[1];
        self[0] = r.callLater(0, () -> {
            try {
                self[0].cancel();
            } catch (Throwable t) {
                thrown.set(t);
            }
            r.stop();
        });
        h.run();
        assertTrue(thrown.get() instanceof AlreadyCalledException, "got " + thrown.get());
    }

    @ContractTest
    void cancelAfterItRanRaisesAlreadyCalled(ReactorHarness h) {
        Reactor r = h.reactor();
        DelayedCall c = r.callLater(0, () -> { });
        r.callLater(0.01, r::stop);
        h.run();
        assertThrows(AlreadyCalledException.class, c::cancel);
    }

    @ContractTest
    void cancelTwiceRaisesAlreadyCancelled(Reactor r) {
        DelayedCall c = r.callLater(1, () -> { });
        c.cancel();
        assertThrows(AlreadyCancelledException.class, c::cancel);
    }

    @ContractTest
    void delayAndResetAfterCancelRaiseAlreadyCancelled(Reactor r) {
        DelayedCall c = r.callLater(1, () -> { });
        c.cancel();
        assertThrows(AlreadyCancelledException.class, () -> c.delay(1));
        assertThrows(AlreadyCancelledException.class, () -> c.reset(1));
    }

    @ContractTest
    void delayAndResetAfterItRanRaiseAlreadyCalled(ReactorHarness h) {
        Reactor r = h.reactor();
        DelayedCall c = r.callLater(0, () -> { });
        r.callLater(0.01, r::stop);
        h.run();
        assertThrows(AlreadyCalledException.class, () -> c.delay(1));
        assertThrows(AlreadyCalledException.class, () -> c.reset(1));
    }

    @ContractTest
    void delayAddsToTheDueTimeAndPostponesTheCall(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicBoolean ran = new AtomicBoolean();
        DelayedCall c = r.callLater(0.01, () -> ran.set(true));
        double t = c.getTime();
        c.delay(10);
        assertEquals(t + 10, c.getTime(), 1e-9);
        r.callLater(0.05, r::stop);
        h.run();
        assertFalse(ran.get(), "the delayed call ran at its old time");
        assertTrue(c.active());
    }

    @ContractTest
    void negativeDelayMovesTheCallEarlier(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> order = new CopyOnWriteArrayList<>();
        DelayedCall c = r.callLater(10, () -> order.add("moved"));
        r.callLater(0.05, () -> {
            order.add("stop");
            r.stop();
        });
        c.delay(-9.99);
        h.run();
        assertEquals(List.of("moved", "stop"), order);
    }

    @ContractTest
    void resetSetsTheDueTimeFromNow(ReactorHarness h) {
        Reactor r = h.reactor();
        List<String> order = new CopyOnWriteArrayList<>();
        DelayedCall late = r.callLater(10, () -> order.add("reset earlier"));
        DelayedCall early = r.callLater(0, () -> order.add("reset later"));
        r.callLater(0.05, () -> {
            order.add("stop");
            r.stop();
        });
        double before = r.seconds();
        late.reset(0.01);
        early.reset(5);
        double after = r.seconds();
        assertTrue(late.getTime() >= before + 0.01 && late.getTime() <= after + 0.01, "late " + late.getTime());
        assertTrue(early.getTime() >= before + 5 && early.getTime() <= after + 5, "early " + early.getTime());
        h.run();
        assertEquals(List.of("reset earlier", "stop"), order);
        assertTrue(early.active());
    }

    @ContractTest
    void getDelayedCallsListsOnlyActiveCalls(ReactorHarness h) {
        Reactor r = h.reactor();
        DelayedCall pending = r.callLater(5, () -> { });
        DelayedCall cancelled = r.callLater(5, () -> { });
        DelayedCall ran = r.callLater(0, () -> { });
        cancelled.cancel();
        AtomicReference<List<DelayedCall>> inside = new AtomicReference<>();
        DelayedCall[] stopper = new DelayedCall[1];
        stopper[0] = r.callLater(0.01, () -> {
            inside.set(r.getDelayedCalls());
            r.stop();
        });
        assertEquals(identitySet(pending, ran, stopper[0]), identitySet(r.getDelayedCalls()),
                "before run()");
        h.run();
        assertEquals(identitySet(pending), identitySet(inside.get()),
                "inside the last call: the pending one only (not the cancelled, the run, nor the running one)");
        assertEquals(identitySet(pending), identitySet(r.getDelayedCalls()), "after run()");
    }

    @ContractTest
    void getDelayedCallsIsASnapshot(Reactor r) {
        DelayedCall c = r.callLater(5, () -> { });
        List<DelayedCall> snapshot = r.getDelayedCalls();
        try {
            snapshot.clear();
        } catch (UnsupportedOperationException ok) {
            // An unmodifiable snapshot is fine too.
        }
        assertEquals(identitySet(c), identitySet(r.getDelayedCalls()));
    }

    @ContractTest
    void cancelReleasesTheFunction(Reactor r) {
        Object payload = new Object();
        WeakReference<Object> ref = new WeakReference<>(payload);
        Runnable f = payloadHolder(payload);
        payload = null;
        DelayedCall c = r.callLater(5, f);
        f = null;
        c.cancel();
        assertTrue(dev.weft.compat.harness.Await.spinUntil(() -> {
            System.gc();
            return ref.get() == null;
        }, java.time.Duration.ofSeconds(2)), "the cancelled call still holds its function");
        assertSame(null, ref.get());
    }

    private static Runnable payloadHolder(Object payload) {
        return () -> payload.hashCode();
    }

    private static Set<DelayedCall> identitySet(DelayedCall... calls) {
        return identitySet(List.of(calls));
    }

    private static Set<DelayedCall> identitySet(List<DelayedCall> calls) {
        Set<DelayedCall> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(calls);
        assertEquals(calls.size(), s.size(), "a call is listed twice: " + calls);
        return s;
    }
}
