package dev.weft.compat.harness;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorProvider;
import java.util.Objects;

/** The default variant of a backend: a reactor made by its {@link ReactorProvider}, as users get it. */
public final class ProviderVariant implements BackendVariant {
    private final ReactorProvider provider;

    /**
     * Creates the variant.
     *
     * @param provider the backend's provider
     */
    public ProviderVariant(ReactorProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    @Override
    public String name() {
        return provider.name();
    }

    @Override
    public String backend() {
        return provider.name();
    }

    @Override
    public Reactor create() {
        return provider.create();
    }

    @Override
    public String toString() {
        return name();
    }
}
