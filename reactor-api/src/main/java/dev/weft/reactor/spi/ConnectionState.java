package dev.weft.reactor.spi;

/**
 * Where a {@link StreamTransport} is in its life. It only moves forward: {@link #NOT_STARTED}, {@link #CONNECTED},
 * {@link #DISCONNECTING}, {@link #LOST}, {@link #ENDED} (a connection the factory refused goes from
 * {@code NOT_STARTED} straight to {@code ENDED}). Read and written on the reactor thread only.
 */
enum ConnectionState {
    /** Made by the backend; no protocol yet. */
    NOT_STARTED,
    /** The protocol is connected: bytes flow both ways (as far as the read and write sides allow). */
    CONNECTED,
    /**
     * Closing: {@code loseConnection} (closes once the write buffer drains and the producer is unregistered), or a
     * TLS failure (closes once its alert is written). Nothing more is delivered to the protocol but the loss.
     */
    DISCONNECTING,
    /** The socket is closed; {@code connectionLost} has not run yet (it runs once the call that lost it returns). */
    LOST,
    /** {@code connectionLost} has run (or never will: a refused connection). Nothing happens any more. */
    ENDED;

    /**
     * Whether the protocol is connected and the socket open: {@link #CONNECTED} or {@link #DISCONNECTING}.
     *
     * @return whether the connection is open
     */
    boolean open() {
        return this == CONNECTED || this == DISCONNECTING;
    }

    /**
     * Whether the socket is closed: {@link #LOST} or {@link #ENDED}.
     *
     * @return whether the connection is lost
     */
    boolean lost() {
        return this == LOST || this == ENDED;
    }
}
