package dev.weft.reactor.spi;

import dev.weft.protocol.Producer;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;

/**
 * The producer registered on a {@link StreamTransport}, with its kind and its flow-control state: a streaming (push)
 * producer is paused above {@link StreamTransport#WRITE_BUFFER_LIMIT} and resumed at the drain; a pull producer is
 * resumed at each drain ({@code paused} stays false for it). One per registration. Reactor thread only.
 */
final class RegisteredProducer {

    /** The producer. */
    final Producer producer;
    /** Whether it is a push producer. */
    final boolean streaming;
    /** Whether flow control paused it and has not resumed it yet. */
    boolean paused;

    RegisteredProducer(Producer producer, boolean streaming) {
        this.producer = producer;
        this.streaming = streaming;
    }

    /** Whether the next drain must resume it: a pull producer always, a push producer once flow control paused it. */
    boolean resumeAtDrain() {
        return !streaming || paused;
    }

    /** Calls {@code resumeProducing}, of either kind; exceptions go to the caller. */
    void resume() {
        if (streaming) {
            ((PushProducer) producer).resumeProducing();
        } else {
            ((PullProducer) producer).resumeProducing();
        }
    }

    /** Calls {@code pauseProducing} of the push producer; exceptions go to the caller. */
    void pause() {
        ((PushProducer) producer).pauseProducing();
    }

    @Override
    public String toString() {
        return producer.toString();
    }
}
