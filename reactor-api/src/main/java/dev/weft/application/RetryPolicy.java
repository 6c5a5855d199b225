package dev.weft.application;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long a {@link ClientService} waits before its next connection attempt (Twisted's {@code retryPolicy}): given
 * the number of consecutive failed attempts (1 after the first failure, or after a connection was lost), the delay
 * in seconds. Called on the reactor thread.
 */
@FunctionalInterface
public interface RetryPolicy {

    /**
     * The delay before the next attempt.
     *
     * @param failedAttempts consecutive failed attempts, at least 1
     * @return the delay in seconds, not negative
     */
    double delaySeconds(int failedAttempts);

    /**
     * Twisted's default policy, {@code backoffPolicy()}: 1 s, growing by 1.5 per failed attempt up to 60 s, plus a
     * random jitter in [0, 1) s.
     *
     * @return the policy
     */
    static RetryPolicy backoff() {
        return backoff(1.0, 60.0, 1.5, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Twisted's {@code backoffPolicy(initialDelay, maxDelay, factor, jitter)}: {@code min(initialDelay *
     * factor^min(100, attempt), maxDelay) + jitter()}.
     *
     * @param initialDelaySeconds the delay before the factor is applied, not negative
     * @param maxDelaySeconds     the largest delay before jitter, not negative
     * @param factor              how much the delay grows per failed attempt, at least 1
     * @param jitter              the noise added to each delay (0 for none)
     * @return the policy
     * @throws IllegalArgumentException if a number is out of range
     * @throws NullPointerException     if {@code jitter} is null
     */
    static RetryPolicy backoff(double initialDelaySeconds, double maxDelaySeconds, double factor,
            DoubleSupplier jitter) {
        if (!(initialDelaySeconds >= 0) || Double.isInfinite(initialDelaySeconds)) {
            throw new IllegalArgumentException("initialDelaySeconds must be finite and not negative, got "
                    + initialDelaySeconds);
        }
        if (!(maxDelaySeconds >= 0) || Double.isInfinite(maxDelaySeconds)) {
            throw new IllegalArgumentException("maxDelaySeconds must be finite and not negative, got "
                    + maxDelaySeconds);
        }
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be finite and at least 1, got " + factor);
        }
        Objects.requireNonNull(jitter, "jitter must not be null");
        return attempt -> Math.min(initialDelaySeconds * Math.pow(factor, Math.min(100, attempt)), maxDelaySeconds)
                + jitter.getAsDouble();
    }
}
