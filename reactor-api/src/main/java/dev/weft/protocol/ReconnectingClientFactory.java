package dev.weft.protocol;

import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import dev.weft.reactor.internal.Loggers;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * A {@link ClientFactory} that connects again, with exponential backoff, whenever a connection fails or is lost
 * (Twisted's {@code ReconnectingClientFactory}).
 *
 * <p>Each {@link #retry(Connector)} multiplies the current delay by {@link #getFactor()} (capped at
 * {@link #getMaxDelay()}), then draws the next delay from a normal distribution centred on it with standard
 * deviation {@code delay * jitter} (never below 0), and schedules {@code connector.connect()} that many seconds
 * later on the {@link ReactorTime} given to the constructor. The jittered value is the base of the next step. After
 * {@link #getMaxRetries()} retries (unlimited by default) it gives up. A protocol should call
 * {@link #resetDelay()} once its connection is known to be good (often in {@code connectionMade}), so that the next
 * loss starts again from {@link #getInitialDelay()}. {@link #stopTrying()} cancels a pending retry and ends the
 * cycle.
 *
 * <p>Defaults are Twisted's: initial delay 1 s, maximum delay 3600 s, factor <i>e</i>, jitter 0.119626565582, no
 * limit on retries.
 *
 * <p>Every method is called on the reactor thread (or the thread that drives a test {@code Clock}); the retries
 * run there too. Subclasses that override {@link #clientConnectionFailed(Connector, Throwable)} or
 * {@link #clientConnectionLost(Connector, Throwable)} must call {@code super} to keep reconnecting.
 */
public class ReconnectingClientFactory extends ClientFactory {

    private static final Logger LOG = Loggers.get(ReconnectingClientFactory.class);

    /** Twisted's default initial delay, in seconds. */
    public static final double DEFAULT_INITIAL_DELAY = 1.0;
    /** Twisted's default maximum delay, in seconds. */
    public static final double DEFAULT_MAX_DELAY = 3600;
    /** Twisted's default growth factor, <i>e</i>. */
    public static final double DEFAULT_FACTOR = Math.E;
    /** Twisted's default jitter: the standard deviation of a delay, as a fraction of it. */
    public static final double DEFAULT_JITTER = 0.119626565582;

    private final ReactorTime clock;
    private final Random random;

    private double initialDelay = DEFAULT_INITIAL_DELAY;
    private double maxDelay = DEFAULT_MAX_DELAY;
    private double factor = DEFAULT_FACTOR;
    private double jitter = DEFAULT_JITTER;
    private int maxRetries = -1;

    private double delay = DEFAULT_INITIAL_DELAY;
    private int retries;
    private boolean continueTrying = true;
    private Connector connector;
    private DelayedCall pendingRetry;

    /**
     * A reconnecting factory whose protocols come from {@code protocolSupplier}, timed by {@code clock}.
     *
     * @param clock            the clock the retries are scheduled on (the reactor, or a {@code Clock} in tests)
     * @param protocolSupplier makes one protocol per connection
     * @throws NullPointerException if an argument is null
     */
    public ReconnectingClientFactory(ReactorTime clock, Supplier<? extends Protocol> protocolSupplier) {
        this(clock, protocolSupplier, new Random());
    }

    /**
     * A reconnecting factory with its source of jitter, for tests.
     *
     * @param clock            the clock the retries are scheduled on
     * @param protocolSupplier makes one protocol per connection
     * @param random           where the jitter comes from ({@link Random#nextGaussian()})
     * @throws NullPointerException if an argument is null
     */
    public ReconnectingClientFactory(ReactorTime clock, Supplier<? extends Protocol> protocolSupplier,
            Random random) {
        super(protocolSupplier);
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.random = Objects.requireNonNull(random, "random must not be null");
    }

    /**
     * For subclasses that override {@link #buildProtocol(java.net.InetSocketAddress)}.
     *
     * @param clock  the clock the retries are scheduled on
     * @param random where the jitter comes from
     * @throws NullPointerException if an argument is null
     */
    protected ReconnectingClientFactory(ReactorTime clock, Random random) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.random = Objects.requireNonNull(random, "random must not be null");
    }

    /**
     * Retries, unless {@link #stopTrying()} was called. Called on the reactor thread.
     *
     * @param connector the connector that failed
     * @param reason    why
     */
    @Override
    public void clientConnectionFailed(Connector connector, Throwable reason) {
        if (continueTrying) {
            this.connector = connector;
            retry();
        }
    }

    /**
     * Retries, unless {@link #stopTrying()} was called. Called on the reactor thread.
     *
     * @param connector the connector whose connection ended
     * @param reason    why
     */
    @Override
    public void clientConnectionLost(Connector connector, Throwable reason) {
        if (continueTrying) {
            this.connector = connector;
            retry();
        }
    }

    /**
     * Schedules another attempt with the connector of the last failure or loss; see {@link #retry(Connector)}.
     *
     * @throws IllegalStateException if no connector is known yet
     */
    public void retry() {
        if (!continueTrying) {
            LOG.debug("Abandoning reconnection on explicit request");
            return;
        }
        if (connector == null) {
            throw new IllegalStateException("no connector to retry");
        }
        retry(connector);
    }

    /**
     * Schedules {@code connector.connect()} after the next delay, unless {@link #stopTrying()} was called or the
     * maximum number of retries is used up (then it does nothing). Counts one retry and grows the delay.
     *
     * @param connector the connector to connect again
     * @throws NullPointerException if {@code connector} is null
     */
    public void retry(Connector connector) {
        Objects.requireNonNull(connector, "connector must not be null");
        if (!continueTrying) {
            LOG.debug("Abandoning {} on explicit request", connector);
            return;
        }
        retries++;
        if (maxRetries >= 0 && retries > maxRetries) {
            LOG.info("Abandoning {} after {} retries", connector, retries - 1);
            return;
        }
        delay = Math.min(delay * factor, maxDelay);
        if (jitter != 0) {
            delay = Math.max(0, delay + random.nextGaussian() * delay * jitter);
        }
        LOG.debug("Will retry {} in {} seconds", connector, delay);
        pendingRetry = clock.callLater(delay, () -> {
            pendingRetry = null;
            connector.connect();
        });
    }

    /**
     * Stops reconnecting: cancels the pending retry, if any, and the connection attempt in progress, if any. A later
     * {@link #resetDelay()} starts the cycle again.
     */
    public void stopTrying() {
        if (pendingRetry != null) {
            if (pendingRetry.active()) {
                pendingRetry.cancel();
            }
            pendingRetry = null;
        }
        continueTrying = false;
        if (connector != null) {
            try {
                connector.stopConnecting();
            } catch (NotConnectingException ignored) {
                // nothing in progress: fine
            }
        }
    }

    /**
     * Starts the backoff over: the delay goes back to the initial delay, the retry count to 0, and the factory
     * tries again after {@link #stopTrying()}. Call it once a connection is good. It does not cancel a pending retry.
     */
    public void resetDelay() {
        delay = initialDelay;
        retries = 0;
        pendingRetry = null;
        continueTrying = true;
    }

    /**
     * The delay of the last retry scheduled, or the initial delay before any.
     *
     * @return the current delay, in seconds
     */
    public double getDelay() {
        return delay;
    }

    /**
     * How many retries have been counted since the start or the last {@link #resetDelay()}.
     *
     * @return the count
     */
    public int getRetries() {
        return retries;
    }

    /**
     * Whether the factory will reconnect: true until {@link #stopTrying()}, again after {@link #resetDelay()}.
     *
     * @return whether it keeps trying
     */
    public boolean isTrying() {
        return continueTrying;
    }

    /**
     * The retry waiting to run.
     *
     * @return the scheduled call, or null when none is pending
     */
    public DelayedCall getPendingRetry() {
        return pendingRetry;
    }

    /**
     * The connector of the last failure or loss.
     *
     * @return the connector, or null before any
     */
    public Connector getConnector() {
        return connector;
    }

    /**
     * The delay the backoff starts from.
     *
     * @return the initial delay, in seconds (default 1.0)
     */
    public double getInitialDelay() {
        return initialDelay;
    }

    /**
     * Sets the delay the backoff starts from, and the current delay with it.
     *
     * @param seconds the initial delay: finite and not negative
     * @throws IllegalArgumentException if {@code seconds} is negative, NaN or infinite
     */
    public void setInitialDelay(double seconds) {
        this.initialDelay = checkSeconds(seconds, "seconds");
        this.delay = initialDelay;
    }

    /**
     * The cap on the delay before jitter.
     *
     * @return the maximum delay, in seconds (default 3600)
     */
    public double getMaxDelay() {
        return maxDelay;
    }

    /**
     * Sets the cap on the delay (applied before jitter, as in Twisted).
     *
     * @param seconds the maximum delay: finite and not negative
     * @throws IllegalArgumentException if {@code seconds} is negative, NaN or infinite
     */
    public void setMaxDelay(double seconds) {
        this.maxDelay = checkSeconds(seconds, "seconds");
    }

    /**
     * How much the delay grows per retry.
     *
     * @return the factor (default <i>e</i>)
     */
    public double getFactor() {
        return factor;
    }

    /**
     * Sets how much the delay grows per retry.
     *
     * @param factor the factor: finite and positive
     * @throws IllegalArgumentException if {@code factor} is not positive, NaN or infinite
     */
    public void setFactor(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be finite and positive, got " + factor);
        }
        this.factor = factor;
    }

    /**
     * The standard deviation of each delay, as a fraction of it.
     *
     * @return the jitter (default 0.119626565582)
     */
    public double getJitter() {
        return jitter;
    }

    /**
     * Sets the standard deviation of each delay, as a fraction of it; 0 turns jitter off.
     *
     * @param jitter the jitter: finite and not negative
     * @throws IllegalArgumentException if {@code jitter} is negative, NaN or infinite
     */
    public void setJitter(double jitter) {
        this.jitter = checkSeconds(jitter, "jitter");
    }

    /**
     * The number of retries after which the factory gives up.
     *
     * @return the limit, or empty for no limit (the default)
     */
    public OptionalInt getMaxRetries() {
        return maxRetries < 0 ? OptionalInt.empty() : OptionalInt.of(maxRetries);
    }

    /**
     * Gives up after {@code maxRetries} retries.
     *
     * @param maxRetries the limit: not negative (0 never retries)
     * @throws IllegalArgumentException if {@code maxRetries} is negative
     */
    public void setMaxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
        }
        this.maxRetries = maxRetries;
    }

    /** Removes the limit on retries. */
    public void clearMaxRetries() {
        this.maxRetries = -1;
    }

    private static double checkSeconds(double value, String name) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and not negative, got " + value);
        }
        return value;
    }
}
