package dev.weft.compat.netty;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.BackendVariantSource;
import dev.weft.netty.NettyReactor;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.spi.MemberGroup;
import dev.weft.reactor.ReactorProvider;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.NioIoHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Netty backend's variants: {@code netty-nio} and {@code netty-epoll} (owned loops driven by the thread that
 * runs the reactor) and {@code netty-attached} (a reactor attached to the one loop of a
 * {@link MultiThreadIoEventLoopGroup} the variant makes and shuts down in {@link BackendVariant#cleanup}).
 */
public final class NettyVariants implements BackendVariantSource {

    @Override
    public String backend() {
        return NettyReactor.NAME;
    }

    @Override
    public List<BackendVariant> variants(ReactorProvider provider) {
        return List.of(new Owned("nio"), new Owned("epoll"), new Attached());
    }

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
            return Optional.empty();
        }

        @Override
        public Optional<String> channelWatchUnsupportedReason() {
            if (transport.equals("epoll")) {
                return Optional.of("addReader/addWriter on Netty's epoll transport throw UnsupportedOperationException"
                        + " by design: an EpollIoHandle needs the channel's file descriptor, which the JDK exposes"
                        + " only with --add-exports java.base/sun.nio.ch (see README, 'The Netty backend')");
            }
            return Optional.empty();
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
