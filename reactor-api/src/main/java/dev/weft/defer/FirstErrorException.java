package dev.weft.defer;

/**
 * The failure of a {@link DeferredList} with {@link DeferredList.Option#FIRE_ON_ONE_ERRBACK}, and of
 * {@link DeferredList#gatherResults}: the first of the Deferreds to fail, with its index (Twisted's
 * {@code FirstError}). The original failure is the {@linkplain #getCause() cause}.
 */
public final class FirstErrorException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The index of the Deferred that failed first. */
    private final int index;

    /**
     * Creates the exception.
     *
     * @param index the index of the Deferred that failed, in the list given
     * @param cause its failure
     * @throws NullPointerException if {@code cause} is null
     */
    public FirstErrorException(int index, Throwable cause) {
        super("Deferred at index " + index + " failed: " + requireCause(cause), cause);
        this.index = index;
    }

    private static Throwable requireCause(Throwable cause) {
        if (cause == null) {
            throw new NullPointerException("cause must not be null");
        }
        return cause;
    }

    /**
     * The index of the Deferred that failed first.
     *
     * @return its index in the list given
     */
    public int index() {
        return index;
    }
}
