package dev.weft.reactor;

/**
 * A backend, found by {@link Reactors} with {@link java.util.ServiceLoader}: a jar that provides a backend lists
 * its provider in {@code META-INF/services/dev.weft.reactor.ReactorProvider}.
 */
public interface ReactorProvider {

    /**
     * The name users select this backend by, e.g. {@code "untwisted"} or {@code "netty"}.
     *
     * @return the backend name, lower case
     */
    String name();

    /**
     * Creates a new, not yet running reactor.
     *
     * @return the reactor
     */
    Reactor create();
}
