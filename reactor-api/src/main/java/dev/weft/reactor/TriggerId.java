package dev.weft.reactor;

/**
 * Identifies a trigger added with {@link ReactorCore#addSystemEventTrigger}, for
 * {@link ReactorCore#removeSystemEventTrigger(TriggerId)}. Compared by identity.
 */
public final class TriggerId {
    private final Phase phase;
    private final String event;

    /**
     * Creates an id; reactor implementations make these.
     *
     * @param phase the phase of the trigger
     * @param event the event of the trigger
     */
    public TriggerId(Phase phase, String event) {
        this.phase = phase;
        this.event = event;
    }

    /**
     * The phase this trigger runs in.
     *
     * @return the phase
     */
    public Phase phase() {
        return phase;
    }

    /**
     * The event this trigger belongs to.
     *
     * @return the event name
     */
    public String event() {
        return event;
    }

    @Override
    public String toString() {
        return "TriggerId[" + phase + " " + event + "@" + Integer.toHexString(System.identityHashCode(this)) + "]";
    }
}
