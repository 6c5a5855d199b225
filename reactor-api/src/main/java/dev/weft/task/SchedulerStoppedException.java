package dev.weft.task;

/**
 * The failure of {@link CooperativeTask#whenDone()} for a task whose {@link Cooperator} was stopped, before or after
 * the task was given to it (Twisted's {@code SchedulerStopped}).
 */
public final class SchedulerStoppedException extends SchedulerException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public SchedulerStoppedException(String message) {
        super(message);
    }
}
