package dev.weft.reactor.internal;

import dev.weft.defer.Deferred;
import dev.weft.defer.UnhandledErrors;
import java.time.Duration;
import java.util.List;

/**
 * The child JVM of {@link LoggersTest}: run with slf4j-api and no SLF4J provider on its class path, it logs through
 * Weft's loggers and leaves a Deferred failure unhandled, then forces the unhandled-error check.
 */
public final class NoProviderChild {
    private NoProviderChild() {
    }

    /**
     * Logs, abandons a failed Deferred, and prints how many unhandled failures were reported.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        Loggers.get(NoProviderChild.class).info("an info line, not shown without a provider");
        Loggers.get(NoProviderChild.class).warn("a warning {} of Weft", 42);
        abandonAFailure();
        List<Throwable> reported = UnhandledErrors.collect(Duration.ofSeconds(10));
        System.out.println("sink " + Loggers.sink() + ", reported " + reported.size());
    }

    private static void abandonAFailure() {
        Deferred.fail(new IllegalStateException("the lost error of NoProviderChild"));
    }
}
