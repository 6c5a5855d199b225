package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.internal.NetChecks;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Connects over TCP to a host and port (Twisted's {@code TCP4ClientEndpoint}; description {@code tcp:HOST:PORT}).
 * A host name is resolved by the reactor's {@code connectTCP}, off the reactor thread; for a name with several
 * addresses, tried in turn, use {@link HostnameEndpoint}. Call on the reactor thread.
 */
public final class TCP4ClientEndpoint implements ClientEndpoint {

    private final ReactorTCP reactor;
    private final String host;
    private final int port;
    private final double timeoutSeconds;
    private final InetSocketAddress bindAddress;

    /**
     * Connects with the default timeout (30 s) and no bind address.
     *
     * @param reactor the reactor
     * @param host    the host name or IP address
     * @param port    the port
     */
    public TCP4ClientEndpoint(ReactorTCP reactor, String host, int port) {
        this(reactor, host, port, ReactorTCP.DEFAULT_CONNECT_TIMEOUT, null);
    }

    /**
     * Connects with a timeout and a bind address.
     *
     * @param reactor        the reactor
     * @param host           the host name or IP address
     * @param port           the port, 1 to 65535
     * @param timeoutSeconds how long each attempt may take: positive
     * @param bindAddress    the local address to bind, or null
     * @throws NullPointerException     if {@code reactor} or {@code host} is null
     * @throws IllegalArgumentException if {@code host} is blank, {@code port} or {@code timeoutSeconds} is out of
     *                                  range
     */
    public TCP4ClientEndpoint(ReactorTCP reactor, String host, int port, double timeoutSeconds,
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
        return ConnectionWaiter.connect(factory, f -> reactor.connectTCP(host, port, f, timeoutSeconds, bindAddress));
    }

    /** The endpoint's parameters, e.g. {@code TCP4ClientEndpoint[host=example.com, port=80, timeout=30, bind=]}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[host=" + host + ", port=" + port + ", timeout="
                + Describe.number(timeoutSeconds) + ", bind=" + Describe.bind(bindAddress) + "]";
    }
}
