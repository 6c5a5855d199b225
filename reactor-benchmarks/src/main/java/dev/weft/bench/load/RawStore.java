package dev.weft.bench.load;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The key-value store of the raw RESP baselines: byte-string keys and values with optional expiry times, removed
 * lazily when looked up. It plays the part of the Weft example's store, with nothing of Weft in it.
 *
 * <p>Not thread-safe: each raw server runs every connection on one thread.
 */
final class RawStore {

    private final HashMap<Key, byte[]> values = new HashMap<>();
    private final HashMap<Key, Long> expires = new HashMap<>();

    /** Milliseconds of the monotonic clock. */
    static long nowMillis() {
        return System.nanoTime() / 1_000_000L;
    }

    byte[] get(byte[] key) {
        Key k = new Key(key);
        return expireIfDue(k) ? null : values.get(k);
    }

    boolean exists(byte[] key) {
        Key k = new Key(key);
        return !expireIfDue(k) && values.containsKey(k);
    }

    /** Sets a value with no expiry time. */
    void set(byte[] key, byte[] value) {
        set(key, value, -1, false);
    }

    /**
     * Sets a value.
     *
     * @param expireAtMs when it expires in {@link #nowMillis()} time, or -1 for never
     * @param keepTtl    keep the key's current expiry time ({@code expireAtMs} is then ignored)
     */
    void set(byte[] key, byte[] value, long expireAtMs, boolean keepTtl) {
        Key k = new Key(key);
        values.put(k, value);
        if (keepTtl) {
            return;
        }
        if (expireAtMs >= 0) {
            expires.put(k, expireAtMs);
        } else if (!expires.isEmpty()) {
            expires.remove(k);
        }
    }

    /** Replaces the value of an existing key, keeping its expiry time. */
    void replace(byte[] key, byte[] value) {
        values.put(new Key(key), value);
    }

    boolean delete(byte[] key) {
        Key k = new Key(key);
        boolean expired = expireIfDue(k);
        if (!expires.isEmpty()) {
            expires.remove(k);
        }
        return values.remove(k) != null && !expired;
    }

    int size() {
        return values.size();
    }

    private boolean expireIfDue(Key k) {
        if (expires.isEmpty()) {
            return false;
        }
        Long at = expires.get(k);
        if (at == null || at > nowMillis()) {
            return false;
        }
        expires.remove(k);
        values.remove(k);
        return true;
    }

    /** A byte-string key; its hash is computed once. */
    static final class Key {
        private final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).hash == hash && Arrays.equals(((Key) o).bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
