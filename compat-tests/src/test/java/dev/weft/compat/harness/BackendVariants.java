package dev.weft.compat.harness;

import dev.weft.reactor.ReactorProvider;
import dev.weft.reactor.Reactors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The variants every contract test runs on.
 *
 * <p>For each backend found by {@link Reactors#providers()}: the variants of every {@link BackendVariantSource}
 * that claims it, or, when none does, one {@link ProviderVariant}. A source whose backend is missing yields one
 * unavailable variant (reported as skipped), and so does an empty class path: nothing is silently dropped.
 */
public final class BackendVariants {

    private BackendVariants() {
    }

    /**
     * The variants to run, in a stable order (by backend, then as the sources list them).
     *
     * @return the variants, never empty
     */
    public static List<BackendVariant> all() {
        Map<String, ReactorProvider> providers = Reactors.providers();
        Map<String, List<BackendVariantSource>> sources = new TreeMap<>();
        for (BackendVariantSource s : ServiceLoader.load(BackendVariantSource.class,
                BackendVariants.class.getClassLoader())) {
            sources.computeIfAbsent(s.backend(), k -> new ArrayList<>()).add(s);
        }
        List<BackendVariant> variants = new ArrayList<>();
        for (Map.Entry<String, ReactorProvider> e : providers.entrySet()) {
            List<BackendVariantSource> claimed = sources.remove(e.getKey());
            if (claimed == null) {
                variants.add(new ProviderVariant(e.getValue()));
            } else {
                for (BackendVariantSource s : claimed) {
                    variants.addAll(s.variants(e.getValue()));
                }
            }
        }
        for (Map.Entry<String, List<BackendVariantSource>> e : sources.entrySet()) {
            for (BackendVariantSource s : e.getValue()) {
                variants.add(new UnavailableVariant(e.getKey(), e.getKey(), s.getClass().getName()
                        + " declares variants of backend '" + e.getKey()
                        + "' but no ReactorProvider of that name is on the class path"));
            }
        }
        if (variants.isEmpty()) {
            variants.add(new UnavailableVariant("no-backend", "none",
                    "no ReactorProvider on the test class path (Reactors.providers() is empty)"));
        }
        return List.copyOf(variants);
    }
}
