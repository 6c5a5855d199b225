package dev.weft.testing;

import dev.weft.defer.Deferred;
import java.util.Arrays;
import java.util.Objects;

/**
 * Trial's assertions on Deferreds ({@code successResultOf}, {@code failureResultOf}, {@code assertNoResult}), for
 * tests that drive protocol code with a {@link dev.weft.task.Clock} or {@link StringTransport} and never run a
 * reactor. Each fails with an {@link AssertionError} that says what the Deferred held.
 *
 * <p>As in trial, taking a result ends the chain's interest in it: after {@code successResultOf} or
 * {@code failureResultOf} the Deferred's result is null, so a failure taken is handled (not logged as unhandled).
 * Call them on the thread that uses the Deferred (the test's).
 */
public final class DeferredAssertions {

    private DeferredAssertions() {
    }

    /** What a Deferred held, taken off its chain. */
    private record Outcome(Object value, Throwable failure) {
    }

    private static Outcome take(Deferred<?> d) {
        Objects.requireNonNull(d, "d (the Deferred) must not be null");
        if (!d.hasResult()) {
            return null;
        }
        Outcome[] seen = new Outcome[1];
        d.addBoth((r, f) -> {
            seen[0] = new Outcome(r, f);
            return null;
        });
        return seen[0];
    }

    /**
     * The result of a Deferred that has succeeded (trial's {@code successResultOf}).
     *
     * @param d   the Deferred
     * @param <T> its result type
     * @return its result
     * @throws AssertionError if it has no result yet, or failed (the failure is the cause)
     */
    @SuppressWarnings("unchecked")
    public static <T> T successResultOf(Deferred<T> d) {
        Outcome o = take(d);
        if (o == null) {
            throw new AssertionError("Success result expected on " + d + ", found no result instead");
        }
        if (o.failure() != null) {
            throw new AssertionError("Success result expected on " + d + ", found failure result instead: "
                    + o.failure(), o.failure());
        }
        return (T) o.value();
    }

    /**
     * The failure of a Deferred that has failed (trial's {@code failureResultOf}), checked against the expected
     * types when any are given.
     *
     * @param d        the Deferred
     * @param expected the acceptable exception types (a subclass matches); none accepts any
     * @return its failure
     * @throws AssertionError if it has no result yet, succeeded, or failed with none of the expected types
     */
    public static Throwable failureResultOf(Deferred<?> d, Class<?>... expected) {
        Objects.requireNonNull(expected, "expected must not be null");
        Outcome o = take(d);
        if (o == null) {
            throw new AssertionError("Failure result expected on " + d + ", found no result instead");
        }
        if (o.failure() == null) {
            throw new AssertionError("Failure result expected on " + d + ", found success result (" + o.value()
                    + ") instead");
        }
        if (expected.length > 0 && Arrays.stream(expected).noneMatch(c -> c.isInstance(o.failure()))) {
            throw new AssertionError("Failure of type " + Arrays.toString(Arrays.stream(expected)
                    .map(Class::getName).toArray()) + " expected on " + d + ", found " + o.failure()
                    + " instead", o.failure());
        }
        return o.failure();
    }

    /**
     * Asserts that a Deferred has no result yet (trial's {@code assertNoResult}): not fired, or waiting on another
     * Deferred. A failure found is handled (as trial does), so that it is not logged as unhandled.
     *
     * @param d the Deferred
     * @throws AssertionError if it has a result
     */
    public static void assertNoResult(Deferred<?> d) {
        Outcome o = take(d);
        if (o != null) {
            throw new AssertionError("No result expected on " + d + ", found " + (o.failure() != null
                    ? "failure " + o.failure() : "success " + o.value()) + " instead", o.failure());
        }
    }
}
