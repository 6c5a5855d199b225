package dev.weft.reactor.spi;

import dev.weft.protocol.CannotListenException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The socket file of one {@code listenUNIX}, handled as Twisted's {@code unix.Port} does: before the bind, the lock
 * file when {@code wantPID} is set (a stale socket left by a process that is gone is removed) and clear errors for a
 * missing directory, a path that is not a socket, or one in use; after the bind, the file's mode; when the port
 * closes, the file and the lock are removed. Reactor thread.
 */
final class UnixSocketFile {

    /** The file-type bits of {@code st_mode}, and a socket's. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final PidLock lock;

    private UnixSocketFile(Path path, PidLock lock) {
        this.path = path;
        this.lock = lock;
    }

    /**
     * Prepares {@code path} for a bind.
     *
     * @param path    the socket's path, checked already
     * @param wantPID whether to take the lock file {@code path + ".lock"}
     * @return the file, to be given its mode once bound and released when the port closes
     * @throws CannotListenException if the directory is missing, the lock is held by a live process, or the path
     *                               exists
     */
    static UnixSocketFile prepare(String path, boolean wantPID) {
        Path p = Path.of(path);
        Path dir = p.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw fail(path, "the directory " + dir + " does not exist", null);
        }
        PidLock lock = null;
        if (wantPID) {
            lock = new PidLock(Path.of(path + ".lock"));
            PidLock.Outcome o;
            try {
                o = lock.lock();
            } catch (IOException e) {
                throw fail(path, "cannot take the lock " + path + ".lock", e);
            }
            if (o == PidLock.Outcome.HELD) {
                throw fail(path, "cannot acquire the lock " + path + ".lock: a live process holds it", null);
            }
            if (o == PidLock.Outcome.TAKEN_STALE && isSocket(p)) {
                // Best effort, as Twisted: the bind below reports what is left.
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // the bind fails and says why
                }
            }
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            String why = isSocket(p)
                    ? "address in use: the socket file exists (another listener, or a stale file: remove it, or "
                            + "listen with wantPID so a stale one is removed)"
                    : "the path exists and is not a socket";
            releaseQuietly(lock);
            throw fail(path, why, null);
        }
        return new UnixSocketFile(p, lock);
    }

    /**
     * The socket is bound: gives its file {@code mode}.
     *
     * @param mode the permission bits, 0 to 0777
     * @throws IOException if the permissions cannot be set
     */
    void bound(int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        Files.setPosixFilePermissions(path, perms);
    }

    /**
     * The port closed (or the bind failed): removes the socket file and the lock. Never throws.
     *
     * @param bound whether this listener bound the file (an unbound one leaves the path alone)
     */
    void release(boolean bound) {
        if (bound) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                ReactorBase.LOG.debug("cannot remove the socket file {}", path, e);
            }
        }
        releaseQuietly(lock);
    }

    private static void releaseQuietly(PidLock lock) {
        if (lock != null) {
            try {
                lock.unlock();
            } catch (IOException e) {
                ReactorBase.LOG.debug("cannot remove the lock file {}", lock, e);
            }
        }
    }

    /**
     * Whether {@code p} is a UNIX socket (following links, as Twisted's {@code os.stat}).
     *
     * @param p the path
     * @return whether it exists and is a socket
     */
    static boolean isSocket(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode");
            return mode instanceof Integer && (((Integer) mode) & S_IFMT) == S_IFSOCK;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            try {
                return Files.readAttributes(p, BasicFileAttributes.class).isOther();
            } catch (IOException e2) {
                return false;
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A {@code CannotListenException} for {@code path}.
     *
     * @param path  the path
     * @param why   what is wrong
     * @param cause the underlying error, or null
     * @return the exception
     */
    static CannotListenException fail(String path, String why, Throwable cause) {
        return new CannotListenException("cannot listen on UNIX socket " + path + ": " + why
                + (cause == null ? "" : ": " + cause), InetSocketAddress.createUnresolved(path, 0), cause);
    }
}
