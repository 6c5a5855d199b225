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

    /**
     * Creates a group of {@code size} new reactors of this backend, each to run on its own thread (see
     * {@link ReactorGroup}). By default, {@code size} calls of {@link #create()}; a backend may override it to make
     * members that share what they can. May be called from any thread.
     *
     * @param size how many reactors, at least 1
     * @return the group, not yet running
     * @throws IllegalArgumentException if {@code size} is less than 1 (the message names {@code size})
     */
    default ReactorGroup createGroup(int size) {
        return dev.weft.reactor.spi.MemberGroup.create(size, this::create);
    }
}
