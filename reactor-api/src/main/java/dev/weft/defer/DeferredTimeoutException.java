package dev.weft.defer;

/** The failure of a Deferred cancelled by {@link Deferred#addTimeout} (Twisted's TimeoutError). */
public class DeferredTimeoutException extends java.util.concurrent.TimeoutException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public DeferredTimeoutException(String message) {
        super(message);
    }
}
