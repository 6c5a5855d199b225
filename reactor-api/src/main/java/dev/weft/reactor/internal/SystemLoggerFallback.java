package dev.weft.reactor.internal;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J {@link org.slf4j.Logger} that writes warnings and errors to the JDK's {@link System.Logger} of the same
 * name, and drops the rest: what {@link Loggers} hands out when SLF4J has no provider. Thread-safe.
 */
final class SystemLoggerFallback extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final transient System.Logger target;

    SystemLoggerFallback(String name) {
        this.name = name;
        this.target = System.getLogger(name);
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public boolean isInfoEnabled() {
        return false;
    }

    @Override
    public boolean isWarnEnabled() {
        return target.isLoggable(System.Logger.Level.WARNING);
    }

    @Override
    public boolean isErrorEnabled() {
        return target.isLoggable(System.Logger.Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        if (level != Level.ERROR && level != Level.WARN) {
            return;
        }
        System.Logger.Level to = level == Level.ERROR ? System.Logger.Level.ERROR : System.Logger.Level.WARNING;
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        if (throwable == null) {
            target.log(to, message);
        } else {
            target.log(to, message, throwable);
        }
    }
}
