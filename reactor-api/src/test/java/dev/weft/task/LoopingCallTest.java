package dev.weft.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopingCallTest {

    private final Clock clock = new Clock();
    private final List<Double> calls = new ArrayList<>();

    private LoopingCall recording() {
        return new LoopingCall(clock, () -> calls.add(clock.seconds()));
    }

    @Test
    void startCallsAtOnceThenEveryIntervalOnTheGrid() {
        LoopingCall lc = recording();
        lc.start(1.0);
        assertEquals(List.of(0.0), calls);
        assertTrue(lc.isRunning());
        assertEquals(1.0, lc.interval());
        clock.advance(0.5);
        assertEquals(List.of(0.0), calls);
        clock.pump(0.5, 1.0, 1.0);
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), calls);
    }

    @Test
    void nowFalseMakesTheFirstCallOneIntervalAfterStart() {
        clock.advance(10);
        LoopingCall lc = recording();
        lc.start(2.0, false);
        assertEquals(List.of(), calls);
        clock.advance(1.5);
        assertEquals(List.of(), calls);
        clock.advance(0.5);
        assertEquals(List.of(12.0), calls);
        clock.advance(2);
        assertEquals(List.of(12.0, 14.0), calls);
    }

    @Test
    void callsStayOnTheGridAnchoredAtTheStartTimeWhenOneRunsLate() {
        clock.advance(0.25);
        LoopingCall lc = recording();
        lc.start(1.0);
        clock.advance(1.5);
        assertEquals(List.of(0.25, 1.75), calls);
        // Back on the grid 0.25 + n: the next call is at 2.25, not 2.75.
        clock.advance(0.5);
        assertEquals(List.of(0.25, 1.75, 2.25), calls);
        assertEquals(3.25, clock.getDelayedCalls().get(0).getTime(), 1e-9);
    }

    @Test
    void missedIntervalsAreSkippedNotReplayed() {
        LoopingCall lc = recording();
        lc.start(1.0);
        clock.advance(3.5);
        assertEquals(List.of(0.0, 3.5), calls);
        clock.advance(0);
        assertEquals(List.of(0.0, 3.5), calls);
        assertEquals(1, clock.getDelayedCalls().size());
        assertEquals(4.0, clock.getDelayedCalls().get(0).getTime(), 1e-9);
    }

    @Test
    void missedIntervalsAreSkippedAndCounted() {
        List<Integer> counts = new ArrayList<>();
        LoopingCall lc = LoopingCall.withCount(clock, counts::add);
        lc.start(1.0);
        assertEquals(List.of(1), counts);
        clock.advance(1);
        assertEquals(List.of(1, 1), counts);
        clock.advance(3.5);
        assertEquals(List.of(1, 1, 3), counts);
        clock.advance(0.5);
        assertEquals(List.of(1, 1, 3, 1), counts);
    }

    @Test
    void withCountCountsOneForTheFirstCallWhenNowIsFalse() {
        List<Integer> counts = new ArrayList<>();
        LoopingCall lc = LoopingCall.withCount(clock, counts::add);
        lc.start(1.0, false);
        clock.advance(1);
        assertEquals(List.of(1), counts);
        clock.advance(2);
        assertEquals(List.of(1, 2), counts);
    }

    @Test
    void withCountStaysOnTheGridWithIntervalsThatAreNotExactInBinary() {
        List<Integer> counts = new ArrayList<>();
        LoopingCall lc = LoopingCall.withCount(clock, counts::add);
        lc.start(0.1);
        for (int i = 0; i < 50; i++) {
            clock.advance(0.1);
        }
        assertEquals(51, counts.size());
        assertTrue(counts.stream().allMatch(c -> c == 1), counts::toString);
    }

    @Test
    void deferredReturningFunctionDelaysTheNextCallUntilItFires() {
        List<Deferred<String>> pending = new ArrayList<>();
        LoopingCall lc = LoopingCall.ofDeferred(clock, () -> {
            calls.add(clock.seconds());
            Deferred<String> d = new Deferred<>();
            pending.add(d);
            return d;
        });
        lc.start(1.0);
        assertEquals(List.of(0.0), calls);
        clock.advance(0.5);
        pending.get(0).callback("done");
        clock.advance(0.5);
        assertEquals(List.of(0.0, 1.0), calls);
        clock.advance(1);
        assertEquals(List.of(0.0, 1.0), calls);
        assertTrue(clock.getDelayedCalls().isEmpty());
        assertTrue(lc.isRunning());
    }

    @Test
    void deferredTakingLongerThanTheIntervalSkipsTheMissedGridPoints() {
        List<Deferred<Void>> pending = new ArrayList<>();
        LoopingCall lc = LoopingCall.ofDeferred(clock, () -> {
            calls.add(clock.seconds());
            Deferred<Void> d = new Deferred<>();
            pending.add(d);
            return d;
        });
        lc.start(1.0);
        clock.advance(2.5);
        pending.get(0).callback(null);
        clock.advance(0);
        assertEquals(List.of(0.0), calls);
        clock.advance(0.5);
        assertEquals(List.of(0.0, 3.0), calls);
    }

    @Test
    void deferredThatHasFiredAlreadyDoesNotDelayTheGrid() {
        LoopingCall lc = LoopingCall.ofDeferred(clock, () -> {
            calls.add(clock.seconds());
            return Deferred.succeed("ok");
        });
        lc.start(1.0);
        clock.pump(1, 1);
        assertEquals(List.of(0.0, 1.0, 2.0), calls);
    }

    @Test
    void stopFiresTheDeferredWithTheLoopingCallAndCancelsTheNextCall() {
        LoopingCall lc = recording();
        Outcome<LoopingCall> done = Outcome.of(lc.start(1.0));
        clock.advance(1);
        done.assertPending();
        lc.stop();
        assertSame(lc, done.value());
        assertFalse(lc.isRunning());
        assertTrue(clock.getDelayedCalls().isEmpty());
        clock.advance(5);
        assertEquals(List.of(0.0, 1.0), calls);
    }

    @Test
    void stopFromInsideTheFunctionFiresOnceTheFunctionReturns() {
        LoopingCall[] self = new LoopingCall[1];
        self[0] = new LoopingCall(clock, () -> {
            calls.add(clock.seconds());
            if (calls.size() == 3) {
                self[0].stop();
            }
        });
        Outcome<LoopingCall> done = Outcome.of(self[0].start(1.0));
        clock.pump(1, 1, 1, 1);
        assertSame(self[0], done.value());
        assertEquals(List.of(0.0, 1.0, 2.0), calls);
        assertTrue(clock.getDelayedCalls().isEmpty());
    }

    @Test
    void stopWhileTheFunctionsDeferredIsPendingFiresWhenItFires() {
        Deferred<Object> inner = new Deferred<>();
        LoopingCall lc = LoopingCall.ofDeferred(clock, () -> inner);
        Outcome<LoopingCall> done = Outcome.of(lc.start(1.0));
        lc.stop();
        assertFalse(lc.isRunning());
        done.assertPending();
        inner.callback("late");
        assertSame(lc, done.value());
        assertTrue(clock.getDelayedCalls().isEmpty());
    }

    @Test
    void anExceptionFromTheFunctionFailsTheDeferredAndEndsTheLoop() {
        IllegalStateException boom = new IllegalStateException("boom");
        LoopingCall lc = new LoopingCall(clock, () -> {
            calls.add(clock.seconds());
            if (calls.size() == 2) {
                throw boom;
            }
        });
        Outcome<LoopingCall> done = Outcome.of(lc.start(1.0));
        clock.advance(1);
        assertSame(boom, done.failure(IllegalStateException.class));
        assertFalse(lc.isRunning());
        assertTrue(clock.getDelayedCalls().isEmpty());
        clock.advance(5);
        assertEquals(List.of(0.0, 1.0), calls);
        assertThrows(IllegalStateException.class, lc::stop);
    }

    @Test
    void aFailureOnTheFirstCallFailsTheDeferredBeforeStartReturns() {
        LoopingCall lc = new LoopingCall(clock, () -> {
            throw new UnsupportedOperationException("first");
        });
        Outcome<LoopingCall> done = Outcome.of(lc.start(1.0));
        done.failure(UnsupportedOperationException.class);
        assertFalse(lc.isRunning());
        assertTrue(clock.getDelayedCalls().isEmpty());
    }

    @Test
    void aFailedDeferredFromTheFunctionFailsTheLoop() {
        List<Deferred<Void>> pending = new ArrayList<>();
        LoopingCall lc = LoopingCall.ofDeferred(clock, () -> {
            Deferred<Void> d = new Deferred<>();
            pending.add(d);
            return d;
        });
        Outcome<LoopingCall> done = Outcome.of(lc.start(1.0));
        java.io.IOException io = new java.io.IOException("io");
        pending.get(0).errback(io);
        assertSame(io, done.failure(java.io.IOException.class));
        assertFalse(lc.isRunning());
        assertTrue(clock.getDelayedCalls().isEmpty());
    }

    @Test
    void aFunctionReturningNullInsteadOfADeferredFailsTheLoop() {
        LoopingCall lc = LoopingCall.ofDeferred(clock, () -> null);
        Outcome<LoopingCall> done = Outcome.of(lc.start(1.0));
        done.failure(NullPointerException.class);
        assertFalse(lc.isRunning());
    }

    @Test
    void intervalZeroRunsAgainOnEveryPassThroughCallLaterZero() {
        List<Integer> counts = new ArrayList<>();
        LoopingCall[] self = new LoopingCall[1];
        self[0] = LoopingCall.withCount(clock, n -> {
            counts.add(n);
            if (counts.size() == 5) {
                self[0].stop();
            }
        });
        Outcome<LoopingCall> done = Outcome.of(self[0].start(0));
        assertEquals(List.of(1), counts);
        assertEquals(1, clock.getDelayedCalls().size());
        assertEquals(0.0, clock.getDelayedCalls().get(0).getTime(), 1e-9);
        clock.advance(0);
        assertEquals(List.of(1, 1, 1, 1, 1), counts);
        assertSame(self[0], done.value());
    }

    @Test
    void badIntervalsAreRejected() {
        LoopingCall lc = recording();
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lc.start(bad));
            assertTrue(e.getMessage().contains("interval"), e.getMessage());
        }
        assertFalse(lc.isRunning());
        assertTrue(Double.isNaN(lc.interval()));
        assertEquals(List.of(), calls);
    }

    @Test
    void startingTwiceIsRejected() {
        LoopingCall lc = recording();
        lc.start(1.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lc.start(2.0));
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
        assertEquals(1.0, lc.interval());
    }

    @Test
    void stoppingWhenNotRunningIsRejected() {
        LoopingCall lc = recording();
        IllegalStateException e = assertThrows(IllegalStateException.class, lc::stop);
        assertTrue(e.getMessage().contains("not running"), e.getMessage());
        lc.start(1.0);
        lc.stop();
        assertThrows(IllegalStateException.class, lc::stop);
    }

    @Test
    void restartingAfterStopAnchorsANewGrid() {
        LoopingCall lc = recording();
        lc.start(1.0);
        clock.advance(0.5);
        lc.stop();
        Outcome<LoopingCall> second = Outcome.of(lc.start(2.0, false));
        clock.pump(1, 1, 2);
        assertEquals(List.of(0.0, 2.5, 4.5), calls);
        second.assertPending();
        lc.stop();
        assertSame(lc, second.value());
    }

    @Test
    void restartingWhileTheOldCallsDeferredIsPendingKeepsTheTwoRunsApart() {
        List<Deferred<Void>> pending = new ArrayList<>();
        LoopingCall lc = LoopingCall.ofDeferred(clock, () -> {
            calls.add(clock.seconds());
            Deferred<Void> d = new Deferred<>();
            pending.add(d);
            return d;
        });
        Outcome<LoopingCall> first = Outcome.of(lc.start(1.0));
        lc.stop();
        Outcome<LoopingCall> second = Outcome.of(lc.start(1.0, false));
        pending.get(0).callback(null);
        assertSame(lc, first.value());
        second.assertPending();
        assertEquals(1, clock.getDelayedCalls().size());
        clock.advance(1);
        assertEquals(List.of(0.0, 1.0), calls);
    }

    @Test
    void nullArgumentsAreRejectedWithTheirNames() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new LoopingCall(null, () -> { }));
        assertTrue(e.getMessage().contains("clock"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> new LoopingCall(clock, null));
        assertTrue(e.getMessage().contains("f"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> LoopingCall.withCount(clock, null));
        assertTrue(e.getMessage().contains("f"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> LoopingCall.ofDeferred(null, () -> null));
        assertTrue(e.getMessage().contains("clock"), e.getMessage());
    }
}
