package dev.weft.stream;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.PushProducer;
import dev.weft.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The writing half of a stream connection (asyncio's {@code StreamWriter}): write, half-close, close, and
 * {@link #drain()} for flow control.
 *
 * <p>{@link #write(byte[])} never blocks: the transport buffers. A loop that writes much should await
 * {@code drain()} after each write; it fires at once while the transport's write buffer is under its high-water
 * mark, and otherwise when the buffer has drained below its low-water mark, so the loop holds at most about one
 * high-water mark plus one write in memory, however slowly the peer reads. The writer learns of the buffer's level
 * as a streaming producer registered on the transport, so the transport's producer slot is taken: do not register
 * another producer on {@link #transport()}.
 *
 * <p>The writer is {@link AutoCloseable}: {@code try (writer) { ... }} in a handler closes the connection when the
 * handler is done. Not thread-safe: call it on the reactor thread or from a coroutine body running on its behalf;
 * the Deferreds fire on the reactor thread.
 */
public final class StreamWriter implements AutoCloseable {

    /** What this side has done to the connection. */
    private enum Side {
        /** Writing. */
        OPEN,
        /** {@link #writeEof()}: half-closed. */
        EOF_WRITTEN,
        /** {@link #close()}. */
        CLOSED,
        /** {@link #abort()}. */
        ABORTED
    }

    /** The transport's write buffer, as its producer callbacks tell it. */
    private enum Flow {
        /** Under the high-water mark: {@code drain()} fires at once. */
        FLOWING,
        /** Over it, not yet drained: {@code drain()} waits. */
        PAUSED
    }

    private final Transport transport;
    private final PushProducer producer = new Producer();
    private final List<Deferred<Void>> drainers = new ArrayList<>();
    private final List<Deferred<Void>> closeWaiters = new ArrayList<>();
    private Side side = Side.OPEN;
    private Flow flow = Flow.FLOWING;
    private boolean producerRegistered;
    private Throwable lost;

    StreamWriter(Transport transport) {
        this.transport = transport;
    }

    /**
     * Writes {@code data} (asyncio's {@code write}): buffered by the transport, never blocking. Once the connection
     * is lost, writes are dropped (as by the transport); {@link #drain()} then reports the loss.
     *
     * @param data the bytes; the transport may keep the array, so do not change it afterwards
     * @throws NullPointerException  if {@code data} is null
     * @throws IllegalStateException after {@link #writeEof()}, {@link #close()} or {@link #abort()}
     */
    public void write(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        checkWritable("write");
        transport.write(data);
    }

    /**
     * Writes each chunk in order (asyncio's {@code writelines}).
     *
     * @param chunks the chunks
     * @throws NullPointerException  if {@code chunks} or one of them is null
     * @throws IllegalStateException after {@link #writeEof()}, {@link #close()} or {@link #abort()}
     */
    public void writeLines(List<byte[]> chunks) {
        Objects.requireNonNull(chunks, "chunks must not be null");
        for (byte[] chunk : chunks) {
            Objects.requireNonNull(chunk, "chunks must not contain null");
        }
        checkWritable("writeLines");
        transport.writeSequence(chunks);
    }

    private void checkWritable(String what) {
        if (side != Side.OPEN) {
            throw new IllegalStateException(what + "() after " + switch (side) {
                case EOF_WRITTEN -> "writeEof()";
                case CLOSED -> "close()";
                default -> "abort()";
            } + ": this side of the stream is shut");
        }
    }

    /**
     * Waits until the write buffer is low enough to go on writing (asyncio's {@code drain}). Fires at once (a
     * Deferred that has fired) while the buffer is under the transport's high-water mark; otherwise when it drains.
     * Fails with the connection's reason once the connection is lost ({@link dev.weft.protocol.ConnectionDone},
     * {@link dev.weft.protocol.ConnectionLost}, ...), so a writing loop learns that the peer is gone. After
     * {@link #writeEof()} or {@link #close()}, fires at once until the connection is lost.
     *
     * @return a Deferred that fires with null; cancelling it stops the wait
     */
    public Deferred<Void> drain() {
        if (lost != null) {
            return Deferred.fail(lost);
        }
        if (flow == Flow.FLOWING || !producerRegistered) {
            return Deferred.succeed(null);
        }
        return waitIn(drainers);
    }

    /**
     * Half-closes (asyncio's {@code write_eof}): the peer reads an end of stream once everything written has been
     * sent, and this side goes on reading. Does nothing after it was called, or after {@link #close()}.
     */
    public void writeEof() {
        if (side != Side.OPEN) {
            return;
        }
        side = Side.EOF_WRITTEN;
        releaseProducer();
        transport.loseWriteConnection();
    }

    /**
     * Closes the connection once everything written has been sent (asyncio's {@code close}); the reader then sees
     * the end of stream. Idempotent; {@link #waitClosed()} fires when the connection is closed.
     */
    @Override
    public void close() {
        if (side == Side.CLOSED || side == Side.ABORTED) {
            return;
        }
        side = Side.CLOSED;
        releaseProducer();
        transport.loseConnection();
    }

    /**
     * Closes the connection at once, dropping what is not sent yet (asyncio's {@code transport.abort()}); reads then
     * fail with {@link ConnectionAborted}. Idempotent.
     */
    public void abort() {
        if (side == Side.ABORTED) {
            return;
        }
        side = Side.ABORTED;
        releaseProducer();
        transport.abortConnection();
    }

    /**
     * Whether the connection is closed or closing (asyncio's {@code is_closing}): after {@link #close()} or
     * {@link #abort()}, or once the connection was lost.
     *
     * @return whether it is closing or closed
     */
    public boolean isClosing() {
        return side == Side.CLOSED || side == Side.ABORTED || lost != null;
    }

    /**
     * Waits until the connection is closed (asyncio's {@code wait_closed}): fires with null once it was closed
     * cleanly (or aborted by this side), fails with the reason if it was lost with an error.
     *
     * @return a Deferred; each call makes a new one, fired at once if the connection is closed already
     */
    public Deferred<Void> waitClosed() {
        if (lost != null) {
            return closedOutcome();
        }
        return waitIn(closeWaiters);
    }

    /**
     * The transport under this stream, for what the stream does not offer (TCP options, TLS).
     *
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * The peer's address (asyncio's {@code get_extra_info('peername')}).
     *
     * @return the address of the other end
     */
    public InetSocketAddress getPeer() {
        return transport.getPeer();
    }

    /**
     * This end's address (asyncio's {@code get_extra_info('sockname')}).
     *
     * @return the local address
     */
    public InetSocketAddress getHost() {
        return transport.getHost();
    }

    @Override
    public String toString() {
        return "StreamWriter[" + side + ", " + flow + (lost != null ? ", lost" : "") + "]";
    }

    // ------------------------------------------------------ called by the protocol

    void registerProducer() {
        transport.registerProducer(producer, true);
        producerRegistered = true;
    }

    void connectionLost(Throwable reason) {
        lost = reason;
        producerRegistered = false;
        List<Deferred<Void>> waiting = new ArrayList<>(drainers);
        drainers.clear();
        for (Deferred<Void> d : waiting) {
            d.errback(reason);
        }
        List<Deferred<Void>> closing = new ArrayList<>(closeWaiters);
        closeWaiters.clear();
        for (Deferred<Void> d : closing) {
            closedOutcome().chainDeferred(d);
        }
    }

    /** Whether the handler's failure is the loss itself (a read failing with the reason), not a handler bug. */
    boolean isLossReason(Throwable failure) {
        return lost != null && failure == lost;
    }

    private Deferred<Void> closedOutcome() {
        boolean clean = lost instanceof ConnectionDone || (lost instanceof ConnectionAborted && side == Side.ABORTED);
        return clean ? Deferred.succeed(null) : Deferred.fail(lost);
    }

    private void releaseProducer() {
        if (producerRegistered) {
            producerRegistered = false;
            transport.unregisterProducer();
        }
        resumeDrainers();
    }

    private static Deferred<Void> waitIn(List<Deferred<Void>> list) {
        Deferred<Void> d = new Deferred<>(list::remove);
        list.add(d);
        return d;
    }

    private void resumeDrainers() {
        flow = Flow.FLOWING;
        List<Deferred<Void>> waiting = new ArrayList<>(drainers);
        drainers.clear();
        for (Deferred<Void> d : waiting) {
            d.callback(null);
        }
    }

    /** The transport's view of the writer: paused over the high-water mark, resumed below the low one. */
    private final class Producer implements PushProducer {
        @Override
        public void pauseProducing() {
            flow = Flow.PAUSED;
        }

        @Override
        public void resumeProducing() {
            if (producerRegistered) {
                resumeDrainers();
            }
        }

        @Override
        public void stopProducing() {
            // The connection is going: connectionLost fails the drainers with its reason.
        }

        @Override
        public String toString() {
            return "StreamWriter's flow control";
        }
    }
}
