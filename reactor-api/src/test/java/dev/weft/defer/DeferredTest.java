package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.AlreadyCalledException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DeferredTest {

    /** Records the final outcome of a chain, and handles it (so nothing is reported as unhandled). */
    static final class Outcome<T> {
        final List<Object> events = new ArrayList<>();
        T result;
        Throwable failure;
        int fired;

        static <T> Outcome<T> of(Deferred<T> d) {
            Outcome<T> o = new Outcome<>();
            d.addBoth((r, f) -> {
                o.fired++;
                o.result = r;
                o.failure = f;
                return null;
            });
            return o;
        }
    }

    // ---- the chain -------------------------------------------------------------------------------------------

    @Test
    void callbacksRunInOrderEachGettingThePreviousResult() {
        Deferred<Integer> d = new Deferred<>();
        List<Object> seen = new ArrayList<>();
        Deferred<String> end = d.addCallback(x -> {
            seen.add(x);
            return x + 1;
        }).addCallback(x -> {
            seen.add(x);
            return "r" + x;
        });
        Outcome<String> o = Outcome.of(end);
        assertEquals(0, o.fired);
        d.callback(1);
        assertEquals(List.of(1, 2), seen);
        assertEquals("r2", o.result);
    }

    @Test
    void callbackThatThrowsSwitchesToTheErrorPathSkippingCallbacks() {
        Deferred<Integer> d = new Deferred<>();
        IOException boom = new IOException("boom");
        AtomicInteger skipped = new AtomicInteger();
        d.addCallback(x -> {
            throw boom;
        }).addCallback(x -> skipped.incrementAndGet());
        Outcome<Integer> o = Outcome.of(d);
        d.callback(1);
        assertEquals(0, skipped.get());
        assertSame(boom, o.failure);
    }

    @Test
    void errbackThatReturnsNormallySwitchesBackToTheSuccessPath() {
        Deferred<String> d = new Deferred<>();
        List<String> seen = new ArrayList<>();
        d.addErrback(f -> "recovered from " + f.getMessage())
                .addCallback(s -> {
                    seen.add(s);
                    return s;
                })
                .addErrback(f -> {
                    seen.add("errback should not run");
                    return null;
                });
        d.errback(new IOException("x"));
        assertEquals(List.of("recovered from x"), seen);
    }

    @Test
    void errbackThatThrowsStaysOnTheErrorPathWithTheNewFailure() {
        Deferred<String> d = new Deferred<>();
        IllegalStateException second = new IllegalStateException("second");
        d.addErrback(f -> {
            throw second;
        });
        Outcome<String> o = Outcome.of(d);
        d.errback(new IOException("first"));
        assertSame(second, o.failure);
    }

    @Test
    void errorsThrownByCallbacksAreCaughtToo() {
        Deferred<String> d = new Deferred<>();
        AssertionError error = new AssertionError("an Error, not an Exception");
        d.addCallback(x -> {
            throw error;
        });
        Outcome<String> o = Outcome.of(d);
        d.callback("x");
        assertSame(error, o.failure);
    }

    @Test
    void failuresPassCallbacksByAndResultsPassErrbacksBy() {
        Deferred<String> d = new Deferred<>();
        List<String> seen = new ArrayList<>();
        d.addErrback(f -> {
            seen.add("eb");
            return "no";
        }).addCallback(x -> {
            seen.add("cb " + x);
            return x;
        });
        d.callback("yes");
        assertEquals(List.of("cb yes"), seen);
    }

    @Test
    void addCallbacksRunsExactlyOneOfThePairAndCallbackFailureSkipsItsOwnErrback() {
        Deferred<String> ok = new Deferred<>();
        List<String> seen = new ArrayList<>();
        ok.addCallbacks(r -> {
            seen.add("cb");
            return r;
        }, f -> {
            seen.add("eb");
            return "x";
        });
        ok.callback("a");
        assertEquals(List.of("cb"), seen);

        Deferred<String> bad = new Deferred<>();
        List<String> seen2 = new ArrayList<>();
        bad.addCallbacks(r -> {
            seen2.add("cb");
            throw new IOException("cb failed");
        }, f -> {
            seen2.add("eb");
            return "x";
        });
        Outcome<String> o = Outcome.of(bad);
        bad.callback("a");
        assertEquals(List.of("cb"), seen2);
        assertInstanceOf(IOException.class, o.failure);
    }

    @Test
    void typedErrbackTrapsOnlyItsClassAndSubclasses() {
        Deferred<String> d = new Deferred<>();
        List<String> seen = new ArrayList<>();
        d.addErrback(IllegalArgumentException.class, e -> {
            seen.add("iae " + e.getMessage());
            return "no";
        });
        d.addErrback(IOException.class, e -> {
            seen.add("io " + e.getMessage());
            return "handled";
        });
        Outcome<String> o = Outcome.of(d);
        d.errback(new java.io.FileNotFoundException("fnf")); // a subclass of IOException
        assertEquals(List.of("io fnf"), seen);
        assertEquals("handled", o.result);

        Deferred<String> other = new Deferred<>();
        AtomicInteger trapped = new AtomicInteger();
        other.addErrback(IOException.class, e -> {
            trapped.incrementAndGet();
            return "x";
        });
        Outcome<String> o2 = Outcome.of(other);
        IllegalStateException ise = new IllegalStateException();
        other.errback(ise);
        assertEquals(0, trapped.get());
        assertSame(ise, o2.failure);
    }

    @Test
    void typedErrbackIsSkippedOnSuccess() {
        Deferred<String> d = new Deferred<>();
        AtomicInteger ran = new AtomicInteger();
        d.addErrback(Exception.class, e -> {
            ran.incrementAndGet();
            return "x";
        });
        Outcome<String> o = Outcome.of(d);
        d.callback("fine");
        assertEquals(0, ran.get());
        assertEquals("fine", o.result);
    }

    @Test
    void addBothSeesResultsAndFailuresAndRecoversFromFailure() {
        Deferred<String> ok = new Deferred<>();
        List<String> seen = new ArrayList<>();
        ok.addBoth((r, f) -> {
            seen.add(r + "/" + f);
            return "after";
        });
        Outcome<String> o1 = Outcome.of(ok);
        ok.callback("v");
        assertEquals("after", o1.result);

        Deferred<String> bad = new Deferred<>();
        IOException e = new IOException("e");
        bad.addBoth((r, f) -> {
            seen.add(r + "/" + f.getMessage());
            return "recovered";
        });
        Outcome<String> o2 = Outcome.of(bad);
        bad.errback(e);
        assertEquals(List.of("v/null", "null/e"), seen);
        assertEquals("recovered", o2.result);
        assertNull(o2.failure);
    }

    @Test
    void callbacksAddedToAFiredDeferredRunAtOnce() {
        Deferred<String> d = Deferred.succeed("now");
        List<String> seen = new ArrayList<>();
        d.addCallback(x -> {
            seen.add(x);
            return x;
        });
        assertEquals(List.of("now"), seen);
        Deferred<String> f = Deferred.fail(new IOException("failed"));
        f.addErrback(e -> {
            seen.add(e.getMessage());
            return null;
        });
        assertEquals(List.of("now", "failed"), seen);
    }

    @Test
    void callbacksAddedDuringARunningCallbackRunAfterItReturns() {
        Deferred<String> d = new Deferred<>();
        List<String> seen = new ArrayList<>();
        d.addCallback(x -> {
            d.addCallback(y -> {
                seen.add("added " + y);
                return y;
            });
            seen.add("first ends");
            return "r1";
        });
        d.callback("r0");
        assertEquals(List.of("first ends", "added r1"), seen);
    }

    @Test
    void callbacksAddedDuringARunningCallbackRunBeforeLaterLinksAddedAfterIt() {
        Deferred<String> d = new Deferred<>();
        List<String> seen = new ArrayList<>();
        d.addCallback(x -> {
            d.addCallback(y -> {
                seen.add("added inside");
                return y;
            });
            return x;
        });
        d.callback("x");
        d.addCallback(y -> {
            seen.add("added after fire");
            return y;
        });
        assertEquals(List.of("added inside", "added after fire"), seen);
    }

    @Test
    void firingTwiceThrowsAlreadyCalledException() {
        Deferred<String> d = new Deferred<>();
        d.callback("a");
        AlreadyCalledException e = assertThrows(AlreadyCalledException.class, () -> d.callback("b"));
        assertTrue(e.getMessage().contains("already"));
        assertThrows(AlreadyCalledException.class, () -> d.errback(new IOException()));
        Deferred<String> f = new Deferred<>();
        f.addErrback(x -> null);
        f.errback(new IOException());
        assertThrows(AlreadyCalledException.class, () -> f.callback("late"));
    }

    @Test
    void callbackWithADeferredAsResultIsRejected() {
        Deferred<Object> d = new Deferred<>();
        assertThrows(IllegalArgumentException.class, () -> d.callback(new Deferred<>()));
        assertFalse(d.isCalled());
    }

    @Test
    void isCalledTurnsTrueWhenFired() {
        Deferred<String> d = new Deferred<>();
        assertFalse(d.isCalled());
        d.callback(null);
        assertTrue(d.isCalled());
        Deferred<String> e = new Deferred<>();
        e.addErrback(x -> null);
        e.errback(new IOException());
        assertTrue(e.isCalled());
    }

    @Test
    void succeedAndFailGiveFiredDeferreds() {
        Deferred<String> s = Deferred.succeed("v");
        assertTrue(s.isCalled());
        assertEquals("v", Outcome.of(s).result);
        IOException e = new IOException();
        Deferred<String> f = Deferred.fail(e);
        assertTrue(f.isCalled());
        assertSame(e, Outcome.of(f).failure);
        assertTrue(Deferred.succeed(null).isCalled());
    }

    // ---- Deferreds returned by callbacks --------------------------------------------------------------------

    @Test
    void callbackReturningDeferredPausesChainUntilItFires() {
        Deferred<String> outer = new Deferred<>();
        Deferred<Integer> inner = new Deferred<>();
        List<Object> seen = new ArrayList<>();
        outer.addCallbackDeferred(x -> inner).addCallback(n -> {
            seen.add(n);
            return n;
        });
        outer.callback("go");
        assertTrue(seen.isEmpty(), "the chain must wait for the inner Deferred");
        inner.callback(42);
        assertEquals(List.of(42), seen);
    }

    @Test
    void callbacksAddedToAWaitingDeferredRunOnlyWhenTheInnerOneFires() {
        Deferred<String> outer = new Deferred<>();
        Deferred<String> inner = new Deferred<>();
        outer.addCallbackDeferred(x -> inner);
        outer.callback("go");
        List<String> seen = new ArrayList<>();
        outer.addCallback(x -> {
            seen.add(x);
            return x;
        });
        assertTrue(seen.isEmpty());
        inner.callback("inner");
        assertEquals(List.of("inner"), seen);
    }

    @Test
    void innerDeferredGoesOnWithNullAfterHandingItsResultOver() {
        Deferred<String> outer = new Deferred<>();
        Deferred<String> inner = new Deferred<>();
        outer.addCallbackDeferred(x -> inner);
        Outcome<String> o = Outcome.of(outer);
        outer.callback("go");
        inner.callback("moved");
        assertEquals("moved", o.result);
        Outcome<String> afterInner = Outcome.of(inner);
        assertEquals(1, afterInner.fired);
        assertNull(afterInner.result);
        assertNull(afterInner.failure);
    }

    @Test
    void innerFailureMovesToTheOuterChainAndLeavesTheInnerClean() {
        Deferred<String> outer = new Deferred<>();
        Deferred<String> inner = new Deferred<>();
        outer.addCallbackDeferred(x -> inner);
        outer.callback("go");
        IOException e = new IOException("inner failed");
        inner.errback(e);
        assertFalse(inner.tracksUnhandledFailure(), "the failure moved on; the inner must not report it");
        assertTrue(outer.tracksUnhandledFailure());
        Outcome<String> o = Outcome.of(outer);
        assertSame(e, o.failure);
        assertFalse(outer.tracksUnhandledFailure());
        assertNull(Outcome.of(inner).failure);
    }

    @Test
    void callbackReturningAFiredDeferredContinuesAtOnceWithItsResult() {
        Deferred<String> outer = new Deferred<>();
        Deferred<Integer> inner = Deferred.succeed(7);
        Outcome<Integer> o = Outcome.of(outer.addCallbackDeferred(x -> inner));
        outer.callback("go");
        assertEquals(7, o.result);
        assertNull(Outcome.of(inner).result, "the inner Deferred goes on with null");
    }

    @Test
    void callbackReturningAFailedDeferredContinuesOnTheErrorPathWithoutReportingTwice() {
        Deferred<String> outer = new Deferred<>();
        IOException e = new IOException();
        Deferred<String> inner = Deferred.fail(e);
        assertTrue(inner.tracksUnhandledFailure());
        outer.addCallbackDeferred(x -> inner);
        outer.callback("go");
        assertFalse(inner.tracksUnhandledFailure());
        assertSame(e, Outcome.of(outer).failure);
    }

    @Test
    void errbackReturningDeferredPausesTheChainToo() {
        Deferred<String> d = new Deferred<>();
        Deferred<String> recovery = new Deferred<>();
        d.addErrbackDeferred(f -> recovery);
        Outcome<String> o = Outcome.of(d);
        d.errback(new IOException());
        assertEquals(0, o.fired);
        recovery.callback("recovered");
        assertEquals("recovered", o.result);
    }

    @Test
    void callbackReturningItsOwnDeferredFailsInsteadOfWaitingForever() {
        Deferred<String> d = new Deferred<>();
        d.addCallbackDeferred(x -> d);
        Outcome<String> o = Outcome.of(d);
        d.callback("x");
        assertInstanceOf(IllegalStateException.class, o.failure);
    }

    @Test
    void callbackReturningADeferredThatIsRunningItsOwnChainWaitsForItsFinalResult() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        b.addCallbackDeferred(x -> a);
        Outcome<String> ob = Outcome.of(b);
        a.addCallback(x -> {
            b.callback("fire b from inside a"); // b's callback returns a, which is mid-chain
            return "a1";
        }).addCallback(x -> x + "+a2");
        a.callback("a0");
        assertEquals("a1+a2", ob.result);
    }

    // ---- stack depth ------------------------------------------------------------------------------------------

    private static final int DEEP = 100_000;

    /** Runs {@code body} on a thread with a small stack, so recursion per link would overflow it for sure. */
    private static void onSmallStack(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                error.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (error.get() instanceof Error) {
            throw (Error) error.get();
        }
        if (error.get() != null) {
            throw new AssertionError(error.get());
        }
    }

    @Test
    void longChainOfCallbacksReturningFiredDeferredsDoesNotOverflowTheStack() throws Exception {
        onSmallStack(() -> {
            Deferred<Integer> d = new Deferred<>();
            for (int i = 0; i < DEEP; i++) {
                d = d.addCallbackDeferred(x -> Deferred.succeed(x + 1));
            }
            Outcome<Integer> o = Outcome.of(d);
            d.callback(0);
            assertNull(o.failure);
            assertEquals(DEEP, o.result);
        });
    }

    @Test
    void longChainOfCallbacksReturningLaterFiredDeferredsDoesNotOverflowTheStack() throws Exception {
        onSmallStack(() -> {
            Deferred<Integer> d = new Deferred<>();
            List<Deferred<Integer>> pending = new ArrayList<>();
            for (int i = 0; i < DEEP; i++) {
                d.addCallbackDeferred(x -> {
                    Deferred<Integer> inner = new Deferred<>();
                    inner.addCallback(v -> v + x); // fires with 1: adds one per link
                    pending.add(inner);
                    return inner;
                });
            }
            Outcome<Integer> o = Outcome.of(d);
            d.callback(0);
            for (int i = 0; i < DEEP; i++) {
                assertEquals(0, o.fired);
                pending.get(i).callback(1);
            }
            assertNull(o.failure);
            assertEquals(DEEP, o.result);
        });
    }

    /** ds[i]'s callback returns ds[i + 1]: every Deferred waits on the next one. */
    private static List<Deferred<Integer>> waitingOnTheNext(int n) {
        List<Deferred<Integer>> ds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ds.add(new Deferred<>());
        }
        for (int i = 0; i < n - 1; i++) {
            Deferred<Integer> next = ds.get(i + 1);
            ds.get(i).addCallbackDeferred(x -> next);
        }
        return ds;
    }

    @Test
    void manyDeferredsEachWaitingOnTheNextFireWithoutOverflowingTheStack() throws Exception {
        onSmallStack(() -> {
            List<Deferred<Integer>> ds = waitingOnTheNext(DEEP);
            Outcome<Integer> o = Outcome.of(ds.get(0));
            for (int i = 0; i < DEEP - 1; i++) {
                ds.get(i).callback(-1); // each one now waits on the next, unfired
            }
            assertEquals(0, o.fired);
            ds.get(DEEP - 1).callback(12345); // the result travels back up through every Deferred
            assertNull(o.failure);
            assertEquals(12345, o.result);
        });
    }

    @Test
    void manyDeferredsEachWaitingOnTheNextAlreadyFiredOneDoNotOverflowTheStack() throws Exception {
        onSmallStack(() -> {
            List<Deferred<Integer>> ds = waitingOnTheNext(DEEP);
            Outcome<Integer> o = Outcome.of(ds.get(0));
            ds.get(DEEP - 1).callback(777);
            for (int i = DEEP - 2; i >= 0; i--) {
                ds.get(i).callback(-1);
            }
            assertEquals(777, o.result);
        });
    }

    @Test
    void failureTravelsBackThroughManyWaitingDeferredsWithoutOverflow() throws Exception {
        onSmallStack(() -> {
            List<Deferred<Integer>> ds = waitingOnTheNext(DEEP);
            Outcome<Integer> o = Outcome.of(ds.get(0));
            for (int i = 0; i < DEEP - 1; i++) {
                ds.get(i).callback(-1);
            }
            IOException e = new IOException("deep");
            ds.get(DEEP - 1).errback(e);
            assertSame(e, o.failure);
            for (Deferred<Integer> d : ds) {
                assertFalse(d.tracksUnhandledFailure());
            }
        });
    }

    @Test
    void cancellingTheOutermostOfManyWaitingDeferredsCancelsTheInnermostWithoutOverflow() throws Exception {
        onSmallStack(() -> {
            List<Deferred<Integer>> ds = waitingOnTheNext(DEEP);
            Outcome<Integer> o = Outcome.of(ds.get(0));
            for (int i = 0; i < DEEP - 1; i++) {
                ds.get(i).callback(-1);
            }
            ds.get(0).cancel();
            assertTrue(ds.get(DEEP - 1).isCalled());
            assertInstanceOf(CancelledException.class, o.failure);
        });
    }

    // ---- cancel --------------------------------------------------------------------------------------------

    @Test
    void cancelWithoutCancellerFailsWithCancelledException() {
        Deferred<String> d = new Deferred<>();
        Outcome<String> o = Outcome.of(d);
        d.cancel();
        assertTrue(d.isCalled());
        assertInstanceOf(CancelledException.class, o.failure);
    }

    @Test
    void oneLateFireAfterCancelWithoutCancellerIsSwallowed() {
        Deferred<String> d = new Deferred<>();
        Outcome<String> o = Outcome.of(d);
        d.cancel();
        d.callback("late"); // swallowed
        assertInstanceOf(CancelledException.class, o.failure);
        assertThrows(AlreadyCalledException.class, () -> d.callback("later still"));

        Deferred<String> e = new Deferred<>();
        Outcome.of(e);
        e.cancel();
        e.errback(new IOException("late")); // swallowed too
        assertThrows(AlreadyCalledException.class, () -> e.errback(new IOException()));
    }

    @Test
    void cancelRunsTheCancellerThenFailsWithCancelledExceptionIfItDidNotFire() {
        List<Deferred<String>> cancelled = new ArrayList<>();
        Deferred<String> d = new Deferred<>(cancelled::add);
        Outcome<String> o = Outcome.of(d);
        d.cancel();
        assertEquals(List.of(d), cancelled);
        assertInstanceOf(CancelledException.class, o.failure);
        // With a canceller, a late fire is an error: the canceller was supposed to stop the work.
        assertThrows(AlreadyCalledException.class, () -> d.callback("late"));
    }

    @Test
    void cancellerThatFiresTheDeferredDecidesItsResult() {
        Deferred<String> d = new Deferred<>(self -> self.callback("from canceller"));
        Outcome<String> o = Outcome.of(d);
        d.cancel();
        assertEquals("from canceller", o.result);
        assertNull(o.failure);
    }

    @Test
    void cancelOnAFiredDeferredDoesNothing() {
        AtomicInteger cancellerRuns = new AtomicInteger();
        Deferred<String> d = new Deferred<>(x -> cancellerRuns.incrementAndGet());
        Outcome<String> o = Outcome.of(d);
        d.callback("done");
        d.cancel();
        assertEquals(0, cancellerRuns.get());
        assertEquals("done", o.result);
        assertEquals(1, o.fired);
    }

    @Test
    void cancelWhileWaitingCancelsTheInnerDeferred() {
        AtomicInteger innerCancels = new AtomicInteger();
        Deferred<String> inner = new Deferred<>(x -> innerCancels.incrementAndGet());
        AtomicInteger outerCancels = new AtomicInteger();
        Deferred<String> outer = new Deferred<>(x -> outerCancels.incrementAndGet());
        outer.addCallbackDeferred(x -> inner);
        Outcome<String> o = Outcome.of(outer);
        outer.callback("go");
        outer.cancel();
        assertEquals(1, innerCancels.get());
        assertEquals(0, outerCancels.get());
        assertInstanceOf(CancelledException.class, o.failure);
    }

    @Test
    void exceptionFromTheCancellerPropagatesAndLeavesTheDeferredUnfired() {
        Deferred<String> d = new Deferred<>(x -> {
            throw new IllegalStateException("canceller broke");
        });
        assertThrows(IllegalStateException.class, d::cancel);
        assertFalse(d.isCalled());
    }

    // ---- addTimeout ----------------------------------------------------------------------------------------

    @Test
    void addTimeoutFailsWithDeferredTimeoutExceptionWhenTheTimeComes() {
        FakeTime clock = new FakeTime();
        AtomicInteger cancels = new AtomicInteger();
        Deferred<String> d = new Deferred<String>(x -> cancels.incrementAndGet()).addTimeout(5, clock);
        Outcome<String> o = Outcome.of(d);
        clock.advance(4.9);
        assertEquals(0, o.fired);
        clock.advance(0.1);
        assertEquals(1, cancels.get());
        DeferredTimeoutException e = assertInstanceOf(DeferredTimeoutException.class, o.failure);
        assertInstanceOf(CancelledException.class, e.getCause());
        assertTrue(clock.getDelayedCalls().isEmpty());
    }

    @Test
    void firingBeforeTheTimeoutCancelsTheTimer() {
        FakeTime clock = new FakeTime();
        Deferred<String> d = new Deferred<String>().addTimeout(5, clock);
        assertEquals(1, clock.getDelayedCalls().size());
        Outcome<String> o = Outcome.of(d);
        d.callback("in time");
        assertTrue(clock.getDelayedCalls().isEmpty(), "the timer must be cancelled");
        clock.advance(10);
        assertEquals("in time", o.result);
        assertEquals(1, o.fired);
    }

    @Test
    void addTimeoutOnAFiredDeferredCancelsItsTimerAtOnce() {
        FakeTime clock = new FakeTime();
        Deferred<String> d = Deferred.succeed("x").addTimeout(1, clock);
        assertTrue(clock.getDelayedCalls().isEmpty());
        assertEquals("x", Outcome.of(d).result);
    }

    @Test
    void timeoutWhileWaitingOnAnInnerDeferredCancelsTheInnerOne() {
        FakeTime clock = new FakeTime();
        AtomicInteger innerCancels = new AtomicInteger();
        Deferred<String> inner = new Deferred<>(x -> innerCancels.incrementAndGet());
        Deferred<String> outer = new Deferred<>();
        outer.addCallbackDeferred(x -> inner).addTimeout(3, clock);
        Outcome<String> o = Outcome.of(outer);
        outer.callback("go");
        clock.advance(3);
        assertEquals(1, innerCancels.get());
        assertInstanceOf(DeferredTimeoutException.class, o.failure);
    }

    @Test
    void cancellationByTheUserStaysACancelledException() {
        FakeTime clock = new FakeTime();
        Deferred<String> d = new Deferred<String>().addTimeout(3, clock);
        Outcome<String> o = Outcome.of(d);
        d.cancel();
        assertInstanceOf(CancelledException.class, o.failure);
        assertFalse(o.failure instanceof DeferredTimeoutException);
        assertTrue(clock.getDelayedCalls().isEmpty());
    }

    @Test
    void timeoutKeepsAResultTheCancellerFiredWith() {
        FakeTime clock = new FakeTime();
        Deferred<String> d = new Deferred<String>(self -> self.callback("partial")).addTimeout(1, clock);
        Outcome<String> o = Outcome.of(d);
        clock.advance(1);
        assertEquals("partial", o.result);
        IOException other = new IOException();
        Deferred<String> e = new Deferred<String>(self -> self.errback(other)).addTimeout(1, clock);
        Outcome<String> oe = Outcome.of(e);
        clock.advance(1);
        assertSame(other, oe.failure);
    }

    @Test
    void addTimeoutRejectsNegativeNanAndInfiniteSeconds() {
        FakeTime clock = new FakeTime();
        for (double bad : new double[] {-1, -0.001, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Deferred<String>().addTimeout(bad, clock), "seconds = " + bad);
            assertTrue(e.getMessage().contains("seconds"), e.getMessage());
        }
        assertTrue(clock.getDelayedCalls().isEmpty());
        new Deferred<String>().addTimeout(0, clock); // zero is fine
        assertEquals(1, clock.getDelayedCalls().size());
    }

    // ---- chainDeferred -------------------------------------------------------------------------------------

    @Test
    void chainDeferredFiresTheOtherWithTheResultAndGoesOnWithNull() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        a.chainDeferred(b);
        Outcome<String> oa = Outcome.of(a);
        Outcome<String> ob = Outcome.of(b);
        a.callback("v");
        assertEquals("v", ob.result);
        assertNull(oa.result);
        assertNull(oa.failure);
    }

    @Test
    void chainDeferredPassesFailuresToo() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        a.chainDeferred(b);
        Outcome<String> oa = Outcome.of(a);
        Outcome<String> ob = Outcome.of(b);
        IOException e = new IOException();
        a.errback(e);
        assertSame(e, ob.failure);
        assertNull(oa.failure);
    }

    @Test
    void chainDeferredToItselfIsRejected() {
        Deferred<String> a = new Deferred<>();
        assertThrows(IllegalArgumentException.class, () -> a.chainDeferred(a));
    }

    // ---- argument checks -----------------------------------------------------------------------------------

    private static void assertNpeNaming(String name, org.junit.jupiter.api.function.Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(name + " must not be null", e.getMessage());
    }

    @Test
    void nullArgumentsAreRejectedWithTheirName() {
        Deferred<String> d = new Deferred<>();
        assertNpeNaming("cb", () -> d.addCallback(null));
        assertNpeNaming("cb", () -> d.addCallbackDeferred(null));
        assertNpeNaming("eb", () -> d.addErrback(null));
        assertNpeNaming("eb", () -> d.addErrbackDeferred(null));
        assertNpeNaming("type", () -> d.addErrback(null, e -> "x"));
        assertNpeNaming("eb", () -> d.addErrback(IOException.class, null));
        assertNpeNaming("cb", () -> d.addCallbacks(null, e -> "x"));
        assertNpeNaming("eb", () -> d.addCallbacks(x -> x, null));
        assertNpeNaming("f", () -> d.addBoth(null));
        assertNpeNaming("other", () -> d.chainDeferred(null));
        assertNpeNaming("clock", () -> d.addTimeout(1, null));
        assertNpeNaming("failure", () -> d.errback(null));
        assertNpeNaming("failure", () -> Deferred.fail(null));
        assertNpeNaming("stage", () -> Deferred.fromCompletionStage(null));
        assertFalse(d.isCalled());
    }

    @Test
    void toStringDescribesTheState() {
        Deferred<String> d = new Deferred<>();
        assertTrue(d.toString().contains("not fired"), d.toString());
        d.callback("abc");
        assertTrue(d.toString().contains("abc"), d.toString());
    }
}
