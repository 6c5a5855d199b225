package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.reactor.internal.StandIn;
import dev.weft.task.Clock;
import dev.weft.task.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The coroutine rules that need no reactor, driven by plain Deferreds. Run in both modes: the default build runs
 * bodies on threads; on JDK 21+ a second run uses {@code weft.coroutines=continuation}.
 */
class CoroutineTest {

    /** The outcome of a Deferred, captured without consuming it wrongly. */
    private static final class Seen<T> {
        T value;
        Throwable failure;
        boolean fired;

        static <T> Seen<T> of(Deferred<T> d) {
            Seen<T> s = new Seen<>();
            d.addBoth((v, f) -> {
                s.fired = true;
                s.value = v;
                s.failure = f;
                return null;
            });
            return s;
        }
    }

    // ---------------------------------------------------------------- rule 1

    @Test
    void theBodyStartsSynchronouslyAndItsDeferredMayHaveFiredOnReturn() {
        List<String> events = new ArrayList<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            events.add("body");
            return "done";
        });
        events.add("returned");
        assertEquals(List.of("body", "returned"), events);
        assertTrue(d.isCalled());
        assertEquals("done", Seen.of(d).value);
    }

    @Test
    void theBodyRunsUntilItsFirstUnfiredAwaitBeforeFromCoroutineReturns() {
        List<String> events = new ArrayList<>();
        Deferred<Void> gate = new Deferred<>();
        Deferred<Void> d = Deferred.fromCoroutine(() -> {
            events.add("before await");
            gate.await();
            events.add("after await");
            return null;
        });
        events.add("returned");
        assertEquals(List.of("before await", "returned"), events);
        assertFalse(d.isCalled());
    }

    // ---------------------------------------------------------------- rule 2

    @Test
    void anAlreadyFiredAwaitSwitchesNoThreadAndAHundredThousandUseConstantStack() {
        int[] depths = new int[2];
        Deferred<Long> d = Deferred.fromCoroutine(() -> {
            Thread me = Thread.currentThread();
            long sum = 0;
            for (int i = 0; i < 100_000; i++) {
                sum += Deferred.succeed(i).await();
                if (i == 0) {
                    depths[0] = new Throwable().getStackTrace().length;
                }
                if (Thread.currentThread() != me) {
                    throw new AssertionError("thread switched at await " + i);
                }
            }
            depths[1] = new Throwable().getStackTrace().length;
            return sum;
        });
        Seen<Long> s = Seen.of(d);
        assertNull(s.failure);
        assertEquals(99_999L * 100_000L / 2, s.value);
        assertEquals(depths[0], depths[1]);
    }

    @Test
    void anAlreadyFailedAwaitThrowsAtOnce() {
        IOException boom = new IOException("boom");
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            try {
                Deferred.<String>fail(boom).await();
                return "not thrown";
            } catch (IOException e) {
                return e == boom ? "caught" : "other";
            }
        });
        assertEquals("caught", Seen.of(d).value);
    }

    // ---------------------------------------------------------------- rule 3

    @Test
    void aResumeRunsInsideTheCallbackThatFiresTheAwaitedDeferred() {
        List<String> events = new ArrayList<>();
        Deferred<String> first = new Deferred<>();
        Deferred<String> second = new Deferred<>();
        Thread test = Thread.currentThread();
        AtomicReference<Thread> actingAfterResume = new AtomicReference<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            events.add("got " + first.await());
            actingAfterResume.set(StandIn.actingThread());
            events.add("got " + second.await());
            return "end";
        });
        events.add("callback 1");
        first.callback("a");
        events.add("returned 1");
        second.callback("b");
        events.add("returned 2");
        assertEquals(List.of("callback 1", "got a", "returned 1", "got b", "returned 2"), events);
        assertSame(test, actingAfterResume.get());
        assertEquals("end", Seen.of(d).value);
    }

    @Test
    void aResumeByAnotherThreadRunsOnThatThreadsBehalf() throws Exception {
        Deferred<String> gate = new Deferred<>();
        AtomicReference<Thread> acting = new AtomicReference<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            gate.await();
            acting.set(StandIn.actingThread());
            return "ok";
        });
        Thread firer = new Thread(() -> gate.callback("go"), "firer");
        firer.start();
        firer.join(5_000);
        assertFalse(firer.isAlive());
        assertSame(firer, acting.get());
        assertEquals("ok", Seen.of(d).value);
    }

    @Test
    void anOperationHandedToTheDriverRunsOnTheRootThreadInProgramOrderThroughNestedBodies() {
        Thread test = Thread.currentThread();
        List<String> events = new ArrayList<>();
        Deferred<String> inner = new Deferred<>();
        Deferred<String> outerGate = new Deferred<>();
        // Body B is resumed by body A, which is itself resumed by the test thread: B's hand-off reaches the root.
        Deferred<String> b = Deferred.fromCoroutine(() -> {
            inner.await();
            events.add("b before");
            StandIn.runByActingThread(() -> events.add("op on " + (Thread.currentThread() == test ? "root" : "?")));
            int got = StandIn.callByActingThread(() -> 42);
            events.add("b after " + got);
            return "b";
        });
        Deferred<String> a = Deferred.fromCoroutine(() -> {
            outerGate.await();
            events.add("a fires inner");
            inner.callback("go");
            events.add("a after inner");
            return "a";
        });
        outerGate.callback("go");
        assertEquals(List.of("a fires inner", "b before", "op on root", "b after 42", "a after inner"), events);
        assertEquals("a", Seen.of(a).value);
        assertEquals("b", Seen.of(b).value);
    }

    @Test
    void aFailureOfAnOperationHandedToTheDriverIsThrownInTheBodyAsItself() {
        Deferred<String> gate = new Deferred<>();
        java.io.IOException boom = new java.io.IOException("boom");
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            gate.await();
            try {
                StandIn.<Void, java.io.IOException>callByActingThread(() -> {
                    throw boom;
                });
                return "not thrown";
            } catch (java.io.IOException e) {
                return e == boom ? "thrown as itself" : "wrapped";
            }
        });
        gate.callback("go");
        assertEquals("thrown as itself", Seen.of(d).value);
    }

    @Test
    void queuedOperationsRunOnTheRootThreadInProgramOrderWithWaitedOnesBeforeTheDriverGoesOn() {
        Thread test = Thread.currentThread();
        List<String> ops = new ArrayList<>();
        Deferred<String> inner = new Deferred<>();
        Deferred<String> outerGate = new Deferred<>();
        Deferred<String> later = new Deferred<>();
        // Body B is resumed by body A, which the test thread resumes: what B queues reaches the root through A.
        Deferred<String> b = Deferred.fromCoroutine(() -> {
            inner.await();
            StandIn.queueByActingThread(() -> ops.add("q1 on " + where(test)));
            StandIn.runByActingThread(() -> ops.add("r2 on " + where(test)));
            StandIn.queueByActingThread(() -> ops.add("q3 on " + where(test)));
            later.await();
            StandIn.queueByActingThread(() -> ops.add("q4 on " + where(test)));
            return "b";
        });
        Deferred<String> a = Deferred.fromCoroutine(() -> {
            outerGate.await();
            inner.callback("go");
            StandIn.queueByActingThread(() -> ops.add("a5 on " + where(test)));
            return "a";
        });
        outerGate.callback("go");
        assertEquals(List.of("q1 on root", "r2 on root", "q3 on root", "a5 on root"), ops,
                "queued operations run on the root thread, in program order, before the firing call returns");
        later.callback("go");
        assertEquals(List.of("q1 on root", "r2 on root", "q3 on root", "a5 on root", "q4 on root"), ops,
                "what a body queues before it ends runs before the resuming call returns");
        assertEquals("a", Seen.of(a).value);
        assertEquals("b", Seen.of(b).value);
    }

    private static String where(Thread root) {
        return Thread.currentThread() == root ? "root" : Thread.currentThread().getName();
    }

    @Test
    void aBodyQueueingOperationsWithoutHandingOverHoldsAtMostTheBoundUnrun() {
        Deferred<String> gate = new Deferred<>();
        int[] ran = {0};
        int total = CoroutineRun.MAX_QUEUED * 3 + 5;
        List<String> overBound = new ArrayList<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            gate.await();
            for (int i = 1; i <= total; i++) {
                StandIn.queueByActingThread(() -> ran[0]++);
                if (i - ran[0] >= CoroutineRun.MAX_QUEUED && overBound.isEmpty()) {
                    overBound.add(i + " queued, " + ran[0] + " run");
                }
            }
            return "done";
        });
        gate.callback("go");
        assertEquals(List.of(), overBound, "a body may hold fewer than the bound of operations unrun");
        assertEquals(total, ran[0], "every queued operation has run once the body ended");
        assertEquals("done", Seen.of(d).value);
    }

    @Test
    void aQueuedOperationsFailureIsThrownInTheBodyAtItsNextWaitedOperationAtTheLatest() {
        Deferred<String> gate = new Deferred<>();
        IllegalStateException boom = new IllegalStateException("boom");
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            gate.await();
            try {
                StandIn.queueByActingThread(() -> {
                    throw boom;
                });
                int got = StandIn.callByActingThread(() -> 42);
                return "not thrown: " + got;
            } catch (IllegalStateException e) {
                return e == boom ? "thrown as itself" : "another: " + e;
            }
        });
        gate.callback("go");
        assertEquals("thrown as itself", Seen.of(d).value);
    }

    // ---------------------------------------------------------------- rule 4

    @Test
    void afterASuspendedAwaitTheAwaitedChainGoesOnWithNull() {
        Deferred<String> awaited = new Deferred<>();
        Deferred.fromCoroutine(() -> awaited.await());
        awaited.callback("x");
        Seen<String> after = Seen.of(awaited);
        assertTrue(after.fired);
        assertNull(after.value);
    }

    @Test
    void anAlreadyFiredDeferredKeepsItsResultAfterAnAwait() {
        Deferred<String> fired = Deferred.succeed("kept");
        Deferred.fromCoroutine(() -> fired.await());
        assertEquals("kept", Seen.of(fired).value);
    }

    @Test
    void aFailureConsumedByAnAwaitIsNotReportedAsUnhandled() {
        IOException suspended = new IOException("suspended");
        IOException fired = new IOException("already fired");
        awaitAndCatch(suspended, fired);
        List<Throwable> reported = UnhandledErrors.collect(Duration.ofSeconds(2));
        assertFalse(reported.stream().anyMatch(t -> t == suspended || t == fired), reported::toString);
    }

    private static void awaitAndCatch(IOException suspended, IOException fired) {
        Deferred<Void> later = new Deferred<>();
        Deferred<Void> failedAlready = Deferred.fail(fired);
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            try {
                failedAlready.await();
            } catch (IOException e) {
                // handled
            }
            try {
                later.await();
            } catch (IOException e) {
                return "handled";
            }
            return "not thrown";
        });
        later.errback(suspended);
        assertEquals("handled", Seen.of(d).value);
    }

    @Test
    void anUnhandledFailureOfACoroutineIsLoggedLikeAnyDeferred() {
        IOException boom = new IOException("unhandled coroutine failure");
        failInCoroutine(boom);
        List<Throwable> reported = new ArrayList<>();
        for (int i = 0; i < 20 && reported.stream().noneMatch(t -> t == boom); i++) {
            reported.addAll(UnhandledErrors.collect(Duration.ofSeconds(1)));
        }
        assertTrue(reported.stream().anyMatch(t -> t == boom), reported::toString);
    }

    private static void failInCoroutine(IOException boom) {
        Deferred<Void> gate = new Deferred<>();
        Deferred.fromCoroutine(() -> {
            gate.await();
            throw boom;
        });
        gate.callback(null);
    }

    // ---------------------------------------------------------------- rule 5

    @Test
    void returningFiresTheDeferredAndAnEscapingExceptionFailsItWithItself() {
        Deferred<Integer> gate = new Deferred<>();
        Deferred<Integer> ok = Deferred.fromCoroutine(() -> gate.await() + 1);
        gate.callback(41);
        assertEquals(42, Seen.of(ok).value);

        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Deferred<Void> bad = Deferred.fromCoroutine(() -> {
            throw boom;
        });
        assertSame(boom, Seen.of(bad).failure);
    }

    @Test
    void aFailureIsThrownAtTheAwaitAsItself() {
        IOException boom = new IOException("boom");
        Deferred<Void> gate = new Deferred<>();
        AtomicReference<Throwable> caught = new AtomicReference<>();
        Deferred.fromCoroutine(() -> {
            try {
                gate.await();
            } catch (Exception e) {
                caught.set(e);
            }
            return null;
        });
        gate.errback(boom);
        assertSame(boom, caught.get());
    }

    // ---------------------------------------------------------------- rule 6

    @Test
    void cancellingReachesTheAwaitedDeferredAndTheBodyMayCatchItAndGoOn() {
        AtomicBoolean cancellerRan = new AtomicBoolean();
        Deferred<String> awaited = new Deferred<>(x -> cancellerRan.set(true));
        Deferred<String> next = new Deferred<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            try {
                return awaited.await();
            } catch (CancelledException e) {
                return "recovered " + next.await();
            }
        });
        d.cancel();
        assertTrue(cancellerRan.get());
        assertFalse(d.isCalled(), "the body went on: the Deferred waits for it");
        next.callback("later");
        assertEquals("recovered later", Seen.of(d).value);
    }

    /** With weft.coroutines=continuation the body has no thread of its own: the thread it ran on goes on. */
    @Test
    void aCancelledBodyThatDoesNotCatchEndsAndItsThreadEnds() throws Exception {
        AtomicReference<Thread> bodyThread = new AtomicReference<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            bodyThread.set(Thread.currentThread());
            return new Deferred<String>().await();
        });
        d.cancel();
        assertInstanceOf(CancelledException.class, Seen.of(d).failure);
        if (CoroutineMode.selected() == CoroutineMode.CONTINUATION) {
            assertSame(Thread.currentThread(), bodyThread.get());
            return;
        }
        bodyThread.get().join(5_000);
        assertFalse(bodyThread.get().isAlive());
    }

    // ---------------------------------------------------------------- rule 8

    @Test
    void bodyAndDriverShareStateWithoutLocksAcrossManyHandOffs() {
        int rounds = 10_000;
        int[] shared = new int[1]; // plain, non-volatile
        long[] plain = new long[rounds];
        List<Deferred<Void>> gates = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            gates.add(new Deferred<>());
        }
        Deferred<Integer> d = Deferred.fromCoroutine(() -> {
            for (int i = 0; i < rounds; i++) {
                gates.get(i).await();
                if (shared[0] != 2 * i + 1) {
                    throw new AssertionError("body saw " + shared[0] + " at round " + i);
                }
                shared[0]++;
                plain[i] = i;
            }
            return shared[0];
        });
        for (int i = 0; i < rounds; i++) {
            shared[0]++;
            gates.get(i).callback(null);
            assertEquals(2 * i + 2, shared[0]);
            assertEquals(i, plain[i]);
        }
        Seen<Integer> s = Seen.of(d);
        assertNull(s.failure);
        assertEquals(2 * rounds, s.value);
    }

    // ---------------------------------------------------------------- rule 9

    @Test
    void aFailureThroughNestedCoroutinesCarriesEachAwaitSite() {
        IOException boom = new IOException("deep");
        Deferred<Void> leaf = new Deferred<>();
        Deferred<Void> inner = Deferred.fromCoroutine(() -> innerAwaitSite(leaf));
        Deferred<Void> outer = Deferred.fromCoroutine(() -> outerAwaitSite(inner));
        leaf.errback(boom);
        Throwable f = Seen.of(outer).failure;
        assertSame(boom, f);
        List<String> sites = new ArrayList<>();
        for (Throwable s : f.getSuppressed()) {
            if (s instanceof CoroutineStackException) {
                Arrays.stream(s.getStackTrace()).map(StackTraceElement::getMethodName)
                        .filter(m -> m.endsWith("AwaitSite")).forEach(sites::add);
            }
        }
        assertEquals(List.of("innerAwaitSite", "outerAwaitSite"), sites);
    }

    private static Void innerAwaitSite(Deferred<Void> d) throws Exception {
        return d.await();
    }

    private static Void outerAwaitSite(Deferred<Void> d) throws Exception {
        return d.await();
    }

    // ---------------------------------------------------------------- nesting

    @Test
    void oneCoroutineAwaitsAnothers() {
        Deferred<Integer> leaf = new Deferred<>();
        Deferred<Integer> inner = Deferred.fromCoroutine(() -> leaf.await() * 2);
        Deferred<Integer> outer = Deferred.fromCoroutine(() -> inner.await() + 1);
        leaf.callback(20);
        assertEquals(41, Seen.of(outer).value);
    }

    /**
     * 10,000 on JDK 21+. On JDK 17 each suspended coroutine is a platform thread, and creating or ending one costs
     * time proportional to the number of live threads (10,000 take ~20 s), so the chain is 2,000 there.
     */
    @Test
    void aChainOfTenThousandCoroutinesNeitherDeadlocksNorOverflows() {
        int depth = Runtime.version().feature() >= 21 ? 10_000 : 2_000;
        Deferred<Integer> leaf = new Deferred<>();
        Deferred<Integer> top = chain(depth, leaf);
        assertFalse(top.isCalled());
        leaf.callback(0);
        Seen<Integer> s = Seen.of(top);
        assertNull(s.failure);
        assertEquals(depth, s.value);
    }

    private static Deferred<Integer> chain(int n, Deferred<Integer> leaf) {
        return Deferred.fromCoroutine(() -> n == 0 ? leaf.await() : chain(n - 1, leaf).await() + 1);
    }

    // ---------------------------------------------------------------- threads

    /** Threads only: with weft.coroutines=continuation, ContinuationRunTest pins where a body runs. */
    @Test
    void aBodyRunsOnACoroutineThreadVirtualOnJdk21AndADaemonOnJdk17() throws Exception {
        assumeTrue(CoroutineMode.selected() == CoroutineMode.THREADS, "bodies run on threads of their own");
        AtomicReference<Thread> t = new AtomicReference<>();
        Deferred.fromCoroutine(() -> {
            t.set(Thread.currentThread());
            return null;
        });
        Thread body = t.get();
        assertTrue(body != Thread.currentThread());
        if (Runtime.version().feature() >= 21) {
            assertEquals(Boolean.TRUE, Thread.class.getMethod("isVirtual").invoke(body));
        } else {
            assertTrue(body.isDaemon());
        }
        assertTrue(body.getName().startsWith("weft-coroutine-"), body.getName());
        body.join(5_000);
        assertFalse(body.isAlive(), "a finished body's thread ends");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void awaitOutsideABodyNamesFromCoroutineAndBlockingCallFromThread() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Deferred.succeed(1).await());
        assertTrue(e.getMessage().contains("fromCoroutine"), e.getMessage());
        assertTrue(e.getMessage().contains("blockingCallFromThread"), e.getMessage());
    }

    @Test
    void aNullBodyIsRefusedByName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Deferred.fromCoroutine(null));
        assertTrue(e.getMessage().contains("body"), e.getMessage());
    }

    @Test
    void aBodyReturningADeferredIsChainedToIt() {
        Deferred<String> inner = new Deferred<>();
        Deferred<Object> d = Deferred.fromCoroutine(() -> inner);
        assertFalse(d.isCalled());
        inner.callback("inner result");
        assertEquals("inner result", Seen.of(d).value);
    }

    @Test
    void cancellingWhileChainedToAReturnedDeferredCancelsIt() {
        Deferred<String> inner = new Deferred<>();
        Deferred<Object> d = Deferred.fromCoroutine(() -> inner);
        d.cancel();
        assertInstanceOf(CancelledException.class, Seen.of(d).failure);
    }

    @Test
    void awaitingItsOwnDeferredThrowsInsteadOfHanging() {
        AtomicReference<Deferred<String>> self = new AtomicReference<>();
        Deferred<Void> gate = new Deferred<>();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            gate.await();
            return self.get().await();
        });
        self.set(d);
        gate.callback(null);
        Throwable f = Seen.of(d).failure;
        assertInstanceOf(IllegalStateException.class, f);
        assertTrue(f.getMessage().contains("its own Deferred"), f.getMessage());
    }

    // ---------------------------------------------------------------- deferLater, race, gatherResults

    @Test
    void deferLaterWithoutAFunctionIsASleep() {
        Clock clock = new Clock();
        List<String> events = new ArrayList<>();
        Deferred<Void> d = Deferred.fromCoroutine(() -> {
            events.add("sleep");
            Task.deferLater(clock, 5).await();
            events.add("woke at " + clock.seconds());
            return null;
        });
        clock.advance(4.9);
        assertEquals(List.of("sleep"), events);
        clock.advance(0.1);
        assertEquals(List.of("sleep", "woke at 5.0"), events);
        assertTrue(d.isCalled());
    }

    @Test
    void raceGivesTheFirstSuccessAndCancelsTheOthers() {
        Clock clock = new Clock();
        Deferred<String> slow = Task.deferLater(clock, 10, () -> "slow");
        Deferred<String> fast = Task.deferLater(clock, 1, () -> "fast");
        Deferred<Deferred.Raced<String>> r = Deferred.race(slow, fast);
        clock.advance(1);
        assertEquals(new Deferred.Raced<>(1, "fast"), Seen.of(r).value);
        assertTrue(slow.isCalled(), "the loser was cancelled (race consumed its CancelledException)");
        assertTrue(clock.getDelayedCalls().isEmpty());
    }

    @Test
    void raceFailsWhenAllFailAndCancellingItCancelsAll() {
        IOException a = new IOException("a");
        IOException b = new IOException("b");
        Deferred<Deferred.Raced<String>> all = Deferred.race(Deferred.fail(a), Deferred.fail(b));
        Throwable f = Seen.of(all).failure;
        assertInstanceOf(FirstErrorException.class, f);
        assertSame(a, f.getCause());
        assertEquals(List.of(a, b), Arrays.asList(f.getSuppressed()));

        Deferred<String> x = new Deferred<>();
        Deferred<String> y = new Deferred<>();
        Deferred<Deferred.Raced<String>> r = Deferred.race(x, y);
        r.cancel();
        assertInstanceOf(CancelledException.class, Seen.of(r).failure);
        assertTrue(x.isCalled() && y.isCalled());
    }

    @Test
    void raceAndGatherResultsInsideACoroutine() {
        Clock clock = new Clock();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            Deferred.Raced<String> won = Deferred.race(Task.deferLater(clock, 2, () -> "two"),
                    Task.deferLater(clock, 1, () -> "one")).await();
            List<Integer> all = DeferredList.gatherResults(List.of(Task.deferLater(clock, 1, () -> 1),
                    Task.deferLater(clock, 2, () -> 2))).await();
            return won.result() + " " + all;
        });
        clock.pump(1, 1, 1);
        assertEquals("one [1, 2]", Seen.of(d).value);
    }
}
