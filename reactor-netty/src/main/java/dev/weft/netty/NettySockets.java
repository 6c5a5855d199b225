package dev.weft.netty;

import dev.weft.reactor.internal.Loggers;
import dev.weft.reactor.spi.ListeningPortBase;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import org.slf4j.Logger;

/**
 * The sockets of one Netty I/O kind, {@code nio}, {@code epoll} or {@code io_uring}: the Netty channel classes that make them, and the
 * listening and datagram sockets bound before Netty sees them.
 *
 * <p>Listening sockets are bound here, on the calling thread, and only then wrapped in a Netty channel: a listen
 * call binds (or fails) before it returns whatever thread makes it, without waiting for the loop, which an owned
 * loop would not run before {@code run()}. A Netty channel over a bound socket is active from its registration on.
 */
enum NettySockets {
    NIO {
        @Override
        Channel newSocket() {
            return new NioSocketChannel();
        }

        @Override
        boolean sharesPorts() {
            return NIO_REUSE_PORT;
        }

        @Override
        Channel bindServer(InetSocketAddress address, int backlog, boolean reusePort) throws IOException {
            ServerSocketChannel s = ServerSocketChannel.open(familyOf(address));
            try {
                s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (reusePort) {
                    s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                s.bind(address, backlog);
                return new NioServer(s);
            } catch (IOException | RuntimeException e) {
                closeQuietly(s);
                throw e;
            }
        }

        @Override
        Channel bindDatagram(InetSocketAddress address) throws IOException {
            DatagramChannel d = DatagramChannel.open(familyOf(address));
            try {
                d.bind(address);
                return new NioDatagramChannel(d);
            } catch (IOException | RuntimeException e) {
                closeQuietly(d);
                throw e;
            }
        }

        @Override
        Channel newDomainSocket() {
            try {
                return new NioUnixChannel();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot open a UNIX socket", e);
            }
        }

        @Override
        SocketAddress domainAddress(String path) {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        DomainServer bindDomainServer(String path, int backlog) throws IOException {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                s.bind(UnixDomainSocketAddress.of(path), backlog);
                return new DomainServer(new NioUnixServerChannel(s),
                        () -> ListeningPortBase.acceptAndReset(s));
            } catch (IOException | RuntimeException e) {
                closeQuietly(s);
                throw e;
            }
        }

        @Override
        boolean acceptAndClose(Channel server) throws IOException {
            return ListeningPortBase.acceptAndReset(((NioServer) server).socket());
        }

        /**
         * The JDK closes the socket of a channel registered with a selector only at that selector's next select:
         * this runs one at once, as Netty itself does when it must see cancelled keys gone. The keys it finds
         * ready are handled at the loop's next I/O dispatch, as after any poll.
         */
        @Override
        void closePort(Channel ch, IoEventLoop loop) {
            ch.close();
            try {
                loopSelector(loop).selectNow();
            } catch (IOException | RuntimeException e) {
                // The loop is shutting down (its selector closes every socket), or is not a plain NIO loop.
                LOG.debug("cannot flush the cancelled keys of {}", loop, e);
            }
        }
    },

    EPOLL {
        @Override
        Channel newSocket() {
            return new EpollSocketChannel();
        }

        @Override
        boolean sharesPorts() {
            return true;
        }

        @Override
        Channel bindServer(InetSocketAddress address, int backlog, boolean reusePort) throws IOException {
            Socket s = LinuxSocket.newSocketStream(isIpv6(address));
            try {
                s.setReuseAddress(true);
                if (reusePort) {
                    s.setReusePort(true);
                }
                s.bind(address);
                s.listen(backlog);
                return new EpollServerSocketChannel(s.intValue());
            } catch (IOException | RuntimeException e) {
                closeQuietly(s);
                throw e;
            }
        }

        /**
         * Accepts through the listening channel's own socket ({@code fd()}, Netty's {@code LinuxSocket}), whose
         * {@code accept} returns the new descriptor, or -1 if none waits ({@code EAGAIN}).
         */
        @Override
        Channel newDomainSocket() {
            return new EpollDomainSocketChannel();
        }

        @Override
        SocketAddress domainAddress(String path) {
            return new DomainSocketAddress(path);
        }

        @Override
        DomainServer bindDomainServer(String path, int backlog) throws IOException {
            Socket s = LinuxSocket.newSocketDomain();
            try {
                s.bind(new DomainSocketAddress(path));
                s.listen(backlog);
                // active: the socket listens already (the int-only constructor takes it as inactive, and never reads it)
                EpollServerDomainSocketChannel ch = new EpollServerDomainSocketChannel(s.intValue(), true);
                return new DomainServer(ch, () -> acceptAndClose(ch));
            } catch (IOException | RuntimeException e) {
                closeQuietly(s);
                throw e;
            }
        }

        @Override
        boolean acceptAndClose(Channel server) throws IOException {
            return acceptAndCloseNative(server);
        }

        @Override
        Channel bindDatagram(InetSocketAddress address) throws IOException {
            Socket s = LinuxSocket.newSocketDgram(isIpv6(address));
            try {
                s.bind(address);
                return new EpollDatagramChannel(s.intValue());
            } catch (IOException | RuntimeException e) {
                closeQuietly(s);
                throw e;
            }
        }
    },

    /**
     * Netty's io_uring channels. Its TCP listening channel binds through its own {@code doBind}, which Netty leaves
     * public, before registration; its UNIX listening channel has no way to bind before registration, so it is bound
     * as a task of the loop (see {@link #bindsDomainServerOnLoop()}).
     */
    IO_URING {
        @Override
        Channel newSocket() {
            return new IoUringSocketChannel();
        }

        @Override
        boolean sharesPorts() {
            return true;
        }

        @Override
        Channel bindServer(InetSocketAddress address, int backlog, boolean reusePort) throws IOException {
            IoUringServerSocketChannel s = new IoUringServerSocketChannel();
            try {
                s.config().setReuseAddress(true);
                if (reusePort && !s.config().setOption(io.netty.channel.unix.UnixChannelOption.SO_REUSEPORT, true)) {
                    throw new IOException("io_uring refused SO_REUSEPORT on " + address);
                }
                s.config().setBacklog(backlog);
                s.doBind(address);
                return s;
            } catch (IOException | RuntimeException e) {
                s.unsafe().closeForcibly();
                throw e;
            } catch (Exception e) {
                s.unsafe().closeForcibly();
                throw new IOException(e);
            }
        }

        @Override
        boolean acceptAndClose(Channel server) throws IOException {
            return acceptAndCloseNative(server);
        }

        /**
         * io_uring closes a listening socket a turn of the loop later, once its pending accept is cancelled; until
         * then the kernel would still queue connections on it. The socket is shut down first, which stops it listening
         * at once, so the port refuses connections from the moment it is closed, as on the other transports.
         */
        @Override
        void closePort(Channel ch, IoEventLoop loop) {
            FileDescriptor fd = ((UnixChannel) ch).fd();
            if (fd.isOpen() && fd instanceof Socket) {
                try {
                    ((Socket) fd).shutdown();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("cannot shut down the listening socket {} before closing it", ch, e);
                }
            }
            ch.close();
        }

        @Override
        Channel newDomainSocket() {
            return new IoUringDomainSocketChannel();
        }

        @Override
        SocketAddress domainAddress(String path) {
            return new DomainSocketAddress(path);
        }

        @Override
        DomainServer bindDomainServer(String path, int backlog) {
            IoUringServerDomainSocketChannel ch = new IoUringServerDomainSocketChannel();
            ch.config().setOption(io.netty.channel.ChannelOption.SO_BACKLOG, backlog);
            return new DomainServer(ch, () -> acceptAndCloseNative(ch));
        }

        @Override
        boolean bindsDomainServerOnLoop() {
            return true;
        }

        @Override
        boolean acceptTakesDescriptorFirst() {
            return true;
        }

        @Override
        boolean connectsDatagramNatively() {
            return true;
        }

        @Override
        Channel bindDatagram(InetSocketAddress address) throws IOException {
            // Netty's io_uring datagram channel writes IPv6 socket addresses: an IPv4 socket fails every sendmsg
            // (EINVAL). Its sockets are IPv6 (dual-stack) where the system has IPv6, as its own constructors make.
            Socket s = Socket.newSocketDgram();
            try {
                s.bind(address);
                return new IoUringDatagramChannel(s.intValue());
            } catch (IOException | RuntimeException e) {
                closeQuietly(s);
                throw e;
            }
        }
    };

    private static final Logger LOG = Loggers.get(NettyReactor.class);

    /** Whether the JDK offers {@code SO_REUSEPORT} on listening sockets here. */
    private static final boolean NIO_REUSE_PORT = offersReusePort();

    private static boolean offersReusePort() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Room for the peer's address that the native {@code accept} writes (a length byte, an IPv6 address, its scope
     * and the port take 25 bytes).
     */
    private static final int ACCEPTED_ADDRESS_BYTES = 64;

