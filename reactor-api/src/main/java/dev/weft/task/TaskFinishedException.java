package dev.weft.task;

/**
 * Thrown by {@link CooperativeTask#pause()} and {@link CooperativeTask#stop()} on a task that has finished (Twisted's
 * {@code TaskFinished}); the subclass says how it finished.
 */
public class TaskFinishedException extends SchedulerException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public TaskFinishedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened
     * @param cause   what caused it
     */
    public TaskFinishedException(String message, Throwable cause) {
        super(message, cause);
    }
}
