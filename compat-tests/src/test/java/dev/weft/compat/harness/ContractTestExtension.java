package dev.weft.compat.harness;

import dev.weft.reactor.Reactor;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs each {@link ContractTest} once per {@link BackendVariant}. Per invocation it skips an unavailable variant
 * (a JUnit assumption carrying the reason), injects the {@link ReactorHarness}, and afterwards closes the harness:
 * the guard that fails a test which left a reactor running, crashes that reactor and releases its resources.
 */
public final class ContractTestExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        // Also through a composed annotation (e.g. HeavyContractTest, which sets a larger time limit).
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, ContractTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        String method = context.getRequiredTestMethod().getName();
        boolean heavy = AnnotationSupport.findRepeatableAnnotations(context.getRequiredTestMethod(), Tag.class)
                .stream().anyMatch(t -> t.value().equals("heavy"));
        return BackendVariants.all().stream().filter(v -> !heavy || v.runsHeavyTests())
                .map(v -> new VariantInvocation(v, method));
    }

    /** One invocation of a contract test on one variant. */
    private static final class VariantInvocation implements TestTemplateInvocationContext {
        private final BackendVariant variant;
        private final String method;

        VariantInvocation(BackendVariant variant, String method) {
            this.variant = variant;
            this.method = method;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + variant.name() + "] " + method;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new VariantExtension(variant));
        }
    }

    /** Skips, injects and guards one invocation. */
    private static final class VariantExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
        private static final ExtensionContext.Namespace NS =
                ExtensionContext.Namespace.create(VariantExtension.class);
        private final BackendVariant variant;

        VariantExtension(BackendVariant variant) {
            this.variant = variant;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            Assumptions.assumeTrue(variant.unavailableReason().isEmpty(), () -> "variant " + variant.name()
                    + " cannot run here: " + variant.unavailableReason().orElse(""));
            if (context.getRequiredTestMethod().isAnnotationPresent(WatchesChannels.class)) {
                Assumptions.assumeTrue(variant.channelWatchUnsupportedReason().isEmpty(), () -> "variant "
                        + variant.name() + " does not watch arbitrary SelectableChannels: "
                        + variant.channelWatchUnsupportedReason().orElse(""));
            }
            Optional<String> bug = variant.knownBug(context.getRequiredTestMethod().getName());
            Assumptions.assumeTrue(bug.isEmpty(), () -> "variant " + variant.name() + " has a known bug that fails"
                    + " this test: " + bug.orElse(""));
        }

        @Override
        public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
            Class<?> type = pc.getParameter().getType();
            return type == ReactorHarness.class || type == Reactor.class || type == BackendVariant.class;
        }

        @Override
        public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
            Class<?> type = pc.getParameter().getType();
            if (type == BackendVariant.class) {
                return variant;
            }
            ReactorHarness harness = harness(ec);
            return type == Reactor.class ? harness.reactor() : harness;
        }

        private ReactorHarness harness(ExtensionContext ec) {
            return ec.getStore(NS).getOrComputeIfAbsent(ReactorHarness.class,
                    k -> new ReactorHarness(variant, ec.getDisplayName()), ReactorHarness.class);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            ReactorHarness harness = context.getStore(NS).remove(ReactorHarness.class, ReactorHarness.class);
            if (harness != null) {
                harness.close();
            }
        }
    }
}
