package dev.weft.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The loop of the raw java.nio baselines: one thread, one {@link Selector}, accepting and serving on it; no Weft
 * and no Netty code.
 *
 * <p>Each readiness event of a connection reads until the socket has no more (at most {@link #MAX_READS} reads of
 * the shared 64 KiB direct read buffer), hands each read to {@link Conn#received}, then writes what the connection
 * buffered in one {@code write}. What the socket does not take waits for {@code OP_WRITE}, and the connection stops
 * reading meanwhile (the client cannot make the server buffer without bound).
 */
abstract class NioServer {

    /** The most reads of one connection per readiness event, as Netty's default. */
    static final int MAX_READS = 16;

    private final Selector selector;
    private final ServerSocketChannel server;
    /** The read buffer, shared by the connections: only one runs at a time. */
    final ByteBuffer readBuf = ByteBuffer.allocateDirect(64 * 1024);

    /**
     * Binds 127.0.0.1:{@code port}.
     *
     * @param port the port, 0 for any
     * @throws IOException if it cannot bind
     */
    NioServer(int port) throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port), 511);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** The bound port. */
    int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the state of a new connection. */
    abstract Conn newConn(SocketChannel ch);

    /** Serves until the thread is interrupted or the selector fails; then closes every channel and the selector. */
    void run() throws IOException {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                selector.select(this::ready);
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // closing everything anyway
                }
            }
            selector.close();
        }
    }

    private void ready(SelectionKey key) {
        if (key.channel() == server) {
            accept();
            return;
        }
        Conn c = (Conn) key.attachment();
        try {
            if (key.isWritable()) {
                c.writable();
            }
            if (key.isValid() && key.isReadable()) {
                c.readable();
            }
        } catch (IOException | RuntimeException e) {
            c.close();
        }
    }

    private void accept() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
                if (ch == null) {
                    return;
                }
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                System.err.println("accept failed: " + e);
                return;
            }
            Conn c = newConn(ch);
            try {
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
            } catch (IOException e) {
                c.close();
            }
        }
    }

    /** One connection: reads, its own processing, and a direct output buffer written once per readiness event. */
    abstract class Conn {
        final SocketChannel ch;
        SelectionKey key;
        /** Bytes to send, in write mode (position = bytes held). */
        ByteBuffer out = ByteBuffer.allocateDirect(16 * 1024);
        /** Close once {@link #out} is sent. */
        boolean closeAfterWrite;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }

        /**
         * Processes the bytes of one read, in {@code data} from position to limit; may append to {@link #out}.
         *
         * @param data the read buffer, flipped; valid only during the call
         */
        abstract void received(ByteBuffer data);

        /** Makes room in {@link #out} for {@code n} more bytes. */
        final ByteBuffer reserve(int n) {
            if (out.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(out.capacity() * 2, out.position() + n));
                out.flip();
                bigger.put(out);
                out = bigger;
            }
            return out;
        }

        final void readable() throws IOException {
            for (int i = 0; i < MAX_READS && !closeAfterWrite; i++) {
                readBuf.clear();
                int n = ch.read(readBuf);
                if (n < 0) {
                    close();
                    return;
                }
                if (n == 0) {
                    break;
                }
                readBuf.flip();
                received(readBuf);
                if (n < readBuf.capacity()) {
                    break;
                }
            }
            flush();
        }

        final void writable() throws IOException {
            flush();
        }

        /** Writes what {@link #out} holds; waits for OP_WRITE (and stops reading) if the socket does not take it. */
        final void flush() throws IOException {
            if (out.position() > 0) {
                out.flip();
                ch.write(out);
                boolean left = out.hasRemaining();
                out.compact();
                if (left) {
                    key.interestOps(SelectionKey.OP_WRITE);
                    return;
                }
            }
            if (closeAfterWrite) {
                close();
            } else if (key.interestOps() != SelectionKey.OP_READ) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        final void close() {
            if (key != null) {
                key.cancel();
            }
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
