package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.DelayedCall;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The contract of a listening TCP port ({@code listenTCP}, {@code listenSSL}), written once for every backend: the
 * factory's {@code doStart} when the port is bound and {@code doStop} when it stops, a protocol per accepted
 * connection (a null one closes the connection), TLS in server mode for {@code listenSSL}, and
 * {@link #stopListening()}'s Deferred.
 *
 * <p>A backend binds in its {@code listenTCP} (throwing {@code CannotListenException} if it cannot), then calls
 * {@link #listening()}; it hands each accepted connection, not started, to {@link #accepted(StreamTransport)}, or,
 * when the port {@link #handsOff()} (the one acceptor of a reactor group's UNIX or TCP port), passes the accepted channel
 * itself to {@link #handOff(AcceptedConnection)} without making a transport; it supplies {@link #closePort()} and
 * {@link #getHost()}. When accepting fails, it calls
 * {@link #acceptFailed(Throwable, int, WaitingConnections)}, which logs the failure (at most one line every
 * {@value AcceptFailureLog#INTERVAL_SECONDS} s per port) and, if the process is out of file descriptors, closes the
 * connections that wait with a descriptor the process keeps in reserve (Twisted's {@code test_closePeerOnEMFILE}).
 * Every method runs on the reactor thread.
 *
 * <p>For implementors of backends, not for protocol code.
 */
public abstract class ListeningPortBase implements ListeningPort, ReactorResource {

    private final ReactorBase reactor;
    private final Factory factory;
    private final SSLContext tlsContext;
    /** Where accepted channels go instead of becoming this reactor's connections, or null. */
    private final Consumer<AcceptedConnection> handOff;

    private boolean started;
    private final PortStop stop;
    private final AcceptFailureLog failures = new AcceptFailureLog();
    private DelayedCall failureReport;
    private Runnable afterClose;

    /**
     * Creates the shared part of a port.
     *
     * @param reactor    the reactor
     * @param factory    the factory of the port's protocols
     * @param tlsContext the TLS context for {@code listenSSL}, or null for plain TCP
     */
    protected ListeningPortBase(ReactorBase reactor, Factory factory, SSLContext tlsContext) {
        this(reactor, factory, tlsContext, null);
    }

    /**
     * Creates the shared part of a port that may hand its accepted connections on instead of serving them.
     *
     * @param reactor    the reactor
     * @param factory    the factory of the port's protocols (started and stopped with the port in any case)
     * @param tlsContext the TLS context for {@code listenSSL}, or null for plain TCP
     * @param handOff    where the accepted connections go ({@link #handOff(AcceptedConnection)}), on the reactor
     *                   thread; null for a port that serves its connections itself
     */
    protected ListeningPortBase(ReactorBase reactor, Factory factory, SSLContext tlsContext,
            Consumer<AcceptedConnection> handOff) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
        this.tlsContext = tlsContext;
        this.handOff = handOff;
        // What doStop throws fails stopListening's Deferred (Twisted's Port.connectionLost); logged at shutdown.
        this.stop = new PortStop(reactor, this, this::closeAndReport, () -> {
            if (started) {
                factory.doStop();
            }
        }, "in stopFactory of " + factory);
    }

    /**
     * Closes the listening socket, releasing the port before returning. Connections accepted earlier stay open.
     */
    protected abstract void closePort();

    /**
     * The port is bound: starts the factory ({@code doStart}; an exception is logged) and registers the port to be
     * closed at reactor shutdown.
     */
    protected final void listening() {
        if (started) {
            throw new IllegalStateException("listening() was called already");
        }
        started = true;
        // The first listening port of the process takes the descriptor that acceptFailed uses; if none is left now,
        // acceptFailed tries again.
        DescriptorReserve.take();
        reactor.register(this);
        try {
            factory.doStart();
        } catch (Throwable t) {
            reactor.logError("in startFactory of " + factory, t);
        }
    }

    /**
     * A connection was accepted: builds its protocol with the factory and starts the transport, or closes the
     * connection if the port has stopped, or if {@code buildProtocol} returns null or throws (logged).
     *
     * @param t the connection, not started
     */
    protected final void accepted(StreamTransport t) {
        if (failures.isFailing()) {
            failures.accepted();
            DescriptorReserve.take();
        }
        if (stop.isStopped()) {
            t.reject();
            return;
        }
        Protocol p = t.buildProtocolWith(factory);
        if (p == null) {
            t.reject();
            return;
        }
        if (tlsContext != null) {
            t.startTls(tlsContext, false, false);
        }
        t.start(p);
    }

    /**
     * Whether this port hands its accepted connections on ({@link #handOff(AcceptedConnection)}) instead of making
     * them connections of its reactor ({@link #accepted(StreamTransport)}). Any thread.
     *
     * @return whether accepted channels go to {@link #handOff(AcceptedConnection)}
     */
    protected final boolean handsOff() {
        return handOff != null;
    }

    /**
     * A connection was accepted by a port that {@link #handsOff()}: passes it on, unregistered, to the reactor that
     * will own it, or closes it if the port has stopped. What the hand-off throws is logged and the connection
     * closed. Reactor thread.
     *
     * @param c the accepted connection
     * @throws IllegalStateException if this port does not hand its connections on
     */
    protected final void handOff(AcceptedConnection c) {
        if (handOff == null) {
            c.close();
            throw new IllegalStateException("this port serves its connections itself: call accepted()");
        }
        if (failures.isFailing()) {
            failures.accepted();
            DescriptorReserve.take();
        }
        if (stop.isStopped()) {
            c.close();
            return;
        }
        try {
            handOff.accept(c);
        } catch (Throwable t) {
            c.close();
            reactor.logError("while handing on a connection accepted on " + getHost(), t);
        }
    }

    /**
     * How a backend accepts one connection waiting on its listening socket and closes it at once, without building a
     * protocol: what a port does with the connections it cannot serve for lack of file descriptors.
     */
    @FunctionalInterface
    protected interface WaitingConnections {
        /**
         * Accepts one waiting connection and closes it at once; an abortive close (a reset) is fine.
         *
         * @return whether a connection was waiting
         * @throws IOException if accepting failed
         */
        boolean acceptAndClose() throws IOException;
    }

    /**
     * Accepting a connection failed: logs the failure, rate-limited (the first failure with its stack trace, then at
     * most one line every {@value AcceptFailureLog#INTERVAL_SECONDS} s with the failures and closed connections
     * counted since), and, if the process (or the system) is out of file descriptors ({@code EMFILE} or
     * {@code ENFILE}, "Too many open files"), closes up to {@code max} waiting connections: for each, the reserved
     * descriptor is released, {@code waiting} accepts one connection and closes it, and the reserve is taken back.
     * Their peers see the connection reset at once instead of hanging in the listen backlog.
     *
     * <p>Returns true when the port may go on accepting as usual (the connections still waiting, if any, are closed
     * at the next failure); false when it must stop accepting for a while, so that its loop does not spin on a
     * listening socket that stays ready: the failure is not about descriptors, the reserve could not be taken, or an
     * accept with the reserve released failed. Never throws but for bad arguments.
     *
     * @param cause   the failure of the accept
     * @param max     the most waiting connections to close now, at least 1 (the port's accepts per pass)
     * @param waiting accepts one waiting connection and closes it
     * @return whether accepting may go on at once
     * @throws NullPointerException     if {@code cause} or {@code waiting} is null
     * @throws IllegalArgumentException if {@code max} is not positive
     */
    protected final boolean acceptFailed(Throwable cause, int max, WaitingConnections waiting) {
        Objects.requireNonNull(cause, "cause must not be null");
        Objects.requireNonNull(waiting, "waiting must not be null");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        boolean outOfDescriptors = DescriptorReserve.isOutOfDescriptors(cause);
        double now = reactor.seconds();
        switch (failures.failed(now, cause)) {
            case STACK -> reactor.logError("while accepting a connection on " + getHost() + (outOfDescriptors
                    ? " (out of file descriptors: waiting connections are closed"
                    : " (accepting again shortly") + "; further failures are reported at most every "
                    + (int) AcceptFailureLog.INTERVAL_SECONDS + " s)", cause);
            case SUMMARY -> logSummary(now);
            case COUNT -> { }
        }
        boolean goOn = false;
        if (outOfDescriptors && !stop.isStopped()) {
            try {
                DescriptorReserve.Shed shed = DescriptorReserve.shed(max, waiting);
                failures.closed(shed.closed());
                goOn = shed.canGoOn();
                if (shed.failure() != null) {
                    ReactorBase.LOG.debug("while closing a connection waiting on {} [reactor {}]", getHost(),
                            reactor.backendName(), shed.failure());
                }
            } catch (RuntimeException e) {
                reactor.logError("while closing the connections waiting on " + getHost(), e);
            }
        }
        scheduleReport();
        return goOn;
    }

    private void scheduleReport() {
        if (failureReport != null || !failures.hasUnreported() || stop.isStopped()) {
            return;
        }
        try {
            failureReport = reactor.callLater(Math.max(0, failures.nextLineAt() - reactor.seconds()), () -> {
                failureReport = null;
                if (failures.hasUnreported()) {
                    logSummary(reactor.seconds());
                }
            });
        } catch (RuntimeException e) {
            // cannot happen on the reactor thread; the counts are reported with the next line
        }
    }

    private void logSummary(double now) {
        String summary = failures.summary(now);
        try {
            ReactorBase.LOG.error("Unhandled error while accepting connections on {}: {} [reactor {}]", getHost(),
                    summary, reactor.backendName());
        } catch (Throwable ignored) {
            // a broken logger must not stop the loop
        }
    }

    private void closeAndReport() {
        if (failureReport != null) {
            failureReport.cancel();
            failureReport = null;
        }
        if (failures.hasUnreported()) {
            logSummary(reactor.seconds());
        }
        closePort();
        if (afterClose != null) {
            Runnable r = afterClose;
            afterClose = null;
            r.run();
        }
    }

    /**
     * Sets what runs once the listening socket is closed (a UNIX port's removal of its socket file). Reactor thread.
     *
     * @param r what to run; it must not throw
     */
    final void afterClose(Runnable r) {
        afterClose = r;
    }

    /**
     * Whether {@link #stopListening()} was called (or the reactor shut down).
     *
     * @return whether the port is stopped
     */
    protected final boolean isStopped() {
        return stop.isStopped();
    }

    @Override
    public final Deferred<Void> stopListening() {
        return stop.stop();
    }

    @Override
    public final void reactorShutdown(ConnectionLost reason) {
        stop.shutdown();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + getHost() + (stop.isStopped() ? ", stopped" : "") + "]";
    }

    /**
     * Accepts one connection waiting on {@code server} and resets it at once ({@code SO_LINGER} 0, then close): how
     * a port that is out of file descriptors closes what it cannot serve, inside the call that
     * {@code acceptFailed} makes with the reserved descriptor released. Called on the reactor thread.
     *
     * @param server a non-blocking listening channel
     * @return whether a connection was waiting
     * @throws IOException if the accept fails
     */
    public static boolean acceptAndReset(ServerSocketChannel server) throws IOException {
        SocketChannel c = server.accept();
        if (c == null) {
            return false;
        }
        try {
            c.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException e) {
            // reset by the peer already: a plain close will do
        } finally {
            c.close();
        }
        return true;
    }
}
