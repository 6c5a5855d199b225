package dev.weft.examples.resp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Records the log events of every logger (those the root logger's level lets through: WARN and above in the tests'
 * {@code logback-test.xml}) while it is open, so a test can assert that nothing unexpected was logged.
 */
final class LogEvents implements AutoCloseable {

    private final Logger root;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent e) {
            e.prepareForDeferredProcessing();
            synchronized (this) {
                super.append(e);
            }
        }
    };

    private LogEvents() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(ctx);
        appender.start();
        root.addAppender(appender);
    }

    /**
     * Starts recording.
     *
     * @return the recorder; close it to stop
     */
    static LogEvents record() {
        return new LogEvents();
    }

    /**
     * The events recorded at {@code level} or above.
     *
     * @param level the least level
     * @return a snapshot, oldest first
     */
    List<ILoggingEvent> atLeast(Level level) {
        synchronized (appender) {
            return new ArrayList<>(appender.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                    .collect(Collectors.toList());
        }
    }

    /**
     * The events of loggers under {@code prefix}, at WARN or above.
     *
     * @param prefix a logger name or package
     * @return a snapshot
     */
    List<ILoggingEvent> warningsFrom(String prefix) {
        return atLeast(Level.WARN).stream().filter(e -> e.getLoggerName().startsWith(prefix))
                .collect(Collectors.toList());
    }

    /**
     * Events as readable lines, for assertion messages.
     *
     * @param events the events
     * @return one line each: level, logger, message, throwable
     */
    static String describe(List<ILoggingEvent> events) {
        StringBuilder b = new StringBuilder();
        for (ILoggingEvent e : events) {
            b.append('\n').append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ")
                    .append(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                b.append(" [").append(e.getThrowableProxy().getClassName()).append(": ")
                        .append(e.getThrowableProxy().getMessage()).append(']');
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
