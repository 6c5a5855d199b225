package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredSemaphoreTest {

    @Test
    void tokensAreHandedOutUntilNoneIsLeftThenWaitersQueue() {
        DeferredSemaphore s = new DeferredSemaphore(2);
        assertEquals(2, s.tokens());
        assertSame(s, DeferredTest.Outcome.of(s.acquire()).result);
        s.acquire();
        assertEquals(0, s.tokens());
        List<String> seen = new ArrayList<>();
        s.acquire().addCallback(x -> seen.add("third"));
        assertTrue(seen.isEmpty());
        s.release();
        assertEquals(List.of("third"), seen);
        assertEquals(0, s.tokens());
        s.release();
        s.release();
        assertEquals(2, s.tokens());
        assertEquals(2, s.limit());
    }

    @Test
    void releasingMoreThanWasAcquiredThrows() {
        DeferredSemaphore s = new DeferredSemaphore(1);
        assertThrows(IllegalStateException.class, s::release);
        s.acquire();
        s.release();
        assertThrows(IllegalStateException.class, s::release);
    }

    @Test
    void runLimitsHowManyTasksRunAtOnce() {
        DeferredSemaphore s = new DeferredSemaphore(2);
        List<Deferred<Integer>> work = new ArrayList<>();
        List<Integer> started = new ArrayList<>();
        List<DeferredTest.Outcome<Integer>> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            outcomes.add(DeferredTest.Outcome.of(s.run(() -> {
                started.add(n);
                Deferred<Integer> d = new Deferred<>();
                work.add(d);
                return d;
            })));
        }
        assertEquals(List.of(0, 1), started);
        work.get(1).callback(10);
        assertEquals(List.of(0, 1, 2), started);
        assertEquals(10, outcomes.get(1).result);
        work.get(0).callback(0);
        work.get(2).callback(20);
        work.get(3).callback(30);
        assertEquals(List.of(0, 1, 2, 3), started);
        assertEquals(30, outcomes.get(3).result);
        assertEquals(2, s.tokens());
    }

    @Test
    void cancellingAWaitingAcquireLeavesTheQueue() {
        DeferredSemaphore s = new DeferredSemaphore(1);
        s.acquire();
        Deferred<DeferredSemaphore> waiting = s.acquire();
        DeferredTest.Outcome<DeferredSemaphore> o = DeferredTest.Outcome.of(waiting);
        waiting.cancel();
        assertInstanceOf(CancelledException.class, o.failure);
        s.release();
        assertEquals(1, s.tokens());
    }

    @Test
    void tokensMustBeAtLeastOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DeferredSemaphore(0));
        assertTrue(e.getMessage().startsWith("tokens"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DeferredSemaphore(-3));
        NullPointerException npe = assertThrows(NullPointerException.class, () -> new DeferredSemaphore(1).run(null));
        assertEquals("f must not be null", npe.getMessage());
    }
}
