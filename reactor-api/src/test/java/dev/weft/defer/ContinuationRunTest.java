package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.reactor.AlreadyCalledException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What differs with {@code weft.coroutines=continuation}: a body runs on the thread it acts for, costs no thread,
 * sees that thread's {@code ThreadLocal}s, and reports an await the JVM cannot suspend. Runs only in that mode
 * (the JDK 21+ second test run); CoroutineTest pins the rules both modes share.
 */
class ContinuationRunTest {

    @BeforeEach
    void onlyWithContinuations() {
        assumeTrue(CoroutineMode.selected() == CoroutineMode.CONTINUATION, "weft.coroutines=continuation");
    }

    private static <T> AtomicReference<Object> outcome(Deferred<T> d) {
        AtomicReference<Object> seen = new AtomicReference<>("not fired");
        d.addBoth((v, f) -> {
            seen.set(f != null ? f : v);
            return null;
        });
        return seen;
    }

    @Test
    void aBodyRunsOnTheThreadItActsForFirstTheCallerThenTheFiringThread() throws Exception {
        Thread test = Thread.currentThread();
        Deferred<String> gate = new Deferred<>();
        List<Thread> seen = new ArrayList<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            seen.add(Thread.currentThread());
            gate.await();
            seen.add(Thread.currentThread());
            return "ok";
        });
        Thread firer = new Thread(() -> gate.callback("go"), "firer");
        firer.start();
        firer.join(5_000);
        assertFalse(firer.isAlive());
        assertEquals(List.of(test, firer), seen);
        assertEquals("ok", outcome(d).get());
    }

    @Test
    void aBodyThatNeverSuspendsStartsNoThread() {
        int before = Thread.activeCount();
        List<Deferred<Integer>> ds = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            int n = i;
            ds.add(Deferred.fromCoroutine(() -> Deferred.succeed(n).await() + 1));
        }
        assertTrue(Thread.activeCount() <= before, "threads before " + before + ", after " + Thread.activeCount());
        assertEquals(1_000, outcome(ds.get(999)).get());
    }

    @Test
    void aBodySeesTheThreadLocalsOfTheThreadThatResumedIt() throws Exception {
        ThreadLocal<String> name = new ThreadLocal<>();
        name.set("caller");
        Deferred<String> gate = new Deferred<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            String first = name.get();
            gate.await();
            return first + " then " + name.get();
        });
        Thread firer = new Thread(() -> {
            name.set("firer");
            gate.callback(null);
        }, "firer");
        firer.start();
        firer.join(5_000);
        assertFalse(firer.isAlive());
        assertEquals("caller then firer", outcome(d).get());
    }

    @Test
    void aBodyStartedInsideABodyRunsAtTheSameStackDepth() {
        int[] depths = new int[2];
        Deferred<Void> gate = new Deferred<>();
        Deferred.fromCoroutine(() -> {
            depths[0] = new Throwable().getStackTrace().length;
            return Deferred.fromCoroutine(() -> {
                depths[1] = new Throwable().getStackTrace().length;
                return gate.await();
            }).await();
        });
        assertEquals(depths[0], depths[1], "the inner body runs from the loop below the outer one, not on top of it");
        gate.callback(null);
    }

    /** A class whose initializer awaits an unfired Deferred: a native frame, which no JDK can suspend. */
    static final class AwaitsInItsInitializer {
        static final Deferred<Void> GATE = new Deferred<>();
        static final Throwable THROWN;

        static {
            Throwable thrown = null;
            try {
                GATE.await();
            } catch (Throwable t) {
                thrown = t;
            }
            THROWN = thrown;
        }

        private AwaitsInItsInitializer() {
        }
    }

    @Test
    void anAwaitTheJvmCannotSuspendFailsThereNamingTheOption() {
        Deferred<Throwable> d = Deferred.fromCoroutine(() -> AwaitsInItsInitializer.THROWN);
        Object thrown = outcome(d).get();
        assertTrue(thrown instanceof IllegalStateException, String.valueOf(thrown));
        String message = ((Throwable) thrown).getMessage();
        assertTrue(message.contains("weft.coroutines=continuation"), message);
        assertTrue(message.contains("Pinned"), message);
    }

    /** A class whose initializer starts a body: the body runs nested, on top of the initializer's frame. */
    static final class StartsABodyInItsInitializer {
        static final Deferred<String> GATE = new Deferred<>();
        static final Deferred<String> BODY = Deferred.fromCoroutine(() -> "inner " + GATE.await());

        private StartsABodyInItsInitializer() {
        }
    }

    @Test
    void aBodyStartedWhereTheCallerCannotYieldRunsNestedOnTopOfIt() {
        Deferred<Deferred<String>> d = Deferred.fromCoroutine(() -> StartsABodyInItsInitializer.BODY);
        StartsABodyInItsInitializer.GATE.callback("resumed");
        assertEquals("inner resumed", outcome(d).get());
    }

    /**
     * JDK 24+ suspends a continuation holding a monitor (as it does a virtual thread); JDK 21-23 cannot, and the
     * await says so.
     */
    @Test
    void anAwaitInsideSynchronizedSuspendsFromJdk24AndFailsClearlyBefore() throws Exception {
        Object lock = new Object();
        Deferred<String> gate = new Deferred<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            synchronized (lock) {
                try {
                    return "resumed holding the lock: " + gate.await() + " " + Thread.holdsLock(lock);
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            }
        });
        AtomicReference<Object> seen = outcome(d);
        if (Runtime.version().feature() >= 24) {
            assertEquals("not fired", seen.get());
            gate.callback("go");
            assertEquals("resumed holding the lock: go true", seen.get());
        } else {
            String message = String.valueOf(seen.get());
            assertTrue(message.contains("synchronized") && message.contains("weft.coroutines=continuation"), message);
        }
    }

    @Test
    void aFailureCarriesOnlyTheBodysFramesAtItsAwait() {
        java.io.IOException boom = new java.io.IOException("boom");
        Deferred<Void> gate = new Deferred<>();
        Deferred<Void> d = Deferred.fromCoroutine(() -> gate.await());
        gate.errback(boom);
        Throwable f = (Throwable) outcome(d).get();
        assertSame(boom, f);
        CoroutineStackException site = (CoroutineStackException) f.getSuppressed()[0];
        StackTraceElement last = site.getStackTrace()[site.getStackTrace().length - 1];
        assertEquals("runBody", last.getMethodName(), "the resuming thread's frames are cut off");
    }

    @Test
    void aBodyThatHandedOverGoesOnWhenTheOtherFailsToFireItsDeferred() {
        Deferred<Void> gate = new Deferred<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            Deferred<String> inner = Deferred.fromCoroutine(() -> {
                gate.await();
                return "x";
            });
            inner.callback("fired by hand"); // a misuse: firing it as it ends then fails
            gate.callback(null);              // resumes inner, handed to the loop below this body
            return "went on";
        });
        assertEquals("went on", outcome(d).get());
        Object gateOutcome = outcome(gate).get();
        assertTrue(gateOutcome instanceof AlreadyCalledException, String.valueOf(gateOutcome));
    }
}
