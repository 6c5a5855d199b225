package dev.weft.compat.harness;

import dev.weft.reactor.ReactorProvider;
import java.util.List;

/**
 * A test-side service that replaces the default single variant of a backend by several: found with
 * {@link java.util.ServiceLoader} from {@code META-INF/services/dev.weft.compat.harness.BackendVariantSource}
 * on the test class path. See {@link BackendVariants} and the package documentation.
 */
public interface BackendVariantSource {

    /**
     * The backend this source describes: the {@link ReactorProvider#name()} it claims.
     *
     * @return the backend name
     */
    String backend();

    /**
     * The variants of the backend; called only when a provider of {@link #backend()} is on the class path.
     * A variant that cannot run on this machine must still be returned, with its
     * {@link BackendVariant#unavailableReason()}.
     *
     * @param provider the provider of {@link #backend()}
     * @return the variants, at least one
     */
    List<BackendVariant> variants(ReactorProvider provider);
}
