package dev.weft.compat.harness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a contract test: written once, it runs once per {@link BackendVariant} (see {@link BackendVariants}),
 * with the variant's name in its display name. Its parameters may be a {@link ReactorHarness}, a
 * {@link dev.weft.reactor.Reactor} (the harness's default reactor) and the {@link BackendVariant}.
 *
 * <p>Each invocation has a hard limit of 10 seconds (the harness's watchdogs normally fail a stuck test far
 * sooner). The test runs on a thread of its own, so that even a reactor that ignores both the watchdog's crash and
 * its interrupt cannot hang the suite: the invocation fails and the {@link ContractTestExtension} guard, which
 * fails an invocation that leaves a reactor running, crashes it. Tests must therefore not assume that the test
 * thread is the JUnit main thread.
 *
 * <p>A test that needs more time (the heavy tests of {@code dev.weft.compat.reliability}) uses an annotation that is
 * itself annotated with {@code @ContractTest} and a larger {@link Timeout}, such as
 * {@code dev.weft.compat.reliability.HeavyContractTest}: JUnit takes the {@code @Timeout} found nearest to the
 * method, so the composed annotation's limit replaces this one. A {@code @Timeout} placed directly on the method
 * does the same for one test.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(ContractTestExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public @interface ContractTest {
}
