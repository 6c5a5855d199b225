package dev.weft.task;

import dev.weft.defer.Deferred;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Runs many iterators a step at a time, taking turns, so that long jobs share the reactor thread with everything
 * else (Twisted's {@code task.Cooperator}).
 *
 * <p>Each step of a task is one {@code hasNext()} and {@code next()} of its iterator; what {@code next()} returns is
 * ignored, except a {@link Deferred}, which pauses that task until it fires (and fails the task if it fails). The
 * cooperator works in time slices: in each one it steps the tasks in turn, round-robin, until the slice has lasted
 * {@code sliceSeconds} on its timer (10 ms by default) or no task is left to step, then yields to the loop and
 * schedules the next slice. A slice always takes at least one step; the round-robin goes on across slices where the
 * previous slice left off.
 *
 * <p>Every step, and every callback of the Deferreds of {@link CooperativeTask#whenDone()}, runs in a slice, that is
 * on the thread that runs the scheduler's calls: the reactor thread, or for a {@link Clock} the thread that calls
 * {@link Clock#advance(double)}; except the failures caused by {@link #stop()} and {@link CooperativeTask#stop()},
 * which fire within those methods.
 *
 * <p>Not thread-safe: use it on the reactor thread.
 */
public final class Cooperator {

    /** The length of a time slice unless told otherwise: 10 ms, as in Twisted. */
    public static final double DEFAULT_SLICE_SECONDS = 0.01;

    /**
     * Schedules the next time slice of a {@link Cooperator}, normally with a {@code callLater(0, slice)} on the
     * reactor.
     */
    @FunctionalInterface
    public interface Scheduler {
        /**
         * Arranges for {@code slice} to run once, later, on the thread the cooperator belongs to; never within this
         * method.
         *
         * @param slice what to run
         * @return the scheduled call, which the cooperator cancels when it runs out of work or is stopped
         */
        DelayedCall schedule(Runnable slice);
    }

    private final DoubleSupplier timer;
    private final double sliceSeconds;
    private final Scheduler scheduler;
    /** The tasks to step, in round-robin order. */
    private final List<CooperativeTask<?>> runnable = new ArrayList<>();
    /** Every task not finished yet, paused ones included. */
    private final Set<CooperativeTask<?>> live = new LinkedHashSet<>();
    /** The index in {@link #runnable} of the next task to step. */
    private int cursor;
    private DelayedCall nextSlice;
    private boolean stopped;

    /**
     * Creates a cooperator on {@code clock} with slices of {@link #DEFAULT_SLICE_SECONDS}: slices are measured on
     * {@code clock.seconds()} and each next slice is a {@code clock.callLater(0, ...)}.
     *
     * <p>With a {@link Clock}, time moves only when something advances it, so a slice goes on until the tasks'
     * steps advance the clock by a slice or every task runs out of steps; use
     * {@link #Cooperator(DoubleSupplier, double, Scheduler)} to measure slices on another clock.
     *
     * @param clock the reactor (or a {@link Clock} in tests)
     * @throws NullPointerException if {@code clock} is null
     */
    public Cooperator(ReactorTime clock) {
        this(clock, DEFAULT_SLICE_SECONDS);
    }

    /**
     * Creates a cooperator on {@code clock} with slices of {@code sliceSeconds}; see
     * {@link #Cooperator(ReactorTime)}.
     *
     * @param clock        the reactor (or a {@link Clock} in tests)
     * @param sliceSeconds how long a slice lasts on {@code clock.seconds()}: finite and not negative (0: one step
     *                     per slice)
     * @throws IllegalArgumentException if {@code sliceSeconds} is negative, NaN or infinite
     * @throws NullPointerException     if {@code clock} is null
     */
    public Cooperator(ReactorTime clock, double sliceSeconds) {
        this(requireClock(clock)::seconds, sliceSeconds, slice -> clock.callLater(0, slice));
    }

    /**
     * Creates a cooperator with its own timer and scheduler.
     *
     * @param timer        the time in seconds that slices are measured on
     * @param sliceSeconds how long a slice lasts on {@code timer}: finite and not negative (0: one step per slice)
     * @param scheduler    what schedules each next slice
     * @throws IllegalArgumentException if {@code sliceSeconds} is negative, NaN or infinite
     * @throws NullPointerException     if {@code timer} or {@code scheduler} is null
     */
    public Cooperator(DoubleSupplier timer, double sliceSeconds, Scheduler scheduler) {
        this.timer = Objects.requireNonNull(timer, "timer must not be null");
        if (!(sliceSeconds >= 0) || Double.isInfinite(sliceSeconds)) {
            throw new IllegalArgumentException("sliceSeconds must be finite and not negative, got " + sliceSeconds);
        }
        this.sliceSeconds = sliceSeconds;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
    }

    private static ReactorTime requireClock(ReactorTime clock) {
        return Objects.requireNonNull(clock, "clock must not be null");
    }

    /**
     * Adds a task that steps {@code iterator}, starting in a later slice (never within this method). If this
     * cooperator was stopped, the task fails at once, within this method, with {@link SchedulerStoppedException}.
     *
     * @param iterator the work, one step per {@code next()}
     * @param <I>      the iterator's type
     * @return the task, to pause, resume, stop or wait for
     * @throws NullPointerException if {@code iterator} is null
     */
    public <I extends Iterator<?>> CooperativeTask<I> cooperate(I iterator) {
        Objects.requireNonNull(iterator, "iterator must not be null");
        CooperativeTask<I> task = new CooperativeTask<>(iterator, this);
        if (stopped) {
            task.finish(CooperativeTask.State.SCHEDULER_STOPPED, schedulerStopped());
        } else {
            live.add(task);
            schedule(task);
        }
        return task;
    }

    /**
     * Adds a task that steps {@code iterator} and returns its {@link CooperativeTask#whenDone()}: a Deferred that
     * fires with {@code iterator} once it is exhausted, or fails with what it (or a Deferred it yielded) failed
     * with, or with {@link SchedulerStoppedException} if this cooperator is stopped first.
     *
     * @param iterator the work, one step per {@code next()}
     * @param <I>      the iterator's type
     * @return a Deferred that fires in a slice (or within {@link #stop()})
     * @throws NullPointerException if {@code iterator} is null
     */
    public <I extends Iterator<?>> Deferred<I> coiterate(I iterator) {
        return cooperate(iterator).whenDone();
    }

    /**
     * Stops this cooperator: every unfinished task (paused ones too) fails with {@link SchedulerStoppedException},
     * within this method, and so does every task given to it later. Does nothing the second time.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        cancelNextSlice();
        runnable.clear();
        cursor = 0;
        List<CooperativeTask<?>> tasks = new ArrayList<>(live);
        live.clear();
        for (CooperativeTask<?> task : tasks) {
            task.finish(CooperativeTask.State.SCHEDULER_STOPPED, schedulerStopped());
        }
    }

    /**
     * Whether {@link #stop()} was called.
     *
     * @return true once stopped
     */
    public boolean isStopped() {
        return stopped;
    }

    @Override
    public String toString() {
        return "Cooperator[" + (stopped ? "stopped" : live.size() + " tasks") + "]";
    }

    private static SchedulerStoppedException schedulerStopped() {
        return new SchedulerStoppedException("the cooperator was stopped");
    }

    /** Puts {@code task} back in the round-robin (at the end). */
    void schedule(CooperativeTask<?> task) {
        runnable.add(task);
        if (nextSlice == null) {
            nextSlice = Objects.requireNonNull(scheduler.schedule(this::runSlice),
                    "the scheduler returned null instead of a DelayedCall");
        }
    }

    /** Takes {@code task} out of the round-robin (paused, waiting or finished). */
    void unschedule(CooperativeTask<?> task) {
        int i = indexOf(task);
        if (i < 0) {
            return;
        }
        runnable.remove(i);
        if (i < cursor) {
            cursor--;
        }
        if (runnable.isEmpty()) {
            cancelNextSlice();
        }
    }

    /** Forgets {@code task}, which has finished. */
    void finished(CooperativeTask<?> task) {
        unschedule(task);
        live.remove(task);
    }

    private int indexOf(CooperativeTask<?> task) {
        for (int i = 0; i < runnable.size(); i++) {
            if (runnable.get(i) == task) {
                return i;
            }
        }
        return -1;
    }

    private void cancelNextSlice() {
        if (nextSlice != null) {
            DelayedCall call = nextSlice;
            nextSlice = null;
            if (call.active()) {
                call.cancel();
            }
        }
    }

    private void runSlice() {
        nextSlice = null;
        double end = timer.getAsDouble() + sliceSeconds;
        while (!runnable.isEmpty()) {
            if (cursor >= runnable.size()) {
                cursor = 0;
            }
            CooperativeTask<?> task = runnable.get(cursor++);
            task.step();
            if (timer.getAsDouble() >= end) {
                break;
            }
        }
        if (!runnable.isEmpty() && nextSlice == null) {
            nextSlice = Objects.requireNonNull(scheduler.schedule(this::runSlice),
                    "the scheduler returned null instead of a DelayedCall");
        }
    }
}
