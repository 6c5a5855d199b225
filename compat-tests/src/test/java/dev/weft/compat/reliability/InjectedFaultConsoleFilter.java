package dev.weft.compat.reliability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the faults the reliability tests inject ({@link Faults.InjectedFault}) off the console: they are expected,
 * and each test checks its own through {@code LogCapture}, which listens on the root logger and is not filtered.
 * Configured on the console appender in {@code logback-test.xml}; every other event passes.
 */
public final class InjectedFaultConsoleFilter extends Filter<ILoggingEvent> {
    private static final String INJECTED = Faults.InjectedFault.class.getName();

    @Override
    public FilterReply decide(ILoggingEvent event) {
        for (IThrowableProxy p = event.getThrowableProxy(); p != null; p = p.getCause()) {
            if (INJECTED.equals(p.getClassName())) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
