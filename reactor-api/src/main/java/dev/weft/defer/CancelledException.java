package dev.weft.defer;

/** The failure of a Deferred that was cancelled and whose canceller did not fire it (Twisted's CancelledError). */
public class CancelledException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public CancelledException(String message) {
        super(message);
    }
}
