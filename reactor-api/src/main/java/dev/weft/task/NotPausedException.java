package dev.weft.task;

/** Thrown by {@link CooperativeTask#resume()} on a task that is not paused (Twisted's {@code NotPaused}). */
public final class NotPausedException extends SchedulerException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public NotPausedException(String message) {
        super(message);
    }
}
