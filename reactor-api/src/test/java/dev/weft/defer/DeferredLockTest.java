package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredLockTest {

    @Test
    void acquireOfAFreeLockFiresAtOnceWithTheLock() {
        DeferredLock lock = new DeferredLock();
        assertFalse(lock.locked());
        Deferred<DeferredLock> d = lock.acquire();
        assertTrue(lock.locked());
        assertSame(lock, DeferredTest.Outcome.of(d).result);
    }

    @Test
    void waitersGetTheLockInOrderAsItIsReleased() {
        DeferredLock lock = new DeferredLock();
        List<String> seen = new ArrayList<>();
        lock.acquire();
        lock.acquire().addCallback(l -> seen.add("second"));
        lock.acquire().addCallback(l -> seen.add("third"));
        assertTrue(seen.isEmpty());
        lock.release();
        assertEquals(List.of("second"), seen);
        assertTrue(lock.locked());
        lock.release();
        assertEquals(List.of("second", "third"), seen);
        lock.release();
        assertFalse(lock.locked());
    }

    @Test
    void releaseOfAnUnlockedLockThrows() {
        DeferredLock lock = new DeferredLock();
        assertThrows(IllegalStateException.class, lock::release);
        lock.acquire();
        lock.release();
        assertThrows(IllegalStateException.class, lock::release);
    }

    @Test
    void cancellingAWaitingAcquireLeavesTheQueue() {
        DeferredLock lock = new DeferredLock();
        lock.acquire();
        Deferred<DeferredLock> waiting = lock.acquire();
        DeferredTest.Outcome<DeferredLock> o = DeferredTest.Outcome.of(waiting);
        waiting.cancel();
        assertInstanceOf(CancelledException.class, o.failure);
        lock.release();
        assertFalse(lock.locked(), "the cancelled waiter must not get the lock");
    }

    @Test
    void runHoldsTheLockUntilTheReturnedDeferredFires() {
        DeferredLock lock = new DeferredLock();
        Deferred<String> work = new Deferred<>();
        DeferredTest.Outcome<String> o = DeferredTest.Outcome.of(lock.run(() -> work));
        assertTrue(lock.locked());
        List<String> order = new ArrayList<>();
        lock.run(() -> {
            order.add("second ran");
            return Deferred.succeed("second");
        });
        assertTrue(order.isEmpty());
        work.callback("first");
        assertEquals("first", o.result);
        assertEquals(List.of("second ran"), order);
        assertFalse(lock.locked());
    }

    @Test
    void runReleasesTheLockOnFailureAndPassesTheFailureOn() {
        DeferredLock lock = new DeferredLock();
        IOException e = new IOException();
        assertSame(e, DeferredTest.Outcome.of(lock.<String>run(() -> Deferred.fail(e))).failure);
        assertFalse(lock.locked());
        IOException thrown = new IOException("thrown");
        assertSame(thrown, DeferredTest.Outcome.of(lock.<String>run(() -> {
            throw thrown;
        })).failure);
        assertFalse(lock.locked());
        assertInstanceOf(NullPointerException.class, DeferredTest.Outcome.of(lock.run(() -> null)).failure);
        assertFalse(lock.locked());
    }

    @Test
    void runRejectsNull() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new DeferredLock().run(null));
        assertEquals("f must not be null", e.getMessage());
    }
}
