package dev.weft.process;

import dev.weft.protocol.ConnectionDone;
import java.util.OptionalInt;

/**
 * The reason a child process ended without an apparent error (Twisted's {@code ProcessDone}): it exited with code
 * 0. Given to {@link ProcessProtocol#processExited} and {@link ProcessProtocol#processEnded}.
 */
public final class ProcessDone extends ConnectionDone {
    private static final long serialVersionUID = 1L;

    /** Creates the reason of an exit with code 0. Any thread. */
    public ProcessDone() {
        super("process finished with exit code 0");
    }

    /**
     * The exit code: always 0 (Twisted's {@code exitCode}). Any thread.
     *
     * @return 0
     */
    public OptionalInt exitCode() {
        return OptionalInt.of(0);
    }

    /**
     * The signal that killed the child: none (Twisted's {@code signal} is None). Any thread.
     *
     * @return empty
     */
    public OptionalInt signal() {
        return OptionalInt.empty();
    }
}