    /**
     * A new, unconnected TCP channel.
     *
     * @return the channel, not registered
     */
    abstract Channel newSocket();

    /**
     * A listening TCP socket bound to {@code address} with {@code SO_REUSEADDR}, wrapped in a server channel; with
     * {@code reusePort}, {@code SO_REUSEPORT} is set before the bind too: a share of a reactor group's port. Called
     * through {@link #bindListening}, which checks {@code reusePort} against {@link #sharesPorts()}.
     *
     * @param address   the address to bind
     * @param backlog   the accept queue length
     * @param reusePort whether to set {@code SO_REUSEPORT}; only where {@link #sharesPorts()}
     * @return the channel, not registered
     * @throws IOException if the socket cannot be bound
     */
    abstract Channel bindServer(InetSocketAddress address, int backlog, boolean reusePort) throws IOException;

    /**
     * Whether {@link #bindListening} can bind with {@code SO_REUSEPORT} on this I/O kind here. Any thread.
     *
     * @return false unless the kind overrides it
     */
    boolean sharesPorts() {
        return false;
    }

    /**
     * A listening TCP socket ({@link #bindServer}), shared with {@code SO_REUSEPORT} when {@code reusePort}.
     *
     * @param address   the address to bind
     * @param backlog   the accept queue length
     * @param reusePort whether the socket is a share of a reactor group's port
     * @return the channel, not registered
     * @throws IOException                   if the socket cannot be bound
     * @throws UnsupportedOperationException if {@code reusePort} and {@link #sharesPorts()} is false
     */
    final Channel bindListening(InetSocketAddress address, int backlog, boolean reusePort) throws IOException {
        if (reusePort && !sharesPorts()) {
            throw new UnsupportedOperationException(this + " cannot share a listening port");
        }
        return bindServer(address, backlog, reusePort);
    }

