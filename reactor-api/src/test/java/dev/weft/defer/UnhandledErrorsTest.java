package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class UnhandledErrorsTest {
    private final List<Throwable> reported = Collections.synchronizedList(new ArrayList<>());
    private final Consumer<Throwable> listener = reported::add;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Deferred.class);

    @BeforeEach
    void listen() {
        UnhandledErrors.addListener(listener);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void stopListening() {
        UnhandledErrors.removeListener(listener);
        logger.detachAppender(appender);
    }

    /** Collects garbage until {@code marker} has been reported (bounded: gives up after 50 rounds). */
    private void collectUntilReported(Throwable marker) {
        for (int i = 0; i < 50 && !containsSame(reported, marker); i++) {
            UnhandledErrors.collect(Duration.ofSeconds(1));
        }
        assertTrue(containsSame(reported, marker), "not reported: " + marker);
    }

    private static boolean containsSame(List<Throwable> list, Throwable t) {
        synchronized (list) {
            return list.stream().anyMatch(x -> x == t);
        }
    }

    private static long countSame(List<Throwable> list, Throwable t) {
        synchronized (list) {
            return list.stream().filter(x -> x == t).count();
        }
    }

    // Each helper builds Deferreds in its own frame so no local variable keeps them reachable.

    private static void dropFailedDeferred(Throwable failure) {
        Deferred<String> d = new Deferred<>();
        d.addCallback(x -> x);
        d.errback(failure);
    }

    private static void dropHandledFailure(Throwable failure) {
        Deferred<String> d = Deferred.fail(failure);
        d.addErrback(e -> "handled");
    }

    private static void dropFailureHandedToOuter(Throwable failure) {
        Deferred<String> inner = new Deferred<>();
        Deferred<String> outer = new Deferred<>();
        outer.addCallbackDeferred(x -> inner);
        outer.callback("go");
        inner.errback(failure);
    }

    private static void dropFailureTrappedByOtherType(Throwable failure) {
        Deferred<String> d = Deferred.fail(failure);
        d.addErrback(IllegalArgumentException.class, e -> "not this one");
    }

    @Test
    void failureLeftAtTheEndOfTheChainIsLoggedWhenTheDeferredIsCollected() {
        IOException marker = new IOException("left unhandled");
        dropFailedDeferred(marker);
        collectUntilReported(marker);
        List<ILoggingEvent> events;
        synchronized (appender) {
            events = new ArrayList<>(appender.list);
        }
        ILoggingEvent event = events.stream()
                .filter(e -> e.getThrowableProxy() instanceof ThrowableProxy
                        && ((ThrowableProxy) e.getThrowableProxy()).getThrowable() == marker)
                .findFirst().orElseThrow(() -> new AssertionError("no log event for " + marker));
        assertEquals(Level.ERROR, event.getLevel());
        assertEquals("Unhandled error in Deferred", event.getFormattedMessage());
        assertEquals("dev.weft.defer.Deferred", event.getLoggerName());
    }

    @Test
    void collectReturnsTheFailuresItFound() {
        IOException marker = new IOException("returned by collect");
        dropFailedDeferred(marker);
        List<Throwable> all = new ArrayList<>();
        for (int i = 0; i < 50 && !containsSame(all, marker); i++) {
            all.addAll(UnhandledErrors.collect(Duration.ofSeconds(1)));
            if (containsSame(reported, marker)) {
                break; // reported by the daemon thread between two calls: fine, but then not returned
            }
        }
        assertTrue(containsSame(all, marker) || containsSame(reported, marker));
    }

    @Test
    void handledFailureIsNotLogged() {
        IOException handled = new IOException("handled");
        IOException control = new IOException("control");
        dropHandledFailure(handled);
        dropFailedDeferred(control);
        collectUntilReported(control); // the collection that found the control saw the other one too
        assertFalse(containsSame(reported, handled));
    }

    @Test
    void failureHandedToAWaitingDeferredIsReportedOnceOnly() {
        IOException marker = new IOException("reported once");
        IOException control = new IOException("control");
        dropFailureHandedToOuter(marker);
        collectUntilReported(marker);
        dropFailedDeferred(control);
        collectUntilReported(control);
        assertEquals(1, countSame(reported, marker));
    }

    @Test
    void errbackForAnotherTypeDoesNotHandleTheFailure() {
        IOException marker = new IOException("still unhandled");
        dropFailureTrappedByOtherType(marker);
        collectUntilReported(marker);
    }

    @Test
    void onlyDeferredsWhoseChainEndsInFailureAreTracked() {
        Deferred<String> d = new Deferred<>();
        assertFalse(d.tracksUnhandledFailure());
        d.callback("ok");
        assertFalse(d.tracksUnhandledFailure());
        d.addCallback(x -> {
            throw new IOException();
        });
        assertTrue(d.tracksUnhandledFailure());
        d.addErrback(e -> "recovered");
        assertFalse(d.tracksUnhandledFailure());
        d.addCallback(x -> x); // still fine
        assertFalse(d.tracksUnhandledFailure());
        Deferred<String> waiting = new Deferred<>();
        waiting.addErrback(e -> "x");
        waiting.errback(new IOException());
        assertFalse(waiting.tracksUnhandledFailure(), "an errback was there when it failed");
    }

    @Test
    void listenerThatThrowsDoesNotStopTheReport() {
        Consumer<Throwable> broken = t -> {
            throw new IllegalStateException("broken listener");
        };
        UnhandledErrors.addListener(broken);
        try {
            IOException marker = new IOException("despite broken listener");
            dropFailedDeferred(marker);
            collectUntilReported(marker);
        } finally {
            assertTrue(UnhandledErrors.removeListener(broken));
        }
        assertFalse(UnhandledErrors.removeListener(broken));
    }

    @Test
    void collectAndListenersCheckTheirArguments() {
        NullPointerException npe = assertThrows(NullPointerException.class, () -> UnhandledErrors.collect(null));
        assertEquals("timeout must not be null", npe.getMessage());
        IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
                () -> UnhandledErrors.collect(Duration.ofMillis(-1)));
        assertTrue(iae.getMessage().contains("timeout"));
        npe = assertThrows(NullPointerException.class, () -> UnhandledErrors.addListener(null));
        assertEquals("listener must not be null", npe.getMessage());
    }

    @Test
    void failureSurvivesWhileTheDeferredIsReachable() {
        IOException marker = new IOException("kept");
        Deferred<String> d = Deferred.fail(marker);
        UnhandledErrors.collect(Duration.ofSeconds(1));
        assertFalse(containsSame(reported, marker));
        assertSame(marker, DeferredTest.Outcome.of(d).failure);
    }
}
