package dev.weft.process;

import dev.weft.protocol.ConnectionLost;
import java.util.OptionalInt;

/**
 * The reason a child process ended with a probable error (Twisted's {@code ProcessTerminated}): it exited with a
 * code other than 0, or a signal killed it. Exactly one of {@link #exitCode()} and {@link #signal()} is present.
 *
 * <p>The JDK reports a child killed by signal {@code n} as exit code {@code 128 + n}; Weft reports exit codes 129 to
 * 159 as signals 1 to 31, as Twisted would for a killed child. A child that itself exits with such a code (as a
 * shell does when its own child was killed) is therefore also reported as killed by that signal.
 */
public final class ProcessTerminated extends ConnectionLost {
    private static final long serialVersionUID = 1L;

    /** The exit code, or null for a child killed by a signal. */
    private final Integer exitCode;
    /** The signal that killed the child, or null for one that exited. */
    private final Integer signal;

    private ProcessTerminated(Integer exitCode, Integer signal, String message) {
        super(message);
        this.exitCode = exitCode;
        this.signal = signal;
    }

    /**
     * The reason of an exit with a code other than 0. Any thread.
     *
     * @param exitCode the exit code
     * @return the reason
     * @throws IllegalArgumentException if {@code exitCode} is 0 (that is a {@link ProcessDone})
     */
    public static ProcessTerminated exited(int exitCode) {
        if (exitCode == 0) {
            throw new IllegalArgumentException("exitCode 0 is a ProcessDone, not a ProcessTerminated");
        }
        return new ProcessTerminated(exitCode, null, "process ended with exit code " + exitCode);
    }

    /**
     * The reason of a child killed by a signal. Any thread.
     *
     * @param signal the signal's number, e.g. 15 for {@code TERM}
     * @return the reason
     * @throws IllegalArgumentException if {@code signal} is not positive
     */
    public static ProcessTerminated killed(int signal) {
        if (signal <= 0) {
            throw new IllegalArgumentException("signal must be positive, got " + signal);
        }
        return new ProcessTerminated(null, signal, "process ended by signal " + signal);
    }

    /**
     * The exit code, absent when a signal killed the child (Twisted's {@code exitCode}). Any thread.
     *
     * @return the exit code, or empty
     */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /**
     * The signal that killed the child, absent when it exited (Twisted's {@code signal}). Any thread.
     *
     * @return the signal's number, or empty
     */
    public OptionalInt signal() {
        return signal == null ? OptionalInt.empty() : OptionalInt.of(signal);
    }
}
