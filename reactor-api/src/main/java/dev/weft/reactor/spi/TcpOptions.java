package dev.weft.reactor.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;

/**
 * The socket-option bookkeeping of a {@link StreamTransport}, written once for every backend: the options a
 * connection starts with ({@code TCP_NODELAY} on, {@code SO_KEEPALIVE} off, unless the backend keeps the socket's own,
 * as a channel hosted in a user's pipeline does), and the rules of {@code setTcpNoDelay}/{@code setTcpKeepAlive} and
 * their getters: a value set is remembered and applied while the socket is open; a getter reads the socket while it
 * is open and the remembered value once it is closed (or if reading fails). Reactor thread only.
 */
final class TcpOptions {

    private final StreamTransport transport;
    private boolean noDelay = true;
    private boolean keepAlive;

    TcpOptions(StreamTransport transport) {
        this.transport = transport;
    }

    /**
     * Gives a connection that starts its options: Weft's defaults on the backend's own sockets; a socket that keeps
     * its own options has them remembered instead. A socket that cannot take them is left as it is: its first I/O
     * reports what is wrong.
     *
     * @param keepSocketsOwn whether the socket keeps the options it has
     */
    void start(boolean keepSocketsOwn) {
        if (keepSocketsOwn) {
            noDelay = get(StandardSocketOptions.TCP_NODELAY, noDelay);
            keepAlive = get(StandardSocketOptions.SO_KEEPALIVE, keepAlive);
            return;
        }
        try {
            transport.setSocketOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException | RuntimeException e) {
            // closed or reset already: the loss follows from the backend
        }
    }

    void setNoDelay(boolean enabled) {
        noDelay = enabled;
        set(StandardSocketOptions.TCP_NODELAY, enabled);
    }

    boolean noDelay() {
        return get(StandardSocketOptions.TCP_NODELAY, noDelay);
    }

    void setKeepAlive(boolean enabled) {
        keepAlive = enabled;
        set(StandardSocketOptions.SO_KEEPALIVE, enabled);
    }

    boolean keepAlive() {
        return get(StandardSocketOptions.SO_KEEPALIVE, keepAlive);
    }

    private void set(SocketOption<Boolean> option, boolean value) {
        if (transport.isLost()) {
            return;
        }
        try {
            transport.setSocketOption(option, value);
        } catch (ClosedChannelException e) {
            // closed meanwhile (a reset by the peer): the value is remembered
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set " + option.name() + " on " + transport, e);
        }
    }

    private boolean get(SocketOption<Boolean> option, boolean remembered) {
        if (transport.isLost()) {
            return remembered;
        }
        try {
            return transport.socketOption(option, remembered);
        } catch (IOException | RuntimeException e) {
            return remembered;
        }
    }
}
