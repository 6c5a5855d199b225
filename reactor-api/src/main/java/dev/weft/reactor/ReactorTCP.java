package dev.weft.reactor;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import java.net.InetSocketAddress;

/**
 * TCP: listening ports and outgoing connections (Twisted's {@code IReactorTCP}).
 *
 * <p>Call on the reactor thread (or before
 * the reactor runs); every factory and protocol callback runs on the reactor thread.
 */
public interface ReactorTCP {

    /** The default listen backlog, Twisted's. */
    int DEFAULT_BACKLOG = 50;

    /** The default connect timeout, in seconds, Twisted's. */
    double DEFAULT_CONNECT_TIMEOUT = 30.0;

    /**
     * Listens on {@code port} on every IPv4 interface ({@code 0.0.0.0}, as Twisted), with the default backlog; see
     * {@link #listenTCP(int, Factory, int, String)}.
     *
     * @param port    the port, 0 for one the system picks
     * @param factory makes a protocol per accepted connection
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    default ListeningPort listenTCP(int port, Factory factory) {
        return listenTCP(port, factory, DEFAULT_BACKLOG, "");
    }

    /**
     * Listens on {@code port} on {@code iface} with the default backlog: Twisted's
     * {@code listenTCP(port, factory, interface=iface)}; see {@link #listenTCP(int, Factory, int, String)}.
     *
     * @param port    the port, 0 for one the system picks
     * @param factory makes a protocol per accepted connection
     * @param iface   the local address to bind, e.g. {@code "127.0.0.1"}; {@code ""} for every IPv4 interface,
     *                {@code "::"} for every IPv6 one
     * @return the bound port
     * @throws CannotListenException    if the port cannot be bound
     * @throws NullPointerException     if {@code factory} or {@code iface} is null
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    default ListeningPort listenTCP(int port, Factory factory, String iface) {
        return listenTCP(port, factory, DEFAULT_BACKLOG, iface);
    }

    /**
     * Listens on {@code port} on every IPv4 interface ({@code 0.0.0.0}) with the given backlog: Twisted's
     * {@code listenTCP(port, factory, backlog=n)}; see {@link #listenTCP(int, Factory, int, String)}.
     *
     * @param port    the port, 0 for one the system picks
     * @param factory makes a protocol per accepted connection
     * @param backlog the accept queue length, at least 1
     * @return the bound port
     * @throws CannotListenException    if the port cannot be bound
     * @throws NullPointerException     if {@code factory} is null
     * @throws IllegalArgumentException if {@code port} or {@code backlog} is out of range
     */
    default ListeningPort listenTCP(int port, Factory factory, int backlog) {
        return listenTCP(port, factory, backlog, "");
    }

    /**
     * Binds {@code port} on {@code iface} before returning and accepts connections on it. The factory's
     * {@code doStart()} runs before the first connection; for each connection, {@code buildProtocol(peer)} then the
     * protocol's {@code makeConnection}; a null protocol closes the connection at once. Port 0 binds a port the
     * system picks, readable from {@link ListeningPort#getHost()}.
     *
     * @param port    the port, 0 to 65535
     * @param factory makes a protocol per accepted connection
     * @param backlog the accept queue length, at least 1
     * @param iface   the local address to bind (IPv4 or IPv6 literal or host name): {@code ""} for every IPv4
     *                interface ({@code 0.0.0.0}, Twisted's default), {@code "::"} for every IPv6 one
     * @return the bound port
     * @throws CannotListenException    if the port cannot be bound (in use, no permission, unknown interface)
     * @throws NullPointerException     if {@code factory} or {@code iface} is null
     * @throws IllegalArgumentException if {@code port} or {@code backlog} is out of range
     */
    ListeningPort listenTCP(int port, Factory factory, int backlog, String iface);

    /**
     * Connects to {@code host:port} with the default timeout and no bind address; see
     * {@link #connectTCP(String, int, ClientFactory, double, InetSocketAddress)}.
     *
     * @param host    a host name or IP address literal
     * @param port    the port
     * @param factory told of the attempt, and makes the protocol
     * @return the connector
     */
    default Connector connectTCP(String host, int port, ClientFactory factory) {
        return connectTCP(host, port, factory, DEFAULT_CONNECT_TIMEOUT, null);
    }

    /**
     * Connects to {@code host:port} with the given timeout and no bind address: Twisted's
     * {@code connectTCP(host, port, factory, timeout=t)}; see
     * {@link #connectTCP(String, int, ClientFactory, double, InetSocketAddress)}.
     *
     * @param host           a host name or IP address literal
     * @param port           the port, 1 to 65535
     * @param factory        told of the attempt, and makes the protocol
     * @param timeoutSeconds how long to wait for the connection: positive
     * @return the connector
     * @throws NullPointerException     if {@code host} or {@code factory} is null
     * @throws IllegalArgumentException if {@code port} or {@code timeoutSeconds} is out of range
     */
    default Connector connectTCP(String host, int port, ClientFactory factory, double timeoutSeconds) {
        return connectTCP(host, port, factory, timeoutSeconds, null);
    }

    /**
     * Connects to {@code host:port} from {@code bindAddress} with the default timeout: Twisted's
     * {@code connectTCP(host, port, factory, bindAddress=(h, p))}; see
     * {@link #connectTCP(String, int, ClientFactory, double, InetSocketAddress)}.
     *
     * @param host        a host name or IP address literal
     * @param port        the port, 1 to 65535
     * @param factory     told of the attempt, and makes the protocol
     * @param bindAddress the local address to bind before connecting, or null
     * @return the connector
     * @throws NullPointerException     if {@code host} or {@code factory} is null
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    default Connector connectTCP(String host, int port, ClientFactory factory, InetSocketAddress bindAddress) {
        return connectTCP(host, port, factory, DEFAULT_CONNECT_TIMEOUT, bindAddress);
    }

    /**
     * Starts connecting to {@code host:port} and returns at once. The factory gets {@code startedConnecting}, then
     * either a {@code buildProtocol} and the protocol's {@code makeConnection}, or {@code clientConnectionFailed}
     * (refused, timed out after {@code timeoutSeconds}, or a name that does not resolve); after a connection,
     * {@code clientConnectionLost} follows the protocol's {@code connectionLost}.
     *
     * @param host           a host name or IP address literal (IPv4 or IPv6)
     * @param port           the port, 1 to 65535
     * @param factory        told of the attempt, and makes the protocol
     * @param timeoutSeconds how long to wait for the connection: positive
     * @param bindAddress    the local address to bind before connecting, or null
     * @return the connector, which can retry or stop the attempt
     * @throws NullPointerException     if {@code host} or {@code factory} is null
     * @throws IllegalArgumentException if {@code port} or {@code timeoutSeconds} is out of range
     */
    Connector connectTCP(String host, int port, ClientFactory factory, double timeoutSeconds,
            InetSocketAddress bindAddress);
}
