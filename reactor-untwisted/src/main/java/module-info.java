/**
 * The untwisted backend: Weft's reactor on a {@code java.nio.channels.Selector}, JDK only. {@code Reactors.create()}
 * finds it by the name {@code untwisted}; {@code dev.weft.untwisted.UntwistedReactor} makes one directly.
 */
module dev.weft.untwisted {
    requires transitive dev.weft.reactor;

    exports dev.weft.untwisted;

    provides dev.weft.reactor.ReactorProvider with dev.weft.untwisted.UntwistedReactorProvider;
}
