package dev.weft.testsupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints the log a failed test captured to standard output, between a header and a footer that name the test.
 * Surefire shows a test's standard output on the console and keeps it in that test's report
 * ({@code target/surefire-reports/TEST-*.xml}, {@code <system-out>}). Prints nothing when the test logged nothing.
 */
final class FailedTestLogPrinter {
    private FailedTestLogPrinter() {
    }

    /**
     * Prints the events captured since {@code mark}.
     *
     * @param testName the test, as the header names it
     * @param mark     the ring's mark taken when the test started
     */
    static void print(String testName, long mark) {
        print(testName, CapturedLog.ring().since(mark), System.out);
    }

    /**
     * Prints {@code slice} to {@code out}, in one write.
     *
     * @param testName the test, as the header names it
     * @param slice    its events
     * @param out      where to
     */
    static void print(String testName, EventRing.Slice slice, PrintStream out) {
        if (slice.entries().isEmpty() && slice.dropped() == 0) {
            return;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int n = slice.entries().size();
        String header = "---- log captured while " + testName + " ran (" + n + (n == 1 ? " event" : " events")
                + (slice.dropped() > 0 ? ", " + slice.dropped() + " earlier ones dropped" : "") + ") ----\n";
        b.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        for (EventRing.Entry e : slice.entries()) {
            b.writeBytes(encode(e.event(), e.encoder()));
        }
        b.writeBytes(("---- end of the log captured while " + testName + " ran ----\n")
                .getBytes(StandardCharsets.UTF_8));
        synchronized (out) {
            out.write(b.toByteArray(), 0, b.size());
            out.flush();
        }
    }

    private static byte[] encode(ILoggingEvent event, Encoder<ILoggingEvent> encoder) {
        try {
            return encoder.encode(event);
        } catch (RuntimeException stoppedOrBroken) {
            // The Logback configuration was reset since: print the event plainly rather than lose it.
            String text = event.getLevel() + " [" + event.getThreadName() + "] " + event.getLoggerName() + " - "
                    + event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : " (" + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage()
                    + ")") + "\n";
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
