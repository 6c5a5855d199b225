package dev.weft.reactor.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Semaphore;

/**
 * One output stream of a child (standard output or error): a reader thread that blocks on the JDK's pipe and hands
 * each chunk to the reactor thread, and the reactor side that delivers chunks to the protocol or holds them while
 * the transport is paused.
 *
 * <p>Bounded: the reader takes a permit before each read and the reactor side gives it back once the chunk is
 * delivered, so at most {@link #IN_FLIGHT} chunks of {@link #CHUNK} bytes (32 KiB) wait per stream; while the
 * protocol is paused the reader stops, and a flooding child blocks on its full pipe. Once discarding (the protocol
 * closed the stream, or the reactor shut down), the reader drains the pipe into nothing until the child's end of
 * file, so the child never blocks.
 */
final class ChildOutput implements Runnable {
    /** The largest chunk read at once. */
    static final int CHUNK = 8192;
    /** How many chunks may wait for delivery. */
    static final int IN_FLIGHT = 4;

    /** What the reactor side of the stream is doing. */
    private enum State {
        /** Chunks are delivered (or held while the transport is paused). */
        OPEN,
        /** The end was seen while chunks were held; it is delivered after them. */
        END_HELD,
        /** The end was delivered (its {@code *ConnectionLost}), or is about to be. */
        ENDED
    }

    private final ChildProcess child;
    private final int childFD;
    private final InputStream in;
    private final Semaphore permits = new Semaphore(IN_FLIGHT);
    private volatile boolean discarding;

    // reactor thread only
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private State state = State.OPEN;

    ChildOutput(ChildProcess child, int childFD, InputStream in) {
        this.child = child;
        this.childFD = childFD;
        this.in = in;
    }

    // ---------------------------------------------------------------- reader thread

    /** The reader thread: reads until end of file, one permit per chunk. */
    @Override
    public void run() {
        byte[] buf = new byte[CHUNK];
        try (InputStream stream = in) {
            while (true) {
                permits.acquire();
                int n = stream.read(buf);
                if (n < 0) {
                    break;
                }
                if (discarding) {
                    permits.release();
                    continue;
                }
                byte[] chunk = Arrays.copyOf(buf, n);
                child.post(() -> arrived(chunk));
            }
        } catch (IOException e) {
            // the pipe failed or was closed: the stream ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!discarding) {
            child.post(this::endArrived);
        }
    }

    // ---------------------------------------------------------------- reactor thread

    private void arrived(byte[] chunk) {
        if (state != State.OPEN) {
            permits.release();
        } else if (child.outputPaused() || !held.isEmpty()) {
            held.add(chunk);
        } else {
            permits.release();
            child.deliver(childFD, chunk);
        }
    }

    private void endArrived() {
        if (state != State.OPEN) {
            return;
        }
        if (held.isEmpty()) {
            end();
        } else {
            state = State.END_HELD;
        }
    }

    /** Delivers the held chunks (and a held end) while the transport is not paused. */
    void deliverHeld() {
        while (state != State.ENDED && !held.isEmpty() && !child.outputPaused()) {
            byte[] chunk = held.poll();
            permits.release();
            child.deliver(childFD, chunk);
        }
        if (state == State.END_HELD && held.isEmpty()) {
            end();
        }
    }

    private void end() {
        state = State.ENDED;
        child.streamEnded(childFD);
    }

    /** The protocol closed the stream: discard what comes, report the end on a later pass. */
    void close() {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        stopDelivering();
        child.later(() -> child.streamEnded(childFD));
    }

    /** The reactor shut down: discard what comes, report nothing. */
    void detach() {
        state = State.ENDED;
        stopDelivering();
    }

    private void stopDelivering() {
        held.clear();
        discarding = true;
        permits.release(IN_FLIGHT + 1);
    }
}
