package dev.weft.examples.resp;

import dev.weft.reactor.ReactorTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The key-value store of a RESP server: byte-string keys and values, with optional expiry times, shared by every
 * connection of the server.
 *
 * <p>As in Redis, expired keys are removed lazily, when they are looked up, and by {@link #purgeExpired()}, which
 * the server calls about once a second. Times come from a {@link ReactorTime} (the reactor, or a
 * {@code dev.weft.task.Clock} in tests), in milliseconds of its monotonic clock.
 *
 * <p>Keys and values are kept as the arrays given (the parser hands out a fresh array per argument) and are never
 * changed in place: a write stores a new array, so an array handed out by {@link #get(byte[])} may be written to
 * a transport as it is.
 *
 * <p>Not thread-safe: every command runs on the reactor thread, so no locking is needed.
 */
public final class RespStore {

    private final ReactorTime clock;
    private final HashMap<Key, byte[]> values = new HashMap<>();
    /** The keys that have an expiry time: when they expire, in milliseconds of {@link #clock}. */
    private final HashMap<Key, Long> expires = new HashMap<>();
    /**
     * Unix time in milliseconds minus the clock's time, fixed when first needed (for EXPIREAT, PXAT and the
     * absolute times of the EXPIRE family); {@link Long#MIN_VALUE} until then.
     */
    private long epochOffsetMs = Long.MIN_VALUE;

    /**
     * An empty store whose expiry times follow {@code clock}.
     *
     * @param clock the time source, usually the reactor
     */
    public RespStore(ReactorTime clock) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    private long epochOffset() {
        if (epochOffsetMs == Long.MIN_VALUE) {
            epochOffsetMs = System.currentTimeMillis() - nowMillis();
        }
        return epochOffsetMs;
    }

    /**
     * The current Unix time as the store counts it: its clock's time plus the offset to the wall clock measured
     * once, at the first call (so it moves with a test clock).
     *
     * @return milliseconds since the Unix epoch
     */
    long unixMillis() {
        return nowMillis() + epochOffset();
    }

    /**
     * The expiry time of a key that exists, as Unix time.
     *
     * @param key the key
     * @return milliseconds since the Unix epoch, or -1 when the key has no expiry time or does not exist
     */
    long expireAtUnixMillis(byte[] key) {
        Key k = new Key(key);
        if (expireIfDue(k)) {
            return -1;
        }
        Long at = expires.get(k);
        return at == null || !values.containsKey(k) ? -1 : at + epochOffset();
    }

    /**
     * Sets the expiry time of a key that exists.
     *
     * @param key          the key
     * @param unixMillisAt when it expires, in Unix milliseconds
     */
    void expireAtUnix(byte[] key, long unixMillisAt) {
        Key k = new Key(key);
        if (values.containsKey(k)) {
            expires.put(k, saturatedSubtract(unixMillisAt, epochOffset()));
        }
    }

    /**
     * Removes the expiry time of a key.
     *
     * @param key the key
     * @return whether the key existed and had one
     */
    boolean persist(byte[] key) {
        Key k = new Key(key);
        return !expireIfDue(k) && values.containsKey(k) && expires.remove(k) != null;
    }

    /**
     * Moves the value and expiry time of {@code from}, which must exist, to {@code to}, replacing what is there.
     *
     * @param from the key to move
     * @param to   its new name
     */
    void rename(byte[] from, byte[] to) {
        Key f = new Key(from);
        Key t = new Key(to);
        byte[] value = values.remove(f);
        Long at = expires.remove(f);
        values.put(t, value);
        if (at != null) {
            expires.put(t, at);
        } else {
            expires.remove(t);
        }
    }

    /**
     * The keys that have not expired, in the order of the hash table (expired keys are left for the sweep).
     *
     * @return a new list of the keys, which the caller must not change
     */
    List<byte[]> liveKeys() {
        long now = nowMillis();
        List<byte[]> keys = new ArrayList<>(values.size());
        for (Key k : values.keySet()) {
            Long at = expires.isEmpty() ? null : expires.get(k);
            if (at == null || at > now) {
                keys.add(k.bytes);
            }
        }
        return keys;
    }

    /**
     * A stable hash of a key, the order of SCAN's cursor.
     *
     * @param key the key
     * @return the hash as an unsigned 32-bit value
     */
    static long scanHash(byte[] key) {
        return Integer.toUnsignedLong(Arrays.hashCode(key));
    }

    private static long saturatedSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    /**
     * The current time of the store's clock.
     *
     * @return milliseconds of the clock
     */
    long nowMillis() {
        return (long) Math.floor(clock.seconds() * 1000.0);
    }

    /**
     * The value of {@code key}, or null when it is absent or expired.
     *
     * @param key the key
     * @return the value, which the caller must not change
     */
    public byte[] get(byte[] key) {
        Key k = new Key(key);
        return expireIfDue(k) ? null : values.get(k);
    }

    /**
     * Whether {@code key} holds a value that has not expired.
     *
     * @param key the key
     * @return whether it exists
     */
    public boolean exists(byte[] key) {
        Key k = new Key(key);
        return !expireIfDue(k) && values.containsKey(k);
    }

    /**
     * Sets {@code key} to {@code value}, with no expiry time.
     *
     * @param key   the key; the store keeps the array
     * @param value the value; the store keeps the array
     */
    public void set(byte[] key, byte[] value) {
        Key k = new Key(key);
        values.put(k, value);
        if (!expires.isEmpty()) {
            expires.remove(k);
        }
    }

    /**
     * Sets {@code key} to {@code value}, keeping its expiry time or setting a new one.
     *
     * @param key          the key; the store keeps the array
     * @param value        the value; the store keeps the array
     * @param expireAtMs   the expiry time in milliseconds of the store's clock, or -1 for none
     * @param keepTtl      whether to keep the key's current expiry time (then {@code expireAtMs} is ignored)
     */
    void set(byte[] key, byte[] value, long expireAtMs, boolean keepTtl) {
        Key k = new Key(key);
        values.put(k, value);
        if (keepTtl) {
            return;
        }
        if (expireAtMs != -1) {
            expires.put(k, expireAtMs);
        } else if (!expires.isEmpty()) {
            expires.remove(k);
        }
    }

    /**
     * Replaces the value of a key that exists, keeping its expiry time (for INCR).
     *
     * @param key   the key
     * @param value the new value
     */
    void replace(byte[] key, byte[] value) {
        values.put(new Key(key), value);
    }

    /**
     * Deletes {@code key}.
     *
     * @param key the key
     * @return whether a value that had not expired was deleted
     */
    public boolean delete(byte[] key) {
        Key k = new Key(key);
        boolean expired = expireIfDue(k);
        if (!expires.isEmpty()) {
            expires.remove(k);
        }
        return values.remove(k) != null && !expired;
    }

    /**
     * The remaining time to live of {@code key}.
     *
     * @param key the key
     * @return milliseconds left, -1 when the key has no expiry time, -2 when it does not exist
     */
    long ttlMillis(byte[] key) {
        Key k = new Key(key);
        if (expireIfDue(k) || !values.containsKey(k)) {
            return -2;
        }
        Long at = expires.get(k);
        return at == null ? -1 : Math.max(0, at - nowMillis());
    }

    /**
     * How many keys are stored, counting expired keys not yet removed (as Redis's DBSIZE does).
     *
     * @return the number of keys
     */
    public int size() {
        return values.size();
    }

    /** Removes every key. */
    public void clear() {
        values.clear();
        expires.clear();
    }

    /**
     * Removes every key whose expiry time has passed.
     *
     * @return how many were removed
     */
    public int purgeExpired() {
        if (expires.isEmpty()) {
            return 0;
        }
        long now = nowMillis();
        int removed = 0;
        for (Iterator<Map.Entry<Key, Long>> it = expires.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Long> e = it.next();
            if (e.getValue() <= now) {
                values.remove(e.getKey());
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /** Removes {@code k} if it has expired; returns whether it did. */
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

    /** A byte-string key: equal when the bytes are equal. The hash is computed once. */
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
