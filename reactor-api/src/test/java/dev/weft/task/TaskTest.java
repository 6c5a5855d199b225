package dev.weft.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.CancelledException;
import dev.weft.defer.Deferred;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class TaskTest {

    private final Clock clock = new Clock();
    private final List<Double> ran = new ArrayList<>();

    @Test
    void deferLaterFiresWithTheResultOnceTheDelayHasPassed() {
        Outcome<String> result = Outcome.of(Task.deferLater(clock, 1.5, () -> {
            ran.add(clock.seconds());
            return "result";
        }));
        clock.advance(1.4);
        result.assertPending();
        assertEquals(List.of(), ran);
        clock.advance(0.1);
        assertEquals("result", result.value());
        assertEquals(List.of(1.5), ran);
    }

    @Test
    void deferLaterFailsWithWhatTheFunctionThrew() {
        Exception boom = new Exception("checked boom");
        Callable<String> f = () -> {
            throw boom;
        };
        Outcome<String> result = Outcome.of(Task.deferLater(clock, 1, f));
        clock.advance(1);
        assertSame(boom, result.failure(Exception.class));
    }

    @Test
    void cancellingDeferLaterCancelsTheTimerAndFailsWithCancelledException() {
        Deferred<String> d = Task.deferLater(clock, 1, () -> {
            ran.add(clock.seconds());
            return "never";
        });
        Outcome<String> result = Outcome.of(d);
        assertEquals(1, clock.getDelayedCalls().size());
        d.cancel();
        result.failure(CancelledException.class);
        assertTrue(clock.getDelayedCalls().isEmpty());
        clock.advance(2);
        assertEquals(List.of(), ran);
    }

    @Test
    void cancellingDeferLaterAfterItFiredChangesNothing() {
        Deferred<String> d = Task.deferLater(clock, 1, () -> "done");
        clock.advance(1);
        d.cancel();
        assertEquals("done", Outcome.of(d).value());
    }

    @Test
    void aFunctionThatCancelsItsOwnDeferredLeavesItCancelled() {
        List<Deferred<String>> self = new ArrayList<>();
        self.add(Task.deferLater(clock, 1, () -> {
            self.get(0).cancel();
            return "ignored";
        }));
        Outcome<String> result = Outcome.of(self.get(0));
        clock.advance(1);
        result.failure(CancelledException.class);
    }

    @Test
    void deferLaterWithoutAFunctionFiresWithNull() {
        Outcome<Void> result = Outcome.of(Task.deferLater(clock, 2));
        clock.advance(1);
        result.assertPending();
        clock.advance(1);
        assertNull(result.value());
    }

    @Test
    void deferLaterWithARunnableRunsItThenFiresWithNull() {
        Runnable f = () -> ran.add(clock.seconds());
        Outcome<Void> result = Outcome.of(Task.deferLater(clock, 0, f));
        result.assertPending();
        clock.advance(0);
        assertNull(result.value());
        assertEquals(List.of(0.0), ran);
    }

    @Test
    void deferLaterChecksItsArguments() {
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Task.deferLater(clock, bad, () -> "x"));
            assertTrue(e.getMessage().contains("delay"), e.getMessage());
        }
        NullPointerException e = assertThrows(NullPointerException.class, () -> Task.deferLater(null, 1));
        assertTrue(e.getMessage().contains("clock"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Task.deferLater(clock, 1, (Callable<String>) null));
        assertTrue(e.getMessage().contains("f"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Task.deferLater(clock, 1, (Runnable) null));
        assertTrue(e.getMessage().contains("f"), e.getMessage());
        assertTrue(clock.getDelayedCalls().isEmpty());
    }
}
