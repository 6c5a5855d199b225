package dev.weft.task;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;

/** What a Deferred fired with, captured by a callback pair that also handles its failure. */
final class Outcome<T> {
    private boolean fired;
    private T value;
    private Throwable failure;

    static <T> Outcome<T> of(Deferred<T> d) {
        Outcome<T> o = new Outcome<>();
        d.addCallbacks(v -> {
            o.fired = true;
            o.value = v;
            return null;
        }, f -> {
            o.fired = true;
            o.failure = f;
            return null;
        });
        return o;
    }

    boolean fired() {
        return fired;
    }

    T value() {
        assertTrue(fired, "the Deferred has not fired");
        assertNull(failure, () -> "the Deferred failed: " + failure);
        return value;
    }

    <E extends Throwable> E failure(Class<E> type) {
        assertTrue(fired, "the Deferred has not fired");
        assertInstanceOf(type, failure);
        return type.cast(failure);
    }

    void assertPending() {
        assertFalse(fired, () -> "the Deferred fired with " + (failure != null ? failure : value));
    }
}
