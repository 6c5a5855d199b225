package dev.weft.protocol;

/**
 * Something that writes data to a {@link Consumer} and can be told to stop (Twisted's {@code IProducer}).
 *
 * <p>Every method is called on the reactor thread.
 *
 * @see PushProducer
 * @see PullProducer
 */
public interface Producer {

    /**
     * Stops producing for good: the consumer is going away (its connection was lost or closed). Called once, on the
     * reactor thread, by the consumer the producer is registered with; the producer must not write after it.
     */
    void stopProducing();
}
