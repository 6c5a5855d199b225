package dev.weft.defer;

/** Thrown by {@link DeferredQueue#put} when the queue holds as many items as its size limit allows. */
public final class QueueOverflowException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public QueueOverflowException(String message) {
        super(message);
    }
}
