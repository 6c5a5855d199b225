package dev.weft.task;

/**
 * The failure of {@link CooperativeTask#whenDone()} for a task stopped with {@link CooperativeTask#stop()}, and what
 * {@code pause()} and {@code stop()} throw on such a task afterwards (Twisted's {@code TaskStopped}).
 */
public final class TaskStoppedException extends TaskFinishedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public TaskStoppedException(String message) {
        super(message);
    }
}
