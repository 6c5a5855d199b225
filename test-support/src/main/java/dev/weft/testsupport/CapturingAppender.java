package dev.weft.testsupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.PrintStream;

/**
 * The Logback appender of Weft's test modules ({@code logback-test.xml}): while tests run, it keeps each event in
 * memory, and the log of a test is printed only if that test fails ({@link CapturedLogExtension}); so a passing
 * build prints no log. In a JVM that runs no tests (a child JVM a test starts with the test class path, a
 * {@code main} run from the IDE) it writes each event to standard output at once, as a console appender does.
 *
 * <p>Configured like a console appender:
 * <pre>{@code
 * <appender name="CAPTURE" class="dev.weft.testsupport.CapturingAppender">
 *   <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
 * </appender>
 * }</pre>
 * Logback calls it on the thread that logs, any thread.
 */
public final class CapturingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private Encoder<ILoggingEvent> encoder;

    /** An appender without an encoder yet; Logback configures it. Called by Logback, on the configuring thread. */
    public CapturingAppender() {
    }

    /**
     * Sets how events are formatted, when printed. Called by Logback while it configures, before {@link #start()}.
     *
     * @param encoder the encoder
     */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    /** Starts the appender; refuses (with a Logback status error) to start without an encoder. */
    @Override
    public void start() {
        if (encoder == null) {
            addError("No encoder set for the appender named \"" + name + "\": add an <encoder> element.");
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (CapturedLog.mode() == CaptureMode.CAPTURE) {
            event.prepareForDeferredProcessing();
            CapturedLog.ring().add(event, encoder);
        } else {
            byte[] bytes = encoder.encode(event);
            PrintStream out = System.out;
            synchronized (out) {
                out.write(bytes, 0, bytes.length);
                out.flush();
            }
        }
    }
}
