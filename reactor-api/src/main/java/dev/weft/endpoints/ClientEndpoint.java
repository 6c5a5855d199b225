package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;

/**
 * Where a client connects (Twisted's {@code IStreamClientEndpoint}): a host and port over TCP or TLS, a name with
 * several addresses, a UNIX socket; made directly or from a description string with
 * {@link Endpoints#clientFromString}.
 *
 * <p>Call on the reactor thread (or before the reactor runs); the Deferred fires on the reactor thread.
 */
public interface ClientEndpoint {

    /**
     * Connects, with a protocol from {@code factory} (a plain {@link Factory}: the endpoint does the client-side
     * bookkeeping). The factory's {@code doStart} runs when the attempt starts and its {@code doStop} when it is over.
     *
     * @param factory makes the connection's protocol ({@code buildProtocol} with the peer's address); a null
     *                protocol fails the connection with {@link NoProtocolException}
     * @return a Deferred that fires with the connected protocol once its {@code connectionMade} has run, or fails
     *         with the connection's failure ({@link dev.weft.protocol.ConnectionRefusedException},
     *         {@link dev.weft.protocol.ConnectTimeoutException}, ...); cancelling it stops the attempt (its socket is
     *         closed) and fails it with {@link dev.weft.protocol.ConnectCancelledException}
     * @throws NullPointerException if {@code factory} is null
     */
    Deferred<Protocol> connect(Factory factory);
}
