package dev.weft.reactor.spi;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * One file descriptor the process keeps in reserve (the null device, opened for reading), so that a listening port
 * that finds the process out of descriptors can still accept the connections that wait for it and close them at once,
 * instead of leaving their peers hanging in the kernel's backlog: release the reserve, accept, close, take the reserve
 * back. This is Twisted's reserved descriptor ({@code _reservedFD}, {@code test_closePeerOnEMFILE}).
 *
 * <p>The reserve is opened by the first listening TCP port of the process ({@link #take()}) and then kept for the
 * life of the process. It is shared by every reactor of the process.
 *
 * <p>Thread-safe: every method is static and holds the class's lock for its whole duration, so that two reactors
 * cannot interleave a release and a re-take. Listening ports call it on their reactor thread.
 */
final class DescriptorReserve {

    /**
     * The English text of {@code strerror(EMFILE)} ("Too many open files": the process is out of descriptors), which
     * is also the beginning of {@code strerror(ENFILE)} ("Too many open files in system": the system is). The JDK's
     * NIO and Netty's native transports put the system's text in the message of the {@code IOException} they throw:
     * this one in an English or C locale, another in others (German: "Zu viele offene Dateien"), so it is only the
     * quick answer; {@link #isOutOfDescriptors(Throwable)} tries to open a descriptor otherwise.
     */
    static final String TOO_MANY_OPEN_FILES = "Too many open files";

    /** How deep {@link #isOutOfDescriptors(Throwable)} looks into causes. */
    private static final int MAX_CAUSES = 8;

    private static final Path NULL_DEVICE = Path.of(File.separatorChar == '\\' ? "NUL" : "/dev/null");

    private static final Object LOCK = new Object();

    /** The reserve, or null while it is not held. Guarded by {@link #LOCK}. */
    private static FileChannel reserve;

    private DescriptorReserve() {
    }

    /**
     * What {@link #shed(int, ListeningPortBase.WaitingConnections)} did.
     *
     * @param closed      how many waiting connections were accepted and closed
     * @param reserveHeld whether the reserve is held afterwards: false if it was not held and could not be taken, or
     *                    could not be taken back after a release
     * @param failure     the failure of an accept made with the reserve released, or null
     */
    record Shed(int closed, boolean reserveHeld, IOException failure) {
        /**
         * Whether the listening port may go on accepting as usual: the reserve is held and no accept failed; else it
         * should pause accepting for a while so that its loop does not spin.
         *
         * @return whether accepting may go on at once
         */
        boolean canGoOn() {
            return reserveHeld && failure == null;
        }
    }

    /**
     * Whether the I/O failure {@code t} is due to the process or the system being out of file descriptors
     * ({@code EMFILE} or {@code ENFILE}), in any locale: true if it, or one of its causes, is an {@link IOException}
     * with the English text {@value #TOO_MANY_OPEN_FILES}; else, if it is an I/O failure at all, whether no
     * descriptor can be opened now (the null device is opened and closed at once). The JDK gives no {@code errno},
     * and the system's text of it is translated in other locales. A descriptor freed between the failure and the
     * check makes it answer false: the port then pauses accepting briefly instead of closing the waiting
     * connections, and tries again.
     *
     * @param t a failure, or null
     * @return whether it is about a lack of descriptors
     */
    static boolean isOutOfDescriptors(Throwable t) {
        boolean io = false;
        Throwable c = t;
        for (int i = 0; c != null && i < MAX_CAUSES; i++, c = c.getCause()) {
            if (c instanceof IOException) {
                io = true;
                String m = c.getMessage();
                if (m != null && m.contains(TOO_MANY_OPEN_FILES)) {
                    return true;
                }
            }
        }
        return io && !canOpenDescriptor();
    }

    /** Whether a descriptor can be opened now: opens the null device and closes it. */
    private static boolean canOpenDescriptor() {
        try (FileChannel probe = FileChannel.open(NULL_DEVICE, StandardOpenOption.READ)) {
            return probe.isOpen();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Takes the reserve if it is not held (opens the null device).
     *
     * @return whether the reserve is held now
     */
    static boolean take() {
        synchronized (LOCK) {
            return takeLocked();
        }
    }

    /**
     * Whether the reserve is held.
     *
     * @return whether it is held
     */
    static boolean isHeld() {
        synchronized (LOCK) {
            return reserve != null;
        }
    }

    /**
     * Closes up to {@code max} connections that wait on a listening socket while the process is out of descriptors:
     * for each, releases the reserve, lets {@code closer} accept one and close it, and takes the reserve back. Stops
     * early when no connection was waiting, when an accept failed, or when the reserve cannot be taken back (another
     * thread took the descriptor). If the reserve is not held to begin with, tries to take it first, and closes
     * nothing if it cannot.
     *
     * @param max    the most connections to close, at least 1
     * @param closer accepts one connection and closes it
     * @return what was done
     * @throws IllegalArgumentException if {@code max} is not positive
     * @throws NullPointerException     if {@code closer} is null
     */
    static Shed shed(int max, ListeningPortBase.WaitingConnections closer) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        Objects.requireNonNull(closer, "closer must not be null");
        synchronized (LOCK) {
            if (!takeLocked()) {
                return new Shed(0, false, null);
            }
            int closed = 0;
            while (closed < max) {
                release();
                boolean waiting;
                try {
                    waiting = closer.acceptAndClose();
                } catch (IOException e) {
                    return new Shed(closed, takeLocked(), e);
                } catch (RuntimeException | Error e) {
                    takeLocked();
                    throw e;
                }
                if (!takeLocked()) {
                    return new Shed(closed + (waiting ? 1 : 0), false, null);
                }
                if (!waiting) {
                    break;
                }
                closed++;
            }
            return new Shed(closed, true, null);
        }
    }

    private static boolean takeLocked() {
        if (reserve == null) {
            try {
                reserve = FileChannel.open(NULL_DEVICE, StandardOpenOption.READ);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    private static void release() {
        FileChannel r = reserve;
        reserve = null;
        try {
            r.close();
        } catch (IOException e) {
            // the descriptor is released all the same
        }
    }
}
