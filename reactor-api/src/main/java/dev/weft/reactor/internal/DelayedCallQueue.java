package dev.weft.reactor.internal;

import dev.weft.reactor.AlreadyCalledException;
import dev.weft.reactor.AlreadyCancelledException;
import dev.weft.reactor.DelayedCall;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The DelayedCall bookkeeping shared by every reactor and by {@code Clock}: an indexed binary heap ordered by due
 * time, ties broken first-in first-out by a sequence number.
 *
 * <p>Cancelling is lazy, as in Twisted's reactor: {@code cancel()} marks the call (O(1)) and the heap drops it when it
 * comes to the top, or all at once when cancelled calls are more than half of the heap (and more than
 * {@value #PURGE_MIN}), so the heap never holds more than about twice the active calls. Removing at once would cost
 * an O(log n) sift per cancel over entries spread through memory, and most timers (timeouts) are cancelled before
 * they are due: lazy removal keeps the common schedule+cancel pair cheap. {@link #runDue(double, Invoker)} runs the
 * calls due at one reading of the clock, and only those that were scheduled before it started: a call scheduled (or
 * reset) by a running call waits for the next run.
 *
 * <p>Not thread-safe: used on the reactor thread only. For implementors of backends; not for protocol code.
 */
public final class DelayedCallQueue {

    /** Runs the function of a due call; a reactor logs what it throws, a {@code Clock} lets it propagate. */
    @FunctionalInterface
    public interface Invoker {
        /**
         * Runs one due call.
         *
         * @param call the call, already marked as called
         * @param f    its function
         */
        void invoke(DelayedCall call, Runnable f);
    }

    /** Fewer cancelled calls than this never trigger a purge of the whole heap. */
    static final int PURGE_MIN = 64;

    private final DoubleSupplier clock;
    private final Runnable onNewEarliest;
    private Entry[] heap = new Entry[64];
    /** Entries in the heap, cancelled ones included. */
    private int size;
    /** Cancelled entries still in the heap. */
    private int cancelled;
    private long nextSeq;

    /**
     * Creates an empty queue.
     *
     * @param clock the clock in seconds that {@code callLater} and {@code reset} count from
     */
    public DelayedCallQueue(DoubleSupplier clock) {
        this(clock, null);
    }

    /**
     * Creates an empty queue that reports each call that becomes the earliest one, by {@code schedule},
     * {@code delay} or {@code reset}: a driver that waits for the earliest deadline (an attached Netty loop's one
     * timer) uses it to wait less.
     *
     * @param clock         the clock in seconds that {@code callLater} and {@code reset} count from
     * @param onNewEarliest run, on the thread that made the change, when a call becomes the earliest; or null
     */
    public DelayedCallQueue(DoubleSupplier clock, Runnable onNewEarliest) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onNewEarliest = onNewEarliest;
    }

    /**
     * Schedules {@code f} at {@code clock + delaySeconds}, checking the arguments as
     * {@link dev.weft.reactor.ReactorTime#callLater(double, Runnable)} documents.
     *
     * @param delaySeconds the delay: finite and not negative
     * @param f            the function
     * @return the call
     */
    public DelayedCall schedule(double delaySeconds, Runnable f) {
        checkDelay("delaySeconds", delaySeconds);
        if (f == null) {
            throw new NullPointerException("f (the function to call) must not be null");
        }
        Entry e = new Entry(this, clock.getAsDouble() + delaySeconds, nextSeq++, f);
        dropCancelledTop();
        offer(e);
        reportIfEarliest(e);
        return e;
    }

    private void reportIfEarliest(Entry e) {
        if (onNewEarliest != null && e.index == 0) {
            onNewEarliest.run();
        }
    }

    /**
     * The due time of the earliest active call.
     *
     * @return the earliest due time, or {@link Double#POSITIVE_INFINITY} when there is none
     */
    public double nextDeadline() {
        dropCancelledTop();
        return size == 0 ? Double.POSITIVE_INFINITY : heap[0].time;
    }

    /**
     * The number of active calls.
     *
     * @return how many calls are scheduled
     */
    public int size() {
        return size - cancelled;
    }

    /** Heap slots in use, cancelled calls not yet dropped included; for tests of the purge. */
    int heapSlotsInUse() {
        return size;
    }

    /**
     * The active calls.
     *
     * @return a snapshot, in no particular order
     */
    public List<DelayedCall> active() {
        List<DelayedCall> out = new ArrayList<>(size - cancelled);
        for (int i = 0; i < size; i++) {
            if (heap[i].state == Entry.PENDING) {
                out.add(heap[i]);
            }
        }
        return out;
    }

    /**
     * Runs every call due at {@code now} that was scheduled before this method started, earliest first, ties in
     * scheduling order. Each call is marked as called before its function runs.
     *
     * @param now     the time to run calls up to
     * @param invoker runs each function
     * @return how many calls ran
     */
    public int runDue(double now, Invoker invoker) {
        long limit = nextSeq;
        int ran = 0;
        while (size > 0) {
            Entry top = heap[0];
            if (top.state == Entry.CANCELLED) {
                removeAt(0);
                cancelled--;
                continue;
            }
            if (top.time > now || top.seq >= limit) {
                break;
            }
            removeAt(0);
            Runnable f = top.f;
            top.f = null;
            top.state = Entry.CALLED;
            ran++;
            invoker.invoke(top, f);
        }
        return ran;
    }

    /**
     * Checks a delay given by a user, at the point of the call. May be called from any thread.
     *
     * @param name    the argument's name, for the message
     * @param seconds the delay in seconds
     * @throws IllegalArgumentException if {@code seconds} is negative, NaN or infinite
     */
    public static void checkDelay(String name, double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(name + " must be finite and not negative, got " + seconds);
        }
    }

    /** Drops cancelled calls from the top, so that the top is the earliest active call (or the heap is empty). */
    private void dropCancelledTop() {
        while (size > 0 && heap[0].state == Entry.CANCELLED) {
            removeAt(0);
            cancelled--;
        }
    }

    /** Marks one more cancelled entry; purges the heap when they are more than half of it. */
    private void onCancel() {
        cancelled++;
        if (cancelled >= PURGE_MIN && cancelled > size >>> 1) {
            purge();
        }
    }

    /** Removes every cancelled entry and rebuilds the heap (Floyd's bottom-up construction): O(n). */
    private void purge() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            Entry e = heap[i];
            if (e.state == Entry.CANCELLED) {
                e.index = -1;
            } else {
                e.index = n;
                heap[n++] = e;
            }
        }
        Arrays.fill(heap, n, size, null);
        size = n;
        cancelled = 0;
        for (int i = (n >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    private void offer(Entry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.index = size;
        heap[size++] = e;
        siftUp(e.index);
    }

    private void removeAt(int i) {
        Entry removed = heap[i];
        removed.index = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        Entry last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.index = i;
        if (!siftUp(i)) {
            siftDown(i);
        }
    }

    private void reposition(Entry e) {
        dropCancelledTop();
        e.seq = nextSeq++;
        if (!siftUp(e.index)) {
            siftDown(e.index);
        }
    }

    private static boolean less(Entry a, Entry b) {
        return a.time < b.time || (a.time == b.time && a.seq < b.seq);
    }

    private boolean siftUp(int i) {
        Entry e = heap[i];
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (!less(e, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
        return i != start;
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Entry c = heap[child];
            int right = child + 1;
            if (right < size && less(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!less(c, e)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
    }

    private static final class Entry implements DelayedCall {
        static final int PENDING = 0;
        static final int CALLED = 1;
        static final int CANCELLED = 2;

        final DelayedCallQueue queue;
        double time;
        long seq;
        Runnable f;
        int index = -1;
        int state;

        Entry(DelayedCallQueue queue, double time, long seq, Runnable f) {
            this.queue = queue;
            this.time = time;
            this.seq = seq;
            this.f = f;
        }

        @Override
        public double getTime() {
            return time;
        }

        @Override
        public void cancel() {
            checkPending("cancel");
            state = CANCELLED;
            f = null;
            queue.onCancel();
        }

        @Override
        public void delay(double secondsLater) {
            if (Double.isNaN(secondsLater) || Double.isInfinite(secondsLater)) {
                throw new IllegalArgumentException("secondsLater must be finite, got " + secondsLater);
            }
            checkPending("delay");
            time += secondsLater;
            queue.reposition(this);
            queue.reportIfEarliest(this);
        }

        @Override
        public void reset(double secondsFromNow) {
            checkDelay("secondsFromNow", secondsFromNow);
            checkPending("reset");
            time = queue.clock.getAsDouble() + secondsFromNow;
            queue.reposition(this);
            queue.reportIfEarliest(this);
        }

        @Override
        public boolean active() {
            return state == PENDING;
        }

        private void checkPending(String what) {
            if (state == CALLED) {
                throw new AlreadyCalledException("cannot " + what + " " + this + ": it has already been called");
            }
            if (state == CANCELLED) {
                throw new AlreadyCancelledException("cannot " + what + " " + this + ": it was already cancelled");
            }
        }

        @Override
        public String toString() {
            String s = state == PENDING ? "pending" : state == CALLED ? "called" : "cancelled";
            return "DelayedCall[" + s + ", at " + time + (f == null ? "" : ", " + f) + "]";
        }
    }
}
