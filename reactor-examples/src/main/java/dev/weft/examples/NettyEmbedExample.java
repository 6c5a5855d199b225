package dev.weft.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.weft.netty.NettyReactor;
import dev.weft.netty.ProtocolHandler;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorNotRunningException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Netty shop's case: an existing Netty HTTP server that also hosts a Weft protocol, through
 * {@link ProtocolHandler}, on a second port of the same event loop. HTTP on {@code --port} (8080) answers
 * {@code GET /} with a small text page; a Weft {@link LineReceiver} chat on {@code --port + 1} echoes each line to
 * its sender and sends it to everyone else. A reactor attached to the server's one loop
 * ({@link NettyReactor#attach}) runs the chat, so the HTTP handler and the chat share their counters without locks.
 * Ctrl-C stops the reactor (its shutdown triggers say goodbye to the chat), then the Netty group.
 */
final class NettyEmbedExample {

    private static final int DEFAULT_PORT = 8080;

    private NettyEmbedExample() {
    }

    static int main(String[] args) {
        Options options;
        try {
            options = Options.parse(args, Set.of());
        } catch (IllegalArgumentException e) {
            System.err.println("netty-embed: " + e.getMessage());
            return 2;
        }
        if (options.help) {
            System.out.println("usage: netty-embed [--port N] [--host ADDRESS] [--help]");
            System.out.println("A Netty HTTP server on --port (default " + DEFAULT_PORT + ") that also hosts a Weft"
                    + " line chat on --port + 1 (--port 0: any free ports), on one Netty event loop with a Weft"
                    + " reactor attached to it. --host is the address to bind (default 127.0.0.1).");
            System.out.println("Netty only: --backend is accepted and ignored. Ctrl-C stops it.");
            return 0;
        }
        if (options.backend != null) {
            System.out.println("netty-embed: this example hosts Weft in a Netty server, so it runs on the netty backend"
                    + " only" + (options.backend.equals("netty") ? "" : "; --backend " + options.backend + " ignored"));
        }
        int httpPort = options.portOr(DEFAULT_PORT);
        int weftPort = httpPort == 0 ? 0 : httpPort + 1;
        if (weftPort > 65535) {
            System.err.println("netty-embed: --port must leave room for the chat on --port + 1 (at most 65534)");
            return 2;
        }
        Running running;
        try {
            running = start(options.host, httpPort, weftPort);
        } catch (PortInUseException e) {
            System.err.println("netty-embed: cannot start: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("netty-embed: cannot start: " + e);
            return 1;
        }
        InetSocketAddress http = running.httpAddress();
        InetSocketAddress weft = running.weftAddress();
        System.out.println("HTTP on http://" + http.getHostString() + ":" + http.getPort() + "/");
        System.out.println("Weft line chat on " + weft.getHostString() + ":" + weft.getPort() + " (try: nc "
                + weft.getHostString() + " " + weft.getPort() + ")");
        System.out.println("backend " + running.backendName());
        Thread hook = new Thread(running::stop, "netty-embed-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        running.awaitTermination();
        return 0;
    }

    /**
     * Starts the Netty group, its two servers and the attached reactor. From any thread; returns once both ports are
     * bound and the reactor runs.
     *
     * @param host     the address to bind
     * @param httpPort the HTTP port, 0 for any
     * @param weftPort the Weft chat port, 0 for any
     * @return the running servers
     * @throws PortInUseException if one of the two ports is taken, naming which (the group is shut down then)
     * @throws Exception            if a port cannot be bound otherwise (the group is shut down then)
     */
    static Running start(String host, int httpPort, int weftPort) throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            NettyReactor reactor = NettyReactor.attach(loop);
            Stats stats = new Stats();
            ChatFactory chat = new ChatFactory(stats);

            // The Weft side: a ProtocolHandler, one per channel, with the reactor and the factory shared.
            ChannelFuture weftBind = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ProtocolHandler(reactor, chat));
                        }
                    })
                    .bind(host, weftPort).await();
            Channel weftServer = bound(weftBind, "chat", host, weftPort);
            InetSocketAddress weftAddress = (InetSocketAddress) weftServer.localAddress();

            // The Netty shop's existing HTTP server, on the same loop.
            ChannelFuture httpBind = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                    new Page(stats, weftAddress));
                        }
                    })
                    .bind(host, httpPort).await();
            Channel httpServer = bound(httpBind, "HTTP", host, httpPort);

            CountDownLatch reactorStopped = new CountDownLatch(1);
            reactor.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, chat::announceShutdown);
            reactor.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, reactorStopped::countDown);
            CountDownLatch running = new CountDownLatch(1);
            reactor.callWhenRunning(running::countDown);
            reactor.startRunning();
            if (!running.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the reactor did not start on the server's loop within 10 s");
            }
            return new Running(group, reactor, reactorStopped, (InetSocketAddress) httpServer.localAddress(),
                    weftAddress);
        } catch (Exception | Error e) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * The channel of a finished bind, or why it failed: a {@link PortInUseException} naming the port's role when the
     * address is taken, the bind's own failure otherwise.
     */
    private static Channel bound(ChannelFuture bind, String role, String host, int port) throws Exception {
        Throwable failure = bind.cause();
        if (failure == null) {
            return bind.channel();
        }
        if (failure instanceof BindException) {
            throw new PortInUseException("the " + role + " port " + host + ":" + port + " is in use ("
                    + failure.getMessage() + ")", failure);
        }
        if (failure instanceof Exception) {
            throw (Exception) failure;
        }
        throw (Error) failure;
    }

    /** A port of the example is taken; the message says which (HTTP or chat) and where. */
    static final class PortInUseException extends Exception {
        private static final long serialVersionUID = 1L;

        PortInUseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The servers of {@link #start}: their addresses, and how to stop them. Thread-safe. */
    static final class Running {
        private final MultiThreadIoEventLoopGroup group;
        private final NettyReactor reactor;
        private final CountDownLatch reactorStopped;
        private final InetSocketAddress httpAddress;
        private final InetSocketAddress weftAddress;
        private final AtomicBoolean stopping = new AtomicBoolean();

        Running(MultiThreadIoEventLoopGroup group, NettyReactor reactor, CountDownLatch reactorStopped,
                InetSocketAddress httpAddress, InetSocketAddress weftAddress) {
            this.group = group;
            this.reactor = reactor;
            this.reactorStopped = reactorStopped;
            this.httpAddress = httpAddress;
            this.weftAddress = weftAddress;
        }

        /** What runs the chat: the attached reactor's {@code backendName()}. */
        String backendName() {
            return reactor.backendName();
        }

        /** The bound address of the HTTP server. */
        InetSocketAddress httpAddress() {
            return httpAddress;
        }

        /** The bound address of the Weft chat. */
        InetSocketAddress weftAddress() {
            return weftAddress;
        }

        /** Whether the reactor's shutdown has run to its end (its AFTER triggers). */
        boolean reactorStopped() {
            return reactorStopped.getCount() == 0;
        }

        /** Whether the Netty group has terminated. */
        boolean terminated() {
            return group.isTerminated();
        }

        /**
         * Stops the reactor through {@code callFromThread} (its shutdown triggers run, and every chat connection
         * gets {@code connectionLost}), then shuts the Netty group down. From any thread but the loop's; a second
         * call waits for the first.
         */
        void stop() {
            if (stopping.compareAndSet(false, true)) {
                reactor.callFromThread(() -> {
                    try {
                        reactor.stop();
                    } catch (ReactorNotRunningException alreadyStopping) {
                        // stopped or stopping already
                    }
                });
                try {
                    if (!reactorStopped.await(5, TimeUnit.SECONDS)) {
                        System.err.println("netty-embed: the reactor did not stop within 5 s");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
            awaitTermination();
        }

        /** Waits until the Netty group has terminated (after {@link #stop()}). */
        void awaitTermination() {
            group.terminationFuture().awaitUninterruptibly();
        }
    }

    /** State shared by the HTTP handler and the chat: both run on the one loop, so no locks. */
    private static final class Stats {
        int weftLines;
        int chatUsers;
        int httpRequests;
    }

    /** The Netty HTTP handler: {@code GET /} shows a page with the Weft side's counters. */
    private static final class Page extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Stats stats;
        private final InetSocketAddress weftAddress;

        Page(Stats stats, InetSocketAddress weftAddress) {
            this.stats = stats;
            this.weftAddress = weftAddress;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            stats.httpRequests++;
            HttpResponseStatus status;
            String body;
            if (!request.method().equals(HttpMethod.GET)) {
                status = HttpResponseStatus.METHOD_NOT_ALLOWED;
                body = "only GET here\n";
            } else if (!request.uri().equals("/")) {
                status = HttpResponseStatus.NOT_FOUND;
                body = "nothing at " + request.uri() + "; try /\n";
            } else {
                status = HttpResponseStatus.OK;
                body = "Hello from a Netty HTTP server.\n"
                        + "The same event loop runs a Weft line chat on " + weftAddress.getHostString() + ":"
                        + weftAddress.getPort() + ".\n"
                        + "Weft chat users now: " + stats.chatUsers + "\n"
                        + "Weft lines received: " + stats.weftLines + "\n"
                        + "HTTP requests served: " + stats.httpRequests + "\n";
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            HttpUtil.setContentLength(response, response.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** The Weft chat's factory: it knows every connected user. */
    private static final class ChatFactory extends Factory {
        private final Stats stats;
        private final List<Chat> users = new ArrayList<>();
        private int nextId = 1;

        ChatFactory(Stats stats) {
            this.stats = stats;
        }

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            Chat c = new Chat(this, nextId++);
            c.setFactory(this);
            return c;
        }

        @Override
        protected void startFactory() {
            System.out.println("weft: chat factory started (first connection)");
        }

        @Override
        protected void stopFactory() {
            System.out.println("weft: chat factory stopped");
        }

        void announceShutdown() {
            System.out.println("weft: reactor shutting down; " + users.size() + " chat user(s) connected");
            for (Chat c : users) {
                c.say("server shutting down, bye");
            }
        }
    }

    /**
     * One chat user: each line is echoed back and sent to everyone else; {@code /quit} leaves. A line ends with LF
     * (as {@code nc} sends it) or CRLF (as {@code telnet} does); the chat's own lines end with CRLF.
     */
    private static final class Chat extends LineReceiver {
        private static final byte[] CRLF = {'\r', '\n'};
        private final ChatFactory chat;
        private final int id;

        Chat(ChatFactory chat, int id) {
            this.chat = chat;
            this.id = id;
            setDelimiter(new byte[] {'\n'});
        }

        /** Sends one line, ended by CRLF whatever the delimiter of the input. */
        void say(String line) {
            transport().writeSequence(List.of(line.getBytes(UTF_8), CRLF));
        }

        @Override
        public void connectionMade() {
            chat.users.add(this);
            chat.stats.chatUsers = chat.users.size();
            say("welcome, user" + id + ": " + chat.users.size() + " here; the HTTP side served "
                    + chat.stats.httpRequests + " request(s); lines are echoed and sent to everyone; /quit leaves");
            broadcast("* user" + id + " joined");
        }

        @Override
        protected void lineReceived(byte[] line) {
            int n = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
            String text = new String(line, 0, n, UTF_8);
            chat.stats.weftLines++;
            if (text.equals("/quit")) {
                say("bye");
                transport().loseConnection();
                return;
            }
            say("echo: " + text);
            broadcast("user" + id + ": " + text);
        }

        @Override
        public void connectionLost(Throwable reason) {
            chat.users.remove(this);
            chat.stats.chatUsers = chat.users.size();
            broadcast("* user" + id + " left");
        }

        private void broadcast(String message) {
            for (Chat other : chat.users) {
                if (other != this) {
                    other.say(message);
                }
            }
        }
    }
}
