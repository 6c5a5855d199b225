package dev.weft.bench.scale;

import dev.weft.bench.jmh.BenchSupport;
import dev.weft.netty.NettyReactor;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorConfig;
import dev.weft.untwisted.UntwistedReactor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle TCP connections held by each server, each server in a JVM of its own; the clients are plain blocking JDK
 * {@code SocketChannel}s in a third JVM that the server's JVM starts, connected over 127.0.0.1, so that each process
 * needs one descriptor per connection and 10,000 connections fit an open-files limit of 20,000. Reports the heap
 * used after GC and the RSS ({@code VmRSS}) of the server's JVM before the clients connect and once the server has
 * accepted them all, and the difference per connection. The row {@code jdk-floor} is a bare
 * {@code ServerSocketChannel} whose accepted channels sit in a list: what the sockets themselves cost, for
 * comparison.
 *
 * <p>The count is 10,000 unless the soft limit on open files ({@code /proc/self/limits}) cannot hold one descriptor
 * per connection plus those the JVM has open; then it is scaled down to fit, with a printed note.
 *
 * <pre>
 * java -cp reactor-benchmarks/target/weft-benchmarks.jar dev.weft.bench.scale.IdleConnections
 *     [--connections 10000] [--targets untwisted,netty-nio,...]
 * </pre>
 */
public final class IdleConnections {

    /** Every server, in table order. */
    static final List<String> TARGETS = List.of("jdk-floor", "untwisted", "netty-nio", "netty-epoll",
            "netty-attached-nio", "netty-baseline-nio", "netty-baseline-epoll");

    // The blocked-loop detector at 1 s: a cold start on a busy machine is no finding here.
    private static final List<String> CHILD_JVM = List.of("-Xms1g", "-Xmx1g", "-Dweft.blocked.threshold.ms=1000");
    private static final int BACKLOG = 4096;
    private static final int CHUNK = 1000;
    private static final String CONNECTED = "connected ";
    /** Descriptors kept free for the JVM (jars, selectors, epoll, pipes) beyond those open at the start. */
    private static final int FD_MARGIN = 64;

    private IdleConnections() {
    }

