package dev.weft.application;

import dev.weft.defer.CancelledException;
import dev.weft.defer.Deferred;
import dev.weft.endpoints.ClientEndpoint;
import dev.weft.protocol.Factory;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.Transport;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection up (Twisted's {@code twisted.application.internet.ClientService}): connects through an
 * endpoint, and when the attempt fails or the connection is lost, waits as the {@link RetryPolicy} says (by
 * default Twisted's backoff: 1 s growing by 1.5 up to 60 s, plus up to 1 s of jitter) and connects again, until
 * {@link #stopService()}. The waits are timed with the clock given, so a test drives the service with a
 * {@code Clock} and a {@code MemoryReactor}'s endpoint.
 *
 * <p>Call every method on the reactor thread (the thread of the clock and the endpoint); Deferreds fire on it.
 */
public final class ClientService {

    private static final Logger LOG = LoggerFactory.getLogger(ClientService.class);

    /** Where the service is, Twisted's {@code _ClientMachine} states. */
    private enum State { INIT, CONNECTING, WAITING, CONNECTED, DISCONNECTING, RESTARTING, STOPPED }

    /** A {@link #whenConnected(int)} waiting for a connection. */
    private static final class Waiter {
        final Deferred<Protocol> deferred = new Deferred<>();
        /** Failures still allowed before this waiter gets one; 0 for no limit. */
        int remaining;

        Waiter(int failAfterFailures) {
            this.remaining = failAfterFailures;
        }
    }

    private final ClientEndpoint endpoint;
    private final Factory factory;
    private final ReactorTime clock;
    private final RetryPolicy retryPolicy;

    private State state = State.INIT;
    private boolean running;
    private int failedAttempts;
    private Deferred<Protocol> connecting;
    private DelayedCall retryCall;
    private Protocol current;
    private List<Waiter> waiters = new ArrayList<>();
    private List<Deferred<Void>> stopWaiters = new ArrayList<>();

    /**
     * A service with Twisted's default retry policy, {@link RetryPolicy#backoff()}.
     *
     * @param endpoint where to connect
     * @param factory  makes the protocol of each connection
     * @param clock    times the waits between attempts: the reactor, or a {@code Clock} in tests
     */
    public ClientService(ClientEndpoint endpoint, Factory factory, ReactorTime clock) {
        this(endpoint, factory, clock, RetryPolicy.backoff());
    }

    /**
     * A service with a retry policy of its own.
     *
     * @param endpoint    where to connect
     * @param factory     makes the protocol of each connection
     * @param clock       times the waits between attempts
     * @param retryPolicy the delay before each new attempt
     * @throws NullPointerException if an argument is null
     */
    public ClientService(ClientEndpoint endpoint, Factory factory, ReactorTime clock, RetryPolicy retryPolicy) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint must not be null");
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy must not be null");
    }

    /** Starts connecting (again after a stop). Does nothing when running. Reactor thread. */
    public void startService() {
        if (running) {
            return;
        }
        running = true;
        switch (state) {
            case INIT, STOPPED -> connect();
            case DISCONNECTING -> {
                failedAttempts = 0;
                state = State.RESTARTING;
            }
            default -> { }
        }
    }

    /**
     * Stops: no more attempts; an attempt under way is cancelled, a connection is closed
     * ({@code loseConnection}); waiting {@link #whenConnected()} Deferreds fail with {@link CancelledException}.
     * Reactor thread.
     *
     * @return a Deferred that fires with null once the connection (if any) is closed
     */
    public Deferred<Void> stopService() {
        running = false;
        switch (state) {
            case INIT, STOPPED -> {
                state = State.STOPPED;
                return Deferred.succeed(null);
            }
            case CONNECTING -> {
                state = State.DISCONNECTING;
                Deferred<Void> d = waitForStop();
                connecting.cancel(); // fails the attempt, which finishes the stop
                return d;
            }
            case WAITING -> {
                state = State.STOPPED;
                Deferred<Void> d = waitForStop();
                cancelWaiters();
                retryCall.cancel();
                retryCall = null;
                finishStopping();
                return d;
            }
            case CONNECTED -> {
                state = State.DISCONNECTING;
                Deferred<Void> d = waitForStop();
                current.transport().loseConnection();
                return d;
            }
            case DISCONNECTING -> {
                return waitForStop();
            }
            case RESTARTING -> {
                state = State.DISCONNECTING;
                return waitForStop();
            }
            default -> throw new AssertionError(state);
        }
    }

    /**
     * The connected protocol, or the next one to connect; see {@link #whenConnected(int)}, with no failure limit.
     *
     * @return a Deferred of the protocol
     */
    public Deferred<Protocol> whenConnected() {
        return whenConnected(0);
    }

    /**
     * The connected protocol (a fired Deferred), or the next one to connect. Reactor thread.
     *
     * @param failAfterFailures after how many consecutive failed attempts the Deferred fails with the last
     *                          failure (1: the first failure); 0 for never (it fails only when the service stops)
     * @return a Deferred that fires with the protocol the factory built, or fails with {@link CancelledException}
     *         when the service stops (at once if it is stopped), or with a connection failure as above
     * @throws IllegalArgumentException if {@code failAfterFailures} is negative
     */
    public Deferred<Protocol> whenConnected(int failAfterFailures) {
        if (failAfterFailures < 0) {
            throw new IllegalArgumentException("failAfterFailures must not be negative, got " + failAfterFailures);
        }
        if (state == State.CONNECTED) {
            return Deferred.succeed(current);
        }
        if (state == State.STOPPED) {
            return Deferred.fail(new CancelledException("the service is stopped"));
        }
        Waiter w = new Waiter(failAfterFailures);
        waiters.add(w);
        return w.deferred;
    }

    /**
     * Whether the service is started.
     *
     * @return true between {@link #startService()} and {@link #stopService()}
     */
    public boolean isRunning() {
        return running;
    }

    @Override
    public String toString() {
        return "ClientService[" + endpoint + ", " + state.name().toLowerCase() + "]";
    }

    // ---------------------------------------------------------------- the machine

    private void connect() {
        state = State.CONNECTING;
        Deferred<Protocol> d;
        try {
            d = endpoint.connect(new DisconnectFactory());
        } catch (RuntimeException e) {
            d = Deferred.fail(e);
        }
        connecting = d;
        d.addCallbacks(p -> {
            connectionMade(p instanceof LossNotifier ? ((LossNotifier) p).wrapped : p);
            return null;
        }, e -> {
            connectionFailed(e);
            return null;
        });
    }

    private void connectionMade(Protocol p) {
        connecting = null;
        if (state != State.CONNECTING) {
            return; // not reached: a stop cancels the attempt before it connects
        }
        state = State.CONNECTED;
        failedAttempts = 0;
        current = p;
        List<Waiter> ws = waiters;
        waiters = new ArrayList<>();
        for (Waiter w : ws) {
            w.deferred.callback(p);
        }
    }

    private void connectionFailed(Throwable failure) {
        connecting = null;
        if (state == State.DISCONNECTING) {
            state = State.STOPPED;
            cancelWaiters();
            finishStopping();
            return;
        }
        if (state != State.CONNECTING) {
            return;
        }
        state = State.WAITING;
        scheduleRetry();
        List<Waiter> ready = new ArrayList<>();
        List<Waiter> notReady = new ArrayList<>();
        for (Waiter w : waiters) {
            if (w.remaining == 0) {
                notReady.add(w);
            } else if (w.remaining <= 1) {
                ready.add(w);
            } else {
                w.remaining--;
                notReady.add(w);
            }
        }
        waiters = notReady;
        for (Waiter w : ready) {
            w.deferred.errback(failure);
        }
    }

    private void clientDisconnected() {
        switch (state) {
            case CONNECTED -> {
                current = null;
                state = State.WAITING;
                scheduleRetry();
            }
            case DISCONNECTING -> {
                state = State.STOPPED;
                cancelWaiters();
                finishStopping();
                current = null;
            }
            case RESTARTING -> {
                current = null;
                finishStopping();
                connect();
            }
            default -> { }
        }
    }

    private void scheduleRetry() {
        failedAttempts++;
        double delay = retryPolicy.delaySeconds(failedAttempts);
        LOG.info("Scheduling retry {} to connect {} in {} seconds.", failedAttempts, endpoint, delay);
        retryCall = clock.callLater(delay, () -> {
            retryCall = null;
            if (state == State.WAITING) {
                connect();
            }
        });
    }

    private Deferred<Void> waitForStop() {
        Deferred<Void> d = new Deferred<>();
        stopWaiters.add(d);
        return d;
    }

    private void cancelWaiters() {
        List<Waiter> ws = waiters;
        waiters = new ArrayList<>();
        for (Waiter w : ws) {
            w.deferred.errback(new CancelledException("the service stopped"));
        }
    }

    private void finishStopping() {
        List<Deferred<Void>> ws = stopWaiters;
        stopWaiters = new ArrayList<>();
        for (Deferred<Void> d : ws) {
            d.callback(null);
        }
    }

    /** The factory given to the endpoint: the user's protocols, each told to the service when it is lost. */
    private final class DisconnectFactory extends Factory {
        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            Protocol p = factory.buildProtocol(address);
            if (p == null) {
                return null;
            }
            return p instanceof HalfCloseableProtocol ? new HalfCloseableLossNotifier(p) : new LossNotifier(p);
        }

        @Override
        protected void startFactory() {
            factory.doStart();
        }

        @Override
        protected void stopFactory() {
            factory.doStop();
        }
    }

    /** Forwards every event to the user's protocol and tells the service when the connection is lost. */
    private class LossNotifier extends Protocol {
        final Protocol wrapped;

        LossNotifier(Protocol wrapped) {
            this.wrapped = wrapped;
        }

        @Override
        public void makeConnection(Transport transport) {
            super.makeConnection(transport);
            wrapped.makeConnection(transport);
        }

        @Override
        public void dataReceived(byte[] data) {
            wrapped.dataReceived(data);
        }

        @Override
        public void connectionLost(Throwable reason) {
            try {
                wrapped.connectionLost(reason);
            } finally {
                clientDisconnected();
            }
        }
    }

    /** A {@link LossNotifier} of a protocol that takes half-closes. */
    private final class HalfCloseableLossNotifier extends LossNotifier implements HalfCloseableProtocol {
        HalfCloseableLossNotifier(Protocol wrapped) {
            super(wrapped);
        }

        @Override
        public void readConnectionLost() {
            ((HalfCloseableProtocol) wrapped).readConnectionLost();
        }

        @Override
        public void writeConnectionLost() {
            ((HalfCloseableProtocol) wrapped).writeConnectionLost();
        }
    }
}
