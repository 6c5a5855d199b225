package dev.weft.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the raw Netty baselines share: the transport named on the command line, and a server on one event loop
 * thread (accepting and serving on the same thread, as a Weft reactor does), run until the process is killed.
 */
final class NettyServers {

    private NettyServers() {
    }

    /**
     * Parses {@code nio}, {@code epoll} or {@code io_uring}.
     *
     * @param name the name, or null for nio
     * @return the name, lower case
     * @throws IllegalArgumentException for another name, or a native transport that cannot be used here
     */
    static String transport(String name) {
        quietLogging();
        String t = name == null ? "nio" : name.toLowerCase(Locale.ROOT);
        switch (t) {
            case "nio":
                return t;
            case "epoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalArgumentException("epoll is not available: " + Epoll.unavailabilityCause());
                }
                return t;
            case "io_uring":
                if (!IoUring.isAvailable()) {
                    throw new IllegalArgumentException("io_uring is not available: " + IoUring.unavailabilityCause());
                }
                return t;
            default:
                throw new IllegalArgumentException("transport must be nio, epoll or io_uring, got '" + name + "'");
        }
    }

    /**
     * Parses the optional number of event loops.
     *
     * @param arg the argument, or null for 1
     * @return the number, at least 1
     * @throws IllegalArgumentException if it is not a number of at least 1
     */
    static int loops(String arg) {
        if (arg == null) {
            return 1;
        }
        int n;
        try {
            n = Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new IllegalArgumentException("loops must be a number, at least 1, got '" + arg + "'");
        }
        return n;
    }

    /**
     * Sends Netty's logging to java.util.logging (INFO and up): with Logback on the class path and no configuration
     * of its own, Netty would log at DEBUG, which costs the server CPU time during a load run.
     */
    static void quietLogging() {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    /** A server bound by {@link #start}: its channel and its one-thread event loop group. */
    record Running(Channel channel, EventLoopGroup group) implements AutoCloseable {
        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Binds 127.0.0.1:{@code port} on one event loop thread of {@code transport}, the same group accepting and
     * serving.
     *
     * @param port      the port, 0 for any
     * @param transport nio, epoll or io_uring
     * @param handlers  makes the handlers of a new connection, in pipeline order
     * @return the bound server
     * @throws InterruptedException if interrupted while binding
     */
    @SafeVarargs
    static Running start(int port, String transport, Supplier<ChannelHandler>... handlers)
            throws InterruptedException {
        return start(port, transport, 1, handlers);
    }

    /**
     * Binds 127.0.0.1:{@code port} on a group of {@code loops} event loop threads of {@code transport}, the same group
     * accepting (on one of its loops) and serving (Netty hands each accepted channel to the next loop in turn).
     *
     * @param port      the port, 0 for any
     * @param transport nio, epoll or io_uring
     * @param loops     how many event loop threads, at least 1
     * @param handlers  makes the handlers of a new connection, in pipeline order
     * @return the bound server
     * @throws InterruptedException if interrupted while binding
     */
    @SafeVarargs
    static Running start(int port, String transport, int loops, Supplier<ChannelHandler>... handlers)
            throws InterruptedException {
        IoHandlerFactory factory;
        Class<? extends ServerChannel> channel;
        switch (transport) {
            case "epoll":
                factory = EpollIoHandler.newFactory();
                channel = EpollServerSocketChannel.class;
                break;
            case "io_uring":
                factory = IoUringIoHandler.newFactory();
                channel = IoUringServerSocketChannel.class;
                break;
            default:
                factory = NioIoHandler.newFactory();
                channel = NioServerSocketChannel.class;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, factory);
        try {
            Channel server = new ServerBootstrap()
                    .group(group, group)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 511)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            for (Supplier<ChannelHandler> h : handlers) {
                                ch.pipeline().addLast(h.get());
                            }
                        }
                    })
                    .bind("127.0.0.1", port).sync().channel();
            return new Running(server, group);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * {@link #start}s, prints {@code listening on PORT} and serves until the process ends (a shutdown hook closes
     * the loop).
     *
     * @param name      the server's name, for messages
     * @param port      the port
     * @param transport nio, epoll or io_uring
     * @param handlers  makes the handlers of a new connection, in pipeline order
     * @throws InterruptedException if interrupted while serving
     */
    @SafeVarargs
    static void serve(String name, int port, String transport, Supplier<ChannelHandler>... handlers)
            throws InterruptedException {
        serve(name, port, transport, 1, handlers);
    }

    /**
     * {@link #serve(String, int, String, Supplier[])} on {@code loops} event loop threads.
     *
     * @param name      the server's name, for messages
     * @param port      the port
     * @param transport nio or epoll
     * @param loops     how many event loop threads, at least 1
     * @param handlers  makes the handlers of a new connection, in pipeline order
     * @throws InterruptedException if interrupted while serving
     */
    @SafeVarargs
    static void serve(String name, int port, String transport, int loops, Supplier<ChannelHandler>... handlers)
            throws InterruptedException {
        Running server = start(port, transport, loops, handlers);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, name + "-shutdown"));
        System.out.println("listening on " + server.port() + " (" + name + ", netty " + transport + ", " + loops
                + (loops == 1 ? " loop)" : " loops)"));
        System.out.flush();
        server.channel().closeFuture().sync();
    }
}
