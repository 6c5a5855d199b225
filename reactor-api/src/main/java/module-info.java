/**
 * Weft's reactor API: what protocol code is written against, the backend SPI, and the logic every backend shares.
 *
 * <ul>
 *   <li>The user API: {@code dev.weft.reactor} (the reactor, its settings, backend selection), {@code dev.weft.defer},
 *       {@code dev.weft.protocol}, {@code dev.weft.protocol.basic}, {@code dev.weft.process}, {@code dev.weft.protocol.policies}, {@code dev.weft.stream}, {@code dev.weft.task} and {@code dev.weft.testing}
 *       (test doubles).</li>
 *   <li>The backend SPI: {@code dev.weft.reactor.spi}, what a backend extends or implements.</li>
 *   <li>Helpers the backends share and users must not use: {@code dev.weft.reactor.internal}, exported only to the
 *       backend modules.</li>
 * </ul>
 *
 * <p>Backends are found with {@link java.util.ServiceLoader}: on the module path through their {@code provides},
 * on the class path through {@code META-INF/services}.
 */
@SuppressWarnings("module") // the qualified exports name backend modules that are not built yet
module dev.weft.reactor {
    // The SPI's ReactorBase hands its Logger to backends.
    requires transitive org.slf4j;
    // JDK Flight Recorder events (dev.weft.*): a blocked loop, slow passes, late timers, connections.
    requires jdk.jfr;

    exports dev.weft.reactor;
    exports dev.weft.defer;
    exports dev.weft.application;
    exports dev.weft.endpoints;
    exports dev.weft.protocol;
    exports dev.weft.protocol.basic;
    exports dev.weft.process;
    exports dev.weft.protocol.policies;
    exports dev.weft.stream;
    exports dev.weft.task;
    exports dev.weft.testing;

    exports dev.weft.reactor.spi;

    exports dev.weft.reactor.internal to dev.weft.untwisted, dev.weft.netty;

    uses dev.weft.reactor.ReactorProvider;
}
