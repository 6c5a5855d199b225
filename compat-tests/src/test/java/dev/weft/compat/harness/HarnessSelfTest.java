package dev.weft.compat.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Tests of the harness itself (plain JUnit tests, not contract tests). */
final class HarnessSelfTest {
    private static volatile boolean fixturesEnabled;

    /** A variant that hands out one given reactor. */
    private static BackendVariant variantOf(Reactor reactor) {
        return new BackendVariant() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public String backend() {
                return "fake";
            }

            @Override
            public Reactor create() {
                return reactor;
            }
        };
    }

    @Test
    void everyProviderHasAVariantAndNoneIsDropped() {
        List<BackendVariant> variants = BackendVariants.all();
        assertFalse(variants.isEmpty());
        for (String backend : Reactors.providers().keySet()) {
            assertTrue(variants.stream().anyMatch(v -> v.backend().equals(backend)), "no variant for " + backend);
        }
        if (Reactors.providers().isEmpty()) {
            assertTrue(variants.get(0).unavailableReason().isPresent(), "an empty class path is reported");
        }
    }

    @Test
    void guardFailsATestThatLeavesItsReactorRunningAndCrashesIt() {
        FakeReactor fake = new FakeReactor(true);
        ReactorHarness h = new ReactorHarness(variantOf(fake.reactor()), "self-test");
        LoopThread loop = h.startInBackground(h.reactor());
        loop.awaitRunning();
        AssertionError e = assertThrows(AssertionError.class, h::close);
        assertTrue(e.getMessage().contains("left a reactor running"), e.getMessage());
        assertFalse(loop.isAlive(), "the guard ended the loop");
        assertTrue(fake.crashes() > 0, "the guard crashed the reactor");
    }

    @Test
    void guardPassesATestThatStoppedItsReactor() {
        FakeReactor fake = new FakeReactor(true);
        ReactorHarness h = new ReactorHarness(variantOf(fake.reactor()), "self-test");
        LoopThread loop = h.startInBackground(h.reactor());
        loop.awaitRunning();
        loop.stopAndJoin();
        h.close();
        assertEquals(0, fake.crashes());
    }

    @Test
    void watchdogCrashesARunThatDoesNotReturnAndFails() {
        FakeReactor fake = new FakeReactor(true);
        Reactor r = fake.reactor();
        long t0 = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class,
                () -> Watchdog.guard(r, Duration.ofMillis(100), "run()", r::run));
        assertTrue(e.getMessage().contains("did not return within 100 ms"), e.getMessage());
        assertEquals(1, fake.crashes());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "the crash ended run() at once");
    }

    @Test
    void watchdogInterruptsARunThatIgnoresTheCrash() {
        FakeReactor fake = new FakeReactor(false);
        Reactor r = fake.reactor();
        AssertionError e = assertThrows(AssertionError.class,
                () -> Watchdog.guard(r, Duration.ofMillis(100), "run()", r::run));
        assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt does not leak into the test");
    }

    @Test
    void contractTestRunsOncePerVariantAndReportsLeaksAndUnavailableVariants() {
        fixturesEnabled = true;
        Events events;
        try {
            events = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectMethod(LeakingFixture.class, "leavesItsReactorRunning",
                            ReactorHarness.class.getName()))
                    .execute().testEvents();
        } finally {
            fixturesEnabled = false;
        }
        List<BackendVariant> variants = BackendVariants.all();
        long unavailable = variants.stream().filter(v -> v.unavailableReason().isPresent()).count();
        assertEquals(variants.size(), events.started().count(), "one invocation per variant");
        assertEquals(unavailable, events.aborted().count(), "unavailable variants are skipped");
        assertEquals(variants.size() - unavailable, events.failed().count(), "leaks fail the test");
        AtomicReference<String> names = new AtomicReference<>("");
        events.started().stream().forEach(ev -> names.set(names.get() + ev.getTestDescriptor().getDisplayName()));
        for (BackendVariant v : variants) {
            assertTrue(names.get().contains("[" + v.name() + "]"), "display names " + names.get());
        }
    }

    static boolean fixturesEnabled() {
        return fixturesEnabled;
    }

    /** Run only through the EngineTestKit above. */
    @EnabledIf("dev.weft.compat.harness.HarnessSelfTest#fixturesEnabled")
    static final class LeakingFixture {
        @ContractTest
        void leavesItsReactorRunning(ReactorHarness h) {
            h.startInBackground(h.reactor()).awaitRunning();
        }
    }
}
