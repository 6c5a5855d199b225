package dev.weft.bench.soak;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Counts the log events at WARN and at ERROR of every logger while it is attached (a Logback appender on the root
 * logger), and keeps the first few ERROR messages for the report. Netty's leak reports and the reactor's unhandled
 * errors are logged at ERROR, so the soak counts them as errors; WARN (the blocked-loop detector, on a loaded
 * machine) is only reported.
 */
final class LogCounter implements AutoCloseable {

    /** How many ERROR messages the report keeps. */
    static final int KEPT = 10;

    private final Logger root;
    private final Appender appender = new Appender();

    private LogCounter(Logger root) {
        this.root = root;
    }

    /**
     * Attaches a counter to the root logger (nothing is counted where Logback is not the binding).
     *
     * @return the counter; close it to detach
     */
    static LogCounter attach() {
        org.slf4j.ILoggerFactory f = LoggerFactory.getILoggerFactory();
        if (!(f instanceof LoggerContext)) {
            return new LogCounter(null);
        }
        LoggerContext ctx = (LoggerContext) f;
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LogCounter c = new LogCounter(root);
        c.appender.setContext(ctx);
        c.appender.start();
        root.addAppender(c.appender);
        return c;
    }

    /**
     * The WARN events counted so far.
     *
     * @return how many
     */
    synchronized long warnings() {
        return appender.warnings;
    }

    /**
     * The ERROR events counted so far.
     *
     * @return how many
     */
    synchronized long errors() {
        return appender.errors;
    }

    /**
     * The first ERROR messages, each with its logger and throwable.
     *
     * @return at most {@value #KEPT}
     */
    synchronized List<String> firstErrors() {
        return new ArrayList<>(appender.kept);
    }

    @Override
    public void close() {
        if (root != null) {
            root.detachAppender(appender);
            appender.stop();
        }
    }

    /** Counts by level. */
    private final class Appender extends AppenderBase<ILoggingEvent> {
        long warnings;
        long errors;
        final List<String> kept = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            synchronized (LogCounter.this) {
                if (e.getLevel().isGreaterOrEqual(Level.ERROR)) {
                    errors++;
                    if (kept.size() < KEPT) {
                        String t = e.getThrowableProxy() == null ? ""
                                : " [" + e.getThrowableProxy().getClassName() + ": "
                                + e.getThrowableProxy().getMessage() + "]";
                        kept.add(e.getLoggerName() + ": " + e.getFormattedMessage() + t);
                    }
                } else if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                    warnings++;
                }
            }
        }
    }
}
