package dev.weft.compat.net;

import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.Watchdog;
import dev.weft.defer.Deferred;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorNotRestartableException;
import dev.weft.reactor.ReactorNotRunningException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * The networking side of a contract test: runs calls on the reactor thread, waits for conditions with a bounded
 * timeout and a message that says what was awaited and what was seen, and stops the reactor after the test so its
 * sockets are closed. Open it in a try-with-resources block:
 *
 * <pre>{@code
 * try (Net net = Net.open(h)) {
 *     RecordingFactory server = RecordingFactory.echo(net);
 *     ListeningPort port = net.listen(server);
 *     Recorder client = net.connect(port, new Recorder(net, "client"));
 *     net.run(() -> client.transport().write(bytes));
 *     net.await("the echo", () -> client.received() == bytes.length, client::describe);
 * }
 * }</pre>
 *
 * <p>Every wait runs the loop with {@link ReactorHarness#runUntil(Deferred)} (under the harness's watchdog) until a
 * Deferred fires: it fires when the condition holds (checked after each event of a {@link Recorder} made with this
 * {@code Net}, after each {@link #poke()}, and every {@value #POLL_SECONDS} s as a safety net) or fails with an
 * {@link AssertionError} after the timeout ({@value #WAIT_SECONDS} s by default, inside the harness's 5 s). A
 * timed-out wait leaves the loop usable, so {@link #close()} can still stop the reactor.
 *
 * <p>Every method is for the test thread, while the loop is not running, except {@link #poke()} (reactor thread)
 * and {@link #when}, {@link #connecting} (either); conditions and state descriptions are evaluated on the reactor
 * thread, or on the test thread between runs.
 */
public final class Net implements AutoCloseable {
    /** The loopback address every test uses. */
    public static final String LOOPBACK = "127.0.0.1";

    /** The default bound of {@link #await}, below the harness's {@link ReactorHarness#RUN_TIMEOUT}. */
    public static final double WAIT_SECONDS = 4.0;

    /** How often a pending wait re-checks its condition even without a poke. */
    static final double POLL_SECONDS = 0.005;

    /** How long {@link #close()} may take to stop the reactor. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private final ReactorHarness harness;
    private final Reactor reactor;
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean stopped;

    private Net(ReactorHarness harness) {
        this.harness = Objects.requireNonNull(harness, "harness");
        this.reactor = harness.reactor();
    }

    /**
     * Starts networking on the harness's default reactor.
     *
     * @param h the harness
     * @return the helper; close it at the end of the test
     */
    public static Net open(ReactorHarness h) {
        return new Net(h);
    }

    /**
     * The reactor under test.
     *
     * @return the harness's default reactor
     */
    public Reactor reactor() {
        return reactor;
    }

    /**
     * The harness.
     *
     * @return the harness
     */
    public ReactorHarness harness() {
        return harness;
    }

    // ---------------------------------------------------------------- running things on the loop

    /** A call made on the reactor thread. */
    @FunctionalInterface
    public interface LoopCall<T> {
        /**
         * Runs on the reactor thread.
         *
         * @return a value handed back to the test thread
         * @throws Exception handed back to the test thread
         */
        T call() throws Exception;
    }

    /** A call with no result made on the reactor thread. */
    @FunctionalInterface
    public interface LoopAction {
        /**
         * Runs on the reactor thread.
         *
         * @throws Exception handed back to the test thread
         */
        void run() throws Exception;
    }

    /**
     * Runs {@code body} on the reactor thread (in a {@code callLater(0)}) and returns what it returned, or throws
     * what it threw, as it is: {@code assertThrows(X.class, () -> net.call(...))} checks a synchronous exception.
     *
     * @param body the call
     * @param <T>  its result type
     * @return its result
     * @throws Exception what it threw
     */
    public <T> T call(LoopCall<T> body) throws Exception {
        Deferred<T> d = new Deferred<>();
        reactor.callLater(0, () -> {
            T value;
            try {
                value = body.call();
            } catch (Throwable t) {
                d.errback(t);
                return;
            }
            d.callback(value);
        });
        return harness.runUntil(d);
    }

    /**
     * Runs {@code body} on the reactor thread; see {@link #call(LoopCall)}.
     *
     * @param body the action
     * @throws Exception what it threw
     */
    public void run(LoopAction body) throws Exception {
        call(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs {@code passes} passes of the loop: a chain of {@code callLater(0)} calls, each made inside the previous
     * one, so each runs in a pass of its own, after a poll for I/O. For "nothing happens for a while" checks that
     * must not depend on time.
     *
     * @param passes how many, at least 1
     * @throws Exception if the loop fails
     */
    public void passes(int passes) throws Exception {
        Deferred<Void> d = new Deferred<>();
        int[] left = {passes};
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            if (--left[0] <= 0) {
                d.callback(null);
            } else {
                reactor.callLater(0, step[0]);
            }
        };
        reactor.callLater(0, step[0]);
        harness.runUntil(d);
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Re-checks the pending waits now. {@link Recorder}s made with this {@code Net} call it after each event; call
     * it from other callbacks whose effect a wait is looking for (it is also re-checked every few milliseconds).
     * Reactor thread only.
     */
    public void poke() {
        if (waiters.isEmpty()) {
            return;
        }
        for (Waiter w : new ArrayList<>(waiters)) {
            w.check();
        }
    }

    /**
     * Runs the loop until {@code done} holds, for at most {@link #WAIT_SECONDS}.
     *
     * @param what  what is awaited, for the failure message ("the client to receive 10 MiB")
     * @param done  the condition, evaluated on the reactor thread
     * @param state describes what was seen, for the failure message
     * @throws AssertionError if the condition does not hold in time
     * @throws Exception      if the loop fails
     */
    public void await(String what, BooleanSupplier done, Supplier<String> state) throws Exception {
        await(what, done, state, WAIT_SECONDS);
    }

    /**
     * Runs the loop until {@code done} holds, for at most {@code seconds}.
     *
     * @param what    what is awaited
     * @param done    the condition
     * @param state   describes what was seen
     * @param seconds the bound; keep it below the harness's 5 s
     * @throws AssertionError if the condition does not hold in time
     * @throws Exception      if the loop fails
     */
    public void await(String what, BooleanSupplier done, Supplier<String> state, double seconds) throws Exception {
        if (done.getAsBoolean()) {
            return;
        }
        Deferred<Void> d = new Deferred<>();
        Waiter w = new Waiter(what, done, state, seconds, d);
        reactor.callLater(0, w::arm);
        harness.runUntil(d);
    }

    /**
     * A Deferred that fires when {@code done} holds (or fails after {@code seconds}); for composing waits.
     * Call it on the reactor thread, or on the test thread while the loop is not running.
     *
     * @param what    what is awaited
     * @param done    the condition
     * @param state   describes what was seen
     * @param seconds the bound
     * @return the Deferred
     */
    public Deferred<Void> when(String what, BooleanSupplier done, Supplier<String> state, double seconds) {
        Deferred<Void> d = new Deferred<>();
        Waiter w = new Waiter(what, done, state, seconds, d);
        reactor.callLater(0, w::arm);
        return d;
    }

    private final class Waiter {
        private final String what;
        private final BooleanSupplier done;
        private final Supplier<String> state;
        private final double seconds;
        private final Deferred<Void> d;
        private dev.weft.reactor.DelayedCall timeout;
        private dev.weft.reactor.DelayedCall poll;
        private double started;
        private boolean over;

        Waiter(String what, BooleanSupplier done, Supplier<String> state, double seconds, Deferred<Void> d) {
            this.what = what;
            this.done = done;
            this.state = state;
            this.seconds = seconds;
            this.d = d;
        }

        void arm() {
            started = reactor.seconds();
            waiters.add(this);
            timeout = reactor.callLater(seconds, this::expire);
            schedulePoll();
            check();
        }

        private void schedulePoll() {
            poll = reactor.callLater(POLL_SECONDS, () -> {
                poll = null;
                check();
                if (!over) {
                    schedulePoll();
                }
            });
        }

        void check() {
            if (over) {
                return;
            }
            boolean ok;
            try {
                ok = done.getAsBoolean();
            } catch (Throwable t) {
                finish();
                d.errback(new AssertionError("checking whether " + what + " failed", t));
                return;
            }
            if (ok) {
                finish();
                d.callback(null);
            }
        }

        private void expire() {
            if (over) {
                return;
            }
            timeout = null;
            finish();
            String seen;
            try {
                seen = state.get();
            } catch (Throwable t) {
                seen = "(describing the state failed: " + t + ")";
            }
            d.errback(new AssertionError(String.format("timed out after %.1f s waiting for %s; seen: %s",
                    reactor.seconds() - started, what, seen)));
        }

        private void finish() {
            over = true;
            waiters.remove(this);
            if (timeout != null && timeout.active()) {
                timeout.cancel();
            }
            if (poll != null && poll.active()) {
                poll.cancel();
            }
        }
    }

    // ---------------------------------------------------------------- TCP shortcuts

    /**
     * Listens with {@code listenTCP(0, factory, 50, "127.0.0.1")} on the reactor thread.
     *
     * @param factory the server factory
     * @return the port
     * @throws Exception what listenTCP threw
     */
    public ListeningPort listen(Factory factory) throws Exception {
        return call(() -> reactor.listenTCP(0, factory, 50, LOOPBACK));
    }

    /**
     * Connects {@code client} to the port (on 127.0.0.1) and runs the loop until its {@code connectionMade}.
     *
     * @param port   the listening port
     * @param client the client protocol
     * @param <P>    its type
     * @return {@code client}, connected
     * @throws AssertionError if the connection failed or was not made in time
     * @throws Exception      if the loop fails
     */
    public <P extends Recorder> P connect(ListeningPort port, P client) throws Exception {
        return connect(LOOPBACK, port.getHost().getPort(), client);
    }

    /**
     * Connects {@code client} to {@code host:port} with {@code connectTCP} and runs the loop until its
     * {@code connectionMade}.
     *
     * @param host   the host
     * @param port   the port
     * @param client the client protocol
     * @param <P>    its type
     * @return {@code client}, connected
     * @throws AssertionError if the connection failed or was not made in time
     * @throws Exception      if the loop fails
     */
    public <P extends Recorder> P connect(String host, int port, P client) throws Exception {
        RecordingClientFactory f = RecordingClientFactory.of(this, client);
        return harness.runUntil(connecting(f, client, () -> reactor.connectTCP(host, port, f)));
    }

    /**
     * Connects {@code client}, built by {@code factory}, with {@code connect} (which calls {@code connectTCP} or
     * {@code connectSSL} with that factory) and runs the loop until its {@code connectionMade}.
     *
     * @param factory the client factory that builds {@code client}
     * @param client  the protocol
     * @param connect the call, made on the reactor thread
     * @param <P>     the protocol type
     * @return {@code client}, connected
     * @throws AssertionError if the connection failed or was not made in time
     * @throws Exception      if the loop fails, or what {@code connect} threw
     */
    public <P extends Recorder> P connect(RecordingClientFactory factory, P client, LoopCall<Connector> connect)
            throws Exception {
        return harness.runUntil(connecting(factory, client, connect));
    }

    /**
     * Starts connecting (on the reactor thread, in a {@code callLater(0)}) with {@code connect}, which must make
     * the connection with {@code factory}; the Deferred fires with {@code client} at its {@code connectionMade}, or
     * fails with an AssertionError that gives the reason when the factory gets {@code clientConnectionFailed}, or
     * when {@link #WAIT_SECONDS} pass. The "connect and wait" helper; {@link #connect} runs the loop until it fires.
     *
     * @param factory the client factory that builds {@code client}
     * @param client  the protocol
     * @param connect calls {@code connectTCP} or {@code connectSSL}
     * @param <P>     the protocol type
     * @return the Deferred
     */
    public <P extends Recorder> Deferred<P> connecting(RecordingClientFactory factory, P client,
            LoopCall<Connector> connect) {
        Deferred<P> result = new Deferred<>();
        reactor.callLater(0, () -> {
            try {
                connect.call();
            } catch (Throwable t) {
                result.errback(t);
                return;
            }
            when("the connection of " + client.name() + " to be made",
                    () -> client.madeCount() > 0 || !factory.failures().isEmpty(),
                    () -> client.describe() + "; factory: " + factory.describe(), WAIT_SECONDS)
                    .addBoth((ok, failure) -> {
                        if (failure != null) {
                            result.errback(failure);
                        } else if (client.madeCount() > 0) {
                            result.callback(client);
                        } else {
                            result.errback(new AssertionError("the connection of " + client.name()
                                    + " failed: clientConnectionFailed(" + Reasons.describe(factory.failures().get(0))
                                    + ")"));
                        }
                        return null;
                    });
        });
        return result;
    }

    /**
     * Connects a client that the test does not care about except that it is connected.
     *
     * @param port the listening port
     * @return the connected client
     * @throws Exception as {@link #connect(ListeningPort, Recorder)}
     */
    public Recorder connect(ListeningPort port) throws Exception {
        return connect(port, new Recorder(this, "client"));
    }

    /**
     * A client factory whose every protocol is a {@link Recorder} named {@code name}.
     *
     * @param name the protocols' name
     * @return the factory
     */
    public RecordingClientFactory clientFactory(String name) {
        return RecordingClientFactory.of(this, () -> new Recorder(this, name));
    }

    // ---------------------------------------------------------------- addresses

    /**
     * A TCP port on 127.0.0.1 that nothing listens on: bound by a plain {@link ServerSocket} and closed again,
     * independently of the backend. A connection to it is refused.
     *
     * @return the port
     * @throws IOException if no port can be bound
     */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    /**
     * Skips the test (a JUnit assumption) unless a TCP port can be bound on {@code address} here.
     *
     * @param address an IP literal, e.g. {@code "::1"}
     */
    public static void assumeBindable(String address) {
        String why = null;
        try {
            new ServerSocket(0, 1, InetAddress.getByName(address)).close();
        } catch (IOException | RuntimeException e) {
            why = e.toString();
        }
        Assumptions.assumeTrue(why == null, address + " cannot be bound on this machine (" + why
                + "), so this test cannot run here");
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Stops the reactor and runs it until {@code run()} returns (shutdown gives every connection
     * {@code connectionLost} and closes the ports), under a watchdog. For tests of shutdown; {@link #close()} does it
     * too.
     */
    public void stopReactor() {
        stopped = true;
        reactor.callLater(0, reactor::stop);
        Watchdog.guard(reactor, STOP_TIMEOUT.plus(Duration.ofSeconds(1)), "run() until the reactor stops on "
                + harness.variant().name(), reactor::run);
    }

    /**
     * Stops the reactor if the test did not, so that its sockets are closed before the next test. A reactor that
     * does not stop within 2 s is crashed by the watchdog and fails the test.
     */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            reactor.callLater(0, () -> {
                try {
                    reactor.stop();
                } catch (ReactorNotRunningException e) {
                    // stopping already
                }
            });
            Watchdog.guard(reactor, STOP_TIMEOUT, "stopping the reactor after the test on "
                    + harness.variant().name(), reactor::run);
        } catch (ReactorNotRestartableException e) {
            // The test stopped it already.
        }
    }

}
