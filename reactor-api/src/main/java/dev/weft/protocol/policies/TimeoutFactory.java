package dev.weft.protocol.policies;

import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.ReactorTime;
import java.util.Objects;

/**
 * Closes connections that stay idle (Twisted's {@code TimeoutFactory}): each protocol is wrapped, and when neither
 * data arrives nor the protocol writes for {@code timeoutPeriod} seconds, the wrapper calls
 * {@code loseConnection()}. Reactor thread only.
 */
public final class TimeoutFactory extends WrappingFactory {
    /** Twisted's default period: 30 minutes. */
    public static final double DEFAULT_TIMEOUT_PERIOD = 30 * 60;

    private final double timeoutPeriod;
    private final ReactorTime clock;

    /**
     * Wraps a factory.
     *
     * @param wrappedFactory the factory whose protocols time out
     * @param timeoutPeriod  seconds of idleness before the connection is closed, positive
     * @param clock          the time source: the reactor, or a {@code Clock} in tests
     * @throws IllegalArgumentException if {@code timeoutPeriod} is not positive and finite
     */
    public TimeoutFactory(Factory wrappedFactory, double timeoutPeriod, ReactorTime clock) {
        super(wrappedFactory);
        if (!(timeoutPeriod > 0) || Double.isInfinite(timeoutPeriod)) {
            throw new IllegalArgumentException("timeoutPeriod must be positive and finite, got " + timeoutPeriod);
        }
        this.timeoutPeriod = timeoutPeriod;
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    @Override
    protected ProtocolWrapper wrap(Protocol wrappedProtocol) {
        return new TimeoutProtocol(this, wrappedProtocol);
    }

    /** A wrapper with an idle timeout that activity in either direction resets. */
    private static final class TimeoutProtocol extends ProtocolWrapper {
        private final IdleTimeout idle;

        TimeoutProtocol(TimeoutFactory factory, Protocol wrapped) {
            super(factory, wrapped);
            this.idle = new IdleTimeout(factory.clock, this::loseConnection);
            idle.setTimeout(factory.timeoutPeriod);
        }

        @Override
        public void write(byte[] data) {
            idle.resetTimeout();
            super.write(data);
        }

        @Override
        public void writeSequence(java.util.List<byte[]> data) {
            idle.resetTimeout();
            super.writeSequence(data);
        }

        @Override
        public void dataReceived(byte[] data) {
            idle.resetTimeout();
            super.dataReceived(data);
        }

        @Override
        public void connectionLost(Throwable reason) {
            idle.cancelTimeout();
            super.connectionLost(reason);
        }
    }
}
