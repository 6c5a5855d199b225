package dev.weft.reactor.spi;

import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.ReactorConfig;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/** A reactor for tests of the loop core: its own {@link IoPoller}, no watched channels, and no networking. */
abstract class NoNetworkReactor extends NetworkReactorBase {
    NoNetworkReactor(String name, ReactorConfig config, IoPoller poller) {
        super(name, config, poller);
    }

    @Override
    protected void interestChanged(Interest interest) {
    }

    @Override
    protected ListeningPortBase openUnixPort(String path, Factory f, int backlog, Consumer<AcceptedConnection> handOff) {
        throw new UnsupportedOperationException();
    }

    @Override
    protected ListeningPort openTcpPort(int port, Factory f, int backlog, String iface, SSLContext tls,
            Consumer<AcceptedConnection> handOff) {
        throw new UnsupportedOperationException();
    }

    @Override
    protected Supplier<ConnectionAttempt> connectionAttempts() {
        throw new UnsupportedOperationException();
    }

    @Override
    protected DatagramTransport openUdpPort(int port, DatagramProtocol p, String iface, int maxPacketSize) {
        throw new UnsupportedOperationException();
    }
}
