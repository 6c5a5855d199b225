package dev.weft.reactor.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.ReactorNotRestartableException;
import dev.weft.reactor.ReactorNotRunningException;
import org.junit.jupiter.api.Test;

/** The transitions of {@link Lifecycle}, one state at a time. */
class LifecycleTest {

    @Test
    void startupThenStopThenShutdownStops() {
        Lifecycle l = new Lifecycle();
        assertFalse(l.mayStop(), "not started");
        assertThrows(ReactorNotRunningException.class, l::stop);
        assertTrue(l.beginStartup());
        assertFalse(l.beginStartup(), "startup fires once");
        assertTrue(l.mayStop(), "stop() is accepted from the start of startup");
        assertFalse(l.isRunning());
        l.startupReached();
        assertTrue(l.isRunning());
        l.stop();
        assertThrows(ReactorNotRunningException.class, l::stop, "already stopping");
        assertTrue(l.isRunning(), "running until shutdown's DURING phase");
        assertTrue(l.takeShutdown());
        assertFalse(l.takeShutdown(), "the shutdown event is taken once");
        assertThrows(ReactorNotRestartableException.class, l::checkNoShutdownBegun);
        assertTrue(l.shutdownReached());
        assertFalse(l.isRunning());
        assertTrue(l.isStopped());
        assertThrows(ReactorNotRestartableException.class, l::checkNotStopped);
    }

    @Test
    void aStopDuringStartupRunsOnceStartupIsDone() {
        Lifecycle l = new Lifecycle();
        l.beginStartup();
        l.stop();
        assertFalse(l.isRunning(), "startup has not reached DURING");
        l.startupReached();
        assertTrue(l.isRunning(), "startup completes, then shutdown");
        assertTrue(l.shutdownDue());
    }

    @Test
    void aCrashWhileRunningAllowsAnotherRunThatStartsUpAgain() {
        Lifecycle l = new Lifecycle();
        l.beginStartup();
        l.startupReached();
        l.crash();
        assertFalse(l.isRunning());
        assertDoesNotThrow(l::checkNotStopped);
        assertDoesNotThrow(l::checkNoShutdownBegun);
        assertTrue(l.beginStartup(), "startup fires again after a crash");
    }

    @Test
    void aCrashThatCutsAShutdownShortForbidsRunningAgain() {
        Lifecycle l = new Lifecycle();
        l.beginStartup();
        l.startupReached();
        l.stop();
        l.takeShutdown();
        l.crash();
        assertFalse(l.isRunning());
        assertFalse(l.isStopped(), "it never stopped");
        assertFalse(l.mayStop());
        assertThrows(ReactorNotRestartableException.class, l::checkNoShutdownBegun);
    }

    @Test
    void aCrashBeforeTheShutdownEventKeepsTheStopForTheNextRun() {
        Lifecycle l = new Lifecycle();
        l.beginStartup();
        l.startupReached();
        l.stop();
        l.crash();
        assertDoesNotThrow(l::checkNoShutdownBegun, "the stop has not begun: the next run does it");
        assertTrue(l.beginStartup());
        assertFalse(l.mayStop(), "already stopping");
        l.startupReached();
        assertTrue(l.takeShutdown());
        assertTrue(l.shutdownReached());
    }

    @Test
    void aShutdownEventFiredByHandWithoutStopDoesNotStop() {
        Lifecycle l = new Lifecycle();
        l.beginStartup();
        l.startupReached();
        assertFalse(l.shutdownReached());
        assertTrue(l.isRunning());
    }
}
