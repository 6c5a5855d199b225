package dev.weft.testsupport;

/** What {@link CapturingAppender} does with an event: the JVM-wide mode, set once by the test run. */
enum CaptureMode {
    /** Writes each event to standard output at once, like a console appender: a JVM that runs no tests. */
    PASS_THROUGH,
    /** Keeps each event in memory; a test that fails prints the events logged while it ran. */
    CAPTURE
}
