package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.internal.NetChecks;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Connects over TCP and IPv6 (Twisted's {@code TCP6ClientEndpoint}): an IPv6 literal is used as it is; a host name is
 * resolved in the reactor's thread pool and its first IPv6 address is used (a name without one fails with a
 * {@link ConnectFailedException}). Call on the reactor thread.
 */
public final class TCP6ClientEndpoint implements ClientEndpoint {

    private final Reactor reactor;
    private final String host;
    private final int port;
    private final double timeoutSeconds;
    private final InetSocketAddress bindAddress;

    /**
     * Connects with the default timeout and no bind address.
     *
     * @param reactor the reactor
     * @param host    an IPv6 literal or a host name
     * @param port    the port
     */
    public TCP6ClientEndpoint(Reactor reactor, String host, int port) {
        this(reactor, host, port, ReactorTCP.DEFAULT_CONNECT_TIMEOUT, null);
    }

    /**
     * Connects with a timeout and a bind address.
     *
     * @param reactor        the reactor
     * @param host           an IPv6 literal or a host name
     * @param port           the port, 1 to 65535
     * @param timeoutSeconds how long the attempt may take: positive
     * @param bindAddress    the local address to bind, or null
     * @throws NullPointerException     if {@code reactor} or {@code host} is null
     * @throws IllegalArgumentException if an argument is out of range
     */
    public TCP6ClientEndpoint(Reactor reactor, String host, int port, double timeoutSeconds,
            InetSocketAddress bindAddress) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
        NetChecks.connect(host, port, reactor, timeoutSeconds, bindAddress);
        this.host = host;
        this.port = port;
        this.timeoutSeconds = timeoutSeconds;
        this.bindAddress = bindAddress;
    }

    @Override
    public Deferred<Protocol> connect(Factory factory) {
        Objects.requireNonNull(factory, "factory must not be null");
        InetAddress literal = NetChecks.ipLiteral(host);
        if (literal != null) {
            return to(literal, factory);
        }
        Deferred<InetAddress> resolved = reactor.deferToThread(() -> firstIpv6(host));
        return resolved.addCallbackDeferred(a -> to(a, factory));
    }

    private Deferred<Protocol> to(InetAddress address, Factory factory) {
        return ConnectionWaiter.connect(factory,
                f -> reactor.connectTCP(address.getHostAddress(), port, f, timeoutSeconds, bindAddress));
    }

    private static InetAddress firstIpv6(String host) throws ConnectFailedException {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a instanceof Inet6Address) {
                    return a;
                }
            }
        } catch (UnknownHostException e) {
            throw new ConnectFailedException("cannot resolve host " + host + ": " + e, e);
        }
        throw new ConnectFailedException("host " + host + " has no IPv6 address", null);
    }

    /** The endpoint's parameters, e.g. {@code TCP6ClientEndpoint[host=::1, port=80, timeout=30, bind=]}. */
    @Override
    public String toString() {
        return "TCP6ClientEndpoint[host=" + host + ", port=" + port + ", timeout=" + Describe.number(timeoutSeconds)
                + ", bind=" + Describe.bind(bindAddress) + "]";
    }
}
