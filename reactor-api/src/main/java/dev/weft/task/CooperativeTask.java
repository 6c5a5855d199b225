package dev.weft.task;

import dev.weft.defer.Deferred;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One iterator being stepped by a {@link Cooperator} (Twisted's {@code CooperativeTask}); made by
 * {@link Cooperator#cooperate(Iterator)}.
 *
 * <p>A task runs until its iterator is exhausted, its iterator throws (or a Deferred it yielded fails), it is
 * stopped, or its cooperator is stopped; {@link #whenDone()} tells which. It can be paused and resumed meanwhile;
 * pauses nest. A Deferred yielded by the iterator pauses the task (apart from {@link #pause()}) until it fires.
 *
 * <p>Not thread-safe: use it on the reactor thread, the thread its cooperator's slices run on.
 *
 * @param <I> the type of the iterator
 */
public final class CooperativeTask<I extends Iterator<?>> {

    enum State { RUNNING, DONE, STOPPED, FAILED, SCHEDULER_STOPPED }

    private final I iterator;
    private final Cooperator cooperator;
    private final List<Deferred<I>> waiters = new ArrayList<>();
    private State state = State.RUNNING;
    /** The failure of a finished task, or null if its iterator is exhausted. */
    private Throwable failure;
    private int pauses;
    /** Whether the task waits for a Deferred its iterator yielded. */
    private boolean waiting;

    CooperativeTask(I iterator, Cooperator cooperator) {
        this.iterator = iterator;
        this.cooperator = cooperator;
    }

    /**
     * A new Deferred that fires with the iterator once it is exhausted, or fails with what the iterator threw (or
     * what a Deferred it yielded failed with), with {@link TaskStoppedException} after {@link #stop()}, or with
     * {@link SchedulerStoppedException} after {@link Cooperator#stop()}. On a finished task it has fired already;
     * otherwise it fires in the cooperator's slice that finishes the task, or within the {@code stop} that does.
     * Each call returns a new Deferred, so that several parties can wait.
     *
     * @return the Deferred
     */
    public Deferred<I> whenDone() {
        Deferred<I> d = new Deferred<>();
        if (state == State.RUNNING) {
            waiters.add(d);
        } else {
            fire(d);
        }
        return d;
    }

    /**
     * Pauses the task: it takes no step until {@link #resume()} is called as many times as this method was.
     *
     * @throws TaskFinishedException     if the task finished (the subclass says how)
     * @throws SchedulerStoppedException if its cooperator was stopped
     */
    public void pause() {
        checkRunning("pause");
        boolean wasScheduled = isScheduled();
        pauses++;
        if (wasScheduled) {
            cooperator.unschedule(this);
        }
    }

    /**
     * Undoes one {@link #pause()}; after the last one, the task takes steps again from a later slice (unless it is
     * waiting for a Deferred its iterator yielded). On a task that finished while paused, this only counts down.
     *
     * @throws NotPausedException if the task is not paused
     */
    public void resume() {
        if (pauses == 0) {
            throw new NotPausedException("cannot resume " + this + ": it is not paused");
        }
        pauses--;
        if (isScheduled()) {
            cooperator.schedule(this);
        }
    }

    /**
     * Stops the task: its iterator takes no further step, and the Deferreds of {@link #whenDone()} fail with
     * {@link TaskStoppedException} within this method.
     *
     * @throws TaskFinishedException     if the task finished already (the subclass says how)
     * @throws SchedulerStoppedException if its cooperator was stopped
     */
    public void stop() {
        checkRunning("stop");
        finish(State.STOPPED, new TaskStoppedException("the task was stopped"));
    }

    @Override
    public String toString() {
        return "CooperativeTask[" + state.name().toLowerCase(java.util.Locale.ROOT)
                + (pauses > 0 ? ", paused" : "") + (waiting ? ", waiting" : "") + ", " + iterator + "]";
    }

    private boolean isScheduled() {
        return state == State.RUNNING && pauses == 0 && !waiting;
    }

    private void checkRunning(String what) {
        String message = "cannot " + what + " " + this;
        switch (state) {
            case RUNNING:
                return;
            case DONE:
                throw new TaskDoneException(message + ": its iterator is exhausted");
            case STOPPED:
                throw new TaskStoppedException(message + ": it was stopped");
            case FAILED:
                throw new TaskFailedException(message + ": it failed", failure);
            default:
                throw new SchedulerStoppedException(message + ": its cooperator was stopped");
        }
    }

    /** Takes one step; called by the cooperator in a slice. */
    void step() {
        Object value;
        try {
            if (!iterator.hasNext()) {
                finish(State.DONE, null);
                return;
            }
            value = iterator.next();
        } catch (Throwable t) {
            if (state == State.RUNNING) {
                finish(State.FAILED, t);
            }
            return;
        }
        if (value instanceof Deferred && state == State.RUNNING) {
            Deferred<?> d = (Deferred<?>) value;
            boolean wasScheduled = isScheduled();
            waiting = true;
            if (wasScheduled) {
                cooperator.unschedule(this);
            }
            d.addCallbacks(result -> {
                waiting = false;
                if (isScheduled()) {
                    cooperator.schedule(this);
                }
                return null;
            }, f -> {
                waiting = false;
                if (state == State.RUNNING) {
                    finish(State.FAILED, f);
                }
                return null;
            });
        }
    }

    /** Finishes the task: out of the cooperator, then the whenDone Deferreds fire. */
    void finish(State how, Throwable why) {
        state = how;
        failure = why;
        cooperator.finished(this);
        List<Deferred<I>> toFire = new ArrayList<>(waiters);
        waiters.clear();
        for (Deferred<I> d : toFire) {
            fire(d);
        }
    }

    private void fire(Deferred<I> d) {
        if (failure == null) {
            d.callback(iterator);
        } else {
            d.errback(failure);
        }
    }
}
