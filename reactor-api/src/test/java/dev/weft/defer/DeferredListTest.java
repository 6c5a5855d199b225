package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.DeferredList.Option;
import dev.weft.defer.DeferredList.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeferredListTest {

    private static <T> DeferredTest.Outcome<T> watch(Deferred<T> d) {
        return DeferredTest.Outcome.of(d);
    }

    @Test
    void firesWithEveryOutcomeInTheOrderGivenOnceAllHaveFired() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        Deferred<String> c = new Deferred<>();
        DeferredTest.Outcome<List<Outcome<String>>> o = watch(DeferredList.of(List.of(a, b, c)));
        IOException e = new IOException();
        c.callback("c");
        b.errback(e);
        assertEquals(0, o.fired);
        a.callback("a");
        assertEquals(List.of(Outcome.ofResult(0, "a"), Outcome.ofFailure(1, e), Outcome.ofResult(2, "c")),
                o.result);
        assertTrue(o.result.get(0).succeeded());
        assertFalse(o.result.get(1).succeeded());
        assertSame(e, o.result.get(1).failure());
        assertNull(o.result.get(1).result());
        assertThrows(UnsupportedOperationException.class, () -> o.result.add(null));
        watch(b); // handle b's failure: it stayed in b's chain
    }

    @Test
    void emptyListFiresAtOnce() {
        assertEquals(List.of(), watch(DeferredList.of(List.of())).result);
        assertEquals(List.of(), watch(DeferredList.of(List.of(), Option.FIRE_ON_ONE_CALLBACK)).result);
        assertEquals(List.of(), watch(DeferredList.<String>gatherResults(List.of())).result);
    }

    @Test
    void alreadyFiredDeferredsFireTheListAtOnce() {
        DeferredTest.Outcome<List<Outcome<Integer>>> o =
                watch(DeferredList.of(List.of(Deferred.succeed(1), Deferred.succeed(2))));
        assertEquals(List.of(Outcome.ofResult(0, 1), Outcome.ofResult(1, 2)), o.result);
    }

    @Test
    void withoutConsumeErrorsTheFailureStaysInTheSourceChain() {
        Deferred<String> a = new Deferred<>();
        DeferredList.of(List.of(a));
        IOException e = new IOException();
        a.errback(e);
        assertTrue(a.tracksUnhandledFailure());
        assertSame(e, watch(a).failure);
    }

    @Test
    void consumeErrorsHandlesTheSourceFailures() {
        Deferred<String> a = new Deferred<>();
        DeferredTest.Outcome<List<Outcome<String>>> o = watch(DeferredList.of(List.of(a), Option.CONSUME_ERRORS));
        IOException e = new IOException();
        a.errback(e);
        assertFalse(a.tracksUnhandledFailure());
        DeferredTest.Outcome<String> after = watch(a);
        assertNull(after.failure);
        assertNull(after.result);
        assertSame(e, o.result.get(0).failure());
    }

    @Test
    void fireOnOneCallbackFiresWithTheFirstSuccessAndItsIndex() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        DeferredTest.Outcome<List<Outcome<String>>> o =
                watch(DeferredList.of(List.of(a, b), Option.FIRE_ON_ONE_CALLBACK));
        b.callback("b first");
        assertEquals(List.of(Outcome.ofResult(1, "b first")), o.result);
        a.callback("a later"); // ignored by the list
        assertEquals(1, o.fired);
    }

    @Test
    void fireOnOneCallbackWithNoSuccessFiresWithAllOutcomes() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        DeferredTest.Outcome<List<Outcome<String>>> o =
                watch(DeferredList.of(List.of(a, b), Option.FIRE_ON_ONE_CALLBACK, Option.CONSUME_ERRORS));
        a.errback(new IOException("a"));
        assertEquals(0, o.fired);
        b.errback(new IOException("b"));
        assertEquals(2, o.result.size());
        assertFalse(o.result.get(0).succeeded());
        assertFalse(o.result.get(1).succeeded());
    }

    @Test
    void fireOnOneErrbackFailsWithFirstErrorCarryingIndexAndCause() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        DeferredTest.Outcome<List<Outcome<String>>> o =
                watch(DeferredList.of(List.of(a, b), Option.FIRE_ON_ONE_ERRBACK, Option.CONSUME_ERRORS));
        IOException e = new IOException("b failed");
        b.errback(e);
        FirstErrorException first = assertInstanceOf(FirstErrorException.class, o.failure);
        assertEquals(1, first.index());
        assertSame(e, first.getCause());
        a.errback(new IOException("later failure is ignored by the list"));
        assertEquals(1, o.fired);
    }

    @Test
    void cancellingTheListCancelsEverySource() {
        AtomicInteger cancels = new AtomicInteger();
        Deferred<String> a = new Deferred<>(x -> cancels.incrementAndGet());
        Deferred<String> b = new Deferred<>(x -> cancels.incrementAndGet());
        Deferred<List<Outcome<String>>> list = DeferredList.of(List.of(a, b), Option.CONSUME_ERRORS);
        DeferredTest.Outcome<List<Outcome<String>>> o = watch(list);
        list.cancel();
        assertEquals(2, cancels.get());
        assertInstanceOf(CancelledException.class, o.result.get(0).failure());
        assertInstanceOf(CancelledException.class, o.result.get(1).failure());
    }

    @Test
    void cancellingTheListRethrowsACancellerExceptionAfterCancellingAll() {
        Deferred<String> a = new Deferred<>(x -> {
            throw new IllegalStateException("a's canceller");
        });
        Deferred<String> b = new Deferred<>();
        Deferred<List<Outcome<String>>> list = DeferredList.of(List.of(a, b), Option.CONSUME_ERRORS);
        assertThrows(IllegalStateException.class, list::cancel);
        assertTrue(b.isCalled());
    }

    @Test
    void listCallbackRunsBeforeLinksAddedToTheSourceLater() {
        Deferred<String> a = new Deferred<>();
        List<String> seen = new ArrayList<>();
        DeferredList.of(List.of(a)).addCallback(r -> {
            seen.add("list");
            return r;
        });
        a.addCallback(x -> {
            seen.add("source");
            return x;
        });
        a.callback("x");
        assertEquals(List.of("list", "source"), seen);
    }

    @Test
    void gatherResultsGivesTheResultsInOrder() {
        Deferred<Integer> a = new Deferred<>();
        Deferred<Integer> b = new Deferred<>();
        DeferredTest.Outcome<List<Integer>> o = watch(DeferredList.gatherResults(List.of(a, b, Deferred.succeed(3))));
        b.callback(2);
        a.callback(null);
        assertEquals(Arrays.asList(null, 2, 3), o.result);
    }

    @Test
    void gatherResultsFailsWithFirstErrorException() {
        Deferred<Integer> a = new Deferred<>();
        Deferred<Integer> b = new Deferred<>();
        DeferredTest.Outcome<List<Integer>> o = watch(DeferredList.gatherResults(List.of(a, b)));
        IOException e = new IOException();
        b.errback(e);
        FirstErrorException first = assertInstanceOf(FirstErrorException.class, o.failure);
        assertEquals(1, first.index());
        assertSame(e, first.getCause());
        assertTrue(b.tracksUnhandledFailure(), "without consumeErrors the source keeps its failure");
        watch(b);
    }

    @Test
    void gatherResultsCanConsumeTheSourceErrors() {
        Deferred<Integer> a = new Deferred<>();
        DeferredTest.Outcome<List<Integer>> o = watch(DeferredList.gatherResults(List.of(a), true));
        a.errback(new IOException());
        assertInstanceOf(FirstErrorException.class, o.failure);
        assertFalse(a.tracksUnhandledFailure());
    }

    @Test
    void argumentsAreChecked() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> DeferredList.of(null));
        assertEquals("deferreds must not be null", e.getMessage());
        e = assertThrows(NullPointerException.class,
                () -> DeferredList.of(Arrays.asList(new Deferred<String>(), null)));
        assertEquals("deferreds[1] must not be null", e.getMessage());
        e = assertThrows(NullPointerException.class,
                () -> DeferredList.of(List.of(), (Option) null));
        assertEquals("options must not contain null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> DeferredList.gatherResults(null));
        assertEquals("deferreds must not be null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> new FirstErrorException(0, null));
        assertEquals("cause must not be null", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Outcome<>(0, true, "x", new IOException()));
        assertThrows(IllegalArgumentException.class, () -> Outcome.ofFailure(0, null));
    }
}
