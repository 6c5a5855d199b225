package dev.weft.compat.reliability;

import dev.weft.compat.harness.ContractTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link ContractTest} that is heavy: it runs once per backend variant like any contract test, but only in the
 * Maven profile {@code heavy} ({@code mvn verify -Pheavy}; the default build excludes the JUnit tag
 * {@value #TAG}), and with a hard limit of {@value #LIMIT_SECONDS} seconds per invocation instead of 10.
 *
 * <p>The limit works because JUnit takes the {@link Timeout} nearest to the method: this annotation's own
 * {@code @Timeout} wins over the one {@code @ContractTest} carries. The harness's other bounds still apply to
 * {@code ReactorHarness.run()} and {@code Net.await}; heavy tests that run the loop for longer guard it with
 * {@link dev.weft.compat.harness.Watchdog#guard} and a bound of their own.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ContractTest
@Tag("heavy")
@Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public @interface HeavyContractTest {
    /** The JUnit tag of heavy tests, excluded unless the Maven profile {@code heavy} is active. */
    String TAG = "heavy";

    /** The hard limit of one invocation, in seconds (the {@code @Timeout} above). */
    long LIMIT_SECONDS = 150;
}
