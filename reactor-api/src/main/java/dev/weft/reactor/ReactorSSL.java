package dev.weft.reactor;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;

/**
 * TLS over TCP (Twisted's {@code IReactorSSL}). Switching an existing connection to TLS is
 * {@link dev.weft.protocol.TLSTransport#startTLS(SSLContext, boolean)}.
 *
 * <p>Call on the reactor thread (or before
 * the reactor runs). A failed handshake ends the connection with {@code connectionLost} whose reason carries the
 * {@code javax.net.ssl.SSLException}, and no application data is delivered.
 */
public interface ReactorSSL {

    /**
     * Listens for TLS connections on every IPv4 interface ({@code 0.0.0.0}) with the default backlog; see
     * {@link #listenSSL(int, Factory, SSLContext, int, String)}.
     *
     * @param port    the port, 0 for one the system picks
     * @param factory makes a protocol per accepted connection
     * @param context the server's keys and trust
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    default ListeningPort listenSSL(int port, Factory factory, SSLContext context) {
        return listenSSL(port, factory, context, ReactorTCP.DEFAULT_BACKLOG, "");
    }

    /**
     * Listens for TLS connections on {@code iface} with the default backlog: Twisted's
     * {@code listenSSL(port, factory, contextFactory, interface=iface)}; see
     * {@link #listenSSL(int, Factory, SSLContext, int, String)}.
     *
     * @param port    the port, 0 for one the system picks
     * @param factory makes a protocol per accepted connection
     * @param context the server's keys and trust
     * @param iface   the local address to bind, {@code ""} for every IPv4 interface, {@code "::"} for every IPv6 one
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    default ListeningPort listenSSL(int port, Factory factory, SSLContext context, String iface) {
        return listenSSL(port, factory, context, ReactorTCP.DEFAULT_BACKLOG, iface);
    }

    /**
     * Listens for TLS connections on every IPv4 interface ({@code 0.0.0.0}) with the given backlog: Twisted's
     * {@code listenSSL(port, factory, contextFactory, backlog=n)}; see
     * {@link #listenSSL(int, Factory, SSLContext, int, String)}.
     *
     * @param port    the port, 0 for one the system picks
     * @param factory makes a protocol per accepted connection
     * @param context the server's keys and trust
     * @param backlog the accept queue length, at least 1
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    default ListeningPort listenSSL(int port, Factory factory, SSLContext context, int backlog) {
        return listenSSL(port, factory, context, backlog, "");
    }

    /**
     * As {@link ReactorTCP#listenTCP(int, Factory, int, String)}, with TLS (server mode) on every connection.
     *
     * @param port    the port, 0 to 65535
     * @param factory makes a protocol per accepted connection
     * @param context the server's keys and trust
     * @param backlog the accept queue length, at least 1
     * @param iface   the local address to bind, {@code ""} for every IPv4 interface ({@code 0.0.0.0}), {@code "::"}
     *                for every IPv6 one
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    ListeningPort listenSSL(int port, Factory factory, SSLContext context, int backlog, String iface);

    /**
     * Connects with TLS, verifying that the server's certificate matches {@code host}, with the default timeout;
     * see {@link #connectSSL(String, int, ClientFactory, SSLContext, boolean, double, InetSocketAddress)}.
     *
     * @param host    the host name (verified against the certificate) or IP address
     * @param port    the port
     * @param factory told of the attempt, and makes the protocol
     * @param context the client's trust (and keys, for client authentication)
     * @return the connector
     */
    default Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context) {
        return connectSSL(host, port, factory, context, true, ReactorTCP.DEFAULT_CONNECT_TIMEOUT, null);
    }

    /**
     * Connects with TLS, verifying the host name, with the given timeout: Twisted's
     * {@code connectSSL(host, port, factory, contextFactory, timeout=t)}; see
     * {@link #connectSSL(String, int, ClientFactory, SSLContext, boolean, double, InetSocketAddress)}.
     *
     * @param host           the host name (verified against the certificate) or IP address
     * @param port           the port
     * @param factory        told of the attempt, and makes the protocol
     * @param context        the client's trust (and keys, for client authentication)
     * @param timeoutSeconds how long to wait for the TCP connection: positive
     * @return the connector
     */
    default Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context,
            double timeoutSeconds) {
        return connectSSL(host, port, factory, context, true, timeoutSeconds, null);
    }

    /**
     * Connects with TLS, verifying the host name: Twisted's
     * {@code connectSSL(host, port, factory, contextFactory, timeout, bindAddress)}, argument for argument; see
     * {@link #connectSSL(String, int, ClientFactory, SSLContext, boolean, double, InetSocketAddress)}.
     *
     * @param host           the host name (verified against the certificate) or IP address
     * @param port           the port
     * @param factory        told of the attempt, and makes the protocol
     * @param context        the client's trust (and keys, for client authentication)
     * @param timeoutSeconds how long to wait for the TCP connection: positive
     * @param bindAddress    the local address to bind before connecting, or null
     * @return the connector
     */
    default Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context,
            double timeoutSeconds, InetSocketAddress bindAddress) {
        return connectSSL(host, port, factory, context, true, timeoutSeconds, bindAddress);
    }

    /**
     * As {@link ReactorTCP#connectTCP(String, int, ClientFactory, double, InetSocketAddress)}, with TLS (client
     * mode). The protocol's {@code connectionMade} runs when the TCP connection is made; data it writes is sent once
     * the handshake is done.
     *
     * @param host           the host name or IP address
     * @param port           the port
     * @param factory        told of the attempt, and makes the protocol
     * @param context        the client's trust (and keys, for client authentication)
     * @param verifyHostname whether to check that the certificate matches {@code host} (endpoint identification
     *                       {@code "HTTPS"}); true is the safe choice
     * @param timeoutSeconds how long to wait for the TCP connection: positive
     * @param bindAddress    the local address to bind before connecting, or null
     * @return the connector
     */
    Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context, boolean verifyHostname,
            double timeoutSeconds, InetSocketAddress bindAddress);
}
