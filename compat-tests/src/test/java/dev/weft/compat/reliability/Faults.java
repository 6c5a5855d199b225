package dev.weft.compat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.compat.harness.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Injected faults and the checks on how they are logged: exactly one ERROR event carries the fault, it names the
 * callback and the object (protocol, factory, descriptor) that raised it, and no other ERROR event was logged.
 */
final class Faults {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** The message Deferred's unhandled-error reporter logs (see {@code dev.weft.defer.UnhandledErrors}). */
    static final String UNHANDLED_IN_DEFERRED = "Unhandled error in Deferred";

    private Faults() {
    }

    /**
     * An exception a test throws from a callback; its message is unique in the JVM. Throw it with
     * {@code throw fault.raise()}, so that its stack is the callback's.
     */
    static final class InjectedFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFault(String where) {
            super("injected fault #" + SEQUENCE.incrementAndGet() + " in " + where);
        }

        /**
         * Refills the stack trace where it is called, so the report shows the callback that threw it.
         *
         * @return this
         */
        InjectedFault raise() {
            fillInStackTrace();
            return this;
        }
    }

    /**
     * A Runnable with a name, so that a log line that prints it names it.
     *
     * @param name the name its {@code toString} returns
     * @param body what it does
     * @return the Runnable
     */
    static Runnable named(String name, Runnable body) {
        return new Runnable() {
            @Override
            public void run() {
                body.run();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * Matches ERROR events whose throwable (or a cause) is {@code fault}, by its unique message.
     *
     * @param fault the fault
     * @return the predicate
     */
    static Predicate<ILoggingEvent> carrying(InjectedFault fault) {
        return LogCapture.atLeast(Level.ERROR).and(e -> e.getThrowableProxy() != null)
                .and(LogCapture.mentions(fault.getMessage()));
    }

    /**
     * Waits (bounded) for the ERROR event that carries {@code fault}, then checks that it is the only one that does,
     * that its message names each of {@code names}, and that no other ERROR event was logged (other than the
     * events of the test's other injected faults, checked on their own, and "Unhandled error in Deferred" reports
     * of Deferreds that earlier tests dropped, which the reaper thread logs whenever the collector finds them).
     *
     * @param logs  the capture, started before the fault
     * @param fault the fault
     * @param names what the message must name (case-sensitive), e.g. the callback and the protocol
     * @return the event
     */
    static ILoggingEvent assertLoggedOnce(LogCapture logs, InjectedFault fault, String... names) {
        ILoggingEvent event = awaitOnly(logs, fault);
        String message = event.getFormattedMessage();
        for (String name : names) {
            assertTrue(message.contains(name), "the log line of " + fault.getMessage() + " must name '" + name
                    + "' (what raised it); was: " + message);
        }
        return event;
    }

    /**
     * As {@link #assertLoggedOnce}, for a report whose context is the failure itself (the unhandled error of a
     * Deferred, whose stack names the callback): each of {@code names} must appear in the message or the stack.
     *
     * @param logs  the capture
     * @param fault the fault
     * @param names what the event must mention
     * @return the event
     */
    static ILoggingEvent assertLoggedOnceMentioning(LogCapture logs, InjectedFault fault, String... names) {
        ILoggingEvent event = awaitOnly(logs, fault);
        for (String name : names) {
            assertTrue(LogCapture.mentions(name).test(event), "the report of " + fault.getMessage()
                    + " must mention '" + name + "' in its message or stack; was: " + describe(event));
        }
        return event;
    }

    private static ILoggingEvent awaitOnly(LogCapture logs, InjectedFault fault) {
        ILoggingEvent first = logs.await(carrying(fault), Duration.ofSeconds(4));
        assertNotNull(first, "no ERROR event carries " + fault.getMessage() + "; ERROR events seen: "
                + describe(errors(logs)));
        List<ILoggingEvent> ours = logs.events().stream().filter(carrying(fault)).collect(Collectors.toList());
        assertEquals(1, ours.size(), "the fault must be logged exactly once; events carrying it: " + describe(ours));
        List<ILoggingEvent> others = errors(logs).stream()
                .filter(carrying(fault).negate())
                .filter(e -> !LogCapture.mentions(InjectedFault.class.getName()).test(e)) // checked on their own
                .filter(e -> !e.getFormattedMessage().startsWith(UNHANDLED_IN_DEFERRED))
                .collect(Collectors.toList());
        if (!others.isEmpty()) {
            fail("no other ERROR may be logged besides the fault's; also logged: " + describe(others));
        }
        return ours.get(0);
    }

    /**
     * The ERROR events captured so far.
     *
     * @param logs the capture
     * @return the events
     */
    static List<ILoggingEvent> errors(LogCapture logs) {
        return logs.events().stream().filter(LogCapture.atLeast(Level.ERROR)).collect(Collectors.toList());
    }

    /**
     * Describes events for messages: logger, message and throwable.
     *
     * @param events the events
     * @return the description
     */
    static String describe(List<ILoggingEvent> events) {
        return events.isEmpty() ? "(none)" : events.stream().map(Faults::describe)
                .collect(Collectors.joining("; ", "[", "]"));
    }

    static String describe(ILoggingEvent e) {
        return e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " <" + e.getThrowableProxy().getClassName() + ": "
                + e.getThrowableProxy().getMessage() + ">");
    }
}
