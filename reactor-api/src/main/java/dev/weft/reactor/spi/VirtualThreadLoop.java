package dev.weft.reactor.spi;

import dev.weft.reactor.ReactorAlreadyRunningException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A reactor's own loop run on a virtual thread of its own ({@code weft.loop.virtual}): {@code run()},
 * {@code runUntil()} and {@code iterate()} hand the {@link PollingLoop} to that thread and wait until it returns,
 * so every callback runs there. The same virtual thread serves every run of the reactor (a Netty loop stays bound to
 * the first thread that ran it), waiting between runs, and ends when the reactor can never run again.
 *
 * <p>Why: a coroutine body runs on a virtual thread, and hands over to the thread it acts for and back at each
 * {@code await()}. Between two virtual threads that is a continuation switch on the carrier; between a virtual
 * thread and a platform thread it is an OS-level wake-up each way.
 *
 * <p>The thread that waits in {@code run()} passes an interrupt on to the loop's thread, where it asks the reactor
 * to stop, as it does for a loop on the calling thread. What the run throws is thrown to the caller as itself.
 */
final class VirtualThreadLoop implements LoopDriver {
    private final LoopDriver loop;
    private final LoopPass pass;
    private final ThreadFactory threads;
    private final LinkedBlockingQueue<LoopRun> runs = new LinkedBlockingQueue<>();
    /** Whether a caller is handing a run over or waiting for one: a second caller is refused as the loop would. */
    private final AtomicBoolean taken = new AtomicBoolean();
    /** The loop's virtual thread while it lives; guarded by this. */
    private Thread thread;

    VirtualThreadLoop(LoopDriver loop, LoopPass pass, ThreadFactory threads) {
        this.loop = loop;
        this.pass = pass;
        this.threads = threads;
    }

    /** On the thread that calls {@code run()}/{@code runUntil()}. */
    @Override
    public void run(BooleanSupplier until) {
        onLoopThread(() -> loop.run(until));
    }

    /** On the thread that calls {@code iterate()}. */
    @Override
    public void iterate(long maxTimeoutNanos) {
        onLoopThread(() -> loop.iterate(maxTimeoutNanos));
    }

    @Override
    public void wakeUp() {
        loop.wakeUp();
    }

    @Override
    public void earliestDeadlineChanged() {
        loop.earliestDeadlineChanged();
    }

    private void onLoopThread(Runnable work) {
        if (!taken.compareAndSet(false, true)) {
            // Another caller's run holds the loop's thread; a callback of it calling run() is refused as well.
            pass.checkCanEnter();
            throw new ReactorAlreadyRunningException("the reactor's loop is already running on thread "
                    + loopThread());
        }
        try {
            LoopRun run = new LoopRun(work);
            runs.add(run);
            run.awaitPassingInterrupts(startIfNeeded());
            run.rethrow();
        } finally {
            taken.set(false);
        }
    }

    private synchronized Thread loopThread() {
        return thread;
    }

    private synchronized Thread startIfNeeded() {
        if (thread == null) {
            thread = threads.newThread(this::serve);
            thread.start();
        }
        return thread;
    }

    /** The loop's virtual thread: runs what callers hand it, one at a time, until the reactor has ended. */
    private void serve() {
        while (true) {
            LoopRun next;
            try {
                next = runs.take();
            } catch (InterruptedException e) {
                continue; // an interrupt between runs asks nothing: no run to stop
            }
            next.run();
            synchronized (this) {
                if (pass.ended() && runs.isEmpty()) {
                    thread = null;
                    return;
                }
            }
        }
    }

    /** One run handed to the loop's thread, and its outcome. */
    private static final class LoopRun {
        private final Runnable work;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Throwable failure;

        LoopRun(Runnable work) {
            this.work = work;
        }

        /** On the loop's thread. */
        void run() {
            try {
                work.run();
            } catch (Throwable t) {
                failure = t;
            } finally {
                done.countDown();
            }
        }

        /** Waits until the run returned; an interrupt meanwhile goes on to {@code loopThread}. On the caller. */
        void awaitPassingInterrupts(Thread loopThread) {
            while (true) {
                try {
                    done.await();
                    return;
                } catch (InterruptedException e) {
                    loopThread.interrupt();
                }
            }
        }

        /** Throws what the run threw, as itself. On the caller. */
        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new IllegalStateException("the loop's run failed: " + t, t);
            }
        }
    }
}
