package dev.weft.reactor.spi;

import dev.weft.protocol.HalfCloseableProtocol;

/**
 * The calls a {@link StreamTransport} makes into its protocol or producer through its one guarded path (counted as a
 * call into the connection, an exception logged and made the reason of the loss), each with the name the log gives
 * it. Constants, so a call allocates nothing. Reactor thread only.
 */
enum ProtocolEvent {
    /** {@code makeConnection}, hence {@code connectionMade}. */
    MADE("connectionMade") {
        @Override
        void fire(StreamTransport t, byte[] data) {
            t.protocol().makeConnection(t);
        }
    },
    /** {@code dataReceived}. */
    DATA("dataReceived") {
        @Override
        void fire(StreamTransport t, byte[] data) {
            t.protocol().dataReceived(data);
        }
    },
    /** {@code readConnectionLost} of a half-closeable protocol. */
    READ_LOST("readConnectionLost") {
        @Override
        void fire(StreamTransport t, byte[] data) {
            ((HalfCloseableProtocol) t.protocol()).readConnectionLost();
        }
    },
    /** {@code writeConnectionLost} of a half-closeable protocol. */
    WRITE_LOST("writeConnectionLost") {
        @Override
        void fire(StreamTransport t, byte[] data) {
            ((HalfCloseableProtocol) t.protocol()).writeConnectionLost();
        }
    },
    /** {@code resumeProducing} of the registered producer, push or pull. */
    RESUME_PRODUCER("resumeProducing of the producer") {
        @Override
        void fire(StreamTransport t, byte[] data) {
            t.producer().resume();
        }
    };

    private final String callbackName;

    ProtocolEvent(String callbackName) {
        this.callbackName = callbackName;
    }

    /**
     * Makes the call.
     *
     * @param t    the transport
     * @param data the bytes for {@link #DATA}, else null
     */
    abstract void fire(StreamTransport t, byte[] data);

    /**
     * The callback's name, for the log and the reason of the loss.
     *
     * @return the name
     */
    String callbackName() {
        return callbackName;
    }
}
