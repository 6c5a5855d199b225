package dev.weft.reactor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.ReactorConfig;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class WarmupTest {
    private static final AtomicInteger KEYS = new AtomicInteger();

    @AfterEach
    void clearProperty() {
        System.clearProperty(ReactorConfig.WARMUP);
    }

    private static String freshKey() {
        return "warmup-test-" + KEYS.incrementAndGet();
    }

    @Test
    void warmupFalseMakesNoThrowawayReactor() {
        System.setProperty(ReactorConfig.WARMUP, "false");
        ReactorConfig config = ReactorConfig.fromEnvironment();
        AtomicInteger made = new AtomicInteger();
        Warmup.firstConnection(freshKey(), config, c -> {
            made.incrementAndGet();
            throw new IllegalStateException("no reactor in this test");
        });
        assertEquals(0, made.get());
    }

    @Test
    void theFirstReactorOfABackendWarmsUpOnceAndAFailureIsIgnored() {
        ReactorConfig config = ReactorConfig.fromEnvironment();
        assertTrue(config.warmup(), "on by default");
        AtomicInteger made = new AtomicInteger();
        String key = freshKey();
        for (int i = 0; i < 3; i++) {
            Warmup.firstConnection(key, config, c -> {
                made.incrementAndGet();
                assertEquals(0, c.blockedThresholdMillis(), "the throwaway reactor has no detector");
                throw new IllegalStateException("no reactor in this test");
            });
        }
        assertEquals(1, made.get());
    }

    @Test
    void aMalformedWarmupValueIsRefusedNamingTheOption() {
        System.setProperty(ReactorConfig.WARMUP, "sometimes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ReactorConfig::fromEnvironment);
        assertTrue(e.getMessage().contains("weft.warmup"), e.getMessage());
    }
}
