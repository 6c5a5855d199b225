package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.ReactorUNIX;
import dev.weft.reactor.internal.NetChecks;
import java.util.Objects;

/**
 * Listens on a UNIX domain socket (Twisted's {@code UNIXServerEndpoint}; description {@code unix:PATH}, where the
 * lock file is on by default, as in Twisted). The socket file is handled as {@link ReactorUNIX} says. Call on the
 * reactor thread.
 */
public final class UNIXServerEndpoint implements ServerEndpoint {

    private final ReactorUNIX reactor;
    private final String path;
    private final int backlog;
    private final int mode;
    private final boolean wantPID;

    /**
     * Listens with the default backlog, mode {@code 0666} and no lock file (the constructor's defaults, Twisted's).
     *
     * @param reactor the reactor
     * @param path    the socket file's path
     */
    public UNIXServerEndpoint(ReactorUNIX reactor, String path) {
        this(reactor, path, ReactorTCP.DEFAULT_BACKLOG, ReactorUNIX.DEFAULT_MODE, false);
    }

    /**
     * Listens with every option.
     *
     * @param reactor the reactor
     * @param path    the socket file's path: not empty, at most 107 bytes
     * @param backlog the accept queue length, at least 1
     * @param mode    the socket file's permissions, 0 to 0777
     * @param wantPID whether to hold the lock file {@code path + ".lock"} (and remove a stale socket file)
     * @throws NullPointerException     if {@code reactor} or {@code path} is null
     * @throws IllegalArgumentException if an argument is out of range
     */
    public UNIXServerEndpoint(ReactorUNIX reactor, String path, int backlog, int mode, boolean wantPID) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
        NetChecks.listenUnix(path, reactor, backlog, mode);
        this.path = path;
        this.backlog = backlog;
        this.mode = mode;
        this.wantPID = wantPID;
    }

    @Override
    public Deferred<ListeningPort> listen(Factory factory) {
        return Listen.with(factory, f -> reactor.listenUNIX(path, f, backlog, mode, wantPID));
    }

    /** The endpoint's parameters, e.g. {@code UNIXServerEndpoint[path=/s, backlog=50, mode=666, wantPID=true]}. */
    @Override
    public String toString() {
        return "UNIXServerEndpoint[path=" + path + ", backlog=" + backlog + ", mode=" + Integer.toOctalString(mode)
                + ", wantPID=" + wantPID + "]";
    }
}
