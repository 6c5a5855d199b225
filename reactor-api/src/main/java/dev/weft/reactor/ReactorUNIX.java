package dev.weft.reactor;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;

/**
 * UNIX domain stream sockets (Twisted's {@code IReactorUNIX}): the same {@code Protocol}/{@code Transport} contract
 * as TCP (half-close, producers, abort), over a socket file instead of a port.
 *
 * <p>Addresses: a UNIX transport's {@code getHost()}/{@code getPeer()}, a UNIX port's {@code getHost()} and the
 * address given to {@code Factory.buildProtocol} are unresolved {@link java.net.InetSocketAddress}es whose
 * {@code getHostString()} is the socket's path (empty for an unnamed socket, such as the client end of a connection)
 * and whose port is 0: Twisted's {@code UNIXAddress(name)}, in the type the rest of the API uses. The socket options
 * of TCP ({@code setTcpNoDelay}, {@code setTcpKeepAlive}) are only recorded.
 *
 * <p>The socket file, as in Twisted: {@code listenUNIX} fails if the path exists (a stale file is removed only when
 * {@code wantPID} is set and the lock file {@code path + ".lock"} names a process that is gone); once bound, the file
 * gets {@code mode}; {@code stopListening} (and reactor shutdown) removes it, and the lock file.
 *
 * <p>Call on the reactor thread (or before the reactor runs); every factory and protocol callback runs on the
 * reactor thread.
 */
public interface ReactorUNIX {

    /** The default permissions of a socket file, Twisted's ({@code 0666}). */
    int DEFAULT_MODE = 0666;

    /**
     * Listens on the socket file {@code path}, with the default backlog, mode {@code 0666} and no lock file; see
     * {@link #listenUNIX(String, Factory, int, int, boolean)}.
     *
     * @param path    the socket file's path
     * @param factory makes a protocol per accepted connection
     * @return the bound port
     * @throws CannotListenException if the socket cannot be bound
     */
    default ListeningPort listenUNIX(String path, Factory factory) {
        return listenUNIX(path, factory, ReactorTCP.DEFAULT_BACKLOG, DEFAULT_MODE, false);
    }

    /**
     * Binds a UNIX stream socket at {@code path} before returning and accepts connections on it, as
     * {@link ReactorTCP#listenTCP(int, Factory, int, String)} does on a port.
     *
     * @param path    the socket file's path: not empty, at most 107 bytes (the platform's {@code sun_path}), in a
     *                directory that exists
     * @param factory makes a protocol per accepted connection
     * @param backlog the accept queue length, at least 1
     * @param mode    the permissions the socket file gets, {@code 0} to {@code 0777}
     * @param wantPID whether to hold the lock file {@code path + ".lock"} (a symbolic link to this process's id, as
     *                Twisted's {@code FilesystemLock}): the listen fails if a live process holds it, and a stale
     *                socket file left by a process that is gone is removed first
     * @return the bound port; its {@code getHost().getHostString()} is {@code path}
     * @throws CannotListenException    if the socket cannot be bound: the path exists (and is not a stale socket
     *                                  under {@code wantPID}), is not a socket, its directory is missing, or the lock
     *                                  is held; the message says which
     * @throws NullPointerException     if {@code path} or {@code factory} is null
     * @throws IllegalArgumentException if {@code path} is empty or too long, {@code backlog} or {@code mode} is out
     *                                  of range
     */
    ListeningPort listenUNIX(String path, Factory factory, int backlog, int mode, boolean wantPID);

    /**
     * Connects to the socket file {@code path} with the default timeout; see
     * {@link #connectUNIX(String, ClientFactory, double, boolean)}.
     *
     * @param path    the socket file's path
     * @param factory told of the attempt, and makes the protocol
     * @return the connector
     */
    default Connector connectUNIX(String path, ClientFactory factory) {
        return connectUNIX(path, factory, ReactorTCP.DEFAULT_CONNECT_TIMEOUT, false);
    }

    /**
     * Connects to the socket file {@code path}; see {@link #connectUNIX(String, ClientFactory, double, boolean)}.
     *
     * @param path           the socket file's path
     * @param factory        told of the attempt, and makes the protocol
     * @param timeoutSeconds how long to wait for the connection: positive
     * @return the connector
     */
    default Connector connectUNIX(String path, ClientFactory factory, double timeoutSeconds) {
        return connectUNIX(path, factory, timeoutSeconds, false);
    }

    /**
     * Starts connecting to the UNIX socket at {@code path} and returns at once, with the factory callbacks of
     * {@link ReactorTCP#connectTCP(String, int, ClientFactory, double, java.net.InetSocketAddress)}: a missing file
     * or a path that is not a socket fails with {@code clientConnectionFailed} and a
     * {@link dev.weft.protocol.ConnectFailedException}, a socket nobody listens on with a
     * {@link dev.weft.protocol.ConnectionRefusedException}.
     *
     * @param path           the socket file's path: not empty, at most 107 bytes
     * @param factory        told of the attempt, and makes the protocol
     * @param timeoutSeconds how long to wait for the connection: positive
     * @param checkPID       whether to fail (with a {@code ConnectFailedException} naming the lock) unless the lock
     *                       file {@code path + ".lock"} is held by a live process (Twisted's {@code checkPID})
     * @return the connector, which can retry or stop the attempt
     * @throws NullPointerException     if {@code path} or {@code factory} is null
     * @throws IllegalArgumentException if {@code path} is empty or too long, or {@code timeoutSeconds} is not
     *                                  positive
     */
    Connector connectUNIX(String path, ClientFactory factory, double timeoutSeconds, boolean checkPID);
}
