package dev.weft.protocol;

import dev.weft.defer.Deferred;
import java.net.InetSocketAddress;

/**
 * A bound, listening port (Twisted's {@code IListeningPort}), returned by {@code listenTCP}, {@code listenSSL} and
 * {@code listenUDP}.
 *
 * <p>Call every method on the reactor thread.
 */
public interface ListeningPort {

    /**
     * The address the port is bound to; after a listen on port 0, the port the system picked.
     *
     * @return the local address
     */
    InetSocketAddress getHost();

    /**
     * Stops listening: no new connections are accepted (connections already made stay open). When the port is
     * closed, the factory's {@code doStop()} runs (its {@code stopFactory()} when this was its last port) and the
     * returned Deferred fires, on the reactor thread: with {@code null}, or, if {@code stopFactory()} threw, with
     * that exception (as in Twisted). Calling it again returns a Deferred that fires at once.
     *
     * @return a Deferred that fires with {@code null} once the port is closed, or fails with the exception of the
     *         factory's {@code stopFactory()}
     */
    Deferred<Void> stopListening();
}
