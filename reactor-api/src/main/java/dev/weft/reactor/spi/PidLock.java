package dev.weft.reactor.spi;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A lock file that names the process holding it, as Twisted's {@code FilesystemLock} on POSIX: a symbolic link
 * whose target is the holder's process id, so that Twisted and Weft processes see each other's locks. A link naming a
 * process that is gone is stale: {@link #lock()} takes it over and says so. Reactor thread.
 */
final class PidLock {

    /** What {@link #lock()} found. */
    enum Outcome {
        /** The lock was free: taken. */
        TAKEN,
        /** The lock named a process that is gone: taken over (what it guarded may be stale). */
        TAKEN_STALE,
        /** A live process holds the lock. */
        HELD
    }

    /** Tries of {@link #lock()} at most, for links that come and go meanwhile. */
    private static final int MAX_TRIES = 16;

    private final Path link;
    private boolean locked;

    PidLock(Path link) {
        this.link = link;
    }

    /**
     * Takes the lock.
     *
     * @return what was found
     * @throws IOException if the link cannot be made or read
     */
    Outcome lock() throws IOException {
        boolean clean = true;
        String me = Long.toString(ProcessHandle.current().pid());
        for (int i = 0; i < MAX_TRIES; i++) {
            try {
                Files.createSymbolicLink(link, Path.of(me));
                locked = true;
                return clean ? Outcome.TAKEN : Outcome.TAKEN_STALE;
            } catch (FileAlreadyExistsException e) {
                long holder;
                try {
                    holder = holder(link);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (holder > 0 && isAlive(holder)) {
                    return Outcome.HELD;
                }
                try {
                    Files.delete(link);
                } catch (NoSuchFileException gone) {
                    // removed by another process meanwhile: try again
                }
                clean = false;
            }
        }
        throw new IOException("the lock " + link + " kept changing");
    }

    /** Removes the lock if this object holds it. */
    void unlock() throws IOException {
        if (locked) {
            locked = false;
            Files.deleteIfExists(link);
        }
    }

    /**
     * Whether a live process holds the lock {@code link} (Twisted's {@code lockfile.isLocked}, without its clean-up of
     * a stale link).
     *
     * @param link the lock file
     * @return whether it names a live process
     */
    static boolean isLocked(Path link) {
        try {
            long holder = holder(link);
            return holder > 0 && isAlive(holder);
        } catch (IOException e) {
            return false;
        }
    }

    private static long holder(Path link) throws IOException {
        try {
            return Long.parseLong(Files.readSymbolicLink(link).toString());
        } catch (NumberFormatException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public String toString() {
        return link.toString();
    }
}
