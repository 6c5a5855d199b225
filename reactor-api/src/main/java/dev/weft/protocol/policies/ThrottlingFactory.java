package dev.weft.protocol.policies;

import dev.weft.protocol.Factory;
import dev.weft.protocol.Producer;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits bandwidth and connections (Twisted's {@code ThrottlingFactory}). Once a second, while connections are
 * open, it compares the bytes read (and written) in the last second with the limit; over it, it pauses reading on
 * every connection (and the producers registered on them: writes are throttled only through a producer, as in
 * Twisted) for as long as the excess would take at the limit ({@code bytes / limit - 1} seconds). Beyond
 * {@code maxConnectionCount} open connections, new ones are refused. Reactor thread only.
 */
public final class ThrottlingFactory extends WrappingFactory {
    /** A limit that turns the check off (Twisted's None). */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(ThrottlingFactory.class);

    private final ReactorTime clock;
    private final int maxConnectionCount;
    private final long readLimit;
    private final long writeLimit;
    private int connectionCount;
    private long readThisSecond;
    private long writtenThisSecond;
    private final List<DelayedCall> timers = new ArrayList<>();

    /**
     * Throttles a factory's connections.
     *
     * @param wrappedFactory     the factory of the protocols
     * @param clock              the time source: the reactor, or a {@code Clock} in tests
     * @param maxConnectionCount the most connections at once ({@code Integer.MAX_VALUE}: no cap)
     * @param readLimit          bytes per second read over all connections, or {@link #UNLIMITED}
     * @param writeLimit         bytes per second written over all connections, or {@link #UNLIMITED}
     * @throws IllegalArgumentException naming the argument, if a count or limit is not positive
     */
    public ThrottlingFactory(Factory wrappedFactory, ReactorTime clock, int maxConnectionCount, long readLimit,
            long writeLimit) {
        super(wrappedFactory);
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        if (maxConnectionCount < 1) {
            throw new IllegalArgumentException("maxConnectionCount must be at least 1, got " + maxConnectionCount);
        }
        if (readLimit < 1) {
            throw new IllegalArgumentException("readLimit must be positive (or UNLIMITED), got " + readLimit);
        }
        if (writeLimit < 1) {
            throw new IllegalArgumentException("writeLimit must be positive (or UNLIMITED), got " + writeLimit);
        }
        this.maxConnectionCount = maxConnectionCount;
        this.readLimit = readLimit;
        this.writeLimit = writeLimit;
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
        if (connectionCount == 0) {
            if (readLimit != UNLIMITED) {
                checkReadBandwidth();
            }
            if (writeLimit != UNLIMITED) {
                checkWriteBandwidth();
            }
        }
        if (connectionCount >= maxConnectionCount) {
            LOG.info("Max connection count reached on {}: connection from {} refused", this, address);
            return null;
        }
        Protocol p = super.buildProtocol(address);
        if (p != null) {
            connectionCount++;
        }
        return p;
    }

    @Override
    protected ProtocolWrapper wrap(Protocol wrappedProtocol) {
        return new ThrottlingProtocol(this, wrappedProtocol);
    }

    @Override
    protected void unregisterProtocol(ProtocolWrapper p) {
        super.unregisterProtocol(p);
        connectionCount--;
        if (connectionCount == 0) {
            for (DelayedCall c : timers) {
                if (c.active()) {
                    c.cancel();
                }
            }
            timers.clear();
        }
    }

    /**
     * The connections counted now.
     *
     * @return the count
     */
    public int connectionCount() {
        return connectionCount;
    }

    private void later(double seconds, Runnable f) {
        timers.removeIf(c -> !c.active());
        timers.add(clock.callLater(seconds, f));
    }

    private void checkReadBandwidth() {
        if (readThisSecond > readLimit) {
            throttle(Direction.READ, true);
            later((double) readThisSecond / readLimit - 1.0, () -> throttle(Direction.READ, false));
        }
        readThisSecond = 0;
        later(1, this::checkReadBandwidth);
    }

    private void checkWriteBandwidth() {
        if (writtenThisSecond > writeLimit) {
            throttle(Direction.WRITE, true);
            later((double) writtenThisSecond / writeLimit - 1.0, () -> throttle(Direction.WRITE, false));
        }
        writtenThisSecond = 0;
        later(1, this::checkWriteBandwidth);
    }

    /** Which way bytes flow. */
    private enum Direction {
        READ, WRITE
    }

    private void throttle(Direction direction, boolean on) {
        LOG.debug("{} {} on {}", on ? "Throttling" : "Stopped throttling", direction, this);
        for (ProtocolWrapper w : List.copyOf(protocols())) {
            ThrottlingProtocol p = (ThrottlingProtocol) w;
            if (direction == Direction.READ) {
                if (on) {
                    p.transport().pauseProducing();
                } else {
                    p.transport().resumeProducing();
                }
            } else {
                p.throttleWrites(on);
            }
        }
    }

    /** Counts the bytes each way and remembers the producer, for the factory's throttling. */
    private static final class ThrottlingProtocol extends ProtocolWrapper {
        private final ThrottlingFactory factory;
        private Producer producer;

        ThrottlingProtocol(ThrottlingFactory factory, Protocol wrapped) {
            super(factory, wrapped);
            this.factory = factory;
        }

        @Override
        public void write(byte[] data) {
            factory.writtenThisSecond += data.length;
            super.write(data);
        }

        @Override
        public void writeSequence(List<byte[]> data) {
            for (byte[] chunk : data) {
                factory.writtenThisSecond += chunk.length;
            }
            super.writeSequence(data);
        }

        @Override
        public void dataReceived(byte[] data) {
            factory.readThisSecond += data.length;
            super.dataReceived(data);
        }

        @Override
        public void registerProducer(Producer p, boolean streaming) {
            super.registerProducer(p, streaming);
            this.producer = p;
        }

        @Override
        public void unregisterProducer() {
            producer = null;
            super.unregisterProducer();
        }

        void throttleWrites(boolean on) {
            if (producer instanceof PushProducer push) {
                if (on) {
                    push.pauseProducing();
                } else {
                    push.resumeProducing();
                }
            } else if (!on && producer instanceof PullProducer pull) {
                pull.resumeProducing();
            }
        }
    }
}
