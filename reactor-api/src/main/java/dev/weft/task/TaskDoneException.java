package dev.weft.task;

/**
 * Thrown by {@link CooperativeTask#pause()} and {@link CooperativeTask#stop()} on a task whose iterator is exhausted
 * (Twisted's {@code TaskDone}).
 */
public final class TaskDoneException extends TaskFinishedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public TaskDoneException(String message) {
        super(message);
    }
}
