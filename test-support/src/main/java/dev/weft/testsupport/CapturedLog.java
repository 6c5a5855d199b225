package dev.weft.testsupport;

/**
 * The captured log of this JVM: its {@link CaptureMode} (pass-through until a test run turns capture on) and the
 * {@link EventRing} that holds the captured events. Shared by every {@link CapturingAppender} of the JVM, the
 * Jupiter extension and the launcher listener; thread-safe.
 */
final class CapturedLog {
    /** The most events held: far more than one test logs, few enough that a JVM never runs short of memory. */
    static final int CAPACITY = 20_000;

    private static final EventRing RING = new EventRing(CAPACITY);
    private static volatile CaptureMode mode = CaptureMode.PASS_THROUGH;

    private CapturedLog() {
    }

    /**
     * The mode the appenders follow.
     *
     * @return the current mode
     */
    static CaptureMode mode() {
        return mode;
    }

    /** Turns capture on for the rest of this JVM's life (called when a test run starts; idempotent). */
    static void startCapturing() {
        mode = CaptureMode.CAPTURE;
    }

    /**
     * The ring of captured events.
     *
     * @return the ring
     */
    static EventRing ring() {
        return RING;
    }
}
