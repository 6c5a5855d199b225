package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.internal.NetChecks;
import java.util.Objects;

/**
 * What a TCP server endpoint listens with (reactor, port, backlog, interface), checked when made: the part the IPv4
 * and IPv6 endpoints share, which differ only in their default interface and their name. Immutable.
 */
final class TcpListenSpec {
    private final ReactorTCP reactor;
    private final int port;
    private final int backlog;
    private final String iface;

    /**
     * @throws NullPointerException     if {@code reactor} or {@code iface} is null
     * @throws IllegalArgumentException if {@code port} or {@code backlog} is out of range
     */
    TcpListenSpec(ReactorTCP reactor, int port, int backlog, String iface) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
        NetChecks.listen(port, reactor, backlog, iface);
        this.port = port;
        this.backlog = backlog;
        this.iface = iface;
    }

    /** Listens with {@code factory}, as {@link ServerEndpoint#listen} does. Reactor thread. */
    Deferred<ListeningPort> listen(Factory factory) {
        return Listen.with(factory, f -> reactor.listenTCP(port, f, backlog, iface));
    }

    /** The parameters under {@code name}, e.g. {@code TCP4ServerEndpoint[port=80, backlog=50, interface=]}. */
    String describe(String name) {
        return name + "[port=" + port + ", backlog=" + backlog + ", interface=" + iface + "]";
    }
}
