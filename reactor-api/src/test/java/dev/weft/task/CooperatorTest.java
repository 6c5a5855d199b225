package dev.weft.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The cooperator's slices are scheduled on {@code loop}, one second apart, so that each {@code loop.advance(1)} runs
 * exactly one slice; the work of each step is measured on {@code work}, which the steps advance.
 */
class CooperatorTest {

    private final Clock loop = new Clock();
    private final Clock work = new Clock();
    private final List<String> log = new ArrayList<>();
    private final Cooperator cooperator = new Cooperator(work::seconds, 0.01, slice -> loop.callLater(1, slice));

    /** An iterator of {@code n} steps (or endless for n < 0) that logs "name+i" and costs {@code cost} seconds. */
    private final class Steps implements Iterator<Object> {
        private final String name;
        private final int n;
        private final double cost;
        private final IntFunction<Object> yields;
        private int i;

        Steps(String name, int n, double cost, IntFunction<Object> yields) {
            this.name = name;
            this.n = n;
            this.cost = cost;
            this.yields = yields;
        }

        Steps(String name, int n, double cost) {
            this(name, n, cost, i -> null);
        }

        @Override
        public boolean hasNext() {
            return n < 0 || i < n;
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            log.add(name + i);
            work.advance(cost);
            return yields.apply(i++);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private void slice() {
        loop.advance(1);
    }

    @Test
    void cooperateRunsNothingUntilTheNextSlice() {
        cooperator.cooperate(new Steps("a", 3, 0));
        assertEquals(List.of(), log);
        assertEquals(1, loop.getDelayedCalls().size());
    }

    @Test
    void tasksTakeTurnsRoundRobinAcrossSlices() {
        cooperator.cooperate(new Steps("a", 4, 0.004));
        cooperator.cooperate(new Steps("b", 4, 0.004));
        slice();
        assertEquals(List.of("a0", "b0", "a1"), log);
        slice();
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), log);
        slice();
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3"), log);
        assertTrue(loop.getDelayedCalls().isEmpty(), "no slice is scheduled once every task is done");
    }

    @Test
    void aTaskThatFinishesDoesNotCostTheNextOneItsTurn() {
        cooperator.cooperate(new Steps("a", 1, 0.004));
        cooperator.cooperate(new Steps("b", -1, 0.004));
        cooperator.cooperate(new Steps("c", -1, 0.004));
        slice();
        log.clear();
        slice();
        assertEquals(List.of("b1", "c1", "b2"), log);
    }

    @Test
    void aTaskAddedLaterJoinsTheRound() {
        cooperator.cooperate(new Steps("a", -1, 0.004));
        slice();
        cooperator.cooperate(new Steps("b", -1, 0.004));
        slice();
        assertEquals(List.of("a0", "a1", "a2", "b0", "a3", "b1"), log);
    }

    @Test
    void aSliceYieldsToTheLoopOnceItHasLastedTheSliceTime() {
        cooperator.cooperate(new Steps("a", -1, 0.004));
        slice();
        assertEquals(3, log.size());
        assertEquals(1, loop.getDelayedCalls().size());
        slice();
        assertEquals(6, log.size());
    }

    @Test
    void aSliceTakesAtLeastOneStepEvenWhenAStepOutlastsIt() {
        cooperator.cooperate(new Steps("a", -1, 1.0));
        cooperator.cooperate(new Steps("b", -1, 1.0));
        slice();
        slice();
        slice();
        assertEquals(List.of("a0", "b0", "a1"), log);
    }

    @Test
    void theDefaultCooperatorYieldsWithCallLaterZeroEveryTenMilliseconds() {
        ReactorTime time = new ReactorTime() {
            @Override
            public double seconds() {
                return work.seconds();
            }

            @Override
            public DelayedCall callLater(double delaySeconds, Runnable f) {
                return loop.callLater(delaySeconds, f);
            }

            @Override
            public List<DelayedCall> getDelayedCalls() {
                return loop.getDelayedCalls();
            }
        };
        Cooperator defaults = new Cooperator(time);
        Deferred<Steps> done = defaults.coiterate(new Steps("s", 7, 0.004));
        Outcome<Steps> outcome = Outcome.of(done);
        assertEquals(0.0, loop.getDelayedCalls().get(0).getTime());
        // Another callLater(0) chain on the same loop shows where the slices yield.
        loop.callLater(0, new Runnable() {
            @Override
            public void run() {
                log.add("|");
                if (!outcome.fired()) {
                    loop.callLater(0, this);
                }
            }
        });
        loop.advance(0);
        assertEquals(List.of("s0", "s1", "s2", "|", "s3", "s4", "s5", "|", "s6", "|"), log);
        assertEquals("s", outcome.value().toString());
    }

