package dev.weft.protocol;

/**
 * A producer that writes whenever it has data (a "streaming" producer, Twisted's {@code IPushProducer}) until the
 * consumer asks it to pause.
 *
 * <p>Every method is called on the reactor thread. A transport is itself a push producer of the data it reads:
 * pausing it stops {@code dataReceived} calls until it is resumed.
 */
public interface PushProducer extends Producer {

    /**
     * Asks the producer to stop writing until {@link #resumeProducing()} is called. A consumer calls it on the
     * reactor thread when its buffer is full (a transport: above its write-buffer size). Calling it twice is
     * harmless.
     */
    void pauseProducing();

    /**
     * Asks a paused producer to write again. A consumer calls it on the reactor thread once its buffer has drained.
     * Calling it when not paused is harmless.
     */
    void resumeProducing();
}
