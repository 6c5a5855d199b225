package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredQueueTest {

    @Test
    void getFiresAtOnceWithAnItemThatIsThere() {
        DeferredQueue<String> q = new DeferredQueue<>();
        q.put("a");
        q.put("b");
        assertEquals(2, q.size());
        assertEquals("a", DeferredTest.Outcome.of(q.get()).result);
        assertEquals("b", DeferredTest.Outcome.of(q.get()).result);
        assertEquals(0, q.size());
    }

    @Test
    void waitingGetsFireWithLaterPutsFirstComeFirstServed() {
        DeferredQueue<String> q = new DeferredQueue<>();
        List<String> seen = new ArrayList<>();
        q.get().addCallback(x -> seen.add("1:" + x));
        q.get().addCallback(x -> seen.add("2:" + x));
        assertEquals(2, q.waitingGets());
        q.put("a");
        assertEquals(List.of("1:a"), seen);
        q.put("b");
        assertEquals(List.of("1:a", "2:b"), seen);
        assertEquals(0, q.waitingGets());
        assertEquals(0, q.size());
    }

    @Test
    void putBeyondTheSizeLimitThrowsQueueOverflowException() {
        DeferredQueue<String> q = new DeferredQueue<>(2, 10);
        q.put("a");
        q.put("b");
        assertThrows(QueueOverflowException.class, () -> q.put("c"));
        assertEquals(2, q.size());
    }

    @Test
    void putToAFullQueueStillServesAWaitingGet() {
        DeferredQueue<String> q = new DeferredQueue<>(0, 1);
        Deferred<String> d = q.get();
        q.put("direct");
        assertEquals("direct", DeferredTest.Outcome.of(d).result);
        assertThrows(QueueOverflowException.class, () -> q.put("nobody waits"));
    }

    @Test
    void getBeyondTheBacklogLimitThrowsQueueUnderflowException() {
        DeferredQueue<String> q = new DeferredQueue<>(10, 1);
        q.get();
        assertThrows(QueueUnderflowException.class, q::get);
        assertEquals(1, q.waitingGets());
    }

    @Test
    void cancellingAWaitingGetRemovesItSoNoItemIsLost() {
        DeferredQueue<String> q = new DeferredQueue<>();
        Deferred<String> first = q.get();
        Deferred<String> second = q.get();
        DeferredTest.Outcome<String> o1 = DeferredTest.Outcome.of(first);
        first.cancel();
        assertInstanceOf(CancelledException.class, o1.failure);
        assertEquals(1, q.waitingGets());
        q.put("item");
        assertEquals("item", DeferredTest.Outcome.of(second).result);
        q.put("kept");
        assertEquals(1, q.size());
    }

    @Test
    void argumentsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DeferredQueue<>(-1, 0));
        assertTrue(e.getMessage().startsWith("size"));
        e = assertThrows(IllegalArgumentException.class, () -> new DeferredQueue<>(0, -1));
        assertTrue(e.getMessage().startsWith("backlog"));
        DeferredQueue<String> q = new DeferredQueue<>();
        NullPointerException npe = assertThrows(NullPointerException.class, () -> q.put(null));
        assertEquals("item must not be null", npe.getMessage());
        assertFalse(q.toString().isEmpty());
    }
}
