package dev.weft.compat.netty;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.BackendVariantSource;
import dev.weft.compat.harness.VirtualLoopVariant;
import dev.weft.netty.NettyReactor;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.spi.MemberGroup;
import dev.weft.reactor.ReactorProvider;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Netty backend's variants: {@code netty-nio}, {@code netty-epoll} and {@code netty-io_uring} (owned loops
 * driven by the thread that runs the reactor; a native one is skipped with the reason where it cannot run here) and {@code netty-attached} (a reactor attached to the one loop of a
 * {@link MultiThreadIoEventLoopGroup} the variant makes and shuts down in {@link BackendVariant#cleanup}), and, on
 * JDK 21+, {@code netty-nio-virtual-loop}, an owned NIO loop on a virtual thread ({@link VirtualLoopVariant}).
 */
public final class NettyVariants implements BackendVariantSource {

    private static final String UNIX_HALF_CLOSE_BUG = "Netty 4.2.18's io_uring channels allow half-closure only for a"
            + " SocketChannelConfig (AbstractIoUringChannel.isAllowHalfClosure); IoUringDomainSocketChannel's config"
            + " is an IoUringDomainSocketChannelConfig (a DuplexChannelConfig, both classes final), so a UNIX"
            + " connection closes at the peer's end of stream and the side that read that end can no longer write";

    @Override
    public String backend() {
        return NettyReactor.NAME;
    }

    @Override
    public List<BackendVariant> variants(ReactorProvider provider) {
        List<BackendVariant> all = new ArrayList<>(List.of(new Owned("nio"), new Owned("epoll"),
                new Owned("io_uring"), new Attached()));
        all.addAll(VirtualLoopVariant.onVirtualThreadJdks("netty-nio", NettyReactor.NAME, "netty-nio",
                config -> NettyReactor.create(config, "nio"),
                (config, size) -> NettyReactor.createGroup(config, "nio", size)));
        return List.copyOf(all);
    }

    /** The contract tests the io_uring variant fails, each with its bug (see the project README, "io_uring"). */
    private static final Map<String, String> IO_URING_BUGS = Map.of(
            "halfCloseOverAUnixSocket", UNIX_HALF_CLOSE_BUG);

    /** An owned reactor on one transport. */
    private static final class Owned implements BackendVariant {
        private final String transport;

        Owned(String transport) {
            this.transport = transport;
        }

        @Override
        public String name() {
            return "netty-" + transport;
        }

        @Override
        public String backend() {
            return NettyReactor.NAME;
        }

        @Override
        public String backendName() {
            return "netty-" + transport;
        }

        @Override
        public Optional<String> unavailableReason() {
            if (transport.equals("epoll") && !Epoll.isAvailable()) {
                return Optional.of("Netty's native epoll transport does not load here: "
                        + Epoll.unavailabilityCause());
            }
            if (transport.equals("io_uring") && !IoUring.isAvailable()) {
                return Optional.of("Netty's io_uring transport cannot be used here (the kernel refuses it, or the"
                        + " native library does not load): " + IoUring.unavailabilityCause());
            }
            return Optional.empty();
        }

        @Override
        public Optional<String> knownBug(String testMethod) {
            if (!transport.equals("io_uring")) {
                return Optional.empty();
            }
            return Optional.ofNullable(IO_URING_BUGS.get(testMethod));
        }

        @Override
        public Reactor create() {
            return NettyReactor.create(transport);
        }

        @Override
        public ReactorGroup createGroup(int size) {
            return NettyReactor.createGroup(ReactorConfig.fromEnvironment(), transport, size);
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** A reactor attached to the loop of a one-thread NIO group made for it. */
    private static final class Attached implements BackendVariant {
        private final Map<Reactor, MultiThreadIoEventLoopGroup> groups = new ConcurrentHashMap<>();
        private final Map<ReactorGroup, MultiThreadIoEventLoopGroup> loopGroups = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "netty-attached";
        }

        @Override
        public String backend() {
            return NettyReactor.NAME;
        }

        @Override
        public String backendName() {
            return "netty-attached-nio";
        }

        @Override
        public Reactor create() {
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                NettyReactor r = NettyReactor.attach(group.next());
                groups.put(r, group);
                return r;
            } catch (RuntimeException e) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                throw e;
            }
        }

        @Override
        public void cleanup(Reactor reactor) {
            MultiThreadIoEventLoopGroup group = groups.remove(reactor);
            if (group != null) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }

        /** A reactor attached to each loop of a NIO group of {@code size} loops made for it. */
        @Override
        public ReactorGroup createGroup(int size) {
            MemberGroup.checkSize(size); // a Netty group of 0 threads would have one per core
            MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(size, NioIoHandler.newFactory());
            try {
                ReactorGroup g = NettyReactor.attachGroup(loops);
                loopGroups.put(g, loops);
                return g;
            } catch (RuntimeException e) {
                loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                throw e;
            }
        }

        @Override
        public void cleanupGroup(ReactorGroup group) {
            MultiThreadIoEventLoopGroup loops = loopGroups.remove(group);
            if (loops != null) {
                loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }

        @Override
        public String toString() {
            return name();
        }
    }
}
