package dev.weft.compat.group;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.BackendVariantSource;
import dev.weft.compat.harness.ProviderVariant;
import dev.weft.compat.harness.VirtualLoopVariant;
import dev.weft.reactor.ReactorProvider;
import dev.weft.reactor.spi.MemberGroup;
import dev.weft.untwisted.UntwistedReactor;
import java.util.ArrayList;
import java.util.List;

/**
 * The untwisted backend's variants: the plain one ({@code untwisted}), {@code untwisted-in-group}, a member of a
 * running group ({@link GroupMemberVariant}), and, on JDK 21+, {@code untwisted-virtual-loop}, its loop on a virtual
 * thread ({@link VirtualLoopVariant}).
 */
public final class UntwistedGroupVariants implements BackendVariantSource {

    @Override
    public String backend() {
        return "untwisted";
    }

    @Override
    public List<BackendVariant> variants(ReactorProvider provider) {
        List<BackendVariant> all = new ArrayList<>(List.of(new ProviderVariant(provider),
                new GroupMemberVariant("untwisted", "untwisted")));
        all.addAll(VirtualLoopVariant.onVirtualThreadJdks("untwisted", "untwisted", "untwisted",
                UntwistedReactor::new, (config, size) -> MemberGroup.create(size, () -> new UntwistedReactor(config))));
        return List.copyOf(all);
    }
}
