package dev.weft.bench.soak;

import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one soak run. The load updates one instance on the reactor thread (the thread callers only count
 * what they made, in their own counters); the report gets a copy taken on that thread.
 */
final class SoakCounts {
    /** Client connections started ({@code connectTCP}). */
    long connectAttempts;
    /** Client connections made. */
    long connected;
    /** Client connections that could not be made ({@code clientConnectionFailed}). */
    long connectFailed;
    /** Client connections lost ({@code connectionLost} of the client protocol). */
    long clientLost;
    /** Clients that got their bytes back and closed with {@code loseConnection}. */
    long cleanCloses;
    /** Clients that got their bytes back and aborted. */
    long abortsAfterEcho;
    /** Clients that aborted with part of their bytes back. */
    long abortsMidway;
    /** Clients that aborted right after writing, before any echo. */
    long abortsAtOnce;
    /** Bytes the clients wrote. */
    long bytesSent;
    /** Bytes the clients got back and compared with what they sent. */
    long bytesVerified;
    /** Server connections made. */
    long serverMade;
    /** Server connections lost. */
    long serverLost;
    /** Bytes the server echoed. */
    long serverBytes;
    /** The reasons of the server's {@code connectionLost}, by class name. */
    Map<String, Long> serverReasons = new TreeMap<>();
    /** Timers scheduled with {@code callLater}. */
    long timersScheduled;
    /** Timers that ran. */
    long timersFired;
    /** Timers cancelled before they ran. */
    long timersCancelled;
    /** Pending timers moved later with {@code delay}. */
    long timersDelayed;
    /** {@code cancel()} calls on timers that had run, refused with {@code AlreadyCalledException} as they must be. */
    long lateCancelsRefused;
    /** {@code callFromThread} calls made by the two threads. */
    long threadCallsMade;
    /** Those calls that ran, on the reactor thread, each in its thread's order. */
    long threadCallsRun;
    /** {@code deferToThread} tasks started. */
    long deferStarted;
    /** Tasks whose result came back right, on the reactor thread. */
    long deferSucceeded;
    /** Tasks made to fail whose failure came back, on the reactor thread. */
    long deferFailedAsExpected;

    /**
     * A copy.
     *
     * @return a copy of every count
     */
    SoakCounts copy() {
        SoakCounts c = new SoakCounts();
        c.connectAttempts = connectAttempts;
        c.connected = connected;
        c.connectFailed = connectFailed;
        c.clientLost = clientLost;
        c.cleanCloses = cleanCloses;
        c.abortsAfterEcho = abortsAfterEcho;
        c.abortsMidway = abortsMidway;
        c.abortsAtOnce = abortsAtOnce;
        c.bytesSent = bytesSent;
        c.bytesVerified = bytesVerified;
        c.serverMade = serverMade;
        c.serverLost = serverLost;
        c.serverBytes = serverBytes;
        c.serverReasons = new TreeMap<>(serverReasons);
        c.timersScheduled = timersScheduled;
        c.timersFired = timersFired;
        c.timersCancelled = timersCancelled;
        c.timersDelayed = timersDelayed;
        c.lateCancelsRefused = lateCancelsRefused;
        c.threadCallsMade = threadCallsMade;
        c.threadCallsRun = threadCallsRun;
        c.deferStarted = deferStarted;
        c.deferSucceeded = deferSucceeded;
        c.deferFailedAsExpected = deferFailedAsExpected;
        return c;
    }
}
