package dev.weft.reactor.spi;

/**
 * Where a reactor is in its life, as {@link Lifecycle} holds it. {@code crash()} ends a run without shutdown: from
 * {@link #STARTING} or {@link #RUNNING} the reactor goes back to {@link #NOT_STARTED} (it may run again and fires
 * {@code startup} again); a crash that cuts a shutdown short leaves it in {@link #SHUTDOWN_CUT_SHORT}.
 */
enum LifecycleState {
    /** {@code run()} has not begun startup, or a crash undid it: the next run fires {@code startup}. */
    NOT_STARTED(false),
    /** The {@code startup} event fired and its {@code DURING} phase has not come: {@code stop()} is accepted. */
    STARTING(false),
    /** Startup reached its {@code DURING} phase: {@code isRunning()} is true. */
    RUNNING(true),
    /** {@code stop()} was accepted during startup, before its {@code DURING} phase. */
    STOPPING_BEFORE_RUNNING(false),
    /** {@code stop()} was accepted while running; the {@code shutdown} event is due or firing. */
    STOPPING(true),
    /** A crash ended a shutdown before its {@code DURING} phase: it cannot run again, and never stopped. */
    SHUTDOWN_CUT_SHORT(false),
    /** Shutdown reached its {@code DURING} phase: the reactor cannot run again. */
    STOPPED(false);

    private final boolean running;

    LifecycleState(boolean running) {
        this.running = running;
    }

    /** What {@code isRunning()} answers in this state. */
    boolean running() {
        return running;
    }
}
