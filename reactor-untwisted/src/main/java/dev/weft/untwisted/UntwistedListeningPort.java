package dev.weft.untwisted;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.Factory;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.spi.AcceptedConnection;
import dev.weft.reactor.spi.ListeningPortBase;
import dev.weft.reactor.internal.NetChecks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A listening TCP port on the selector: a non-blocking {@link ServerSocketChannel}, bound before
 * {@link #open} returns. Each accepted connection becomes an {@link UntwistedTcpTransport} handed to
 * {@link ListeningPortBase}, which does the rest. When an accept fails for lack of file descriptors, the base closes
 * the connections that wait, with the descriptor it keeps in reserve, through {@code acceptAndClose()}. A port that
 * hands its connections on (the one acceptor of a reactor group's UNIX or TCP port) passes each accepted channel, as it is, to
 * {@link ListeningPortBase#handOff} ({@link AcceptedSocket}).
 *
 * <p>Used on the reactor thread only.
 */
final class UntwistedListeningPort extends ListeningPortBase implements Selectable {

    /** Connections accepted per readiness at most, so a flood of connections cannot hold the loop. */
    private static final int MAX_ACCEPTS_PER_READY = 64;

    /**
     * How long accepting pauses after accept fails and the waiting connections cannot be closed (a failure that is
     * not about file descriptors, or no descriptor in reserve), so the loop does not spin.
     */
    private static final double ACCEPT_RETRY_SECONDS = 0.1;

    /** Whether the JDK offers {@code SO_REUSEPORT} on listening sockets here. */
    static final boolean REUSE_PORT = offersReusePort();

    private final UntwistedReactor reactor;
    private final ServerSocketChannel server;
    private final InetSocketAddress host;
    private ChannelRegistration registration;
    private DelayedCall acceptRetry;

    private UntwistedListeningPort(UntwistedReactor reactor, Factory factory, SSLContext tlsContext,
            ServerSocketChannel server, Consumer<AcceptedConnection> handOff) throws IOException {
        super(reactor, factory, tlsContext, handOff);
        this.reactor = reactor;
        this.server = server;
        this.host = NetChecks.asInet(server.getLocalAddress());
    }

    /**
     * Binds a UNIX stream socket at {@code path} and starts listening ({@code listenUNIX}; the socket file is the
     * caller's to prepare and remove).
     *
     * @param reactor the reactor
     * @param path    the socket's path
     * @param factory the factory
     * @param backlog the accept queue length
     * @param handOff where accepted connections go instead of being served here, or null
     * @return the listening port
     * @throws IOException if the socket cannot be bound; nothing is left open
     */
    static UntwistedListeningPort openUnix(UntwistedReactor reactor, String path, Factory factory, int backlog,
            Consumer<AcceptedConnection> handOff) throws IOException {
        ServerSocketChannel server = null;
        UntwistedListeningPort p;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path), backlog);
            server.configureBlocking(false);
            p = new UntwistedListeningPort(reactor, factory, null, server, handOff);
            p.registration = ChannelRegistration.register(reactor, server, SelectionKey.OP_ACCEPT, p);
        } catch (IOException | RuntimeException e) {
            SocketFamilies.closeQuietly(server);
            throw e;
        }
        p.listening();
        return p;
    }

    /**
     * Binds and starts listening.
     *
     * @param reactor    the reactor
     * @param port       the port, 0 for any
     * @param factory    the factory
     * @param backlog    the accept queue length
     * @param iface      the interface, {@code ""} for all
     * @param tlsContext the TLS context for {@code listenSSL}, or null
     * @param reusePort  whether to set {@code SO_REUSEPORT} (a share of a reactor group's port)
     * @param handOff    where accepted connections go instead of being served here (the acceptor of a reactor
     *                   group's port), or null
     * @return the listening port
     * @throws CannotListenException if the port cannot be bound; nothing is left open
     */
    static UntwistedListeningPort open(UntwistedReactor reactor, int port, Factory factory, int backlog,
            String iface, SSLContext tlsContext, boolean reusePort, Consumer<AcceptedConnection> handOff) {
        InetSocketAddress address = InetSocketAddress.createUnresolved(iface, port);
        ServerSocketChannel server = null;
        UntwistedListeningPort p;
        try {
            address = NetChecks.bindAddress(iface, port);
            // A socket of the address's family: "" is 0.0.0.0, IPv4 only, as in Twisted; "::" is IPv6.
            server = ServerSocketChannel.open(SocketFamilies.of(address.getAddress()));
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            server.bind(address, backlog);
            server.configureBlocking(false);
            p = new UntwistedListeningPort(reactor, factory, tlsContext, server, handOff);
            p.registration = ChannelRegistration.register(reactor, server, SelectionKey.OP_ACCEPT, p);
        } catch (IOException | RuntimeException e) {
            SocketFamilies.closeQuietly(server);
            throw new CannotListenException(address, e);
        }
        p.listening();
        return p;
    }

    private static boolean offersReusePort() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void ready(int readyOps) {
        for (int i = 0; i < MAX_ACCEPTS_PER_READY && !isStopped(); i++) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!acceptFailed(e, MAX_ACCEPTS_PER_READY - i, this::acceptAndClose)) {
                    pauseAccepting();
                }
                return;
            }
            if (c == null) {
                return;
            }
            if (handsOff()) {
                handOff(new AcceptedSocket(c));
                continue;
            }
            UntwistedTcpTransport t;
            try {
                c.configureBlocking(false);
                t = new UntwistedTcpTransport(reactor, c, null);
            } catch (IOException | RuntimeException e) {
                // Reset by the peer before we got to it: nothing to hand on.
                SocketFamilies.closeQuietly(c);
                reactor.logDebug("a connection accepted on " + host + " was gone before it could be set up", e);
                continue;
            }
            accepted(t);
        }
    }

    /** Accepts one waiting connection and resets it at once: the port is out of file descriptors. */
    private boolean acceptAndClose() throws IOException {
        return acceptAndReset(server);
    }

    /** Stops watching the listening socket for {@value #ACCEPT_RETRY_SECONDS} s. */
    private void pauseAccepting() {
        if (acceptRetry != null || isStopped()) {
            return;
        }
        // Schedule first: if scheduling failed after the interest was dropped, the port would never accept again.
        try {
            acceptRetry = reactor.callLater(ACCEPT_RETRY_SECONDS, () -> {
                acceptRetry = null;
                registration.interestOps(SelectionKey.OP_ACCEPT);
            });
        } catch (RuntimeException e) {
            reactor.logFailure("while pausing accepting on " + host + " (it goes on at once)", e);
            return;
        }
        registration.interestOps(0);
    }

    @Override
    protected void closePort() {
        if (acceptRetry != null) {
            acceptRetry.cancel();
            acceptRetry = null;
        }
        registration.cancel();
        try {
            server.close();
        } catch (IOException e) {
            reactor.logFailure("while closing the listening socket " + host, e);
        }
        // The socket of a channel registered with a selector is closed by its next select: do it now.
        reactor.flushCancelledKeys();
    }

    @Override
    public InetSocketAddress getHost() {
        return host;
    }
}
