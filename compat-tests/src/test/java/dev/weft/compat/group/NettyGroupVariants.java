package dev.weft.compat.group;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.BackendVariantSource;
import dev.weft.reactor.ReactorProvider;
import java.util.List;

/**
 * {@code netty-in-group}: a member of a running group of owned Netty reactors on the default transport
 * ({@link GroupMemberVariant}), beside the Netty variants of {@code NettyVariants}.
 */
public final class NettyGroupVariants implements BackendVariantSource {

    @Override
    public String backend() {
        return "netty";
    }

    @Override
    public List<BackendVariant> variants(ReactorProvider provider) {
        return List.of(new GroupMemberVariant("netty", "netty-nio"));
    }
}
