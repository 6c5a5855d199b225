package dev.weft.untwisted;

import dev.weft.reactor.spi.Interest;
import dev.weft.reactor.spi.ReactorBase;
import dev.weft.reactor.spi.ReactorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The default backend: the Weft reactor on a {@link Selector}, with nothing beyond the JDK.
 *
 * <p>Everything but the wait for I/O is the shared contract of {@link ReactorBase}. The wait is
 * {@link Selector#select(long)} up to the next deadline; a deadline less than a millisecond away is polled with
 * {@link Selector#selectNow()} instead, so timers are not late by the millisecond granularity of {@code select}.
 * {@code callFromThread} wakes the selector only when the loop is blocked in it.
 *
 * <p>Create it with {@code Reactors.create("untwisted")} or {@code new UntwistedReactor()}. Thread rules are those
 * of {@link dev.weft.reactor.Reactor}.
 */
public final class UntwistedReactor extends ReactorBase {

    /** The name of this backend. */
    public static final String NAME = "untwisted";

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Selector selector;
    private final List<Interest> deferredRegistrations = new ArrayList<>();

    /** Creates a reactor configured from system properties and environment variables. */
    public UntwistedReactor() {
        this(ReactorConfig.fromEnvironment());
    }

    /**
     * Creates a reactor with the given configuration.
     *
     * @param config the configuration
     * @throws UncheckedIOException if the selector cannot be opened
     */
    public UntwistedReactor(ReactorConfig config) {
        super(NAME, config);
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector", e);
        }
    }

    @Override
    protected void doIteration(long timeoutNanos) throws IOException {
        if (!deferredRegistrations.isEmpty()) {
            selector.selectNow();
            List<Interest> again = new ArrayList<>(deferredRegistrations);
            deferredRegistrations.clear();
            again.forEach(this::interestChanged);
            // That selectNow() may have consumed a wakeup() meant for this pass: do not block in it.
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
        for (Iterator<SelectionKey> it = ready.iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            Interest interest = (Interest) key.attachment();
            int ops;
            try {
                ops = key.readyOps();
            } catch (CancelledKeyException e) {
                continue;
            }
            if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
                dispatchRead(interest);
            }
            if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && key.isValid()
                    && key.attachment() == interest) {
                dispatchWrite(interest);
            }
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
            deferredRegistrations.add(interest);
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

    // Placeholders until the transports land (issue 4); replaced in this session.
    @Override
    public dev.weft.protocol.ListeningPort listenTCP(int port, dev.weft.protocol.Factory factory, int backlog,
            String iface) {
        throw new UnsupportedOperationException("TCP is not implemented yet");
    }

    @Override
    public dev.weft.protocol.Connector connectTCP(String host, int port, dev.weft.protocol.ClientFactory factory,
            double timeoutSeconds, java.net.InetSocketAddress bindAddress) {
        throw new UnsupportedOperationException("TCP is not implemented yet");
    }

    @Override
    public dev.weft.protocol.DatagramTransport listenUDP(int port, dev.weft.protocol.DatagramProtocol protocol,
            String iface, int maxPacketSize) {
        throw new UnsupportedOperationException("UDP is not implemented yet");
    }

    @Override
    public dev.weft.protocol.ListeningPort listenSSL(int port, dev.weft.protocol.Factory factory,
            javax.net.ssl.SSLContext context, int backlog, String iface) {
        throw new UnsupportedOperationException("TLS is not implemented yet");
    }

    @Override
    public dev.weft.protocol.Connector connectSSL(String host, int port, dev.weft.protocol.ClientFactory factory,
            javax.net.ssl.SSLContext context, boolean verifyHostname, double timeoutSeconds,
            java.net.InetSocketAddress bindAddress) {
        throw new UnsupportedOperationException("TLS is not implemented yet");
    }
}
