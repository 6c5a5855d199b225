package dev.weft.bench.scale;

import dev.weft.netty.NettyReactor;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.Reactors;
import dev.weft.reactor.TcpSpread;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a reactor group's shared port ({@code ReactorGroup.listenTCP}) spreads connections over its members, and how
 * fast the group accepts compared with a group of one: for each backend, a group listens on 127.0.0.1, each member
 * with a socket of its own bound with {@code SO_REUSEPORT} ({@code --socket tcp}, {@code weft.group.tcp=reuseport}),
 * or member 0 accepting and dealing the connections round-robin to the members ({@code --socket acceptor},
 * {@code weft.group.tcp=acceptor}), or on a UNIX socket in a temporary directory, which member 0 accepts and deals
 * round-robin ({@code --socket unix}, {@code ReactorGroup.listenUNIX}); one client thread opens and closes
 * {@code --connections} connections one after the other, in rounds of {@code --batch} held open together (so that many connections wait in the accept queues at
 * once). Prints, per backend and group size, the connections each member accepted and the accepts per second the
 * client saw (connect to the server's {@code connectionMade}).
 *
 * <p>The client shares the machine's cores with the members: on 2 cores the accept rate says little about a larger
 * machine, the spread says how the kernel hashes.
 *
 * <pre>
 * java -cp reactor-benchmarks/target/weft-benchmarks.jar dev.weft.bench.scale.GroupSpread
 *     [--connections 20000] [--batch 100] [--members 2] [--socket tcp|acceptor|unix|both|all]
 * </pre>
 * ({@code both} is {@code tcp} and {@code unix}; {@code all} adds {@code acceptor}).
 * <pre>
 * </pre>
 */
public final class GroupSpread {

    private static final long WAIT_SECONDS = 30;

    private GroupSpread() {
    }

    /**
     * Runs the measurement and prints the table.
     *
     * @param args {@code --connections N}, {@code --batch B}, {@code --members M},
     *             {@code --socket tcp|acceptor|unix|both|all}
     * @throws Exception if a run fails or times out
     */
    public static void main(String[] args) throws Exception {
        int connections = 20_000;
        int batch = 100;
        int members = 2;
        String socket = "tcp";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--members" -> members = Integer.parseInt(args[i + 1]);
                case "--socket" -> socket = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> sockets = switch (socket) {
            case "tcp" -> List.of("tcp");
            case "acceptor" -> List.of("acceptor");
            case "unix" -> List.of("unix");
            case "both" -> List.of("tcp", "unix");
            case "all" -> List.of("tcp", "acceptor", "unix");
            default -> throw new IllegalArgumentException("--socket must be tcp, acceptor, unix, both or all: "
                    + socket);
        };
        System.out.printf(Locale.ROOT, "GroupSpread: %d connections (batches of %d held open), %s, %d CPUs,"
                + " %s %s%n", connections, batch, String.join(" and ", sockets),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"));
        System.out.printf(Locale.ROOT, "%-8s %-14s %7s %12s  %s%n", "socket", "backend", "members", "accepts/s",
                "per member");
        List<String> backends = new ArrayList<>(List.of("untwisted", "netty-nio"));
        if (Epoll.isAvailable()) {
            backends.add("netty-epoll");
        }
        Path dir = Files.createTempDirectory("weft-spread");
        try {
            for (String kind : sockets) {
                for (String backend : backends) {
                    for (int size : List.of(1, members)) {
                        measure(kind, dir, backend, size, connections / 10, batch); // warm-up, not printed
                        Result r = measure(kind, dir, backend, size, connections, batch);
                        System.out.printf(Locale.ROOT, "%-8s %-14s %7d %,12.0f  %s%n", kind, backend, size, r.rate,
                                r.perMember);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    private record Result(double rate, Map<Integer, Integer> perMember) {
    }

    /**
     * A group of {@code size} members of {@code backend}, made with {@code weft.group.tcp} set to {@code spread} (the
     * property restored after).
     */
    private static ReactorGroup group(String backend, int size, TcpSpread spread) {
        String old = System.getProperty(ReactorConfig.GROUP_TCP);
        System.setProperty(ReactorConfig.GROUP_TCP, spread.toString());
        try {
            return switch (backend) {
                case "untwisted" -> Reactors.createGroup("untwisted", size);
                case "netty-nio" -> NettyReactor.createGroup(ReactorConfig.fromEnvironment(), "nio", size);
                case "netty-epoll" -> NettyReactor.createGroup(ReactorConfig.fromEnvironment(), "epoll", size);
                default -> throw new IllegalArgumentException(backend);
            };
        } finally {
            if (old == null) {
                System.clearProperty(ReactorConfig.GROUP_TCP);
            } else {
                System.setProperty(ReactorConfig.GROUP_TCP, old);
            }
        }
    }

    private static Result measure(String socket, Path dir, String backend, int size, int connections, int batch)
            throws Exception {
        ReactorGroup g = group(backend, size, socket.equals("acceptor") ? TcpSpread.ACCEPTOR : TcpSpread.REUSEPORT);
        Map<Thread, Integer> memberOf = new ConcurrentHashMap<>();
        CountDownLatch running = new CountDownLatch(size);
        g.addSystemEventTrigger(Phase.DURING, ReactorCore.STARTUP, m -> {
            memberOf.put(Thread.currentThread(), m);
            running.countDown();
            return null;
        });
        AtomicInteger[] counts = new AtomicInteger[size];
        for (int i = 0; i < size; i++) {
            counts[i] = new AtomicInteger();
        }
        Semaphore made = new Semaphore(0);
        Factory factory = Factory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                counts[memberOf.get(Thread.currentThread())].incrementAndGet();
                made.release();
            }
        });
        boolean unix = socket.equals("unix");
        String path = dir.resolve("spread.sock").toString();
        ListeningPort port = unix ? g.listenUNIX(path, factory, 4096, 0600, false)
                : g.listenTCP(0, factory, 4096, "127.0.0.1");
        Thread runner = new Thread(g::run, "group-spread-run");
        runner.start();
        try {
            if (!running.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the group did not start");
            }
            SocketAddress address = unix ? UnixDomainSocketAddress.of(path)
                    : new InetSocketAddress("127.0.0.1", port.getHost().getPort());
            long t0 = System.nanoTime();
            List<SocketChannel> open = new ArrayList<>(batch);
            for (int done = 0; done < connections; ) {
                int n = Math.min(batch, connections - done);
                for (int i = 0; i < n; i++) {
                    SocketChannel c = SocketChannel.open(unix ? StandardProtocolFamily.UNIX
                            : StandardProtocolFamily.INET);
                    open.add(c);
                    c.connect(address);
                }
                done += n;
                if (!made.tryAcquire(n, WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the group did not accept " + n + " connections within "
                            + WAIT_SECONDS + " s");
                }
                for (SocketChannel c : open) {
                    close(c);
                }
                open.clear();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<Integer, Integer> per = new TreeMap<>();
            for (int i = 0; i < size; i++) {
                per.put(i, counts[i].get());
            }
            return new Result(connections / seconds, per);
        } finally {
            g.stop();
            runner.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
