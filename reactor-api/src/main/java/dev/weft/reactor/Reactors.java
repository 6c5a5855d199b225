package dev.weft.reactor;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Creates reactors, choosing the backend by configuration.
 *
 * <p>The backend named by the system property {@code weft.reactor}, else by the environment variable
 * {@code WEFT_REACTOR}, else {@code untwisted}. Backends are found on the class path with
 * {@link ServiceLoader}{@code <}{@link ReactorProvider}{@code >}.
 */
public final class Reactors {

    /** The system property that names the backend. */
    public static final String PROPERTY = "weft.reactor";

    /** The environment variable that names the backend when the system property is not set. */
    public static final String ENVIRONMENT = "WEFT_REACTOR";

    /** The backend used when neither is set. */
    public static final String DEFAULT = "untwisted";

    private Reactors() {
    }

    /**
     * Creates a reactor on the configured backend.
     *
     * @return a new reactor, not yet running
     * @throws IllegalArgumentException if the configured backend is not on the class path (the message lists the
     *                                  backends that are)
     */
    public static Reactor create() {
        return create(configuredName());
    }

    /**
     * Creates a reactor on the named backend.
     *
     * @param name the backend name, e.g. {@code "untwisted"} or {@code "netty"}
     * @return a new reactor, not yet running
     * @throws IllegalArgumentException if no backend of that name is on the class path (the message lists the
     *                                  backends that are)
     * @throws NullPointerException     if {@code name} is null
     */
    public static Reactor create(String name) {
        return provider(name).create();
    }

    private static ReactorProvider provider(String name) {
        if (name == null) {
            throw new NullPointerException("name must not be null");
        }
        Map<String, ReactorProvider> providers = providers();
        ReactorProvider provider = providers.get(name.trim().toLowerCase(java.util.Locale.ROOT));
        if (provider == null) {
            throw new IllegalArgumentException("unknown reactor backend '" + name + "'; backends present: "
                    + (providers.isEmpty() ? "none (add reactor-untwisted or reactor-netty to the class path)"
                    : String.join(", ", providers.keySet())));
        }
        return provider;
    }

    /**
     * Creates a group of {@code size} reactors on the configured backend, each to run on its own thread (see
     * {@link ReactorGroup}). May be called from any thread.
     *
     * @param size how many reactors, at least 1
     * @return a new group, not yet running
     * @throws IllegalArgumentException if {@code size} is less than 1, or the configured backend is not on the class
     *                                  path
     */
    public static ReactorGroup createGroup(int size) {
        return createGroup(configuredName(), size);
    }

    /**
     * Creates a group of {@code size} reactors on the named backend, each to run on its own thread (see
     * {@link ReactorGroup}). May be called from any thread.
     *
     * @param name the backend name, e.g. {@code "untwisted"} or {@code "netty"}
     * @param size how many reactors, at least 1
     * @return a new group, not yet running
     * @throws IllegalArgumentException if {@code size} is less than 1 (the message names {@code size}), or no backend
     *                                  of that name is on the class path
     * @throws NullPointerException     if {@code name} is null
     */
    public static ReactorGroup createGroup(String name, int size) {
        dev.weft.reactor.spi.MemberGroup.checkSize(size);
        return provider(name).createGroup(size);
    }

    /**
     * The name of the configured backend: the system property {@code weft.reactor}, else the environment variable
     * {@code WEFT_REACTOR}, else {@code untwisted}.
     *
     * @return the backend name
     */
    public static String configuredName() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(ENVIRONMENT);
        }
        return name == null || name.isBlank() ? DEFAULT : name.trim();
    }

    /**
     * The backends on the class path, by name.
     *
     * @return the providers, sorted by name
     */
    public static Map<String, ReactorProvider> providers() {
        Map<String, ReactorProvider> providers = new TreeMap<>();
        for (ReactorProvider p : ServiceLoader.load(ReactorProvider.class, Reactors.class.getClassLoader())) {
            providers.putIfAbsent(p.name(), p);
        }
        return providers;
    }
}
