package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.ReactorSSL;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.internal.NetChecks;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Listens for TLS connections on a TCP port (Twisted's {@code SSL4ServerEndpoint}; description
 * {@code ssl:PORT:privateKey=key.pem:certKey=cert.pem}). Call on the reactor thread.
 */
public final class SSL4ServerEndpoint implements ServerEndpoint {

    private final ReactorSSL reactor;
    private final int port;
    private final SSLContext context;
    private final int backlog;
    private final String iface;

    /**
     * Listens on every IPv4 interface with the default backlog.
     *
     * @param reactor the reactor
     * @param port    the port, 0 for one the system picks
     * @param context the server's keys
     */
    public SSL4ServerEndpoint(ReactorSSL reactor, int port, SSLContext context) {
        this(reactor, port, context, ReactorTCP.DEFAULT_BACKLOG, "");
    }

    /**
     * Listens on {@code iface}.
     *
     * @param reactor the reactor
     * @param port    the port, 0 to 65535
     * @param context the server's keys (and trust, for client certificates)
     * @param backlog the accept queue length, at least 1
     * @param iface   the address to bind, {@code ""} for every IPv4 interface
     * @throws NullPointerException     if {@code reactor}, {@code context} or {@code iface} is null
     * @throws IllegalArgumentException if {@code port} or {@code backlog} is out of range
     */
    public SSL4ServerEndpoint(ReactorSSL reactor, int port, SSLContext context, int backlog, String iface) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
        this.context = Objects.requireNonNull(context, "context must not be null");
        NetChecks.listen(port, reactor, backlog, iface);
        this.port = port;
        this.backlog = backlog;
        this.iface = iface;
    }

    @Override
    public Deferred<ListeningPort> listen(Factory factory) {
        return Listen.with(factory, f -> reactor.listenSSL(port, f, context, backlog, iface));
    }

    /** The endpoint's parameters, e.g. {@code SSL4ServerEndpoint[port=443, backlog=50, interface=]}. */
    @Override
    public String toString() {
        return "SSL4ServerEndpoint[port=" + port + ", backlog=" + backlog + ", interface=" + iface + "]";
    }
}