    /**
     * Accepts one connection waiting on a listening channel of this I/O kind, made by {@link #bindServer}, through
     * the channel's socket and not through Netty (no child channel is made), and closes it at once with a reset: what
     * a port that is out of file descriptors does with the connections it cannot serve. On the loop thread, where
     * the channel is closed too.
     *
     * @param server the listening channel, open
     * @return whether a connection was waiting
     * @throws IOException if accepting failed, or the channel is closed
     */
    abstract boolean acceptAndClose(Channel server) throws IOException;

    /**
     * A new, unconnected UNIX domain stream channel.
     *
     * @return the channel, not registered
     */
    abstract Channel newDomainSocket();

    /**
     * The address a channel of {@link #newDomainSocket()} connects to for {@code path}.
     *
     * @param path the socket's path
     * @return the address in this I/O kind's type
     */
    abstract SocketAddress domainAddress(String path);

    /**
     * A listening UNIX domain stream socket bound to {@code path}, wrapped in a server channel, with how to accept
     * and close a waiting connection through its socket (see {@link #acceptAndClose(Channel)}).
     *
     * @param path    the socket's path (the file is the caller's to prepare and remove)
     * @param backlog the accept queue length
     * @return the channel, not registered, and its accept-and-close
     * @throws IOException if the socket cannot be bound
     */
    abstract DomainServer bindDomainServer(String path, int backlog) throws IOException;

    /** Accepts one connection waiting on a listening socket and closes it at once. */
    @FunctionalInterface
    interface WaitingAccept {
        /**
         * Accepts and closes one waiting connection. Loop thread.
         *
         * @return whether a connection was waiting
         * @throws IOException if accepting failed
         */
        boolean acceptAndClose() throws IOException;
    }

    /**
     * A bound UNIX listening channel and its accept-and-close.
     *
     * @param channel the server channel, not registered
     * @param waiting accepts and closes one waiting connection
     */
    record DomainServer(Channel channel, WaitingAccept waiting) {
    }

    /**
     * Whether {@link #bindDomainServer} leaves the channel unbound, to be bound by Netty once registered: then the
     * socket is bound when the loop has run the registration (at once on the loop thread, and on an attached loop,
     * which is waited for).
     *
     * @return true for io_uring
     */
    boolean bindsDomainServerOnLoop() {
        return false;
    }

    /**
     * Whether this kind's accept takes a file descriptor before it looks for a waiting connection, so that, out of
     * descriptors, it fails at once whether a connection waits or not (io_uring's); a listening port then waits for a
     * connection before it lets Netty accept again ({@link AcceptReadiness}). Nio and epoll accept only when their
     * poll says a connection waits.
     *
     * @return true for io_uring
     */
    boolean acceptTakesDescriptorFirst() {
        return false;
    }

    /**
     * Whether a UDP port connects its socket itself rather than through Netty's {@code connect}: Netty's io_uring
     * datagram channel connects asynchronously, and a datagram written before that completes is lost.
     *
     * @return true for io_uring
     */
    boolean connectsDatagramNatively() {
        return false;
    }

