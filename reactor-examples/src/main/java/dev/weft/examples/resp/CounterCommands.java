package dev.weft.examples.resp;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * The counter commands: INCR, DECR, INCRBY, DECRBY (64-bit integers, refusing overflow) and INCRBYFLOAT (Redis's
 * {@code long double}, see {@link LongDouble}). A counter keeps the key's expiry time.
 *
 * <p>Stateless; called on the reactor thread.
 */
final class CounterCommands {

    private CounterCommands() {
    }

    static boolean incr(RespSession s, byte[][] argv, int argc) {
        return incrBy(s, argv[1], 1);
    }

    static boolean decr(RespSession s, byte[][] argv, int argc) {
        return incrBy(s, argv[1], -1);
    }

    static boolean incrby(RespSession s, byte[][] argv, int argc) {
        Long by = RespCommands.longOrReply(s.out, argv[2]);
        return by == null || incrBy(s, argv[1], by);
    }

    static boolean decrby(RespSession s, byte[][] argv, int argc) {
        Long by = RespCommands.longOrReply(s.out, argv[2]);
        if (by == null) {
            return true;
        }
        if (by == Long.MIN_VALUE) {
            s.out.error("ERR decrement would overflow");
            return true;
        }
        return incrBy(s, argv[1], -by);
    }

    private static boolean incrBy(RespSession s, byte[] key, long by) {
        byte[] old = s.store.get(key);
        long v = 0;
        if (old != null) {
            Long parsed = RespCommands.longOrReply(s.out, old);
            if (parsed == null) {
                return true;
            }
            v = parsed;
        }
        if (by < 0 && v < 0 && by < Long.MIN_VALUE - v || by > 0 && v > 0 && by > Long.MAX_VALUE - v) {
            s.out.error("ERR increment or decrement would overflow");
            return true;
        }
        v += by;
        store(s.store, key, old, Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        s.out.integer(v);
        return true;
    }

    static boolean incrbyfloat(RespSession s, byte[][] argv, int argc) {
        byte[] old = s.store.get(argv[1]);
        BigDecimal value;
        BigDecimal by;
        try {
            value = old == null ? BigDecimal.ZERO : LongDouble.parse(old);
            by = LongDouble.parse(argv[2]);
        } catch (NumberFormatException e) {
            s.out.error("ERR value is not a valid float");
            return true;
        }
        BigDecimal sum = LongDouble.add(value, by);
        if (sum == null) {
            s.out.error("ERR increment would produce NaN or Infinity");
            return true;
        }
        byte[] text = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        store(s.store, argv[1], old, text);
        s.out.bulk(text);
        return true;
    }

    /** Writes a counter's new value, keeping the expiry time of a key that existed. */
    private static void store(RespStore store, byte[] key, byte[] old, byte[] value) {
        if (old == null) {
            store.set(key, value);
        } else {
            store.replace(key, value);
        }
    }
}
