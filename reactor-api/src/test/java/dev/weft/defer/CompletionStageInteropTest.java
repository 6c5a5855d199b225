package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompletionStageInteropTest {

    @Test
    void fromCompletionStageFiresWhenTheStageCompletes() {
        CompletableFuture<String> f = new CompletableFuture<>();
        Deferred<String> d = Deferred.fromCompletionStage(f);
        assertFalse(d.isCalled());
        f.complete("done");
        assertEquals("done", DeferredTest.Outcome.of(d).result);
    }

    @Test
    void fromCompletionStageOfACompletedStageHasFiredAlready() {
        Deferred<String> d = Deferred.fromCompletionStage(CompletableFuture.completedFuture("now"));
        assertTrue(d.isCalled());
        assertEquals("now", DeferredTest.Outcome.of(d).result);
    }

    @Test
    void fromCompletionStageUnwrapsCompletionException() {
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> dependent = source.thenApply(s -> s); // fails with a CompletionException
        Deferred<String> d = Deferred.fromCompletionStage(dependent);
        IOException e = new IOException("root");
        source.completeExceptionally(e);
        assertThrows(CompletionException.class, dependent::join);
        assertSame(e, DeferredTest.Outcome.of(d).failure);
    }

    @Test
    void fromCompletionStagePassesOtherFailuresAsTheyAre() {
        IOException e = new IOException();
        Deferred<String> d = Deferred.fromCompletionStage(CompletableFuture.failedFuture(e));
        assertSame(e, DeferredTest.Outcome.of(d).failure);
    }

    @Test
    void cancellingTheDeferredCancelsTheFutureAndFailsWithCancelledException() {
        CompletableFuture<String> f = new CompletableFuture<>();
        Deferred<String> d = Deferred.fromCompletionStage(f);
        DeferredTest.Outcome<String> o = DeferredTest.Outcome.of(d);
        d.cancel();
        assertTrue(f.isCancelled());
        assertInstanceOf(CancelledException.class, o.failure);
        assertEquals(1, o.fired);
    }

    @Test
    void aResultArrivingAfterCancelIsIgnored() {
        CompletableFuture<String> f = new CompletableFuture<>();
        CompletableFuture<String> dependent = f.thenApply(s -> s);
        Deferred<String> d = Deferred.fromCompletionStage(dependent.minimalCompletionStage());
        DeferredTest.Outcome<String> o = DeferredTest.Outcome.of(d);
        d.cancel(); // a minimal stage refuses cancel(): it completes later anyway
        f.complete("late");
        assertInstanceOf(CancelledException.class, o.failure);
        assertEquals(1, o.fired);
    }

    @Test
    void toCompletableFutureCompletesWithTheResultAtThatPointOfTheChain() throws Exception {
        Deferred<Integer> d = new Deferred<>();
        CompletableFuture<Integer> f = d.addCallback(x -> x * 2).toCompletableFuture();
        d.addCallback(x -> x + 1);
        assertFalse(f.isDone());
        d.callback(5);
        assertEquals(10, f.get());
        assertEquals(11, DeferredTest.Outcome.of(d).result);
    }

    @Test
    void toCompletableFutureOfAFiredDeferredIsDoneAtOnce() {
        assertEquals("x", Deferred.succeed("x").toCompletableFuture().getNow(null));
    }

    @Test
    void toCompletableFutureFailsWithTheFailureAndLeavesItInTheChain() {
        Deferred<String> d = new Deferred<>();
        CompletableFuture<String> f = d.toCompletableFuture();
        IOException e = new IOException();
        d.errback(e);
        ExecutionException ee = assertThrows(ExecutionException.class, f::get);
        assertSame(e, ee.getCause());
        assertTrue(d.tracksUnhandledFailure(), "the failure is still the chain's to handle");
        assertSame(e, DeferredTest.Outcome.of(d).failure);
    }

    @Test
    void cancellingTheFutureCancelsTheDeferred() {
        AtomicInteger cancels = new AtomicInteger();
        Deferred<String> d = new Deferred<>(x -> cancels.incrementAndGet());
        CompletableFuture<String> f = d.toCompletableFuture();
        DeferredTest.Outcome<String> o = DeferredTest.Outcome.of(d);
        assertTrue(f.cancel(false));
        assertEquals(1, cancels.get());
        assertInstanceOf(CancelledException.class, o.failure);
        assertNull(o.result);
    }
}
