package dev.weft.reactor;

import java.util.Locale;
import java.util.Objects;

/**
 * Configuration of a reactor, read from system properties first, then environment variables ({@code weft.x.y}
 * becomes {@code WEFT_X_Y}).
 *
 * <ul>
 *   <li>{@code weft.threadpool.size}: the maximum size of the thread pool (default 10);</li>
 *   <li>{@code weft.threadpool.virtual}: {@code true} to run {@code callInThread} work on virtual threads (JDK 21+;
 *       ignored with a warning on older JDKs);</li>
 *   <li>{@code weft.blocked.threshold.ms}: how long a callback may hold the loop before it is logged with its
 *       stack (default 100; 0 turns the detector off);</li>
 *   <li>{@code weft.warmup}: {@code false} to skip the loopback connection that the first reactor of each backend
 *       makes when it is created (the backend's warm-up; default {@code true});</li>
 *   <li>{@code weft.group.tcp}: how a reactor group spreads a TCP port's connections over its members,
 *       {@code auto}, {@code reuseport} or {@code acceptor} (default {@code auto}; see {@link TcpSpread});</li>
 *   <li>{@code weft.loop.virtual}: {@code true} to run the loop of a reactor that owns it on a virtual thread of its
 *       own while the thread that calls {@code run()} waits (JDK 21+; ignored with a warning on older JDKs; default
 *       {@code false}: the loop runs on the calling thread).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ReactorConfig {

    /** Property: the thread pool's maximum size. */
    public static final String THREADPOOL_SIZE = "weft.threadpool.size";
    /** Property: whether the thread pool uses virtual threads. */
    public static final String THREADPOOL_VIRTUAL = "weft.threadpool.virtual";
    /** Property: the blocked-loop threshold in milliseconds. */
    public static final String BLOCKED_THRESHOLD_MS = "weft.blocked.threshold.ms";
    /** Property: whether the first reactor of a backend warms up with a loopback connection. */
    public static final String WARMUP = "weft.warmup";
    /** Property: how a reactor group spreads the connections of a TCP port ({@link TcpSpread}). */
    public static final String GROUP_TCP = "weft.group.tcp";
    /** Property: whether a reactor's own loop runs on a virtual thread ({@link #virtualLoop()}). */
    public static final String VIRTUAL_LOOP = "weft.loop.virtual";

    private final int threadPoolSize;
    private final boolean virtualThreads;
    private final long blockedThresholdMillis;
    private final boolean warmup;
    private final TcpSpread groupTcp;
    private final boolean virtualLoop;

    private ReactorConfig(int threadPoolSize, boolean virtualThreads, long blockedThresholdMillis, boolean warmup,
            TcpSpread groupTcp, boolean virtualLoop) {
        this.threadPoolSize = threadPoolSize;
        this.virtualThreads = virtualThreads;
        this.blockedThresholdMillis = blockedThresholdMillis;
        this.warmup = warmup;
        this.groupTcp = groupTcp;
        this.virtualLoop = virtualLoop;
    }

    /**
     * Reads the configuration from system properties and environment variables.
     *
     * @return the configuration
     * @throws IllegalArgumentException if a value is malformed (the message names the option)
     */
    public static ReactorConfig fromEnvironment() {
        int size = (int) longOption(THREADPOOL_SIZE, 10, 1, Integer.MAX_VALUE);
        boolean virtual = Boolean.parseBoolean(option(THREADPOOL_VIRTUAL, "false"));
        long blocked = longOption(BLOCKED_THRESHOLD_MS, 100, 0, Long.MAX_VALUE);
        boolean warmup = booleanOption(WARMUP, true);
        TcpSpread groupTcp = TcpSpread.parse(GROUP_TCP, option(GROUP_TCP, TcpSpread.AUTO.toString()));
        boolean virtualLoop = booleanOption(VIRTUAL_LOOP, false);
        return new ReactorConfig(size, virtual, blocked, warmup, groupTcp, virtualLoop);
    }

    /**
     * The configuration of a throwaway reactor (the one a backend warms up with, or a short-lived one in a test): one
     * pool thread, no blocked-loop detector, no warm-up of its own. Any thread.
     *
     * @return the configuration
     */
    public static ReactorConfig quiet() {
        return new ReactorConfig(1, false, 0, false, TcpSpread.AUTO, false);
    }

    /**
     * This configuration with another choice of how a reactor group spreads a TCP port's connections (what
     * {@code weft.group.tcp} sets), for a group made with a configuration (the Netty backend's
     * {@code NettyReactor.createGroup(config, ...)} and {@code attachGroup(group, config)}). Any thread.
     *
     * @param spread the spread
     * @return a configuration equal to this one but for {@link #groupTcp()}
     * @throws NullPointerException if {@code spread} is null
     */
    public ReactorConfig withGroupTcp(TcpSpread spread) {
        Objects.requireNonNull(spread, "spread must not be null");
        return new ReactorConfig(threadPoolSize, virtualThreads, blockedThresholdMillis, warmup, spread, virtualLoop);
    }

    /**
     * This configuration with the loop on a virtual thread of its own, or on the thread that calls {@code run()}
     * (what {@code weft.loop.virtual} sets). Any thread.
     *
     * @param virtual whether the loop runs on a virtual thread
     * @return a configuration equal to this one but for {@link #virtualLoop()}
     */
    public ReactorConfig withVirtualLoop(boolean virtual) {
        return new ReactorConfig(threadPoolSize, virtualThreads, blockedThresholdMillis, warmup, groupTcp, virtual);
    }

    /**
     * The value of an option: the system property, else the environment variable, else {@code defaultValue}.
     *
     * @param name         the property name, e.g. {@code weft.netty.transport}
     * @param defaultValue the value when neither is set
     * @return the value
     */
    public static String option(String name, String defaultValue) {
        Objects.requireNonNull(name, "name");
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    private static boolean booleanOption(String name, boolean defaultValue) {
        String v = option(name, null);
        if (v == null) {
            return defaultValue;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
    }

    private static long longOption(String name, long defaultValue, long min, long max) {
        String v = option(name, null);
        if (v == null) {
            return defaultValue;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /**
     * The thread pool's maximum size.
     *
     * @return at least 1
     */
    public int threadPoolSize() {
        return threadPoolSize;
    }

    /**
     * Whether {@code callInThread} work runs on virtual threads.
     *
     * @return true when configured
     */
    public boolean virtualThreads() {
        return virtualThreads;
    }

    /**
     * The blocked-loop threshold.
     *
     * @return milliseconds; 0 means the detector is off
     */
    public long blockedThresholdMillis() {
        return blockedThresholdMillis;
    }

    /**
     * Whether the first reactor of a backend in this JVM makes a loopback connection (on a throwaway reactor) when it
     * is created, so that what networking loads on first use is not loaded on the loop.
     *
     * @return true unless {@code weft.warmup} is {@code false}
     */
    public boolean warmup() {
        return warmup;
    }

    /**
     * How a reactor group whose member 0 has this configuration spreads the connections of a TCP port over its
     * members ({@code weft.group.tcp}).
     *
     * @return the spread; {@link TcpSpread#AUTO} unless set
     */
    public TcpSpread groupTcp() {
        return groupTcp;
    }

    /**
     * Whether a reactor that owns its loop runs it on a virtual thread of its own ({@code weft.loop.virtual}): its
     * {@code run()}, {@code runUntil()} and {@code iterate()} hand the loop to that thread (the same one each time)
     * and wait for it, and every callback runs there. Coroutine bodies, which run on virtual threads too, then hand
     * over to the loop and back without waking an OS thread; see the README's "The loop on a virtual thread". On a
     * JDK without virtual threads the loop runs on the calling thread, with one warning. A reactor attached to a
     * Netty loop runs on that loop's thread whatever this says.
     *
     * @return whether the loop runs on a virtual thread; false unless set
     */
    public boolean virtualLoop() {
        return virtualLoop;
    }
}
