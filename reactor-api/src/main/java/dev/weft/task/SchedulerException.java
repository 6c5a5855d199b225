package dev.weft.task;

/**
 * The base of the errors of a {@link Cooperator} and its {@link CooperativeTask}s (Twisted's
 * {@code SchedulerError}): thrown when a task is used in a state that does not allow it, and the failure of
 * {@link CooperativeTask#whenDone()} when a task is stopped.
 */
public class SchedulerException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public SchedulerException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened
     * @param cause   what caused it
     */
    public SchedulerException(String message, Throwable cause) {
        super(message, cause);
    }
}
