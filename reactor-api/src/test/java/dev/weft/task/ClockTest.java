package dev.weft.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.AlreadyCalledException;
import dev.weft.reactor.DelayedCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockTest {

    private final Clock clock = new Clock();
    private final List<String> log = new ArrayList<>();

    @Test
    void startsAtZeroWithNothingScheduled() {
        assertEquals(0.0, clock.seconds());
        assertTrue(clock.getDelayedCalls().isEmpty());
    }

    @Test
    void callLaterRunsNothingUntilTheClockIsAdvanced() {
        clock.callLater(0, () -> log.add("a"));
        assertEquals(List.of(), log);
        clock.advance(0);
        assertEquals(List.of("a"), log);
    }

    @Test
    void advanceMovesTimeAndRunsOnlyTheCallsDueByThen() {
        DelayedCall one = clock.callLater(1, () -> log.add("one@" + clock.seconds()));
        clock.callLater(2, () -> log.add("two@" + clock.seconds()));
        clock.advance(0.5);
        assertEquals(0.5, clock.seconds());
        assertEquals(List.of(), log);
        clock.advance(0.5);
        assertEquals(List.of("one@1.0"), log);
        assertFalse(one.active());
        assertEquals(1, clock.getDelayedCalls().size());
        clock.advance(5);
        assertEquals(List.of("one@1.0", "two@6.0"), log);
        assertEquals(6.0, clock.seconds());
    }

    @Test
    void callsWithTheSameDeadlineRunFirstInFirstOut() {
        clock.callLater(1, () -> log.add("a"));
        clock.callLater(1, () -> log.add("b"));
        clock.callLater(0.5, () -> log.add("early"));
        clock.callLater(1, () -> log.add("c"));
        clock.advance(0.25);
        clock.callLater(0.75, () -> log.add("d"));
        clock.advance(2);
        assertEquals(List.of("early", "a", "b", "c", "d"), log);
    }

    @Test
    void dueCallsScheduledDuringAdvanceRunInTheSameAdvance() {
        clock.callLater(1, () -> {
            log.add("first");
            clock.callLater(0, () -> log.add("zero-delay"));
            clock.callLater(0.5, () -> log.add("not-yet"));
        });
        clock.callLater(1, () -> log.add("second"));
        clock.advance(1);
        assertEquals(List.of("first", "second", "zero-delay"), log);
        clock.advance(0.5);
        assertEquals(List.of("first", "second", "zero-delay", "not-yet"), log);
    }

    @Test
    void anExceptionFromACallPropagatesOutOfAdvanceAndTheRestRunNextTime() {
        IllegalStateException boom = new IllegalStateException("boom");
        clock.callLater(1, () -> log.add("before"));
        clock.callLater(1, () -> {
            throw boom;
        });
        clock.callLater(1, () -> log.add("after"));
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> clock.advance(1));
        assertSame(boom, thrown);
        assertEquals(List.of("before"), log);
        assertEquals(1, clock.getDelayedCalls().size());
        clock.advance(0);
        assertEquals(List.of("before", "after"), log);
    }

    @Test
    void pumpAdvancesStepByStepRunningDueCallsAfterEachStep() {
        for (int i = 1; i <= 3; i++) {
            clock.callLater(i, () -> log.add("at " + clock.seconds()));
        }
        clock.pump(0.5, 0.5, 1, 1);
        assertEquals(List.of("at 1.0", "at 2.0", "at 3.0"), log);
        assertEquals(3.0, clock.seconds());
    }

    @Test
    void pumpTakesAListOfSteps() {
        clock.callLater(1.5, () -> log.add("at " + clock.seconds()));
        clock.pump(List.of(1.0, 1.0));
        assertEquals(List.of("at 2.0"), log);
        clock.pump(List.of());
        assertEquals(2.0, clock.seconds());
    }

    @Test
    void advanceRejectsNegativeNaNAndInfiniteAmounts() {
        for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clock.advance(bad));
            assertTrue(e.getMessage().contains("seconds"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> clock.pump(1, -1));
        assertEquals(1.0, clock.seconds());
        assertThrows(NullPointerException.class, () -> clock.pump((double[]) null));
        assertThrows(NullPointerException.class, () -> clock.pump((List<Double>) null));
        assertThrows(NullPointerException.class, () -> clock.pump(java.util.Arrays.asList(1.0, null)));
    }

    @Test
    void callLaterChecksItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> clock.callLater(-1, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> clock.callLater(Double.NaN, () -> { }));
        NullPointerException e = assertThrows(NullPointerException.class, () -> clock.callLater(1, null));
        assertTrue(e.getMessage().contains("f"), e.getMessage());
    }

    @Test
    void durationOverloadSchedulesOnTheSameClock() {
        clock.callLater(java.time.Duration.ofMillis(1500), () -> log.add("ran"));
        clock.advance(1.4);
        assertEquals(List.of(), log);
        clock.advance(0.1);
        assertEquals(List.of("ran"), log);
    }

    @Test
    void getDelayedCallsListsOnlyActiveCalls() {
        DelayedCall a = clock.callLater(1, () -> { });
        DelayedCall b = clock.callLater(2, () -> { });
        DelayedCall c = clock.callLater(3, () -> { });
        b.cancel();
        clock.advance(1);
        assertEquals(List.of(c), clock.getDelayedCalls());
        assertThrows(AlreadyCalledException.class, a::cancel);
    }

    @Test
    void resetAndDelayMoveACall() {
        DelayedCall a = clock.callLater(1, () -> log.add("a"));
        a.delay(1);
        clock.advance(1.5);
        assertEquals(List.of(), log);
        a.reset(1);
        assertEquals(2.5, a.getTime());
        clock.advance(0.5);
        assertEquals(List.of(), log);
        clock.advance(0.5);
        assertEquals(List.of("a"), log);
    }
}
