package dev.weft.reactor.spi;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.ReactorUNIX;
import dev.weft.reactor.internal.NetChecks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The networking entry points of a reactor ({@code listenTCP}/{@code listenSSL}/{@code listenUNIX},
 * {@code connectTCP}/{@code connectSSL}/{@code connectUNIX}, {@code listenUDP}), above the loop core of {@link ReactorBase}, as Twisted's {@code PosixReactorBase}
 * sits above its {@code ReactorBase}: the arguments and the calling thread are checked here, once; a backend
 * supplies its ports and connectors ({@link #openTcpPort}, {@link #openUnixPort}, {@link #connectionAttempts}, {@link #openUdpPort}).
 *
 * <p>For implementors of backends, not for protocol code.
 */
public abstract class NetworkReactorBase extends ReactorBase {

    /**
     * Creates a reactor whose loop polls by itself; see {@link ReactorBase#ReactorBase(String, ReactorConfig,
     * IoPoller)}. Called by the backend's constructor.
     *
     * @param backendName the name of the backend
     * @param config      the configuration
     * @param poller      how the loop waits for I/O
     */
    protected NetworkReactorBase(String backendName, ReactorConfig config, IoPoller poller) {
        super(backendName, config, poller);
    }

    /**
     * Creates a reactor whose passes a host loop drives; see {@link ReactorBase#ReactorBase(String, ReactorConfig,
     * HostedLoop)}. Called by the backend's constructor.
     *
     * @param backendName the name of the backend
     * @param config      the configuration
     * @param driver      makes the driver of the passes
     */
    protected NetworkReactorBase(String backendName, ReactorConfig config, HostedLoop driver) {
        super(backendName, config, driver);
    }

    /**
     * Binds a TCP port for {@code listenTCP} ({@code tls} null) or {@code listenSSL}, before returning, and starts
     * accepting. The arguments are checked and the thread is the reactor thread (or the loop is not running).
     *
     * <p>With a {@code handOff} (the one acceptor of a reactor group's TCP port, plain TCP, only asked of a backend
     * whose {@link #canHandConnectionsTo(NetworkReactorBase)} is true), the port passes each accepted channel,
     * unregistered, to {@link ListeningPortBase#handOff(AcceptedConnection)} instead of making it a connection of
     * this reactor, as {@link #openUnixPort} does.
     *
     * @param port    the port, 0 for one the system picks
     * @param factory the factory
     * @param backlog the backlog
     * @param iface   the interface, {@code ""} for all
     * @param tls     the TLS context, or null (always null with a {@code handOff})
     * @param handOff where accepted connections go, on the reactor thread; null to serve them here
     * @return the port, a {@link ListeningPortBase}
     * @throws dev.weft.protocol.CannotListenException if the port cannot be bound
     */
    protected abstract ListeningPort openTcpPort(int port, Factory factory, int backlog, String iface,
            SSLContext tls, Consumer<AcceptedConnection> handOff);

    /**
     * The backend's outgoing connections: what makes a new, unstarted {@link ConnectionAttempt} for each try of a
     * {@code connectTCP}/{@code connectSSL} connector ({@link TcpConnector} does the rest). Called on the reactor
     * thread (or while the loop is not running) at the {@code connectTCP} call; the supplier is called on the reactor
     * thread at each try.
     *
     * @return a supplier of new attempts
     */
    protected abstract Supplier<? extends ConnectionAttempt> connectionAttempts();

    private TcpConnector newConnector(String host, int port, ClientFactory factory, double timeoutSeconds,
            InetSocketAddress bindAddress, SSLContext tls, boolean verifyHostname) {
        return new TcpConnector(connectionAttempts(), this, host, port, factory, timeoutSeconds, bindAddress, tls,
                verifyHostname);
    }

    /**
     * Binds a UDP port for {@code listenUDP} before returning. The arguments are checked; called on the reactor
     * thread (or while the loop is not running).
     *
     * @param port          the port, 0 for one the system picks
     * @param protocol      the protocol
     * @param iface         the interface, {@code ""} for all
     * @param maxPacketSize the largest datagram
     * @return the port, a {@link DatagramPortBase}
     * @throws dev.weft.protocol.CannotListenException if the port cannot be bound
     */
    protected abstract DatagramTransport openUdpPort(int port, DatagramProtocol protocol, String iface,
            int maxPacketSize);

    /**
     * Binds a UNIX stream socket at {@code path} for {@code listenUNIX}, before returning, and starts accepting, as
     * {@link #openTcpPort} does (calling {@link ListeningPortBase#listening()}); the accepted connections' transports
     * give the addresses as {@link ReactorUNIX} says. The arguments are checked, the socket file is prepared (a
     * stale one removed), and the thread is the reactor thread (or the loop is not running).
     *
     * <p>With a {@code handOff} (the one acceptor of a reactor group's {@code listenUNIX}, only asked of a backend
     * whose {@link #canHandConnectionsTo(NetworkReactorBase)} is true), the port passes each accepted channel,
     * unregistered, to {@link ListeningPortBase#handOff(AcceptedConnection)} instead of making it a connection of
     * this reactor ({@link ListeningPortBase#ListeningPortBase(ReactorBase, Factory, SSLContext, Consumer)}).
     *
     * @param path    the socket's path
     * @param factory the factory
     * @param backlog the backlog
     * @param handOff where accepted connections go, on the reactor thread; null to serve them here
     * @return the port, a {@link ListeningPortBase}
     * @throws IOException if the socket cannot be bound; nothing is left open
     */
    protected abstract ListeningPortBase openUnixPort(String path, Factory factory, int backlog,
            Consumer<AcceptedConnection> handOff) throws IOException;

    /**
     * Whether connections accepted by a port of this reactor (an {@link AcceptedConnection}) can be adopted by
     * {@code other}: the same backend, on the same kind of loop. What lets a reactor group serve a UNIX socket with
     * one acceptor handing its connections to every member (and a TCP port, where it is not shared with
     * {@code SO_REUSEPORT}). False by default. Any thread.
     *
     * @param other another reactor
     * @return whether {@code other} can adopt this reactor's accepted connections
     */
    protected boolean canHandConnectionsTo(NetworkReactorBase other) {
        return false;
    }

    /**
     * Whether this backend can bind a listening TCP socket with {@code SO_REUSEPORT} ({@link #openSharedTcpPort}), so
     * that the members of a reactor group each accept on a socket of their own bound to one port. False by default.
     * Any thread.
     *
     * @return whether {@link #openSharedTcpPort} is implemented
     */
    protected boolean canShareTcpPorts() {
        return false;
    }

    /**
     * Binds a TCP port as {@link #openTcpPort} does (plain TCP), with {@code SO_REUSEPORT} set before the bind, so that
     * other sockets with that option (the other members of a group) can bind the same port. Only called when
     * {@link #canShareTcpPorts()} is true; the arguments are checked and the thread is the reactor thread (or the loop
     * is not running).
     *
     * @param port    the port, 0 for one the system picks
     * @param factory the factory
     * @param backlog the backlog
     * @param iface   the interface, {@code ""} for all
     * @return the port, a {@link ListeningPortBase}
     * @throws dev.weft.protocol.CannotListenException if the port cannot be bound
     * @throws UnsupportedOperationException           by default
     */
    protected ListeningPort openSharedTcpPort(int port, Factory factory, int backlog, String iface) {
        throw new UnsupportedOperationException(backendName() + " cannot share a listening port");
    }

    /** A group member's share of a group port ({@link MemberGroup}): checks, then {@link #openSharedTcpPort}. */
    final ListeningPort listenSharedTCP(int port, Factory factory, int backlog, String iface) {
        NetChecks.listen(port, factory, backlog, iface);
        checkThread("listenTCP");
        return openSharedTcpPort(port, factory, backlog, iface);
    }

    /**
     * {@code listenTCP} for the acceptor of a reactor group's TCP port ({@link MemberGroup}): each accepted
     * connection passed to {@code handOff} (non-null) instead of being served here.
     */
    final ListeningPort listenTcp(int port, Factory factory, int backlog, String iface,
            Consumer<AcceptedConnection> handOff) {
        NetChecks.listen(port, factory, backlog, iface);
        Objects.requireNonNull(handOff, "handOff must not be null");
        checkThread("listenTCP");
        return openTcpPort(port, factory, backlog, iface, null, handOff);
    }

    @Override
    public final ListeningPort listenUNIX(String path, Factory factory, int backlog, int mode, boolean wantPID) {
        return listenUnix(path, factory, backlog, mode, wantPID, null);
    }

    /**
     * {@code listenUNIX} for the acceptor of a reactor group's UNIX port ({@link MemberGroup}): the same socket-file
     * rules, each accepted connection passed to {@code handOff} (non-null) instead of being served here.
     */
    final ListeningPort listenUnix(String path, Factory factory, int backlog, int mode, boolean wantPID,
            Consumer<AcceptedConnection> handOff) {
        NetChecks.listenUnix(path, factory, backlog, mode);
        checkThread("listenUNIX");
        UnixSocketFile file = UnixSocketFile.prepare(path, wantPID);
        ListeningPortBase port;
        try {
            port = openUnixPort(path, factory, backlog, handOff);
        } catch (IOException | RuntimeException e) {
            file.release(false);
            throw e instanceof CannotListenException ? (CannotListenException) e : UnixSocketFile.fail(path,
                    "cannot bind", e);
        }
        port.afterClose(() -> file.release(true));
        try {
            file.bound(mode);
        } catch (IOException | RuntimeException e) {
            port.stopListening();
            throw UnixSocketFile.fail(path, "cannot set the mode 0" + Integer.toOctalString(mode), e);
        }
        return port;
    }

    @Override
    public final Connector connectUNIX(String path, ClientFactory factory, double timeoutSeconds, boolean checkPID) {
        NetChecks.connectUnix(path, factory, timeoutSeconds);
        checkThread("connectUNIX");
        TcpConnector c = new TcpConnector(connectionAttempts(), this, path, factory, timeoutSeconds, checkPID);
        c.connect();
        return c;
    }

    @Override
    public final ListeningPort listenTCP(int port, Factory factory, int backlog, String iface) {
        NetChecks.listen(port, factory, backlog, iface);
        checkThread("listenTCP");
        return openTcpPort(port, factory, backlog, iface, null, null);
    }

    @Override
    public final ListeningPort listenSSL(int port, Factory factory, SSLContext context, int backlog, String iface) {
        NetChecks.listen(port, factory, backlog, iface);
        Objects.requireNonNull(context, "context must not be null");
        checkThread("listenSSL");
        return openTcpPort(port, factory, backlog, iface, context, null);
    }

    @Override
    public final Connector connectTCP(String host, int port, ClientFactory factory, double timeoutSeconds,
            InetSocketAddress bindAddress) {
        NetChecks.connect(host, port, factory, timeoutSeconds, bindAddress);
        checkThread("connectTCP");
        TcpConnector c = newConnector(host, port, factory, timeoutSeconds, bindAddress, null, false);
        c.connect();
        return c;
    }

    @Override
    public final Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context,
            boolean verifyHostname, double timeoutSeconds, InetSocketAddress bindAddress) {
        NetChecks.connect(host, port, factory, timeoutSeconds, bindAddress);
        Objects.requireNonNull(context, "context must not be null");
        checkThread("connectSSL");
        TcpConnector c = newConnector(host, port, factory, timeoutSeconds, bindAddress, context, verifyHostname);
        c.connect();
        return c;
    }

    @Override
    public final DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        NetChecks.listenUdp(port, protocol, iface, maxPacketSize);
        checkThread("listenUDP");
        return openUdpPort(port, protocol, iface, maxPacketSize);
    }
}
