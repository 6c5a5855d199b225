package dev.weft.reactor.spi;

import java.util.Locale;

/**
 * The bookkeeping of one listening port's failed accepts, so that they are logged at most once every
 * {@value #INTERVAL_SECONDS} s: the first failure (of the port, or since it last accepted a connection) is logged with
 * its stack trace; the failures that follow within the interval, and the waiting connections the port closed because
 * it could not serve them, are counted and reported in one summary line at the end of the interval (or at the next
 * failure after it, or when the port stops).
 *
 * <p>It only decides; the port logs. Time is passed in (the reactor's {@code seconds()}), so that it can be tested
 * without a clock. Reactor thread only.
 */
final class AcceptFailureLog {

    /** The least time between two lines about the failed accepts of one port. */
    static final double INTERVAL_SECONDS = 10;

    /** What to log for a failed accept. */
    enum Action {
        /** Log this failure now, with its stack trace. */
        STACK,
        /** Log {@link #summary(double)} now. */
        SUMMARY,
        /** Log nothing now: it is counted, for the summary due at {@link #nextLineAt()}. */
        COUNT
    }

    private boolean logged;
    private double lastLine;
    private boolean failing;
    private int failures;
    private int closed;
    private String lastFailure = "none";

    /**
     * An accept failed.
     *
     * @param now   the time, in seconds
     * @param cause the failure
     * @return what to log now
     */
    Action failed(double now, Throwable cause) {
        boolean first = !failing;
        failing = true;
        lastFailure = String.valueOf(cause);
        if (logged && now - lastLine < INTERVAL_SECONDS) {
            failures++;
            return Action.COUNT;
        }
        if (first) {
            logged = true;
            lastLine = now;
            return Action.STACK;
        }
        failures++;
        return Action.SUMMARY;
    }

    /**
     * The port closed waiting connections it could not serve.
     *
     * @param n how many
     */
    void closed(int n) {
        closed += n;
    }

    /**
     * The port accepted a connection and handed it on: the next failure is logged with its stack trace again (once
     * the interval allows a line).
     */
    void accepted() {
        failing = false;
    }

    /**
     * Whether the port has failed since it last accepted a connection.
     *
     * @return whether it is failing
     */
    boolean isFailing() {
        return failing;
    }

    /**
     * Whether failures or closed connections are counted and not reported yet.
     *
     * @return whether a summary is due
     */
    boolean hasUnreported() {
        return failures > 0 || closed > 0;
    }

    /**
     * When the next line may be logged.
     *
     * @return the time, in seconds
     */
    double nextLineAt() {
        return lastLine + INTERVAL_SECONDS;
    }

    /**
     * The line that reports what was counted since the last line; the counts start again from zero.
     *
     * @param now the time, in seconds
     * @return the summary
     */
    String summary(double now) {
        String s = String.format(Locale.ROOT, "%d more failed accepts and %d waiting connections closed unserved in "
                + "the last %.1f s (the last failure: %s)", failures, closed, now - lastLine, lastFailure);
        failures = 0;
        closed = 0;
        logged = true;
        lastLine = now;
        return s;
    }
}
