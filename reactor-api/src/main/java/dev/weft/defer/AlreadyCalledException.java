package dev.weft.defer;

/** Thrown when a Deferred that has fired is fired again. */
public class AlreadyCalledException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public AlreadyCalledException(String message) {
        super(message);
    }
}
