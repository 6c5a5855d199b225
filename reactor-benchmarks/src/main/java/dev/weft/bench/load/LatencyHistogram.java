package dev.weft.bench.load;

import java.util.Arrays;

/**
 * A histogram of durations in nanoseconds with a bounded relative error (under 1/64, about 1.6%) and a fixed size:
 * values under 128 ns have a bucket each; above, each power of two is split into 64 buckets.
 *
 * <p>Not thread-safe.
 */
final class LatencyHistogram {

    private static final int SUB = 64;
    /** Buckets up to 2^63 ns: 128 exact ones, then 64 per power of two from 2^7. */
    private final long[] counts = new long[128 + (63 - 6) * SUB];
    private long total;
    private long max;
    private double sum;

    /** Records one duration; negative durations count as 0. */
    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        sum += v;
        if (v > max) {
            max = v;
        }
    }

    static int index(long v) {
        if (v < 128) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - 6;
        return 128 + (shift - 1) * SUB + (int) ((v >>> shift) - SUB);
    }

    /** The smallest value of a bucket. */
    static long lowest(int index) {
        if (index < 128) {
            return index;
        }
        int shift = (index - 128) / SUB + 1;
        long sub = (index - 128) % SUB + SUB;
        return sub << shift;
    }

    /** The largest value of a bucket. */
    static long highest(int index) {
        return index < 128 ? index : lowest(index + 1) - 1;
    }

    long count() {
        return total;
    }

    double mean() {
        return total == 0 ? 0 : sum / total;
    }

    long max() {
        return max;
    }

    /**
     * The value at quantile {@code q}: the midpoint of the bucket that holds the {@code ceil(q * count)}-th value.
     *
     * @param q from 0 to 1
     * @return nanoseconds, 0 when empty
     */
    long quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, (lowest(i) + highest(i)) / 2);
            }
        }
        return max;
    }

    void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        max = 0;
        sum = 0;
    }
}
