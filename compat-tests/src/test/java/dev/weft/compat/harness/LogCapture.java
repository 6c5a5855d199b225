package dev.weft.compat.harness;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Captures log events of every logger with a Logback {@link ListAppender} on the root logger, and lets a test
 * wait (bounded) for an event that matches.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root;
    private final Appender appender = new Appender();

    private LogCapture(Logger root) {
        this.root = root;
    }

    /**
     * Attaches a capture to the root logger.
     *
     * @return the capture; close it to detach
     */
    public static LogCapture start() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LogCapture c = new LogCapture(root);
        c.appender.setContext(ctx);
        c.appender.start();
        root.addAppender(c.appender);
        return c;
    }

    /**
     * The events captured so far.
     *
     * @return a snapshot
     */
    public List<ILoggingEvent> events() {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    /**
     * Waits, up to {@code timeout}, for an event that matches.
     *
     * @param match   the predicate
     * @param timeout the bound
     * @return the first matching event, or null if none came in time
     */
    public ILoggingEvent await(Predicate<ILoggingEvent> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (appender) {
            while (true) {
                for (ILoggingEvent e : appender.list) {
                    if (match.test(e)) {
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    appender.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /**
     * Whether a matching event has been captured, without waiting.
     *
     * @param match the predicate
     * @return whether one has
     */
    public boolean has(Predicate<ILoggingEvent> match) {
        return events().stream().anyMatch(match);
    }

    /**
     * Matches events at {@code level} or above.
     *
     * @param level the least level
     * @return the predicate
     */
    public static Predicate<ILoggingEvent> atLeast(Level level) {
        return e -> e.getLevel().isGreaterOrEqual(level);
    }

    /**
     * Matches events that mention {@code text} (case-insensitively) in their message, their arguments, or
     * anywhere in their throwable: class names, messages, causes and stack frames.
     *
     * @param text the text
     * @return the predicate
     */
    public static Predicate<ILoggingEvent> mentions(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return e -> contains(e.getFormattedMessage(), t) || throwableMentions(e.getThrowableProxy(), t, 0);
    }

    private static boolean throwableMentions(IThrowableProxy p, String t, int depth) {
        if (p == null || depth > 20) {
            return false;
        }
        if (contains(p.getClassName(), t) || contains(p.getMessage(), t)) {
            return true;
        }
        StackTraceElementProxy[] frames = p.getStackTraceElementProxyArray();
        if (frames != null) {
            for (StackTraceElementProxy f : frames) {
                if (contains(f.getSTEAsString(), t)) {
                    return true;
                }
            }
        }
        IThrowableProxy[] suppressed = p.getSuppressed();
        if (suppressed != null) {
            for (IThrowableProxy s : suppressed) {
                if (throwableMentions(s, t, depth + 1)) {
                    return true;
                }
            }
        }
        return throwableMentions(p.getCause(), t, depth + 1);
    }

    private static boolean contains(String s, String lowerText) {
        return s != null && s.toLowerCase(Locale.ROOT).contains(lowerText);
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }

    /** A ListAppender that wakes waiters. */
    private static final class Appender extends ListAppender<ILoggingEvent> {
        @Override
        protected void append(ILoggingEvent e) {
            e.prepareForDeferredProcessing();
            synchronized (this) {
                super.append(e);
                notifyAll();
            }
        }
    }
}