    /**
     * Accepts one waiting connection through the native socket of a listening epoll or io_uring channel, and resets
     * it; see {@link #acceptAndClose(Channel)}.
     */
    static boolean acceptAndCloseNative(Channel server) throws IOException {
        FileDescriptor fd = ((UnixChannel) server).fd();
        if (!fd.isOpen()) {
            // Its number may belong to another file by now.
            throw new ClosedChannelException();
        }
        int accepted = ((Socket) fd).accept(new byte[ACCEPTED_ADDRESS_BYTES]);
        if (accepted < 0) {
            return false;
        }
        Socket c = new Socket(accepted);
        try {
            c.setSoLinger(0);
        } catch (IOException | RuntimeException e) {
            // reset by the peer already: a plain close will do
        } finally {
            c.close();
        }
        return true;
    }

    /**
     * The address a port reports for a socket bound to {@code asked}: the bound address, except that an IPv4 wildcard
     * bound on a dual-stack IPv6 socket (Netty's io_uring channels open only those where the system has IPv6) is
     * reported as asked, {@code 0.0.0.0} and the port: IPv4 is served on every address as asked.
     *
     * @param asked the address asked for
     * @param bound the socket's local address, or null
     * @return what {@code getHost()} gives
     */
    static InetSocketAddress reported(InetSocketAddress asked, SocketAddress bound) {
        if (!(bound instanceof InetSocketAddress)) {
            return asked;
        }
        InetSocketAddress b = (InetSocketAddress) bound;
        if (asked.getAddress() != null && !isIpv6(asked) && asked.getAddress().isAnyLocalAddress()
                && b.getAddress() instanceof Inet6Address && b.getAddress().isAnyLocalAddress()) {
            return new InetSocketAddress(asked.getAddress(), b.getPort());
        }
        return b;
    }

    /**
     * A UDP socket bound to {@code address}, wrapped in a datagram channel.
     *
     * @param address the address to bind
     * @return the channel, not registered
     * @throws IOException if the socket cannot be bound
     */
    abstract Channel bindDatagram(InetSocketAddress address) throws IOException;

    /**
     * Closes the channel of a listening or UDP port and releases its port before returning. On the loop thread.
     *
     * @param ch   the channel
     * @param loop the reactor's loop
     */
    void closePort(Channel ch, IoEventLoop loop) {
        ch.close();
    }

    /**
     * Whether a socket that binds {@code address} must be an IPv6 one: a socket of the address's own family is
     * opened, so that {@code 0.0.0.0} binds IPv4 only and {@code ::} IPv6 (and IPv4 where the system maps it).
     *
     * @param address the address to bind
     * @return whether it is an IPv6 address
     */
    private static boolean isIpv6(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address;
    }

    private static ProtocolFamily familyOf(InetSocketAddress address) {
        return isIpv6(address) ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /**
     * Registers a channel with the loop: inline on the loop thread, else as a task of the loop.
     *
     * @param loop the reactor's loop
     * @param ch   the channel
     * @return the registration's future
     */
    @SuppressWarnings("deprecation") // The way to register a Channel (Bootstrap's); the IoHandle form is lower.
    static ChannelFuture register(IoEventLoop loop, Channel ch) {
        return loop.register(ch);
    }

    /**
     * Whether {@code cause}, the failure of a datagram read or write, is an ICMP refusal from the connected peer.
     *
     * @param cause the failure
     * @return whether the peer refused
     */
    static boolean isRefusal(Throwable cause) {
        if (cause instanceof PortUnreachableException) {
            return true;
        }
        return cause instanceof Errors.NativeIoException
                && ((Errors.NativeIoException) cause).expectedErr() == Errors.ERROR_ECONNREFUSED_NEGATIVE;
    }

    /** The selector of an NIO loop: the key of a registration knows it (Netty replaces it when it must). */
    private static Selector loopSelector(IoEventLoop loop) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.configureBlocking(false);
            Future<IoRegistration> f = loop.register(new Probe(probe));
            if (!f.isSuccess()) {
                throw new IOException("cannot register with " + loop, f.cause());
            }
            IoRegistration r = f.getNow();
            try {
                return ((SelectionKey) r.attachment()).selector();
            } finally {
                r.cancel();
            }
        }
    }

    /** Netty's NIO listening channel, which shows its JDK channel to {@link #acceptAndClose(Channel)}. */
    private static final class NioServer extends NioServerSocketChannel {
        NioServer(ServerSocketChannel socket) {
            super(socket);
        }

        ServerSocketChannel socket() {
            return javaChannel();
        }
    }

    /** A handle registered only to learn the selector of the loop. */
    private static final class Probe extends NioSelectableChannelIoHandle<DatagramChannel> {
        Probe(DatagramChannel channel) {
            super(channel);
        }

        @Override
        protected void handle(DatagramChannel channel, SelectionKey key) {
        }

        @Override
        public void close() {
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the bind failed already; that is the error to report
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the bind failed already; that is the error to report
        }
    }
}
