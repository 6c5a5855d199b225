package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The contract of a listening TCP port ({@code listenTCP}, {@code listenSSL}), written once for every backend: the
 * factory's {@code doStart} when the port is bound and {@code doStop} when it stops, a protocol per accepted
 * connection (a null one closes the connection), TLS in server mode for {@code listenSSL}, and
 * {@link #stopListening()}'s Deferred.
 *
 * <p>A backend binds in its {@code listenTCP} (throwing {@code CannotListenException} if it cannot), then calls
 * {@link #listening()}; it hands each accepted connection, not started, to {@link #accepted(StreamTransport)}; it
 * supplies {@link #closePort()} and {@link #getHost()}. Every method runs on the reactor thread.
 *
 * <p>For implementors of backends, not for protocol code.
 */
public abstract class ListeningPortBase implements ListeningPort, ReactorResource {

    private final ReactorBase reactor;
    private final Factory factory;
    private final SSLContext tlsContext;

    private boolean started;
    private final PortStop stop;

    /**
     * Creates the shared part of a port.
     *
     * @param reactor    the reactor
     * @param factory    the factory of the port's protocols
     * @param tlsContext the TLS context for {@code listenSSL}, or null for plain TCP
     */
    protected ListeningPortBase(ReactorBase reactor, Factory factory, SSLContext tlsContext) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
        this.tlsContext = tlsContext;
        this.stop = new PortStop(reactor, this, this::closePort, () -> {
            if (started) {
                try {
                    factory.doStop();
                } catch (Throwable t) {
                    reactor.logError("in stopFactory of " + factory, t);
                }
            }
        });
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
        if (stop.isStopped()) {
            t.reject();
            return;
        }
        Protocol p;
        try {
            p = factory.buildProtocol(t.getPeer());
        } catch (Throwable e) {
            reactor.logError("in buildProtocol of " + factory, e);
            p = null;
        }
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


}
