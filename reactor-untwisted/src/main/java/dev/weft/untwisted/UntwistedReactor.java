package dev.weft.untwisted;

import dev.weft.protocol.Connector;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.spi.Interest;
import dev.weft.reactor.spi.ReactorBase;
import dev.weft.reactor.spi.ReactorConfig;
import dev.weft.reactor.spi.Warmup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The default backend: the Weft reactor on a {@link Selector}, with nothing beyond the JDK.
 *
 * <p>Everything but the wait for I/O is the shared contract of {@link ReactorBase}. The wait is
 * {@link Selector#select(long)} up to the next deadline; a deadline less than a millisecond away is polled with
 * {@link Selector#selectNow()} instead, so timers are not late by the millisecond granularity of {@code select}.
 * {@code callFromThread} wakes the selector only when the loop is blocked in it.
 *
 * <p>Its networking is {@link UntwistedTcpTransport}, {@link UntwistedListeningPort}, {@link ConnectAttempt}
 * and {@link UntwistedDatagramPort}: byte pipes under the shared contract of the {@code spi} bases. Their keys carry
 * a {@link Selectable}, so they never show among the descriptors of {@code getReaders()}/{@code getWriters()}.
 *
 * <p>Create it with {@code Reactors.create("untwisted")} or {@code new UntwistedReactor()}. Thread rules are those
 * of {@link dev.weft.reactor.Reactor}.
 */
public final class UntwistedReactor extends ReactorBase {

    /** The name of this backend. */
    public static final String NAME = "untwisted";

    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** The size of the buffer every connection reads into: 64 KiB, also the largest UDP datagram. */
    static final int READ_BUFFER_SIZE = 64 * 1024;

    /** Chunks handed to one gathering write at most. */
    private static final int GATHER_SIZE = 64;

    private final Selector selector;
    private final List<Runnable> deferredRegistrations = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final ByteBuffer[] gatherBuffers = new ByteBuffer[GATHER_SIZE];
    private SelectionKey[] readyKeys = new SelectionKey[64];

    /** Creates a reactor configured from system properties and environment variables. */
    public UntwistedReactor() {
        this(ReactorConfig.fromEnvironment());
    }

    /**
     * Creates a reactor with the given configuration. The first one of the JVM makes a loopback connection first
     * ({@link Warmup}), so that what networking loads on first use is not loaded on the loop.
     *
     * @param config the configuration
     * @throws UncheckedIOException if the selector cannot be opened
     */
    public UntwistedReactor(ReactorConfig config) {
        super(NAME, config);
        Warmup.firstConnection(NAME, config, UntwistedReactor::new);
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector", e);
        }
    }

    /** {@code Selector.select(long)} waits in whole milliseconds. */
    @Override
    protected long waitGranularityNanos() {
        return NANOS_PER_MILLI;
    }

    @Override
    protected void doIteration(long timeoutNanos) throws IOException {
        if (!deferredRegistrations.isEmpty()) {
            selector.selectNow();
            List<Runnable> again = new ArrayList<>(deferredRegistrations);
            deferredRegistrations.clear();
            again.forEach(Runnable::run);
            // That selectNow() may have consumed a wakeup() meant for this pass: do not block in it.
            timeoutNanos = 0;
        }
        if (!selector.selectedKeys().isEmpty()) {
            // Keys selected by a flush (flushCancelledKeys) since the last dispatch are waiting.
            timeoutNanos = 0;
        }
        if (timeoutNanos < 0) {
            selector.select();
        } else if (timeoutNanos < NANOS_PER_MILLI) {
            selector.selectNow();
        } else {
            selector.select(timeoutNanos / NANOS_PER_MILLI);
        }
        Set<SelectionKey> ready = selector.selectedKeys();
        if (ready.isEmpty()) {
            return;
        }
        // A snapshot: a callback may flush cancelled keys (a select) while we dispatch, which changes the set.
        SelectionKey[] keys = ready.toArray(readyKeys);
        readyKeys = keys;
        int count = ready.size();
        ready.clear();
        for (int i = 0; i < count; i++) {
            SelectionKey key = keys[i];
            keys[i] = null;
            dispatch(key);
        }
    }

    private void dispatch(SelectionKey key) {
        Object attachment = key.attachment();
        int ops;
        try {
            ops = key.readyOps();
        } catch (CancelledKeyException e) {
            return;
        }
        if (attachment instanceof Selectable) {
            try {
                ((Selectable) attachment).ready(ops);
            } catch (Throwable t) {
                logError("in the I/O handler of " + attachment, t);
            }
            return;
        }
        Interest interest = (Interest) attachment;
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            dispatchRead(interest);
        }
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && key.isValid()
                && key.attachment() == interest) {
            dispatchWrite(interest);
        }
    }

    @Override
    protected void wakeUp() {
        selector.wakeup();
    }

    @Override
    protected void interestChanged(Interest interest) {
        SelectableChannel ch = interest.channel();
        int valid = ch.validOps();
        int ops = (interest.reader() != null ? valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT) : 0)
                | (interest.writer() != null ? valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT) : 0);
        SelectionKey key = ch.keyFor(selector);
        if (key != null && key.attachment() instanceof Selectable) {
            throw new IllegalArgumentException("channel " + ch + " belongs to a connection or port of the reactor");
        }
        if (ops == 0) {
            if (key != null) {
                key.cancel();
            }
            return;
        }
        if (key != null && key.isValid()) {
            key.attach(interest);
            key.interestOps(ops);
            return;
        }
        try {
            ch.register(selector, ops, interest);
        } catch (CancelledKeyException e) {
            // The channel's previous key is cancelled but not yet flushed by a select: register after the next.
            deferredRegistrations.add(() -> interestChanged(interest));
        } catch (ClosedChannelException e) {
            throw new IllegalArgumentException("channel " + ch + " is closed", e);
        }
    }

    @Override
    protected void onShutdown() {
        try {
            selector.close();
        } catch (IOException e) {
            logError("while closing the selector", e);
        }
    }

    // ---------------------------------------------------------------- networking

    @Override
    protected ListeningPort openTcpPort(int port, Factory factory, int backlog, String iface, SSLContext tls) {
        return UntwistedListeningPort.open(this, port, factory, backlog, iface, tls);
    }

    @Override
    protected Supplier<ConnectAttempt> connectionAttempts() {
        return () -> new ConnectAttempt(this);
    }

    @Override
    protected DatagramTransport openUdpPort(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        return UntwistedDatagramPort.open(this, port, protocol, iface, maxPacketSize);
    }

    // ---------------------------------------------------------------- for the transports of this package

    Selector selector() {
        return selector;
    }

    /** The buffer every read of this reactor goes through (64 KiB, direct); its content is copied out at once. */
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** The array a gathering write collects its chunks in; reused, left holding nulls. */
    ByteBuffer[] gatherBuffers() {
        return gatherBuffers;
    }

    /** Registers a channel whose cancelled key is not flushed yet after the next select. */
    void deferRegistration(Runnable registration) {
        deferredRegistrations.add(registration);
    }

    /**
     * Flushes the cancelled keys, so that the sockets of closed channels are closed now rather than by the next
     * select (a closed listening port releases its port at once). Ready keys it finds wait for the next pass.
     */
    void flushCancelledKeys() {
        if (!selector.isOpen()) {
            return;
        }
        try {
            selector.selectNow();
        } catch (IOException e) {
            logError("while flushing closed channels from the selector", e);
        }
    }

    void logFailure(String what, Throwable t) {
        logError(what, t);
    }

    void logDebug(String what, Throwable t) {
        LOG.debug("{} [reactor {}]", what, NAME, t);
    }
}
