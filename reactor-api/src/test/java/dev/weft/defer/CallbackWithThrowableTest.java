package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Twisted's {@code d.callback(failure)} fails the Deferred; Weft refuses {@code callback(Throwable)} clearly. */
class CallbackWithThrowableTest {

    @Test
    void callbackWithAThrowableIsRefusedAndNamesErrback() {
        Deferred<Object> d = new Deferred<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.callback(new IllegalStateException("boom")));
        assertTrue(e.getMessage().contains("errback"), e.getMessage());
        assertFalse(d.isCalled(), "the refused call does not fire the Deferred");
        d.callback("still usable");
        assertEquals("still usable", dev.weft.testing.DeferredAssertions.successResultOf(d));
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
