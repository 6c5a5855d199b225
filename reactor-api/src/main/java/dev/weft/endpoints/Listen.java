package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import java.util.Objects;
import java.util.function.Function;

/** The listen of every server endpoint: the reactor's listen call, its outcome as a fired Deferred. */
final class Listen {

    private Listen() {
    }

    /**
     * Listens with {@code how}.
     *
     * @param factory the factory
     * @param how     calls the reactor's listen with the factory
     * @return a Deferred fired with the port, or failed with what the listen threw
     */
    static Deferred<ListeningPort> with(Factory factory, Function<Factory, ListeningPort> how) {
        Objects.requireNonNull(factory, "factory must not be null");
        try {
            return Deferred.succeed(how.apply(factory));
        } catch (RuntimeException e) {
            return Deferred.fail(e);
        }
    }
}
