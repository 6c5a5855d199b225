package dev.weft.reactor.spi;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the reactor tells JDK Flight Recorder: a blocked loop, a slow pass, a late timer, connections opened and
 * closed (the events {@code dev.weft.*}, category "Weft", visible in JDK Mission Control). Each method costs a check
 * of a flag while no recording has the event on. The JDK's {@code jdk.jfr} module is not in every runtime image:
 * without it, nothing is recorded and nothing fails. Any thread, as each method says.
 */
final class FlightEvents {
    /** A timer this late or later is recorded. */
    static final long LATE_TIMER_NANOS = 1_000_000;
    private static final boolean PRESENT = jfrPresent();

    private final String reactor;
    /** The pass being timed, while a recording wants slow passes. Loop thread. */
    private Object pass;

    /** @param reactor the reactor's backend name, written into each event */
    FlightEvents(String reactor) {
        this.reactor = reactor;
    }

    private static boolean jfrPresent() {
        try {
            Class.forName("jdk.jfr.Event", false, FlightEvents.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A pass of callbacks begins (the loop's wait for I/O is over). Loop thread. */
    void passBegins() {
        if (PRESENT) {
            pass = Types.passBegins();
        }
    }

    /** The pass ends (the loop is about to wait for I/O): recorded if longer than its threshold. Loop thread. */
    void passEnds() {
        Object p = pass;
        if (p != null) {
            pass = null;
            Types.passEnds(p, reactor);
        }
    }

    /** A DelayedCall scheduled for {@code time} runs at {@code now} (reactor seconds). Loop thread. */
    void timerRuns(Object call, double time, double now) {
        long late = (long) ((now - time) * 1e9);
        if (PRESENT && late >= LATE_TIMER_NANOS) {
            Types.lateTimer(reactor, call, late);
        }
    }

    /** The blocked-loop detector reports {@code holder} holding the loop. Detector thread. */
    void blocked(long heldMillis, Thread holder, StackTraceElement[] stack) {
        if (PRESENT) {
            Types.blocked(reactor, heldMillis, holder, stack);
        }
    }

    /** A connection's protocol started. Loop thread. */
    void opened(StreamTransport t) {
        if (PRESENT) {
            Types.opened(reactor, t);
        }
    }

    /** A connection's protocol got {@code connectionLost(reason)}. Loop thread. */
    void closed(StreamTransport t, Throwable reason) {
        if (PRESENT) {
            Types.closed(reactor, t, reason);
        }
    }

    /** The event classes, loaded only when {@code jdk.jfr} is present. */
    private static final class Types {
        private static final jdk.jfr.EventType SLOW_PASS = jdk.jfr.EventType.getEventType(SlowPassEvent.class);
        private static final jdk.jfr.EventType LATE_TIMER = jdk.jfr.EventType.getEventType(LateTimerEvent.class);
        private static final jdk.jfr.EventType OPENED = jdk.jfr.EventType.getEventType(ConnectionOpenedEvent.class);
        private static final jdk.jfr.EventType CLOSED = jdk.jfr.EventType.getEventType(ConnectionClosedEvent.class);

        static Object passBegins() {
            if (!SLOW_PASS.isEnabled()) {
                return null;
            }
            SlowPassEvent e = new SlowPassEvent();
            e.begin();
            return e;
        }

        static void passEnds(Object pass, String reactor) {
            SlowPassEvent e = (SlowPassEvent) pass;
            e.end();
            if (e.shouldCommit()) {
                e.reactor = reactor;
                e.commit();
            }
        }

        static void lateTimer(String reactor, Object call, long lateNanos) {
            if (LATE_TIMER.isEnabled()) {
                LateTimerEvent e = new LateTimerEvent();
                e.reactor = reactor;
                e.lateness = lateNanos;
                e.call = String.valueOf(call);
                e.commit();
            }
        }

        static void blocked(String reactor, long heldMillis, Thread holder, StackTraceElement[] stack) {
            BlockedLoopEvent e = new BlockedLoopEvent();
            if (e.isEnabled()) {
                e.reactor = reactor;
                e.held = heldMillis;
                e.thread = holder == null ? "?" : holder.getName();
                e.stack = stack == null ? "" : Arrays.stream(stack).map(String::valueOf)
                        .collect(Collectors.joining("\n\tat ", "\tat ", ""));
                e.commit();
            }
        }

        static void opened(String reactor, StreamTransport t) {
            if (OPENED.isEnabled()) {
                ConnectionOpenedEvent e = new ConnectionOpenedEvent();
                e.reactor = reactor;
                e.host = String.valueOf(t.getHost());
                e.peer = String.valueOf(t.getPeer());
                e.commit();
            }
        }

        static void closed(String reactor, StreamTransport t, Throwable reason) {
            if (CLOSED.isEnabled()) {
                ConnectionClosedEvent e = new ConnectionClosedEvent();
                e.reactor = reactor;
                e.host = String.valueOf(t.getHost());
                e.peer = String.valueOf(t.getPeer());
                e.reason = reason == null ? "" : reason.getClass().getSimpleName();
                e.commit();
            }
        }
    }
}
