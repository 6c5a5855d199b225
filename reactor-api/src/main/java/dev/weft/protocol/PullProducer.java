package dev.weft.protocol;

/**
 * A producer that writes only when asked (a non-streaming producer, Twisted's {@code IPullProducer}).
 *
 * <p>Every method is called on the reactor thread.
 */
public interface PullProducer extends Producer {

    /**
     * Asks the producer to write some data (normally one {@code write} call) to its consumer. A consumer calls it on
     * the reactor thread at once when the producer is registered and again each time its buffer drains.
     */
    void resumeProducing();
}
