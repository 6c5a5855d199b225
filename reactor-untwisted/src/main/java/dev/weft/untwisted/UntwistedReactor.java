package dev.weft.untwisted;

import dev.weft.protocol.Connector;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.internal.Warmup;
import dev.weft.reactor.spi.AcceptedConnection;
import dev.weft.reactor.spi.ConnectionAttempt;
import dev.weft.reactor.spi.Interest;
import dev.weft.reactor.spi.ListeningPortBase;
import dev.weft.reactor.spi.NetworkReactorBase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The default backend: the Weft reactor on a {@link Selector}, with nothing beyond the JDK.
 *
 * <p>Everything but the wait for I/O is the shared contract of {@link NetworkReactorBase}. The wait is the
 * {@link SelectorPoller}'s, which dispatches every selected key to its {@link Selectable}: the connections, ports and
 * connection attempts of this backend ({@link UntwistedTcpTransport}, {@link UntwistedListeningPort},
 * {@link ConnectAttempt}, {@link UntwistedDatagramPort}: byte pipes under the shared contract of the {@code spi}
 * bases), and the descriptors users watch ({@link WatchedDescriptor}). {@code callFromThread} wakes the selector only
 * when the loop is blocked in it.
 *
 * <p>Create it with {@code Reactors.create("untwisted")} or {@code new UntwistedReactor()}. Thread rules are those
 * of {@link dev.weft.reactor.Reactor}.
 */
public final class UntwistedReactor extends NetworkReactorBase {

    /** The name of this backend. */
    public static final String NAME = "untwisted";

    /** The size of the buffer every connection reads into: 64 KiB, also the largest UDP datagram. */
    static final int READ_BUFFER_SIZE = 64 * 1024;

    /** Chunks handed to one gathering write at most. */
    private static final int GATHER_SIZE = 64;

    private final SelectorPoller poller;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final ByteBuffer[] gatherBuffers = new ByteBuffer[GATHER_SIZE];

    /** Creates a reactor configured from system properties and environment variables. May be called from any thread. */
    public UntwistedReactor() {
        this(ReactorConfig.fromEnvironment());
    }

    /**
     * Creates a reactor with the given configuration. The first one of the JVM makes a loopback connection first
     * ({@link Warmup}), so that what networking loads on first use is not loaded on the loop. May be called from
     * any thread.
     *
     * @param config the configuration
     * @throws java.io.UncheckedIOException if the selector cannot be opened
     */
    public UntwistedReactor(ReactorConfig config) {
        this(config, warmedUpPoller(config));
    }

    private UntwistedReactor(ReactorConfig config, SelectorPoller poller) {
        super(NAME, config, poller);
        this.poller = poller;
        poller.onIoReady(this::ioReady);
    }

    private static SelectorPoller warmedUpPoller(ReactorConfig config) {
        Warmup.firstConnection(NAME, config, UntwistedReactor::new);
        return SelectorPoller.open();
    }

    /**
     * Watches a user's channel through a {@link WatchedDescriptor} on its own selection key.
     *
     * @throws IllegalArgumentException if the channel belongs to a connection or port of the reactor, or is closed
     */
    @Override
    protected void interestChanged(Interest interest) {
        SelectableChannel ch = interest.channel();
        int valid = ch.validOps();
        int ops = (interest.reader() != null ? valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT) : 0)
                | (interest.writer() != null ? valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT) : 0);
        WatchedDescriptor watched = interest.attachment(WatchedDescriptor.class);
        if (watched != null) {
            if (ops == 0) {
                interest.attach(null);
                watched.registration().cancel();
            } else {
                watched.registration().interestOps(ops);
            }
            return;
        }
        if (ops == 0) {
            return;
        }
        SelectionKey key = ch.keyFor(poller.selector());
        if (key != null && !(key.attachment() instanceof WatchedDescriptor)) {
            throw new IllegalArgumentException("channel " + ch + " belongs to a connection or port of the reactor");
        }
        watched = new WatchedDescriptor(descriptors(), interest);
        try {
            watched.registration(ChannelRegistration.register(this, ch, ops, watched));
        } catch (ClosedChannelException e) {
            throw new IllegalArgumentException("channel " + ch + " is closed", e);
        }
        interest.attach(watched);
    }

    @Override
    protected void onShutdown() {
        poller.close();
    }

    // ---------------------------------------------------------------- networking

    @Override
    protected ListeningPort openTcpPort(int port, Factory factory, int backlog, String iface, SSLContext tls,
            Consumer<AcceptedConnection> handOff) {
        return UntwistedListeningPort.open(this, port, factory, backlog, iface, tls, false, handOff);
    }

    /** True where the JDK offers {@code SO_REUSEPORT} on listening sockets (Linux, macOS; not Windows). */
    @Override
    protected boolean canShareTcpPorts() {
        return UntwistedListeningPort.REUSE_PORT;
    }

    @Override
    protected ListeningPort openSharedTcpPort(int port, Factory factory, int backlog, String iface) {
        return UntwistedListeningPort.open(this, port, factory, backlog, iface, null, true, null);
    }

    @Override
    protected ListeningPortBase openUnixPort(String path, Factory factory, int backlog,
            Consumer<AcceptedConnection> handOff) throws IOException {
        return UntwistedListeningPort.openUnix(this, path, factory, backlog, handOff);
    }

    /** True for another untwisted reactor: an accepted {@code SocketChannel} registers with any selector. */
    @Override
    protected boolean canHandConnectionsTo(NetworkReactorBase other) {
        return other instanceof UntwistedReactor;
    }

    @Override
    protected Supplier<ConnectionAttempt> connectionAttempts() {
        return () -> new ConnectAttempt(this);
    }

    @Override
    protected DatagramTransport openUdpPort(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        return UntwistedDatagramPort.open(this, port, protocol, iface, maxPacketSize);
    }

    // ---------------------------------------------------------------- for the transports of this package

    SelectorPoller poller() {
        return poller;
    }

    /** The buffer every read of this reactor goes through (64 KiB, direct); its content is copied out at once. */
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** The array a gathering write collects its chunks in; reused, left holding nulls. */
    ByteBuffer[] gatherBuffers() {
        return gatherBuffers;
    }

    /** See {@link SelectorPoller#flushCancelledKeys()}. */
    void flushCancelledKeys() {
        poller.flushCancelledKeys();
    }

    void logFailure(String what, Throwable t) {
        logError(what, t);
    }

    void logDebug(String what, Throwable t) {
        LOG.debug("{} [reactor {}]", what, NAME, t);
    }
}