    @Test
    void aYieldedDeferredPausesItsTaskUntilItFires() {
        Deferred<String> gate = new Deferred<>();
        cooperator.cooperate(new Steps("a", 4, 0.004, i -> i == 0 ? gate : null));
        cooperator.cooperate(new Steps("b", -1, 0.004));
        slice();
        slice();
        assertEquals(List.of("a0", "b0", "b1", "b2", "b3", "b4"), log);
        gate.callback("open");
        log.clear();
        slice();
        assertEquals(List.of("a1", "b5", "a2"), log);
    }

    @Test
    void aYieldedDeferredThatHasFiredDoesNotPauseTheTask() {
        Outcome<Steps> done = Outcome.of(cooperator.coiterate(new Steps("a", 2, 0, i -> Deferred.succeed(i))));
        slice();
        assertEquals(List.of("a0", "a1"), log);
        assertEquals("a", done.value().toString());
    }

    @Test
    void aFailedYieldedDeferredFailsTheTask() {
        Deferred<String> gate = new Deferred<>();
        CooperativeTask<Steps> task = cooperator.cooperate(new Steps("a", 4, 0, i -> i == 0 ? gate : null));
        Outcome<Steps> done = Outcome.of(task.whenDone());
        slice();
        IllegalStateException boom = new IllegalStateException("gate broke");
        gate.errback(boom);
        assertSame(boom, done.failure(IllegalStateException.class));
        slice();
        assertEquals(List.of("a0"), log);
        TaskFailedException e = assertThrows(TaskFailedException.class, task::pause);
        assertSame(boom, e.getCause());
        assertThrows(TaskFailedException.class, task::stop);
    }

    @Test
    void whenDoneFiresWithTheIteratorOnceItIsExhausted() {
        Steps steps = new Steps("a", 2, 0);
        CooperativeTask<Steps> task = cooperator.cooperate(steps);
        Outcome<Steps> early = Outcome.of(task.whenDone());
        slice();
        assertSame(steps, early.value());
        assertSame(steps, Outcome.of(task.whenDone()).value());
        assertThrows(TaskDoneException.class, task::pause);
        assertThrows(TaskDoneException.class, task::stop);
    }

    @Test
    void coiterateReturnsTheWhenDoneDeferred() {
        Steps steps = new Steps("a", 3, 0.004);
        Outcome<Steps> done = Outcome.of(cooperator.coiterate(steps));
        slice();
        done.assertPending();
        slice();
        assertSame(steps, done.value());
    }

    @Test
    void anExceptionFromTheIteratorFailsTheTask() {
        UnsupportedOperationException boom = new UnsupportedOperationException("step 1");
        CooperativeTask<Steps> task = cooperator.cooperate(new Steps("a", 5, 0, i -> {
            if (i == 1) {
                throw boom;
            }
            return null;
        }));
        cooperator.cooperate(new Steps("b", 4, 0));
        Outcome<Steps> done = Outcome.of(task.whenDone());
        slice();
        assertSame(boom, done.failure(UnsupportedOperationException.class));
        assertEquals(List.of("a0", "b0", "a1", "b1", "b2", "b3"), log);
        assertSame(boom, assertThrows(TaskFailedException.class, task::pause).getCause());
    }

    @Test
    void aPausedTaskTakesNoStepsUntilResumedAsOftenAsPaused() {
        CooperativeTask<Steps> a = cooperator.cooperate(new Steps("a", -1, 0.004));
        cooperator.cooperate(new Steps("b", -1, 0.004));
        a.pause();
        a.pause();
        slice();
        assertEquals(List.of("b0", "b1", "b2"), log);
        a.resume();
        slice();
        assertEquals(List.of("b0", "b1", "b2", "b3", "b4", "b5"), log);
        a.resume();
        slice();
        assertEquals(List.of("b0", "b1", "b2", "b3", "b4", "b5", "a0", "b6", "a1"), log);
        NotPausedException e = assertThrows(NotPausedException.class, a::resume);
        assertTrue(e.getMessage().contains("not paused"), e.getMessage());
    }

