package dev.weft.protocol;

/**
 * Something that takes data and applies flow control to a {@link Producer} (Twisted's {@code IConsumer}).
 *
 * <p>Call every method on the reactor thread.
 */
public interface Consumer {

    /**
     * Registers {@code producer} to write to this consumer.
     *
     * <p>With {@code streaming} true, {@code producer} must be a {@link PushProducer}: it is paused with
     * {@link PushProducer#pauseProducing()} when this consumer's buffer is full and resumed when it drains. With
     * {@code streaming} false, it is treated as a {@link PullProducer}: {@code resumeProducing()} is called at once
     * and again each time the buffer drains. Every registered producer gets {@link Producer#stopProducing()} when the
     * consumer goes away; a consumer that is already gone calls it at once.
     *
     * @param producer  the producer
     * @param streaming whether {@code producer} is a push (streaming) producer
     * @throws NullPointerException     if {@code producer} is null
     * @throws IllegalArgumentException if {@code streaming} is true and {@code producer} is not a
     *                                  {@link PushProducer}, or false and it is not a {@link PullProducer}
     * @throws IllegalStateException    if a producer is registered already
     */
    void registerProducer(Producer producer, boolean streaming);

    /** Unregisters the registered producer, if any. It is not called again. */
    void unregisterProducer();

    /**
     * Writes {@code data}. The consumer may keep the array: do not change it after the call.
     *
     * @param data the bytes
     * @throws NullPointerException if {@code data} is null
     */
    void write(byte[] data);
}
