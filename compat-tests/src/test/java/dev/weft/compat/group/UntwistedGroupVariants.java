package dev.weft.compat.group;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.BackendVariantSource;
import dev.weft.compat.harness.ProviderVariant;
import dev.weft.reactor.ReactorProvider;
import java.util.List;

/**
 * The untwisted backend's variants: the plain one ({@code untwisted}) and {@code untwisted-in-group}, a member of a
 * running group ({@link GroupMemberVariant}).
 */
public final class UntwistedGroupVariants implements BackendVariantSource {

    @Override
    public String backend() {
        return "untwisted";
    }

    @Override
    public List<BackendVariant> variants(ReactorProvider provider) {
        return List.of(new ProviderVariant(provider), new GroupMemberVariant("untwisted", "untwisted"));
    }
}
