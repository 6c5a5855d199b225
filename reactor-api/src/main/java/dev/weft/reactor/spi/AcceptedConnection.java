package dev.weft.reactor.spi;

import java.util.function.Consumer;

/**
 * A connection accepted by a listening port that hands its connections on ({@link ListeningPortBase#handOff}), not
 * yet watched by any loop: the backend's accepted channel (a JDK {@code SocketChannel}, a Netty child
 * {@code Channel}), waiting for the reactor that will own it. A reactor group's {@code listenUNIX} (and its
 * {@code listenTCP} through one acceptor) deals such connections to its members: each is adopted exactly once, or closed.
 *
 * <p>For implementors of backends, not for protocol code.
 */
public interface AcceptedConnection {

    /**
     * Makes {@code reactor} the connection's owner: registers its channel with that reactor's loop and makes its
     * transport, not started, which {@code adopted} receives on that reactor's thread (at once, or once the loop has
     * registered the channel). If the connection is gone already (reset by its peer), it is closed and
     * {@code adopted} is never called. Called once, on {@code reactor}'s thread.
     *
     * @param reactor a reactor of the same backend and loop kind as the one that accepted the connection (see
     *                {@link NetworkReactorBase#canHandConnectionsTo(NetworkReactorBase)})
     * @param adopted starts the transport (or rejects it), on {@code reactor}'s thread
     */
    void adoptOn(NetworkReactorBase reactor, Consumer<? super StreamTransport> adopted);

    /**
     * Closes the connection without serving it: no reactor will adopt it (its port stopped, or the member it was
     * handed to stopped first). Any thread; a second call does nothing; never throws.
     */
    void close();
}