    @Test
    void noSliceIsScheduledWhileEveryTaskIsPaused() {
        CooperativeTask<Steps> a = cooperator.cooperate(new Steps("a", -1, 0.004));
        a.pause();
        assertTrue(loop.getDelayedCalls().isEmpty());
        a.resume();
        assertEquals(1, loop.getDelayedCalls().size());
        slice();
        assertEquals(List.of("a0", "a1", "a2"), log);
    }

    @Test
    void resumingWhileWaitingForAYieldedDeferredDoesNotStartTheTask() {
        Deferred<String> gate = new Deferred<>();
        CooperativeTask<Steps> a = cooperator.cooperate(new Steps("a", -1, 0.004, i -> i == 0 ? gate : null));
        slice();
        a.pause();
        assertThrows(NotPausedException.class, () -> {
            a.resume();
            a.resume();
        });
        slice();
        assertEquals(List.of("a0"), log);
        gate.callback("go");
        slice();
        assertEquals(List.of("a0", "a1", "a2", "a3"), log);
    }

    @Test
    void stopFailsWhenDoneWithTaskStoppedAndEndsTheSteps() {
        CooperativeTask<Steps> a = cooperator.cooperate(new Steps("a", -1, 0.004));
        cooperator.cooperate(new Steps("b", -1, 0.004));
        Outcome<Steps> done = Outcome.of(a.whenDone());
        slice();
        a.stop();
        done.failure(TaskStoppedException.class);
        slice();
        assertEquals(List.of("a0", "b0", "a1", "b1", "b2", "b3"), log);
        assertThrows(TaskStoppedException.class, a::stop);
        assertThrows(TaskStoppedException.class, a::pause);
        Outcome.of(a.whenDone()).failure(TaskStoppedException.class);
    }

    @Test
    void aPausedTaskCanBeStopped() {
        CooperativeTask<Steps> a = cooperator.cooperate(new Steps("a", -1, 0.004));
        a.pause();
        a.stop();
        Outcome.of(a.whenDone()).failure(TaskStoppedException.class);
        a.resume();
        slice();
        assertEquals(List.of(), log);
        assertTrue(loop.getDelayedCalls().isEmpty());
    }

    @Test
    void stoppingTheCooperatorFailsEveryTaskIncludingPausedOnes() {
        CooperativeTask<Steps> a = cooperator.cooperate(new Steps("a", -1, 0.004));
        CooperativeTask<Steps> b = cooperator.cooperate(new Steps("b", -1, 0.004));
        Outcome<Steps> aDone = Outcome.of(a.whenDone());
        Outcome<Steps> bDone = Outcome.of(b.whenDone());
        slice();
        b.pause();
        cooperator.stop();
        aDone.failure(SchedulerStoppedException.class);
        bDone.failure(SchedulerStoppedException.class);
        assertTrue(cooperator.isStopped());
        assertTrue(loop.getDelayedCalls().isEmpty());
        assertThrows(SchedulerStoppedException.class, a::pause);
        cooperator.stop();
        Outcome<Steps> late = Outcome.of(cooperator.coiterate(new Steps("c", 1, 0)));
        late.failure(SchedulerStoppedException.class);
        slice();
        assertEquals(List.of("a0", "b0", "a1"), log);
    }

    @Test
    void aWhenDoneCallbackMayStopTheCooperator() {
        CooperativeTask<Steps> a = cooperator.cooperate(new Steps("a", 1, 0));
        Outcome<Steps> bDone = Outcome.of(cooperator.coiterate(new Steps("b", -1, 0.004)));
        a.whenDone().addCallback(it -> {
            cooperator.stop();
            return it;
        });
        slice();
        bDone.failure(SchedulerStoppedException.class);
        assertTrue(loop.getDelayedCalls().isEmpty());
    }

    @Test
    void argumentsAreChecked() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> cooperator.cooperate(null));
        assertTrue(e.getMessage().contains("iterator"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> new Cooperator((ReactorTime) null));
        assertTrue(e.getMessage().contains("clock"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> new Cooperator(work::seconds, 0.01, null));
        assertTrue(e.getMessage().contains("scheduler"), e.getMessage());
        for (double bad : new double[] {-0.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
                    () -> new Cooperator(loop, bad));
            assertTrue(iae.getMessage().contains("sliceSeconds"), iae.getMessage());
        }
    }
}
