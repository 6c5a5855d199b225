package dev.weft.reactor.internal;

import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.ReactorNotRunningException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Makes the first connection of a backend in this JVM when its first reactor is created, rather than inside the
 * user's first connection. A backend's first connection loads and initialises what only networking uses (Netty's
 * channel, pipeline, channel id and allocator classes, the JDK's socket classes, the connection classes of this
 * package): on a cold JVM, long enough for the blocked-loop detector to report a normal run. Here that cost
 * is paid on the thread that creates the reactor, off every loop: a throwaway reactor of the same backend, with no
 * detector, connects over loopback to a plain {@link ServerSocketChannel}, sends and receives a byte, sees the end
 * of the stream, and stops.
 *
 * <p>Once per backend key and JVM; a second thread that creates a reactor of that backend meanwhile waits (at most
 * 5 s) for the first to finish. A failure (no loopback, no port) is logged at DEBUG and ignored: the first
 * connection then loads what it needs, as it would have anyway. It listens with no {@code listenTCP}, so the process
 * keeps no descriptor in reserve for it ({@code DescriptorReserve}). For implementors of backends.
 */
public final class Warmup {
    private static final Logger LOG = Loggers.get("dev.weft.reactor.Warmup");
    private static final long LIMIT_SECONDS = 5;
    private static final ConcurrentHashMap<String, CountDownLatch> DONE = new ConcurrentHashMap<>();
    /** Set while this thread makes a throwaway reactor's connection: that reactor's creation does not warm up. */
    private static final ThreadLocal<Boolean> WARMING = new ThreadLocal<>();

    private Warmup() {
    }

    /**
     * Makes the first connection of the backend {@code key} in this JVM, unless it was made already; called by a
     * backend when it creates a reactor, before it returns it. Any thread but a reactor's (it runs a loop of its own
     * for a moment); returns at once on a thread that is making the connection of {@code key}.
     *
     * @param key        the backend and variant whose first use it is, e.g. {@code "untwisted"}, {@code "netty-epoll"}
     * @param config     the configuration of the reactor being created: nothing is done when its
     *                   {@link ReactorConfig#warmup()} is false
     * @param newReactor makes a throwaway reactor of that backend with the given configuration (no blocked-loop
     *                   detector, one pool thread)
     */
    public static void firstConnection(String key, ReactorConfig config,
            Function<ReactorConfig, ? extends Reactor> newReactor) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(newReactor, "newReactor");
        if (!config.warmup() || WARMING.get() != null) {
            return;
        }
        CountDownLatch mine = new CountDownLatch(1);
        CountDownLatch other = DONE.putIfAbsent(key, mine);
        if (other != null) {
            awaitOther(key, other);
            return;
        }
        WARMING.set(Boolean.TRUE);
        long t0 = System.nanoTime();
        try {
            connectOnce(newReactor.apply(ReactorConfig.quiet()));
            LOG.debug("warmed up {} in {} ms", key, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.debug("warming up {} failed; its first connection will load what it needs", key, e);
        } finally {
            WARMING.remove();
            mine.countDown();
        }
    }

    private static void awaitOther(String key, CountDownLatch other) {
        try {
            if (!other.await(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.debug("another thread's warm-up of {} is still running; going on", key);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void connectOnce(Reactor reactor) throws IOException {
        try (ServerSocketChannel peer = ServerSocketChannel.open()) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            int port = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            Socket[] accepted = new Socket[1];
            try {
                reactor.connectTCP("127.0.0.1", port, new OneByte(reactor, peer, accepted), LIMIT_SECONDS, null);
                reactor.callLater(LIMIT_SECONDS, () -> stopQuietly(reactor));
                reactor.run();
            } finally {
                if (accepted[0] != null) {
                    accepted[0].close();
                }
            }
        }
    }

    private static void stopQuietly(Reactor reactor) {
        try {
            reactor.stop();
        } catch (ReactorNotRunningException alreadyStopping) {
            // the connection ended first
        }
    }

    /** The throwaway client: a byte each way, then the peer's end of stream; any ending stops the reactor. */
    private static final class OneByte extends ClientFactory {
        private final Reactor reactor;
        private final ServerSocketChannel peer;
        private final Socket[] accepted;

        OneByte(Reactor reactor, ServerSocketChannel peer, Socket[] accepted) {
            this.reactor = reactor;
            this.peer = peer;
            this.accepted = accepted;
        }

        @Override
        public Protocol buildProtocol(InetSocketAddress addr) {
            return new Protocol() {
                @Override
                public void connectionMade() {
                    transport.write(new byte[] {1});
                    try {
                        // Connected over loopback: the connection is in the peer's accept queue, or about to be.
                        peer.socket().setSoTimeout((int) TimeUnit.SECONDS.toMillis(LIMIT_SECONDS));
                        Socket s = peer.socket().accept();
                        accepted[0] = s;
                        s.getOutputStream().write(2);
                        s.shutdownOutput();
                    } catch (IOException e) {
                        LOG.debug("warm-up: the loopback peer failed", e);
                        transport.abortConnection();
                    }
                }
            };
        }

        @Override
        public void clientConnectionFailed(Connector connector, Throwable reason) {
            LOG.debug("warm-up: the loopback connection failed", reason);
            stopQuietly(reactor);
        }

        @Override
        public void clientConnectionLost(Connector connector, Throwable reason) {
            stopQuietly(reactor);
        }
    }
}
