package dev.weft.reactor.spi;

import dev.weft.process.ProcessDone;
import dev.weft.process.ProcessTerminated;
import dev.weft.protocol.ConnectionClosedException;

/** The reason a child ended, from the exit value the JDK reports (128 + n for a child killed by signal n). */
final class ExitReasons {
    /** The JDK's offset of a signal death's exit value (Linux, macOS). */
    private static final int SIGNAL_BASE = 128;
    /** The highest standard signal number reported as a signal. */
    private static final int MAX_SIGNAL = 31;

    private ExitReasons() {
    }

    /**
     * The reason of an exit value: 0 is a {@link ProcessDone}; 129 to 159 a {@link ProcessTerminated} by signal
     * 1 to 31; anything else a {@link ProcessTerminated} with that exit code.
     */
    static ConnectionClosedException of(int exitValue) {
        if (exitValue == 0) {
            return new ProcessDone();
        }
        if (exitValue > SIGNAL_BASE && exitValue <= SIGNAL_BASE + MAX_SIGNAL) {
            return ProcessTerminated.killed(exitValue - SIGNAL_BASE);
        }
        return ProcessTerminated.exited(exitValue);
    }
}
