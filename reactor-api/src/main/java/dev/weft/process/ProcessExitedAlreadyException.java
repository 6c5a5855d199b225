package dev.weft.process;

/**
 * Raised by {@link ProcessTransport#signalProcess(String)} when the child has already exited (Twisted's
 * {@code ProcessExitedAlready}).
 */
public final class ProcessExitedAlreadyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception. Any thread.
     *
     * @param message what was attempted on which child
     */
    public ProcessExitedAlreadyException(String message) {
        super(message);
    }
}
