package dev.weft.reactor.spi;

/**
 * The writing half of a {@link StreamTransport}, for half-close ({@code loseWriteConnection}): {@link #OPEN}, then
 * {@link #SHUTTING} until the write buffer drains, then {@link #SHUT}. A full close ({@code loseConnection}) is the
 * connection's {@link ConnectionState#DISCONNECTING}, not a state of this side. Reactor thread only.
 */
enum WriteSide {
    /** Writes go out. */
    OPEN,
    /** {@code loseWriteConnection} was called: the writing half is shut once the buffer drains; writes still go. */
    SHUTTING,
    /** The writing half is shut (the peer read an end of stream); writes are dropped. */
    SHUT
}