    /**
     * Runs every server in a child JVM and prints one table; with {@code --child target}, measures that server.
     *
     * @param args {@code --connections N}, {@code --targets a,b}; {@code --child target} (internal)
     * @throws Exception if a child cannot run, or (in a child) the server fails
     */
    public static void main(String[] args) throws Exception {
        int connections = 10_000;
        List<String> targets = TARGETS;
        String child = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--connections":
                    connections = Integer.parseInt(args[++i]);
                    break;
                case "--targets":
                    targets = Arrays.asList(args[++i].split(","));
                    break;
                case "--child":
                    child = args[++i];
                    break;
                case "--clients":
                    clients(Integer.parseInt(args[++i]), connections);
                    return;
                default:
                    System.err.println("usage: IdleConnections [--connections N] [--targets a,b,...]; targets: "
                            + TARGETS);
                    System.exit(2);
            }
        }
        if (child != null) {
            measure(child, connections);
            System.exit(0); // the servers' threads and sockets go with the process
            return;
        }
        System.out.printf(Locale.ROOT, "%,d idle TCP connections per server over 127.0.0.1 (clients: blocking JDK"
                + " SocketChannels in another JVM), each server in its own JVM (%s), JDK %s; open-files soft limit"
                + " %d%n", connections, String.join(" ", CHILD_JVM), Runtime.version(),
                ScaleSupport.openFilesSoftLimit());
        List<String[]> rows = new ArrayList<>();
        for (String t : targets) {
            Map<String, String> r = ScaleSupport.runChild(IdleConnections.class, t, CHILD_JVM,
                    List.of("--connections", Integer.toString(connections)));
            if (r.isEmpty()) {
                rows.add(new String[] {t, "-", "failed: see its output above"});
                continue;
            }
            int n = Integer.parseInt(r.get("connections"));
            long heap0 = Long.parseLong(r.get("heapBefore"));
            long heap1 = Long.parseLong(r.get("heapAfter"));
            long rss0 = Long.parseLong(r.get("rssBefore"));
            long rss1 = Long.parseLong(r.get("rssAfter"));
            rows.add(new String[] {t, String.format(Locale.ROOT, "%,d", n), ScaleSupport.mb(heap0),
                ScaleSupport.mb(heap1), perConnection(heap1 - heap0, n), ScaleSupport.mb(rss0), ScaleSupport.mb(rss1),
                perConnection(rss1 - rss0, n), String.format(Locale.ROOT, "%.2f",
                    Long.parseLong(r.get("connectNanos")) / 1e9)});
        }
        ScaleSupport.printTable(new String[] {"server", "connections", "heap before MB", "heap after MB",
            "heap B/conn", "RSS before MB", "RSS after MB", "RSS B/conn", "connect s"}, rows);
    }

    private static String perConnection(long bytes, int n) {
        return String.format(Locale.ROOT, "%,d", Math.round(bytes / (double) n));
    }

    /** A server under test: listening on 127.0.0.1, counting the connections it accepted. */
    private interface Server extends AutoCloseable {
        int port();

        int accepted();

        @Override
        void close();
    }

    private static void measure(String name, int requested) throws Exception {
        BenchSupport.quietLogging();
        Server server = start(name);
        long limit = ScaleSupport.openFilesSoftLimit();
        long open = ScaleSupport.openFds();
        int n = requested;
        if (limit > 0 && open >= 0) {
            long room = limit - open - FD_MARGIN;
            if (room < requested) {
                n = (int) Math.max(0, room);
                System.out.printf(Locale.ROOT, "note: scaled down from %,d to %,d connections: the open-files soft"
                        + " limit is %d, %d are open, and each connection needs one plus a margin of %d; raise it (ulimit -n / prlimit --nofile) for the full count%n",
                        requested, n, limit, open, FD_MARGIN);
            }
        }
        long heap0 = ScaleSupport.heapUsedAfterGc();
        long rss0 = ScaleSupport.rssBytes();
        Process clients = ScaleSupport.startJvm(List.of("-Xms64m", "-Xmx256m"), IdleConnections.class,
                List.of("--connections", Integer.toString(n), "--clients", Integer.toString(server.port())));
        long connectNanos;
        try (BufferedReader from = new BufferedReader(new InputStreamReader(clients.getInputStream(), UTF_8));
                Writer to = new OutputStreamWriter(clients.getOutputStream(), UTF_8)) {
            long t0 = System.nanoTime();
            int connected = 0;
            while (connected < n) {
                String line = from.readLine();
                while (line != null && !line.startsWith(CONNECTED)) {
                    System.out.println("clients: " + line);
                    line = from.readLine();
                }
                if (line == null) {
                    throw new IllegalStateException("the client JVM ended after " + connected + " connections");
                }
                int want = Integer.parseInt(line.substring(CONNECTED.length()));
                // Keep the accept queue short: the clients wait for the server to take a chunk before the next.
                BenchSupport.spinUntil(() -> server.accepted() >= want, name + " to accept " + want + " connections");
                connected = want;
                to.write("go\n");
                to.flush();
            }
            connectNanos = System.nanoTime() - t0;
            Thread.sleep(500);
            long heap1 = ScaleSupport.heapUsedAfterGc();
            long rss1 = ScaleSupport.rssBytes();
            if (server.accepted() != n) {
                throw new IllegalStateException(name + " accepted " + server.accepted() + " connections, not " + n);
            }
            ScaleSupport.printResult("connections", n, "heapBefore", heap0, "heapAfter", heap1, "rssBefore", rss0,
                    "rssAfter", rss1, "connectNanos", connectNanos);
        } finally {
            clients.destroy(); // its end of stdin is closed too: it exits either way
            if (!clients.waitFor(10, TimeUnit.SECONDS)) {
                clients.destroyForcibly();
            }
        }
    }

    /**
     * The client JVM: opens {@code n} connections to {@code port} in chunks of {@value #CHUNK}, printing
     * {@code connected K} after each chunk and waiting for a line on stdin before the next; then holds them until
     * stdin closes.
     */
    private static void clients(int port, int n) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        List<SocketChannel> open = new ArrayList<>(n);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        while (open.size() < n) {
            int chunk = Math.min(CHUNK, n - open.size());
            for (int i = 0; i < chunk; i++) {
                open.add(SocketChannel.open(address));
            }
            System.out.println(CONNECTED + open.size());
            System.out.flush();
            if (in.readLine() == null) {
                return;
            }
        }
        while (in.readLine() != null) {
            // hold the connections until the server's JVM closes our stdin
        }
    }

    private static Server start(String name) throws Exception {
        switch (name) {
            case "jdk-floor":
                return new JdkServer();
            case "untwisted":
                return new WeftServer(new UntwistedReactor(ReactorConfig.fromEnvironment()), null);
            case "netty-nio":
                return new WeftServer(NettyReactor.create(ReactorConfig.fromEnvironment(), "nio"), null);
            case "netty-epoll":
                requireEpoll();
                return new WeftServer(NettyReactor.create(ReactorConfig.fromEnvironment(), "epoll"), null);
            case "netty-attached-nio": {
                MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
                return new WeftServer(NettyReactor.attach(group.next(), ReactorConfig.fromEnvironment()), group);
            }
            case "netty-baseline-nio":
                return new NettyServer(NioIoHandler.newFactory(), NioServerSocketChannel.class);
            case "netty-baseline-epoll":
                requireEpoll();
                return new NettyServer(EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
            default:
                throw new IllegalArgumentException("unknown server " + name + "; known: " + TARGETS);
        }
    }

    private static void requireEpoll() {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport does not load here",
                    Epoll.unavailabilityCause());
        }
    }

    /** A Weft reactor whose factory builds protocols that only count themselves. */
    private static final class WeftServer implements Server {
        private final Reactor reactor;
        private final MultiThreadIoEventLoopGroup group;
        private final AtomicInteger accepted = new AtomicInteger();
        private final int port;

        WeftServer(Reactor reactor, MultiThreadIoEventLoopGroup group) {
            this.reactor = reactor;
            this.group = group;
            Factory factory = Factory.forProtocol(() -> new Protocol() {
                @Override
                public void connectionMade() {
                    accepted.incrementAndGet();
                }
            });
            port = reactor.listenTCP(0, factory, BACKLOG, "127.0.0.1").getHost().getPort();
            if (group != null) {
                ((NettyReactor) reactor).startRunning();
            } else {
                CountDownLatch started = new CountDownLatch(1);
                reactor.callWhenRunning(started::countDown);
                Thread t = new Thread(reactor::run, "server-" + reactor.backendName());
                t.setDaemon(true);
                t.start();
                BenchSupport.await(started, "the reactor to start");
            }
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public int accepted() {
            return accepted.get();
        }

        @Override
        public void close() {
            reactor.callFromThread(reactor::stop);
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** A raw Netty server: one loop accepts and holds the channels, with a handler that counts them. */
    private static final class NettyServer implements Server {
        private final MultiThreadIoEventLoopGroup group;
        private final AtomicInteger accepted = new AtomicInteger();
        private final int port;

        NettyServer(IoHandlerFactory factory, Class<? extends ServerChannel> channel) throws InterruptedException {
            group = new MultiThreadIoEventLoopGroup(1, factory);
            EventLoop loop = group.next();
            Counter counter = new Counter(accepted);
            port = ((InetSocketAddress) new ServerBootstrap().group(loop, loop).channel(channel)
                    .option(ChannelOption.SO_BACKLOG, BACKLOG)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(counter)
                    .bind("127.0.0.1", 0).sync().channel().localAddress()).getPort();
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public int accepted() {
            return accepted.get();
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @ChannelHandler.Sharable
    private static final class Counter extends ChannelInboundHandlerAdapter {
        private final AtomicInteger accepted;

        Counter(AtomicInteger accepted) {
            this.accepted = accepted;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted.incrementAndGet();
            ctx.fireChannelActive();
        }
    }

    /** The floor: a blocking {@code ServerSocketChannel} whose accepted channels are only kept in a list. */
    private static final class JdkServer implements Server {
        private final ServerSocketChannel server;
        private final List<SocketChannel> channels = new ArrayList<>();
        private final AtomicInteger accepted = new AtomicInteger();

        JdkServer() throws IOException {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
            Thread t = new Thread(this::acceptLoop, "server-jdk");
            t.setDaemon(true);
            t.start();
        }

        private void acceptLoop() {
            try {
                while (true) {
                    channels.add(server.accept());
                    accepted.incrementAndGet();
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public int port() {
            return server.socket().getLocalPort();
        }

        @Override
        public int accepted() {
            return accepted.get();
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
