package dev.weft.testing;

import static dev.weft.testing.DeferredAssertions.assertNoResult;
import static dev.weft.testing.DeferredAssertions.failureResultOf;
import static dev.weft.testing.DeferredAssertions.successResultOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredTimeoutException;
import dev.weft.task.Clock;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Trial's successResultOf, failureResultOf and assertNoResult, driven by a Clock. */
class DeferredAssertionsTest {

    @Test
    void successResultOfReturnsTheResultOnceTheClockFiresIt() {
        Clock clock = new Clock();
        Deferred<String> d = new Deferred<>();
        clock.callLater(2, () -> d.callback("done"));
        assertNoResult(d);
        clock.advance(1.9);
        assertNoResult(d);
        clock.advance(0.1);
        assertEquals("done", successResultOf(d));
    }

    @Test
    void successResultOfAFailureFailsWithTheFailureAsCause() {
        IOException boom = new IOException("boom");
        AssertionError e = assertThrows(AssertionError.class, () -> successResultOf(Deferred.fail(boom)));
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().contains("failure"), e.getMessage());
        assertTrue(assertThrows(AssertionError.class, () -> successResultOf(new Deferred<>())).getMessage()
                .contains("no result"));
    }

    @Test
    void failureResultOfChecksTheExpectedTypes() {
        Clock clock = new Clock();
        Deferred<String> d = new Deferred<String>().addTimeout(5, clock);
        clock.advance(5);
        Throwable f = failureResultOf(d, IOException.class, DeferredTimeoutException.class);
        assertTrue(f instanceof DeferredTimeoutException, String.valueOf(f));
        Deferred<String> other = Deferred.fail(new IllegalStateException("x"));
        AssertionError e = assertThrows(AssertionError.class, () -> failureResultOf(other, IOException.class));
        assertTrue(e.getMessage().contains("IllegalStateException"), e.getMessage());
        assertTrue(assertThrows(AssertionError.class, () -> failureResultOf(Deferred.succeed(1))).getMessage()
                .contains("success"));
        assertTrue(failureResultOf(Deferred.fail(new IOException("any"))) instanceof IOException,
                "no expected types: any failure");
    }

    @Test
    void assertNoResultFailsOnAResult() {
        assertThrows(AssertionError.class, () -> assertNoResult(Deferred.succeed("x")));
        assertThrows(AssertionError.class, () -> assertNoResult(Deferred.fail(new IOException("x"))));
    }
}
