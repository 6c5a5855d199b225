package dev.weft.reactor.spi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * The transport of an outgoing connection that the peer reset before the backend finished connecting it: the
 * kernel had made the connection (the handshake was done: a refusal is a different error), then the peer reset it,
 * and finishing the connect reported the reset. {@link TcpConnector} gives the factory a connection that was made
 * and then lost, as it is when the reset comes a moment later (Twisted's {@code test_closePeerOnEMFILE}): a protocol,
 * its {@code connectionMade}, then {@code connectionLost} with a {@code ConnectionLost} whose cause is the reset, and
 * {@code clientConnectionLost}. Its socket is closed already: it sends and reads nothing.
 *
 * <p>Reactor thread only.
 */
final class ResetConnection extends StreamTransport {

    /** How deep {@link #isReset(Throwable)} looks into causes. */
    private static final int MAX_CAUSES = 8;

    private final InetSocketAddress peer;
    private final InetSocketAddress host;

    /**
     * @param reactor the reactor
     * @param peer    the address connected to
     * @param bind    the local address bound before connecting, or null: the local address of a socket closed
     *                already is not known, the wildcard of the peer's family with port 0 stands for it
     */
    ResetConnection(ReactorBase reactor, InetSocketAddress peer, InetSocketAddress bind) {
        super(reactor);
        this.peer = peer;
        this.host = bind != null ? bind : new InetSocketAddress(wildcardLike(peer.getAddress()), 0);
    }

    /**
     * Whether the failure of a connect says that the connection was made and then reset (or otherwise lost) before
     * the connect was finished: the JDK reports it, from {@code finishConnect}, as a plain {@link SocketException}
     * (a refusal, a timeout, no route and a bind failure have classes of their own), possibly wrapped by the backend.
     * Netty's native transport reports an {@code errno}: its backend gives a plain {@code SocketException} for
     * {@code ECONNRESET}.
     *
     * @param cause the failure of the connect
     * @return whether the connection was made, then lost
     */
    static boolean isReset(Throwable cause) {
        Throwable c = cause;
        for (int i = 0; c != null && i < MAX_CAUSES; i++, c = c.getCause()) {
            if (c.getClass() == SocketException.class) {
                return true;
            }
        }
        return false;
    }

    private static InetAddress wildcardLike(InetAddress a) {
        try {
            return InetAddress.getByAddress(new byte[a.getAddress().length]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected void sendBytes(byte[] data) {
        // the socket is closed: nothing can be sent
    }

    @Override
    protected long bufferedBytes() {
        return 0;
    }

    @Override
    protected void awaitDrain() {
        // the connection is lost right after it is made: finishing it needs no drain
    }

    @Override
    protected void setReading(boolean reading) {
        // nothing to read
    }

    @Override
    protected void shutdownOutput() {
        // closed already
    }

    @Override
    protected void closeChannel(boolean abort) {
        // the backend closed the socket when its connect failed
    }

    @Override
    public InetSocketAddress getPeer() {
        return peer;
    }

    @Override
    public InetSocketAddress getHost() {
        return host;
    }

    @Override
    public String toString() {
        return "TCP " + host + " <-> " + peer + " (reset while connecting) " + super.toString();
    }
}
