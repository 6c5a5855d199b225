package dev.weft.untwisted;

import dev.weft.reactor.internal.NetChecks;
import dev.weft.reactor.spi.StreamTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The byte pipe of one TCP or UNIX-socket connection on the selector: a non-blocking {@link SocketChannel}. Everything else (the
 * protocol, closing rules, producers, TLS) is {@link StreamTransport}'s.
 *
 * <p>Reads go through the reactor's shared buffer, a few per readiness, each copied into a new array. Writes are
 * queued and written at once, except while this connection dispatches what it read: then they are written once,
 * after the dispatch, in one gathering write. {@code OP_WRITE} is on only while bytes wait for the socket or a
 * drain notice is awaited.
 *
 * <p>Used on the reactor thread only.
 */
final class UntwistedTcpTransport extends StreamTransport implements Selectable {

    /** Reads per readiness at most, while each fills the buffer, so one busy connection cannot hold the loop. */
    private static final int MAX_READS_PER_READY = 4;

    private final UntwistedReactor reactor;
    private final SocketChannel channel;
    private final ChannelRegistration registration;
    private final InetSocketAddress host;
    private final InetSocketAddress peer;
    private final WriteQueue writes = new WriteQueue();

    private boolean reading;
    private boolean dispatchingRead;
    private boolean drainAwaited;
    private boolean closed;

    /**
     * Wraps a connected, non-blocking channel.
     *
     * @param reactor      the reactor
     * @param channel      the connected channel, non-blocking (StreamTransport gives it its options)
     * @param registration the channel's key, taken over from a connection attempt, or null to register anew
     * @throws IOException if the channel's addresses or options cannot be read (the connection is already gone)
     */
    UntwistedTcpTransport(UntwistedReactor reactor, SocketChannel channel, ChannelRegistration registration)
            throws IOException {
        super(reactor);
        this.reactor = reactor;
        this.channel = channel;
        this.host = NetChecks.asInet(channel.getLocalAddress());
        this.peer = NetChecks.asInet(channel.getRemoteAddress());
        if (registration == null) {
            this.registration = ChannelRegistration.register(reactor, channel, 0, this);
        } else {
            this.registration = registration;
            registration.interestOps(0);
            registration.attach(this);
        }
    }

    // ---------------------------------------------------------------- the byte pipe

    @Override
    protected void sendBytes(byte[] data) {
        if (closed) {
            return;
        }
        boolean idle = writes.isEmpty();
        writes.add(data);
        if (idle && !dispatchingRead) {
            // Not waiting for the socket, not batching: write now. The connection is lost by StreamTransport's one
            // rule: closed now, connectionLost once the call that wrote returns.
            try {
                flush();
            } catch (IOException e) {
                connectionFailed(e);
            }
        }
    }

    @Override
    protected long bufferedBytes() {
        return writes.size();
    }

    @Override
    protected void awaitDrain() {
        if (closed) {
            return;
        }
        // OP_WRITE fires on the next select if the socket buffer has room; ready() then reports the drain.
        drainAwaited = true;
        updateInterest();
    }

    @Override
    protected void setReading(boolean on) {
        reading = on;
        updateInterest();
    }

    @Override
    protected void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot shut the writing side of " + this, e);
        }
    }

    @Override
    protected void closeChannel(boolean abort) {
        if (closed) {
            return;
        }
        closed = true;
        writes.clear();
        drainAwaited = false;
        registration.cancel();
        if (abort) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | UnsupportedOperationException e) {
                // already reset or closed, or a UNIX socket (no linger): the close below is all there is to do
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + this, e);
        }
    }

    // ---------------------------------------------------------------- readiness

    @Override
    public void ready(int readyOps) {
        if (closed) {
            return;
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && reading) {
            dispatchingRead = true;
            try {
                readAndDispatch();
            } finally {
                dispatchingRead = false;
            }
            if (closed) {
                return;
            }
            // What the protocol wrote while it handled the data goes out now, in one write.
            try {
                flush();
            } catch (IOException e) {
                connectionFailed(e);
                return;
            }
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            writable();
        }
    }

    private void readAndDispatch() {
        ByteBuffer buffer = reactor.readBuffer();
        for (int i = 0; i < MAX_READS_PER_READY && reading && !closed; i++) {
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                connectionFailed(e);
                return;
            }
            if (n < 0) {
                endOfStream();
                return;
            }
            if (n == 0) {
                return;
            }
            byte[] data = new byte[n];
            buffer.flip();
            buffer.get(data);
            bytesReceived(data);
            if (n < buffer.capacity()) {
                return;
            }
        }
    }

    private void writable() {
        try {
            flush();
        } catch (IOException e) {
            connectionFailed(e);
            return;
        }
        if (writes.isEmpty() && drainAwaited && !closed) {
            drainAwaited = false;
            updateInterest();
            writeDrained();
        }
    }

    /** Writes what the socket takes; OP_WRITE follows what is left. */
    private void flush() throws IOException {
        if (!writes.isEmpty()) {
            writes.writeTo(channel, reactor.gatherBuffers());
        }
        updateInterest();
    }

    private void updateInterest() {
        if (closed) {
            return;
        }
        boolean write = drainAwaited || (!writes.isEmpty() && !dispatchingRead);
        registration.interestOps((reading ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0));
    }

    // ---------------------------------------------------------------- Transport

    @Override
    public InetSocketAddress getPeer() {
        return peer;
    }

    @Override
    public InetSocketAddress getHost() {
        return host;
    }

    @Override
    protected void setSocketOption(SocketOption<Boolean> option, boolean value) throws IOException {
        if (channel.supportedOptions().contains(option)) {
            channel.setOption(option, value);
        }
        // a UNIX socket has no TCP options: the value is only recorded
    }

    @Override
    protected boolean socketOption(SocketOption<Boolean> option, boolean remembered) throws IOException {
        return channel.supportedOptions().contains(option) ? channel.getOption(option) : remembered;
    }

    @Override
    public String toString() {
        return (peer != null && peer.getPort() == 0 && peer.isUnresolved() ? "UNIX " : "TCP ") + host + " <-> " + peer + " " + super.toString();
    }
}
