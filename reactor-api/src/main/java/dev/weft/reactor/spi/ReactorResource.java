package dev.weft.reactor.spi;

import dev.weft.protocol.ConnectionLost;

/**
 * A connection or listening port that the reactor closes when it shuts down: in the {@code DURING} phase of
 * {@code shutdown}, before the remaining descriptors, each registered resource gets
 * {@link #reactorShutdown(ConnectionLost)}. {@link StreamTransport}, {@link ListeningPortBase} and
 * {@link DatagramPortBase} register themselves; a backend need not implement it.
 *
 * <p>Called on the reactor thread.
 */
interface ReactorResource {

    /**
     * Closes at once, without flushing, and delivers the protocol's (or factory's) last callbacks before returning.
     *
     * @param reason the reason to give to {@code connectionLost}
     */
    void reactorShutdown(ConnectionLost reason);
}
