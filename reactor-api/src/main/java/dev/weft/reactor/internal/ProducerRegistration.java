package dev.weft.reactor.internal;

import dev.weft.protocol.Producer;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import java.util.Objects;

/**
 * The argument checks of {@code Transport.registerProducer}, written once for the backends' transports and the
 * test doubles. Stateless; may be called from any thread. For implementors of transports, not for protocol code.
 */
public final class ProducerRegistration {

    private ProducerRegistration() {
    }

    /**
     * Checks a registration.
     *
     * @param current   the producer registered now, or null
     * @param producer  the producer to register
     * @param streaming whether it is a push producer
     * @throws NullPointerException     if {@code producer} is null
     * @throws IllegalArgumentException if {@code producer} does not match {@code streaming}
     * @throws IllegalStateException    if {@code current} is not null
     */
    public static void check(Producer current, Producer producer, boolean streaming) {
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
