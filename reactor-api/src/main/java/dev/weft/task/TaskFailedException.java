package dev.weft.task;

/**
 * Thrown by {@link CooperativeTask#pause()} and {@link CooperativeTask#stop()} on a task that failed: its iterator
 * threw, or a Deferred it yielded failed (Twisted's {@code TaskFailed}). The cause is that failure. (The task's
 * {@link CooperativeTask#whenDone()} fails with the failure itself, not with this exception.)
 */
public final class TaskFailedException extends TaskFinishedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param cause   the failure of the task
     */
    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
