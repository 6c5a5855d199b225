package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.DeferredAssertions;
import org.junit.jupiter.api.Test;

/**
 * Twisted: {@code d.callback(exception)} takes the success path with the exception as a value, and only
 * {@code d.callback(Failure(...))} takes the error path. Java has no Failure type: Weft's {@code callback} takes a
 * Throwable as a value (as Twisted does an exception), and Twisted's {@code callback(failure)} ports to
 * {@code errback}.
 */
class CallbackWithThrowableTest {

    @Test
    void aThrowableGivenToCallbackIsAValueOnTheSuccessPath() {
        Deferred<Throwable> d = new Deferred<>();
        IllegalStateException reason = new IllegalStateException("the connection's reason, as a value");
        d.callback(reason);
        assertSame(reason, DeferredAssertions.successResultOf(d));
    }

    @Test
    void errbackIsTheErrorPath() {
        Deferred<String> d = new Deferred<>();
        IllegalStateException boom = new IllegalStateException("boom");
        d.errback(boom);
        assertSame(boom, DeferredAssertions.failureResultOf(d, IllegalStateException.class));
    }

    @Test
    void hasResultIsFalseUntilFiredAndWhileWaitingOnAnotherDeferred() {
        Deferred<String> d = new Deferred<>();
        assertFalse(d.hasResult());
        Deferred<String> inner = new Deferred<>();
        d.addCallbackDeferred(x -> inner);
        d.callback("x");
        assertFalse(d.hasResult(), "waiting on another Deferred: no result yet");
        inner.callback("y");
        assertTrue(d.hasResult());
    }
}
