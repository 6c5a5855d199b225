package dev.weft.bench.jmh;

import dev.weft.netty.NettyReactor;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorConfig;
import dev.weft.untwisted.UntwistedReactor;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One event loop under test, the same operations on each: a Weft backend or a baseline. Every benchmark takes its
 * target by name (a JMH {@code @Param}), so each operation gets one side-by-side table.
 *
 * <ul>
 *   <li>{@code untwisted}, {@code netty-nio}, {@code netty-epoll}: Weft reactors that own their loop. In
 *       {@linkplain Mode#INLINE inline} mode the calling (JMH) thread is the reactor thread: it calls
 *       {@code callLater} itself and drives passes with {@code iterate(0)}; in
 *       {@linkplain Mode#BACKGROUND background} mode a thread of the target's own runs {@code run()}.</li>
 *   <li>{@code netty-attached-nio}: the Weft reactor attached to a loop of a Netty {@code MultiThreadIoEventLoopGroup}
 *       ({@code NettyReactor.attach}, {@code startRunning()}); work on the loop thread is submitted to it.</li>
 *   <li>{@code netty-baseline-nio}, {@code netty-baseline-epoll}: a raw Netty {@code EventLoop} of a
 *       {@code MultiThreadIoEventLoopGroup(1, ...)}: {@code schedule}/{@code cancel} and {@code execute}.</li>
 *   <li>{@code stpe}: {@code ScheduledThreadPoolExecutor(1)} (remove-on-cancel), a JDK baseline; its methods are
 *       thread-safe, so batches run on the calling thread.</li>
 * </ul>
 *
 * <p>Batches of loop-thread work on a loop the caller does not drive are handed over with
 * {@link #onLoop(Runnable)}: one {@code execute} and a spin-wait for its end, so the hand-over costs the same on each
 * such target and is amortised over the batch.
 */
public abstract class Target implements AutoCloseable {

    /** Every target name, in table order. */
    public static final List<String> NAMES = List.of("untwisted", "netty-nio", "netty-epoll", "netty-attached-nio",
            "netty-baseline-nio", "netty-baseline-epoll", "stpe");

    /** How a target runs its loop. */
    public enum Mode {
        /** The calling thread is the loop thread of an owned reactor (passes with {@code iterate(0)}). */
        INLINE,
        /** The loop runs on a thread of its own, the caller only submits. */
        BACKGROUND
    }

    /** A task that does nothing: the function of timers that never fire. */
    static final Runnable NOOP = () -> { };

    private final String name;
    private volatile boolean batchDone;

    Target(String name) {
        this.name = name;
    }

    /**
     * Opens a target.
     *
     * @param name one of {@link #NAMES}
     * @param mode inline or background (ignored by targets that always run their own thread)
     * @return the target, its loop ready
     * @throws IllegalStateException if epoll is asked for and does not load here
     */
    public static Target open(String name, Mode mode) {
        BenchSupport.quietLogging();
        switch (name) {
            case "untwisted":
                return new Owned(name, new UntwistedReactor(config()), mode);
            case "netty-nio":
                return new Owned(name, NettyReactor.create(config(), "nio"), mode);
            case "netty-epoll":
                requireEpoll();
                return new Owned(name, NettyReactor.create(config(), "epoll"), mode);
            case "netty-attached-nio":
                return new Attached(name);
            case "netty-baseline-nio":
                return new NettyLoop(name, NioIoHandler.newFactory());
            case "netty-baseline-epoll":
                requireEpoll();
                return new NettyLoop(name, EpollIoHandler.newFactory());
            case "stpe":
                return new Stpe(name);
            default:
                throw new IllegalArgumentException("unknown target " + name + "; known: " + NAMES);
        }
    }

    /** The configuration of the Weft reactors: the defaults (blocked-loop detector on, as users run it). */
    static ReactorConfig config() {
        return ReactorConfig.fromEnvironment();
    }

    static void requireEpoll() {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport does not load here",
                    Epoll.unavailabilityCause());
        }
    }

    /**
     * The name of the target.
     *
     * @return its name
     */
    public final String name() {
        return name;
    }

    // ---------------------------------------------------------------- timers (on the loop thread)

    /** Schedules a timer {@code delay} from now; loop thread only. */
    abstract Object schedule(Delays delays, int i, Runnable f);

    /** Cancels a timer made by {@link #schedule}; loop thread only. */
    abstract void cancel(Object handle);

    /**
     * Schedules {@code f} at an absolute {@link System#nanoTime()} deadline; loop thread only (any thread on the
     * STPE). For the accuracy program, not for throughput.
     *
     * @param deadlineNanos the deadline
     * @param f             the task
     */
    abstract void scheduleAt(long deadlineNanos, Runnable f);

    static double secondsUntil(long deadlineNanos) {
        return Math.max(0, deadlineNanos - System.nanoTime()) / 1e9;
    }

    /**
     * Runs {@code batch} on the loop thread and returns once it ran. Inline targets and the STPE run it here.
     *
     * @param batch the work
     */
    public void onLoop(Runnable batch) {
        batch.run();
    }

    /**
     * Schedules {@code delays.n} timers, then cancels them all, on the loop thread, in one batch.
     *
     * @param delays the delays
     * @param handles room for the handles (at least {@code delays.n})
     */
    public final void scheduleThenCancel(Delays delays, Object[] handles) {
        onLoop(() -> {
            int n = delays.n;
            for (int i = 0; i < n; i++) {
                handles[i] = schedule(delays, i, NOOP);
            }
            for (int i = 0; i < n; i++) {
                cancel(handles[i]);
                handles[i] = null;
            }
        });
    }

    /**
     * Schedules {@code delays.n} timers that do nothing, on the loop thread, in one batch.
     *
     * @param delays  the delays
     * @param handles receives the handles (at least {@code delays.n} long)
     */
    public final void scheduleAll(Delays delays, Object[] handles) {
        onLoop(() -> {
            for (int i = 0; i < delays.n; i++) {
                handles[i] = schedule(delays, i, NOOP);
            }
        });
    }

    /**
     * Cancels the first {@code n} timers of {@code handles} (made by {@link #scheduleAll}) on the loop thread, in
     * one batch, and clears them.
     *
     * @param handles the handles
     * @param n       how many
     */
    public final void cancelAll(Object[] handles, int n) {
        onLoop(() -> {
            for (int i = 0; i < n; i++) {
                cancel(handles[i]);
                handles[i] = null;
            }
        });
    }

    /**
     * Schedules {@code n} timers due now and returns once every one has run.
     *
     * @param n how many
     */
    public abstract void fire(int n);

    // ---------------------------------------------------------------- cross-thread

    /**
     * The thread-safe entry point: {@code callFromThread} on a reactor, {@code execute} on a baseline. Only in
     * background mode (or on targets with their own thread).
     *
     * @param f the task
     */
    public abstract void execute(Runnable f);

    /**
     * Hands {@code batch} to the loop with {@link #execute(Runnable)} and spins until it has run. For targets whose
     * loop runs on a thread of its own.
     */
    final void handOver(Runnable batch) {
        handOver(this::execute, batch);
    }

    /** {@link #handOver(Runnable)} through {@code executor}, whose tasks run on the loop thread. */
    final void handOver(java.util.concurrent.Executor executor, Runnable batch) {
        batchDone = false;
        executor.execute(() -> {
            try {
                batch.run();
            } finally {
                batchDone = true;
            }
        });
        BenchSupport.spinUntil(() -> batchDone, "a batch on " + name);
    }

    /**
     * The Weft reactor of this target, for benchmarks that drive it directly (coroutines); null on the baselines.
     *
     * @return the reactor, or null
     */
    Reactor weftReactor() {
        return null;
    }

    @Override
    public abstract void close();

    @Override
    public String toString() {
        return name;
    }

    // ---------------------------------------------------------------- delays

    /** Precomputed delays, in both units, so no target pays for a conversion the other does not. */
    public static final class Delays {
        /** How many. */
        public final int n;
        final double[] seconds;
        final long[] nanos;

        private Delays(double[] seconds) {
            this.n = seconds.length;
            this.seconds = seconds;
            this.nanos = new long[n];
            for (int i = 0; i < n; i++) {
                nanos[i] = (long) (seconds[i] * 1e9);
            }
        }

        /**
         * {@code n} delays drawn uniformly from {@code [from, from + span)} seconds, with a fixed seed.
         *
         * @param n    how many
         * @param from the smallest delay, seconds
         * @param span the width of the range, seconds
         * @return the delays
         */
        public static Delays uniform(int n, double from, double span) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(42);
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = from + r.nextDouble() * span;
            }
            return new Delays(s);
        }

        /**
         * {@code n} delays of zero.
         *
         * @param n how many
         * @return the delays
         */
        public static Delays zero(int n) {
            return new Delays(new double[n]);
        }

        @Override
        public String toString() {
            return n + " delays " + Arrays.toString(Arrays.copyOf(seconds, Math.min(n, 3))) + "...";
        }
    }

    // ---------------------------------------------------------------- Weft, owned loop

    /** An owned Weft reactor: the caller's thread (inline) or a thread of its own (background) runs it. */
    static final class Owned extends Target {
        final Reactor reactor;
        final Mode mode;
        private final Thread thread;
        private int fired;
        private final Runnable tick = () -> fired++;

        Owned(String name, Reactor reactor, Mode mode) {
            super(name);
            this.reactor = reactor;
            this.mode = mode;
            if (mode == Mode.BACKGROUND) {
                thread = new Thread(reactor::run, "bench-loop-" + name);
                thread.setDaemon(true);
                java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
                reactor.callWhenRunning(started::countDown);
                thread.start();
                BenchSupport.await(started, "the " + name + " reactor to start");
            } else {
                thread = null;
            }
        }

        @Override
        Object schedule(Delays delays, int i, Runnable f) {
            return reactor.callLater(delays.seconds[i], f);
        }

        @Override
        void cancel(Object handle) {
            ((DelayedCall) handle).cancel();
        }

        @Override
        void scheduleAt(long deadlineNanos, Runnable f) {
            reactor.callLater(secondsUntil(deadlineNanos), f);
        }

        @Override
        public void onLoop(Runnable batch) {
            if (mode == Mode.INLINE) {
                batch.run();
            } else {
                handOver(batch);
            }
        }

        @Override
        public void fire(int n) {
            if (mode != Mode.INLINE) {
                throw new UnsupportedOperationException("fire runs inline");
            }
            fired = 0;
            for (int i = 0; i < n; i++) {
                reactor.callLater(0, tick);
            }
            while (fired < n) {
                reactor.iterate(0);
            }
        }

        @Override
        public void execute(Runnable f) {
            reactor.callFromThread(f);
        }

        @Override
        Reactor weftReactor() {
            return reactor;
        }

        @Override
        public void close() {
            try {
                if (mode == Mode.BACKGROUND) {
                    reactor.callFromThread(reactor::stop);
                    thread.join(10_000);
                } else {
                    // Never run, only iterated: a run() that stops at once releases the selector or Netty loop.
                    reactor.callWhenRunning(reactor::stop);
                    reactor.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                System.err.println("closing " + name() + ": " + e);
            }
        }
    }

    // ---------------------------------------------------------------- Weft, attached to a Netty loop

    /** A Weft reactor attached to the loop of a one-thread Netty NIO group it does not own. */
    static final class Attached extends Target {
        private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final NettyReactor reactor;
        private int fired;
        private volatile boolean allFired;
        private int target;
        private final Runnable tick = () -> {
            if (++fired == target) {
                allFired = true;
            }
        };

        Attached(String name) {
            super(name);
            reactor = NettyReactor.attach(group.next(), config());
            reactor.startRunning();
        }

        @Override
        Object schedule(Delays delays, int i, Runnable f) {
            return reactor.callLater(delays.seconds[i], f);
        }

        @Override
        void cancel(Object handle) {
            ((DelayedCall) handle).cancel();
        }

        @Override
        void scheduleAt(long deadlineNanos, Runnable f) {
            reactor.callLater(secondsUntil(deadlineNanos), f);
        }

        /**
         * As a Netty task on the loop, outside the reactor's passes, like a handler of the server would, and as the
         * raw Netty baseline gets its batches (a batch of a million is no reactor callback that holds the loop).
         */
        @Override
        public void onLoop(Runnable batch) {
            handOver(reactor.eventLoop(), batch);
        }

        @Override
        public void fire(int n) {
            allFired = false;
            execute(() -> {
                fired = 0;
                target = n;
                for (int i = 0; i < n; i++) {
                    reactor.callLater(0, tick);
                }
            });
            BenchSupport.spinUntil(() -> allFired, "timers on " + name());
        }

        @Override
        public void execute(Runnable f) {
            reactor.callFromThread(f);
        }

        @Override
        Reactor weftReactor() {
            return reactor;
        }

        @Override
        public void close() {
            try {
                java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
                reactor.callFromThread(() -> {
                    reactor.addSystemEventTrigger(dev.weft.reactor.Phase.AFTER, dev.weft.reactor.ReactorCore.SHUTDOWN,
                            stopped::countDown);
                    reactor.stop();
                });
                BenchSupport.await(stopped, "the attached reactor to stop");
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    // ---------------------------------------------------------------- raw Netty loop (baseline)

    /** A raw Netty event loop: the one loop of a {@code MultiThreadIoEventLoopGroup(1, ...)}. */
    static final class NettyLoop extends Target {
        private final MultiThreadIoEventLoopGroup group;
        private final IoEventLoop loop;
        private int fired;
        private int target;
        private volatile boolean allFired;
        private final Runnable tick = () -> {
            if (++fired == target) {
                allFired = true;
            }
        };

        NettyLoop(String name, IoHandlerFactory factory) {
            super(name);
            group = new MultiThreadIoEventLoopGroup(1, factory);
            loop = (IoEventLoop) group.next();
            // Start the thread now, not in the first measured batch.
            BenchSupport.join(loop.submit(NOOP), "the Netty loop to start");
        }

        @Override
        Object schedule(Delays delays, int i, Runnable f) {
            return loop.schedule(f, delays.nanos[i], TimeUnit.NANOSECONDS);
        }

        @Override
        void cancel(Object handle) {
            ((ScheduledFuture<?>) handle).cancel(false);
        }

        @Override
        void scheduleAt(long deadlineNanos, Runnable f) {
            loop.schedule(f, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void onLoop(Runnable batch) {
            handOver(batch);
        }

        @Override
        public void fire(int n) {
            allFired = false;
            loop.execute(() -> {
                fired = 0;
                target = n;
                for (int i = 0; i < n; i++) {
                    loop.schedule(tick, 0, TimeUnit.NANOSECONDS);
                }
            });
            BenchSupport.spinUntil(() -> allFired, "timers on " + name());
        }

        @Override
        public void execute(Runnable f) {
            loop.execute(f);
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ---------------------------------------------------------------- ScheduledThreadPoolExecutor (baseline)

    /** {@code ScheduledThreadPoolExecutor(1)}, removing cancelled tasks at once as the others do. */
    static final class Stpe extends Target {
        private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
        // Written by the caller before it schedules, read by the one worker: the queue's lock orders them.
        private int fired;
        private int target;
        private volatile boolean allFired;
        private final Runnable tick = () -> {
            if (++fired == target) {
                allFired = true;
            }
        };

        Stpe(String name) {
            super(name);
            executor.setRemoveOnCancelPolicy(true);
            executor.prestartAllCoreThreads();
        }

        @Override
        Object schedule(Delays delays, int i, Runnable f) {
            return executor.schedule(f, delays.nanos[i], TimeUnit.NANOSECONDS);
        }

        @Override
        void cancel(Object handle) {
            ((java.util.concurrent.ScheduledFuture<?>) handle).cancel(false);
        }

        @Override
        void scheduleAt(long deadlineNanos, Runnable f) {
            executor.schedule(f, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void fire(int n) {
            allFired = false;
            fired = 0;
            target = n;
            for (int i = 0; i < n; i++) {
                executor.schedule(tick, 0, TimeUnit.NANOSECONDS);
            }
            BenchSupport.spinUntil(() -> allFired, "timers on " + name());
        }

        @Override
        public void execute(Runnable f) {
            executor.execute(f);
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
