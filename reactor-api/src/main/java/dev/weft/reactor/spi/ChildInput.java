package dev.weft.reactor.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The writer thread of a child's standard input: takes what the reactor queued, in order, and writes it to the
 * JDK's blocking pipe, reporting each chunk written, the close, or a failure (the child closed its end or exited) to
 * the reactor thread. How much may be queued is the reactor side's business ({@link ChildProcess} pauses the
 * registered producer); this thread only moves bytes.
 */
final class ChildInput implements Runnable {
    /** The marker that closes the pipe once everything before it is written. */
    private static final byte[] CLOSE = new byte[0];

    private final ChildProcess child;
    private final OutputStream out;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private volatile boolean abandoned;

    ChildInput(ChildProcess child, OutputStream out) {
        this.child = child;
        this.out = out;
    }

    /** Queues a chunk (never empty). Reactor thread. */
    void write(byte[] chunk) {
        queue.add(chunk);
    }

    /** Queues the close, after what was written. Reactor thread. */
    void close() {
        queue.add(CLOSE);
    }

    /** Drops what is queued and closes the pipe without reporting: the child exited. Reactor thread. */
    void abandon() {
        abandoned = true;
        queue.clear();
        queue.add(CLOSE);
    }

    /** The writer thread. */
    @Override
    public void run() {
        try {
            while (true) {
                byte[] chunk = queue.take();
                if (chunk == CLOSE) {
                    // Reported before the pipe closes: the child can see the end of its input only after this report
                    // is queued, so what it does about it (its output ending, its exit, reported by other threads)
                    // always reaches the protocol after inConnectionLost, as in Twisted, whose reactor thread closes
                    // the pipe itself. Everything before was flushed, so the close has nothing left to fail on.
                    report(() -> child.stdinClosed(null));
                    closeQuietly();
                    return;
                }
                out.write(chunk);
                out.flush();
                report(() -> child.stdinWritten(chunk.length));
            }
        } catch (IOException e) {
            closeQuietly();
            report(() -> child.stdinClosed(e));
        } catch (InterruptedException e) {
            closeQuietly();
            Thread.currentThread().interrupt();
        }
    }

    private void report(Runnable r) {
        if (!abandoned) {
            child.post(r);
        }
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the pipe is broken already
        }
    }
}
