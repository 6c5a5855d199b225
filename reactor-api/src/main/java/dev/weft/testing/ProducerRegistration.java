package dev.weft.testing;

import dev.weft.protocol.Producer;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import java.util.Objects;

/** The argument checks of {@code Transport.registerProducer}, shared by the in-memory transports. */
final class ProducerRegistration {

    private ProducerRegistration() {
    }

    /**
     * Checks a registration.
     *
     * @param current   the producer registered now, or null
     * @param producer  the producer to register
     * @param streaming whether it is a push producer
     */
    static void check(Producer current, Producer producer, boolean streaming) {
        Objects.requireNonNull(producer, "producer must not be null");
        if (streaming && !(producer instanceof PushProducer)) {
            throw new IllegalArgumentException("a streaming producer must be a PushProducer: " + producer);
        }
        if (!streaming && !(producer instanceof PullProducer)) {
            throw new IllegalArgumentException("a non-streaming producer must be a PullProducer: " + producer);
        }
        if (current != null) {
            throw new IllegalStateException("a producer is registered already: " + current);
        }
    }
}
