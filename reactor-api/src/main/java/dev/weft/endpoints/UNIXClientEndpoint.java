package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.ReactorUNIX;
import dev.weft.reactor.internal.NetChecks;
import java.util.Objects;

/**
 * Connects to a UNIX domain socket (Twisted's {@code UNIXClientEndpoint}; description
 * {@code unix:PATH[:lockfile=1][:timeout=N]}). Call on the reactor thread.
 */
public final class UNIXClientEndpoint implements ClientEndpoint {

    private final ReactorUNIX reactor;
    private final String path;
    private final double timeoutSeconds;
    private final boolean checkPID;

    /**
     * Connects with the default timeout and no lock check.
     *
     * @param reactor the reactor
     * @param path    the socket file's path
     */
    public UNIXClientEndpoint(ReactorUNIX reactor, String path) {
        this(reactor, path, ReactorTCP.DEFAULT_CONNECT_TIMEOUT, false);
    }

    /**
     * Connects with every option.
     *
     * @param reactor        the reactor
     * @param path           the socket file's path: not empty, at most 107 bytes
     * @param timeoutSeconds how long the attempt may take: positive
     * @param checkPID       whether to fail unless a live process holds the lock file {@code path + ".lock"}
     * @throws NullPointerException     if {@code reactor} or {@code path} is null
     * @throws IllegalArgumentException if an argument is out of range
     */
    public UNIXClientEndpoint(ReactorUNIX reactor, String path, double timeoutSeconds, boolean checkPID) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
        NetChecks.connectUnix(path, reactor, timeoutSeconds);
        this.path = path;
        this.timeoutSeconds = timeoutSeconds;
        this.checkPID = checkPID;
    }

    @Override
    public Deferred<Protocol> connect(Factory factory) {
        return ConnectionWaiter.connect(factory, f -> reactor.connectUNIX(path, f, timeoutSeconds, checkPID));
    }

    /** The endpoint's parameters, e.g. {@code UNIXClientEndpoint[path=/s, timeout=30, checkPID=false]}. */
    @Override
    public String toString() {
        return "UNIXClientEndpoint[path=" + path + ", timeout=" + Describe.number(timeoutSeconds) + ", checkPID="
                + checkPID + "]";
    }
}
