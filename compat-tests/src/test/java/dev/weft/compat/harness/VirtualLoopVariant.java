package dev.weft.compat.harness;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.ReactorGroup;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A backend's reactor with its loop on a virtual thread of its own ({@code weft.loop.virtual}): the test thread
 * that runs it waits in {@code run()}/{@code runUntil()} while the loop's virtual thread runs every callback. Named
 * {@code <variant>-virtual-loop}. Made only on JDK 21+, where virtual threads exist (on older JDKs the setting runs
 * the loop on the calling thread, which the plain variant covers).
 */
public final class VirtualLoopVariant implements BackendVariant {
    private final String name;
    private final String backend;
    private final String backendName;
    private final Function<ReactorConfig, Reactor> reactors;
    private final BiFunction<ReactorConfig, Integer, ReactorGroup> groups;

    private VirtualLoopVariant(String name, String backend, String backendName,
            Function<ReactorConfig, Reactor> reactors, BiFunction<ReactorConfig, Integer, ReactorGroup> groups) {
        this.name = name;
        this.backend = backend;
        this.backendName = backendName;
        this.reactors = reactors;
        this.groups = groups;
    }

    /**
     * The variant, as a list of one on JDK 21+, else an empty list.
     *
     * @param plainName   the name of the backend's plain variant, e.g. {@code untwisted}
     * @param backend     the backend's provider name
     * @param backendName what its reactors report as their backend name
     * @param reactors    makes a reactor with a configuration
     * @param groups      makes a group of a size with a configuration
     * @return the variants to add
     */
    public static List<BackendVariant> onVirtualThreadJdks(String plainName, String backend, String backendName,
            Function<ReactorConfig, Reactor> reactors, BiFunction<ReactorConfig, Integer, ReactorGroup> groups) {
        if (Runtime.version().feature() < 21) {
            return List.of();
        }
        return List.of(new VirtualLoopVariant(plainName + "-virtual-loop", backend, backendName, reactors, groups));
    }

    private static ReactorConfig config() {
        return ReactorConfig.fromEnvironment().withVirtualLoop(true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    /** No: the heavy tests load one loop, which the plain variant covers on the same code. */
    @Override
    public boolean runsHeavyTests() {
        return false;
    }

    @Override
    public Reactor create() {
        return reactors.apply(config());
    }

    @Override
    public ReactorGroup createGroup(int size) {
        return groups.apply(config(), size);
    }

    @Override
    public String toString() {
        return name;
    }
}
