package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;

/**
 * Where a server listens (Twisted's {@code IStreamServerEndpoint}): a TCP port, a TLS port, a UNIX socket, made
 * directly or from a description string with {@link Endpoints#serverFromString}. Protocol code that takes an endpoint
 * instead of calling {@code listenTCP} runs unchanged over any of them.
 *
 * <p>Call on the reactor thread (or before the reactor runs).
 */
public interface ServerEndpoint {

    /**
     * Starts listening with {@code factory}.
     *
     * @param factory makes a protocol per accepted connection
     * @return a Deferred that fires with the listening port, or fails with the reason (such as a
     *         {@link dev.weft.protocol.CannotListenException}); it has fired by the time this returns for the
     *         endpoints of this package
     * @throws NullPointerException if {@code factory} is null
     */
    Deferred<ListeningPort> listen(Factory factory);
}
