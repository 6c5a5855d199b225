package dev.weft.defer;

/** Thrown by {@link DeferredQueue#get} when as many gets are waiting as the queue's backlog limit allows. */
public final class QueueUnderflowException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public QueueUnderflowException(String message) {
        super(message);
    }
}
