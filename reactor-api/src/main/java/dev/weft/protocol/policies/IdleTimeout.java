package dev.weft.protocol.policies;

import dev.weft.protocol.Protocol;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One idle timeout for a protocol: Twisted's {@code TimeoutMixin} as an object the protocol holds, so any protocol
 * class (a {@code LineReceiver} too) can have one without changing its base class.
 *
 * <pre>{@code
 * final class Session extends LineReceiver {
 *     private final IdleTimeout idle = IdleTimeout.losingConnection(clock, this);
 *     public void connectionMade() { idle.setTimeout(30); }
 *     public void lineReceived(byte[] line) { idle.resetTimeout(); ... }
 *     public void connectionLost(Throwable reason) { idle.cancelTimeout(); }
 * }
 * }</pre>
 *
 * <p>As in Twisted: {@link #setTimeout(double)} starts (or moves) the countdown and returns the previous period;
 * {@link #resetTimeout()} restarts a running countdown and does nothing once it fired or was cancelled; when it
 * fires, the {@code timeoutConnection} action runs once. Reactor thread only (the clock's thread in tests).
 */
public final class IdleTimeout {
    private final ReactorTime clock;
    private final Runnable timeoutConnection;
    private Double period;
    private DelayedCall call;

    /**
     * An idle timeout with its own action on expiry.
     *
     * @param clock             the time source: the reactor, or a {@code Clock} in tests
     * @param timeoutConnection what to do when it fires (Twisted's {@code timeoutConnection})
     * @throws NullPointerException if an argument is null
     */
    public IdleTimeout(ReactorTime clock, Runnable timeoutConnection) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.timeoutConnection = Objects.requireNonNull(timeoutConnection, "timeoutConnection must not be null");
    }

    /**
     * An idle timeout whose expiry calls {@code protocol.transport().loseConnection()}, Twisted's default
     * {@code timeoutConnection}.
     *
     * @param clock    the time source
     * @param protocol the protocol whose connection is closed
     * @return the timeout, not started
     */
    public static IdleTimeout losingConnection(ReactorTime clock, Protocol protocol) {
        Objects.requireNonNull(protocol, "protocol must not be null");
        return new IdleTimeout(clock, () -> protocol.transport().loseConnection());
    }

    /**
     * Sets the period and starts the countdown from now (or restarts a running one with the new period).
     *
     * @param seconds the period, positive
     * @return the previous period, empty if none was set
     * @throws IllegalArgumentException if {@code seconds} is not positive and finite
     */
    public OptionalDouble setTimeout(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be positive and finite, got " + seconds);
        }
        OptionalDouble previous = previous();
        period = seconds;
        if (call != null) {
            call.reset(seconds);
        } else {
            call = clock.callLater(seconds, this::timedOut);
        }
        return previous;
    }

    /**
     * Disables the timeout (Twisted's {@code setTimeout(None)}).
     *
     * @return the previous period, empty if none was set
     */
    public OptionalDouble cancelTimeout() {
        OptionalDouble previous = previous();
        period = null;
        if (call != null) {
            if (call.active()) {
                call.cancel();
            }
            call = null;
        }
        return previous;
    }

    /** Restarts the countdown of a running timeout (call it on activity); does nothing otherwise. */
    public void resetTimeout() {
        if (call != null && period != null) {
            call.reset(period);
        }
    }

    /**
     * The period set, if any (Twisted's {@code timeOut}).
     *
     * @return the period, or empty
     */
    public OptionalDouble getTimeout() {
        return previous();
    }

    /**
     * Whether a countdown is running.
     *
     * @return true between {@link #setTimeout(double)} and expiry or {@link #cancelTimeout()}
     */
    public boolean isActive() {
        return call != null;
    }

    private OptionalDouble previous() {
        return period == null ? OptionalDouble.empty() : OptionalDouble.of(period);
    }

    private void timedOut() {
        call = null;
        timeoutConnection.run();
    }
}
