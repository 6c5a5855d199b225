package dev.weft.defer;

import java.util.ArrayDeque;

/**
 * A queue whose {@link #get()} returns a Deferred (Twisted's {@code DeferredQueue}): a get fires at once if an item
 * is there, otherwise with the next item put. Optional limits: {@code size}, the number of items it holds (a
 * {@link #put} beyond it fails with {@link QueueOverflowException}), and {@code backlog}, the number of gets that
 * may wait (a {@link #get} beyond it fails with {@link QueueUnderflowException}).
 *
 * <p>Threads: not thread-safe; use it on one thread (the reactor thread). A get's Deferred fires inside
 * {@code get()} if an item is there, otherwise inside the {@code put()} that supplies it, on that thread; waiting
 * gets are served first-come first-served.
 *
 * @param <T> the item type
 */
public final class DeferredQueue<T> {
    private final int sizeLimit;
    private final int backlogLimit;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final ArrayDeque<Deferred<T>> waiting = new ArrayDeque<>();

    /** Creates a queue with no limits. */
    public DeferredQueue() {
        this(Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Creates a queue with limits.
     *
     * @param size    how many items it may hold (not negative; {@link Integer#MAX_VALUE} for no limit)
     * @param backlog how many gets may wait (not negative; {@link Integer#MAX_VALUE} for no limit)
     * @throws IllegalArgumentException if a limit is negative
     */
    public DeferredQueue(int size, int backlog) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must not be negative: " + backlog);
        }
        this.sizeLimit = size;
        this.backlogLimit = backlog;
    }

    /**
     * Adds an item: if a get is waiting, the oldest one fires with it, inside this call, on this thread; otherwise
     * the queue keeps it.
     *
     * @param item the item
     * @throws NullPointerException   if {@code item} is null
     * @throws QueueOverflowException if no get is waiting and the queue holds {@code size} items
     */
    public void put(T item) {
        if (item == null) {
            throw new NullPointerException("item must not be null");
        }
        Deferred<T> getter = waiting.pollFirst();
        if (getter != null) {
            getter.callback(item);
        } else if (items.size() < sizeLimit) {
            items.addLast(item);
        } else {
            throw new QueueOverflowException("DeferredQueue is full: it holds its limit of " + sizeLimit + " items");
        }
    }

    /**
     * Takes an item: the returned Deferred has fired with the oldest item if there is one; otherwise it fires with
     * the next item put, inside that {@code put}. Cancelling a waiting get removes it from the queue (it fails with
     * {@link CancelledException}), so no item is lost to it.
     *
     * @return a Deferred of the item
     * @throws QueueUnderflowException if the queue is empty and {@code backlog} gets are waiting already
     */
    public Deferred<T> get() {
        T item = items.pollFirst();
        if (item != null) {
            return Deferred.succeed(item);
        }
        if (waiting.size() >= backlogLimit) {
            throw new QueueUnderflowException(
                    "DeferredQueue backlog is full: " + backlogLimit + " gets are waiting already");
        }
        Deferred<T> d = new Deferred<>(waiting::remove);
        waiting.addLast(d);
        return d;
    }

    /**
     * How many items the queue holds.
     *
     * @return the number of items put and not yet taken
     */
    public int size() {
        return items.size();
    }

    /**
     * How many gets are waiting for an item.
     *
     * @return the number of get Deferreds not yet fired (and not cancelled)
     */
    public int waitingGets() {
        return waiting.size();
    }

    /**
     * Describes the queue, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "DeferredQueue{size=" + items.size() + ", waitingGets=" + waiting.size() + "}";
    }
}
