package dev.weft.reactor.internal;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Where Weft's own loggers come from, so that no error is lost: through SLF4J when the application has an SLF4J
 * provider (Logback, slf4j-simple, Log4j's SLF4J binding, ...), otherwise through the JDK's
 * {@link System.Logger} for warnings and errors only ({@code java.util.logging} by default, which prints them on
 * standard error).
 *
 * <p>Without a provider, SLF4J drops every message (its no-operation fallback), which would make unhandled
 * {@code Deferred} failures, errors of callbacks and blocked-loop reports vanish. The choice is made once, when this
 * class is initialised: the fallback is used when SLF4J's logger factory is its no-operation one and the
 * application did not put {@code slf4j-nop} on the class path on purpose (which asks for silence).
 *
 * <p>Every method may be called from any thread.
 */
public final class Loggers {
    /** The provider of {@code slf4j-nop}: present only when the application asked for no logging. */
    private static final String SLF4J_NOP_PROVIDER = "org.slf4j.nop.NOPServiceProvider";

    private static final Sink SINK = detect();

    /** Where the loggers of this JVM send their messages. */
    enum Sink {
        /** An SLF4J provider is present: SLF4J as usual. */
        SLF4J,
        /** No SLF4J provider: warnings and errors go to {@link System.Logger}. */
        SYSTEM_LOGGER
    }

    private Loggers() {
    }

    /**
     * The logger named after {@code type}: SLF4J's, or the {@link System.Logger} fallback when SLF4J has no
     * provider.
     *
     * @param type the class that logs
     * @return the logger
     */
    public static Logger get(Class<?> type) {
        return get(type.getName());
    }

    /**
     * The logger of the given name: SLF4J's, or the {@link System.Logger} fallback when SLF4J has no provider.
     *
     * @param name the logger's name, e.g. {@code dev.weft.reactor.BlockedLoop}
     * @return the logger
     */
    public static Logger get(String name) {
        if (SINK == Sink.SLF4J) {
            return LoggerFactory.getLogger(name);
        }
        return new SystemLoggerFallback(name);
    }

    /** Where this JVM's Weft loggers write; for tests. */
    static Sink sink() {
        return SINK;
    }

    private static Sink detect() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof NOPLoggerFactory)) {
            return Sink.SLF4J;
        }
        try {
            Class.forName(SLF4J_NOP_PROVIDER, false, Loggers.class.getClassLoader());
            return Sink.SLF4J;
        } catch (ClassNotFoundException | LinkageError noSlf4jNop) {
            return Sink.SYSTEM_LOGGER;
        }
    }
}
