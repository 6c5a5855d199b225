package dev.weft.reactor.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The {@code callFromThread} queue: many producers, one consumer (the reactor thread). Each pass runs a snapshot:
 * calls added while it runs wait for the next pass.
 *
 * <p>An unbounded queue of linked array chunks of {@value #CHUNK} slots. A producer takes an index with one atomic
 * add ({@code producerIndex}), finds the chunk of that index (almost always the one {@code producerChunk} points at)
 * and stores its call in the slot. The consumer reads the slots in order with plain fields of its own; it never
 * writes a field that producers read. So producers contend on one atomic add per call, nothing is allocated per
 * call, and the loop reads calls from contiguous memory: a linked node per call (as in
 * {@code ConcurrentLinkedQueue}) costs the loop a cache miss every two or three calls, which is what kept it
 * below Netty's {@code execute()}.
 *
 * <p>Between a producer's index and its store the slot is empty; a pass that meets such a gap stops there and
 * {@link #isEmpty()} stays false, so the loop does not sleep and takes the call at its next pass. A chunk is made
 * by the first producer that needs it; the consumer drops each chunk it has read to the end.
 *
 * <p>The producer fields and the consumer fields sit on separate cache lines (padding by inheritance, as in
 * JCTools), so the loop's progress does not invalidate the line producers add on.
 */
final class ThreadCallQueue extends ThreadCallQueueConsumerFields {
    long q01, q02, q03, q04, q05, q06, q07, q08;

    ThreadCallQueue() {
        super(new Chunk(0, null));
    }

    /** Adds a call; any thread. */
    void add(Runnable f) {
        long i = (long) P_INDEX.getAndAdd(this, 1L);
        Chunk c = producerChunk;
        long base = i & ~MASK;
        if (c.base != base) {
            c = chunkFor(c, base);
        }
        SLOT.setRelease(c.slots, (int) (i & MASK), f);
    }

    private Chunk chunkFor(Chunk from, long base) {
        Chunk c = from;
        // A producer that took its index before others moved producerChunk on walks back. The chunk it needs still
        // has an empty slot (its own), so the consumer has not reached the chunks after it, whose prev links it
        // clears only as it enters them.
        while (c.base > base) {
            c = c.prev;
        }
        while (c.base < base) {
            Chunk n = c.next;
            if (n == null) {
                Chunk made = new Chunk(c.base + CHUNK, c);
                Chunk witness = (Chunk) NEXT.compareAndExchange(c, null, made);
                n = witness == null ? made : witness;
            }
            c = n;
        }
        Chunk hint = producerChunk;
        while (hint.base < c.base && !P_CHUNK.compareAndSet(this, hint, c)) {
            hint = producerChunk;
        }
        return c;
    }

    /** Whether no call waits, as far as the consumer can tell; on the reactor thread only. */
    boolean isEmpty() {
        return (long) P_INDEX.getVolatile(this) == consumerIndex;
    }

    /**
     * Runs the calls present when the pass started, in the order their indexes were taken (so each producer's
     * calls in its order); on the reactor thread only.
     *
     * @param runner runs one call
     * @return how many calls ran
     */
    int runSnapshot(Consumer<Runnable> runner) {
        long last = (long) P_INDEX.getVolatile(this);
        int ran = 0;
        // consumerIndex is read afresh each time: a call may run a nested pass that took further calls
        while (consumerIndex < last) {
            long i = consumerIndex;
            Chunk c = consumerChunk;
            int off = (int) (i & MASK);
            if (c.base != i - off) {
                Chunk n = c.next;
                if (n == null) {
                    break; // the producer of index i has not linked its chunk yet
                }
                n.prev = null;
                consumerChunk = n;
                c = n;
            }
            Runnable f = (Runnable) SLOT.getAcquire(c.slots, off);
            if (f == null) {
                break; // index i is taken but its call not stored yet
            }
            c.slots[off] = null;
            consumerIndex = i + 1;
            ran++;
            runner.accept(f);
        }
        return ran;
    }
}

/** Padding before the producer fields. */
abstract class ThreadCallQueuePad0 {
    long p01, p02, p03, p04, p05, p06, p07, p08;
}

/** The fields producers write and read: the next index to take, and the chunk of the latest index taken. */
abstract class ThreadCallQueueFields extends ThreadCallQueuePad0 {
    static final int CHUNK = 1024;
    static final long MASK = CHUNK - 1;
    static final VarHandle P_INDEX;
    static final VarHandle P_CHUNK;
    static final VarHandle NEXT;
    static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Runnable[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            P_INDEX = lookup.findVarHandle(ThreadCallQueueFields.class, "producerIndex", long.class);
            P_CHUNK = lookup.findVarHandle(ThreadCallQueueFields.class, "producerChunk", Chunk.class);
            NEXT = lookup.findVarHandle(Chunk.class, "next", Chunk.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One array of slots; {@code base} is the index of its first slot. */
    static final class Chunk {
        final long base;
        final Runnable[] slots = new Runnable[CHUNK];
        volatile Chunk next;
        /** The chunk before, for producers that lag behind {@code producerChunk}; cleared when the consumer enters. */
        volatile Chunk prev;

        Chunk(long base, Chunk prev) {
            this.base = base;
            this.prev = prev;
        }
    }

    volatile long producerIndex;
    volatile Chunk producerChunk;

    ThreadCallQueueFields(Chunk first) {
        producerChunk = first;
    }
}

/** Padding between the producer fields and the consumer fields. */
abstract class ThreadCallQueuePad1 extends ThreadCallQueueFields {
    long p11, p12, p13, p14, p15, p16, p17, p18;

    ThreadCallQueuePad1(Chunk first) {
        super(first);
    }
}

/** The consumer's fields: the next index to run and its chunk; the reactor thread only. */
abstract class ThreadCallQueueConsumerFields extends ThreadCallQueuePad1 {
    long consumerIndex;
    Chunk consumerChunk;

    ThreadCallQueueConsumerFields(Chunk first) {
        super(first);
        consumerChunk = first;
    }
}
