package dev.weft.untwisted;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorProvider;

/** Makes {@link UntwistedReactor} available to {@code Reactors.create()} under the name {@code untwisted}. */
public final class UntwistedReactorProvider implements ReactorProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public UntwistedReactorProvider() {
    }

    @Override
    public String name() {
        return UntwistedReactor.NAME;
    }

    @Override
    public Reactor create() {
        return new UntwistedReactor();
    }
}
