package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectCancelledException;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.protocol.ConnectTimeoutException;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.protocol.Connector;
import dev.weft.protocol.NotConnectingException;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.internal.NetChecks;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The connector of {@code connectTCP}, {@code connectSSL} and {@code connectUNIX}, the same class on every backend: Twisted's order of
 * {@link ClientFactory} callbacks ({@code doStart}, {@code startedConnecting}, then {@code buildProtocol} and the
 * protocol, or {@code clientConnectionFailed}; {@code clientConnectionLost} after the protocol's
 * {@code connectionLost}; {@code doStop} when the connector is left disconnected), the connect timeout, name
 * resolution off the reactor thread, {@code stopConnecting}, retries with {@link #connect()}, TLS, and the life of
 * the pending {@link ConnectionAttempt}: one at a time, cancelled (its socket closed) when it fails, times out, is
 * stopped or the reactor shuts down, and not heard from once it is not the current one.
 *
 * <p>A backend supplies only the attempt: a new {@link ConnectionAttempt} for each try, which opens a non-blocking
 * connection and reports its outcome. Every method runs on the reactor thread.
 *
 * <p>For implementors of backends, not for protocol code.
 */
public final class TcpConnector implements Connector, ReactorResource {

    private enum State { DISCONNECTED, CONNECTING, CONNECTED }

    private final ReactorBase reactor;
    private final String host;
    private final int port;
    private final ClientFactory factory;
    private final double timeoutSeconds;
    private final InetSocketAddress bindAddress;
    private final SSLContext tlsContext;
    private final boolean verifyHostname;
    private final InetAddress literal;
    private final Supplier<? extends ConnectionAttempt> attempts;
    /** For {@code connectUNIX}: the socket's path; null for TCP. */
    private final String unixPath;
    private final boolean checkPID;
    /** The destination in messages: {@code host:port}, or {@code UNIX socket path}. */
    private final String destination;

    private State state = State.DISCONNECTED;
    private boolean factoryStarted;
    private int attempt;
    private DelayedCall timeoutCall;
    private DelayedCall beginCall;
    /** The attempt under way, or null (before it starts, and once it has reported or was cancelled). */
    private ConnectionAttempt pending;
    private StreamTransport transport;
    private InetSocketAddress remote;

    /**
     * Creates a connector; {@link #connect()} starts it. The arguments are checked with
     * {@code NetChecks.connect}. Reactor thread.
     *
     * @param attempts       the backend's attempts: makes a new, unstarted one for each try
     * @param reactor        the reactor
     * @param host           the host name or IP address literal
     * @param port           the port
     * @param factory        the client factory
     * @param timeoutSeconds the connect timeout
     * @param bindAddress    the local address to bind, or null
     * @param tlsContext     the TLS context for {@code connectSSL}, or null for plain TCP
     * @param verifyHostname whether TLS checks {@code host} against the server's certificate
     */
    TcpConnector(Supplier<? extends ConnectionAttempt> attempts, ReactorBase reactor, String host, int port,
            ClientFactory factory, double timeoutSeconds, InetSocketAddress bindAddress, SSLContext tlsContext,
            boolean verifyHostname) {
        NetChecks.connect(host, port, factory, timeoutSeconds, bindAddress);
        this.reactor = reactor;
        this.host = host;
        this.port = port;
        this.factory = factory;
        this.timeoutSeconds = timeoutSeconds;
        this.bindAddress = bindAddress;
        this.tlsContext = tlsContext;
        this.verifyHostname = verifyHostname;
        this.literal = NetChecks.ipLiteral(host);
        this.attempts = attempts;
        this.unixPath = null;
        this.checkPID = false;
        this.destination = host + ":" + port;
    }

    /**
     * Creates a connector for {@code connectUNIX}; {@link #connect()} starts it. Reactor thread.
     *
     * @param attempts       the backend's attempts
     * @param reactor        the reactor
     * @param path           the socket's path, checked with {@code NetChecks.connectUnix}
     * @param factory        the client factory
     * @param timeoutSeconds the connect timeout
     * @param checkPID       whether to fail unless a live process holds {@code path + ".lock"}
     */
    TcpConnector(Supplier<? extends ConnectionAttempt> attempts, ReactorBase reactor, String path,
            ClientFactory factory, double timeoutSeconds, boolean checkPID) {
        NetChecks.connectUnix(path, factory, timeoutSeconds);
        this.reactor = reactor;
        this.host = path;
        this.port = 0;
        this.factory = factory;
        this.timeoutSeconds = timeoutSeconds;
        this.bindAddress = null;
        this.tlsContext = null;
        this.verifyHostname = false;
        this.literal = null;
        this.attempts = attempts;
        this.unixPath = path;
        this.checkPID = checkPID;
        this.destination = "UNIX socket " + path;
    }

    // ---------------------------------------------------------------- what the attempt reports

    /**
     * {@code a} connected: builds the protocol (a null one closes the connection at once, as in Twisted), starts
     * TLS for {@code connectSSL}, and starts the transport. A connection of an attempt that is not the current one
     * is closed.
     *
     * @param a the attempt
     * @param t the connection's transport, not started
     */
    void attemptSucceeded(ConnectionAttempt a, StreamTransport t) {
        if (state != State.CONNECTING || a != pending) {
            t.reject();
            return;
        }
        pending = null;
        cancelTimers();
        state = State.CONNECTED;
        transport = t;
        reactor.unregister(this);
        t.setConnector(this, host);
        Protocol p = t.buildProtocolWith(factory);
        boolean rejected = p == null;
        if (rejected) {
            p = new Protocol() {
            };
        }
        if (tlsContext != null && !rejected) {
            t.startTls(tlsContext, true, verifyHostname);
        }
        t.start(p);
        if (rejected) {
            t.loseConnection();
        }
    }

    /**
     * The attempt failed: the factory gets {@code clientConnectionFailed} with a {@link ConnectionRefusedException}
     * for a refusal ({@link ConnectException}), the {@link ConnectFailedException} given, or another
     * {@code ConnectFailedException} with {@code cause} attached. For a failure of finishing the connect, see
     * {@link #finishFailed(ConnectionAttempt, Throwable)}. Nothing for an attempt that is not the current one.
     *
     * @param a     the attempt
     * @param cause why it failed
     */
    void attemptFailed(ConnectionAttempt a, Throwable cause) {
        if (state != State.CONNECTING || a != pending) {
            return;
        }
        Throwable reason;
        if (cause instanceof ConnectFailedException) {
            reason = cause;
        } else if (cause instanceof ConnectException) {
            reason = new ConnectionRefusedException("connection to " + destination + " refused", cause);
        } else {
            reason = new ConnectFailedException("connecting to " + destination + " failed: " + cause, cause);
        }
        failAttempt(reason);
    }

    /**
     * Finishing the connect failed, after the system reported the socket ready ({@code finishConnect}, or the
     * outcome of a connect the backend's library finished). A connection that the kernel had made and the peer reset
     * before the backend finished the connect (the JDK's plain {@link java.net.SocketException}, such as
     * {@code ECONNRESET}, possibly wrapped; a backend that learns an {@code errno} passes a plain
     * {@code SocketException} with the original as its cause) is no failed connect: the factory sees a
     * connection made, then lost with {@code cause} ({@code connectionMade}, {@code connectionLost} with a
     * {@code ConnectionLost}, {@code clientConnectionLost}), as it does when the reset comes a moment later, and as in
     * Twisted's {@code test_closePeerOnEMFILE}. Any other failure goes to
     * {@link #attemptFailed(ConnectionAttempt, Throwable)}. The attempt is cancelled (its socket closed) either way.
     *
     * @param a     the attempt
     * @param cause why finishing failed
     */
    void finishFailed(ConnectionAttempt a, Throwable cause) {
        if (state != State.CONNECTING || a != pending) {
            return;
        }
        if (remote != null && ResetConnection.isReset(cause)) {
            cancelQuietly(a);
            ResetConnection t = new ResetConnection(reactor, remote, bindAddress);
            attemptSucceeded(a, t);
            t.connectionFailed(cause);
            return;
        }
        attemptFailed(a, cause);
    }

    // ---------------------------------------------------------------- Connector

    @Override
    public final void connect() {
        reactor.checkThread("connect");
        if (state != State.DISCONNECTED) {
            throw new IllegalStateException("the connector is " + state.name().toLowerCase() + " already");
        }
        state = State.CONNECTING;
        attempt++;
        pending = null;
        reactor.register(this);
        if (!factoryStarted) {
            factoryStarted = true;
            try {
                factory.doStart();
            } catch (Throwable t) {
                reactor.logError("in startFactory of " + factory, t);
            }
        }
        timeoutCall = reactor.callLater(timeoutSeconds, () -> {
            timeoutCall = null;
            failAttempt(new ConnectTimeoutException(
                    "connecting to " + destination + " timed out after " + timeoutSeconds + " s"));
        });
        // The attempt starts on the next pass, so startedConnecting always comes first (as in Twisted).
        int current = attempt;
        beginCall = reactor.callLater(0, () -> {
            beginCall = null;
            begin(current);
        });
        try {
            factory.startedConnecting(this);
        } catch (Throwable t) {
            reactor.logError("in startedConnecting of " + factory, t);
        }
    }

    @Override
    public final void disconnect() {
        reactor.checkThread("disconnect");
        if (state == State.CONNECTING) {
            stopConnecting();
        } else if (state == State.CONNECTED) {
            transport.loseConnection();
        }
    }

    @Override
    public final void stopConnecting() {
        reactor.checkThread("stopConnecting");
        if (state != State.CONNECTING) {
            throw new NotConnectingException("the connector is not connecting: it is " + state.name().toLowerCase());
        }
        failAttempt(new ConnectCancelledException("stopConnecting() was called"));
    }

    @Override
    public final InetSocketAddress getDestination() {
        if (unixPath != null) {
            return InetSocketAddress.createUnresolved(unixPath, 0);
        }
        return literal != null ? new InetSocketAddress(literal, port) : InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public final void reactorShutdown(ConnectionLost reason) {
        if (state == State.CONNECTING) {
            failAttempt(new ConnectCancelledException("the reactor shut down"));
        }
    }

    @Override
    public String toString() {
        return "Connector[" + destination + ", " + state.name().toLowerCase() + "]";
    }

    // ---------------------------------------------------------------- internals

    private void begin(int current) {
        if (state != State.CONNECTING || current != attempt) {
            return;
        }
        if (unixPath != null) {
            if (checkPID && !PidLock.isLocked(Path.of(unixPath + ".lock"))) {
                failAttempt(new ConnectFailedException("no process listens on UNIX socket " + unixPath
                        + ": no live process holds its lock " + unixPath + ".lock", null));
                return;
            }
            start(current, UnixDomainSocketAddress.of(unixPath));
            return;
        }
        if (literal != null) {
            launch(current, literal);
            return;
        }
        Deferred<InetAddress> resolved = reactor.deferToThread(() -> InetAddress.getByName(host));
        resolved.addCallbacks(a -> {
            launch(current, a);
            return null;
        }, e -> {
            if (state == State.CONNECTING && current == attempt) {
                Throwable cause = e instanceof UnknownHostException ? e : e.getCause() != null ? e.getCause() : e;
                failAttempt(new ConnectFailedException("cannot resolve host " + host + ": " + cause, cause));
            }
            return null;
        });
    }

    private void launch(int current, InetAddress address) {
        if (state != State.CONNECTING || current != attempt) {
            return;
        }
        remote = new InetSocketAddress(withoutName(address), port);
        start(current, remote);
    }

    private void start(int current, SocketAddress to) {
        if (state != State.CONNECTING || current != attempt) {
            return;
        }
        ConnectionAttempt a = attempts.get();
        a.connector = this;
        pending = a;
        try {
            a.start(to, bindAddress);
        } catch (Throwable t) {
            attemptFailed(a, t);
        }
    }

    /**
     * The address alone, without the host name it was looked up with: the transport's {@code getPeer()} (and
     * {@code buildProtocol}'s address) give the address connected to as a literal, as Twisted's do.
     */
    private static InetAddress withoutName(InetAddress address) {
        try {
            if (address instanceof Inet6Address && ((Inet6Address) address).getScopeId() != 0) {
                Inet6Address v6 = (Inet6Address) address;
                return Inet6Address.getByAddress(null, v6.getAddress(), v6.getScopeId());
            }
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            return address; // cannot happen: the address has a valid length
        }
    }

    private void failAttempt(Throwable reason) {
        if (state != State.CONNECTING) {
            return;
        }
        cancelTimers();
        if (pending != null) {
            ConnectionAttempt a = pending;
            pending = null;
            cancelQuietly(a);
        }
        state = State.DISCONNECTED;
        reactor.unregister(this);
        try {
            factory.clientConnectionFailed(this, reason);
        } catch (Throwable t) {
            reactor.logError("in clientConnectionFailed of " + factory, t);
        }
        stopFactoryIfIdle();
    }

    /** Called by the transport after its protocol's {@code connectionLost}. */
    void transportLost(Throwable reason) {
        state = State.DISCONNECTED;
        transport = null;
        try {
            factory.clientConnectionLost(this, reason);
        } catch (Throwable t) {
            reactor.logError("in clientConnectionLost of " + factory, t);
        }
        stopFactoryIfIdle();
    }

    private void stopFactoryIfIdle() {
        if (state == State.DISCONNECTED && factoryStarted) {
            factoryStarted = false;
            try {
                factory.doStop();
            } catch (Throwable t) {
                reactor.logError("in stopFactory of " + factory, t);
            }
        }
    }

    private void cancelQuietly(ConnectionAttempt a) {
        try {
            a.cancel();
        } catch (Throwable t) {
            reactor.logError("while cancelling a connection attempt of " + this, t);
        }
    }

    private void cancelTimers() {
        if (timeoutCall != null) {
            timeoutCall.cancel();
            timeoutCall = null;
        }
        if (beginCall != null) {
            beginCall.cancel();
            beginCall = null;
        }
    }
}
