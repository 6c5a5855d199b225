package dev.weft.reactor.spi;

import dev.weft.process.ProcessExitedAlreadyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The signals {@code signalProcess} accepts, by Twisted's names, and how each is sent: TERM and KILL through the
 * JDK's {@code destroy}/{@code destroyForcibly}, the others with the system's {@code kill -s NAME pid}. Reactor
 * thread.
 */
enum ChildSignal {
    TERM, KILL, INT, HUP, QUIT, USR1, USR2, STOP, CONT, ALRM, PIPE, WINCH;

    /** How long {@code kill} may take before the call fails. */
    private static final long KILL_TIMEOUT_SECONDS = 2;

    /**
     * The signal of a name.
     *
     * @throws IllegalArgumentException naming {@code signalName} if it is unknown
     */
    static ChildSignal named(String signalName) {
        if (signalName == null) {
            throw new NullPointerException("signalName must not be null");
        }
        for (ChildSignal s : values()) {
            if (s.name().equals(signalName)) {
                return s;
            }
        }
        throw new IllegalArgumentException("signalName '" + signalName + "' is not a signal Weft knows; use one of "
                + Arrays.toString(values()) + " (without SIG)");
    }

    /** Sends this signal to a live process. */
    void send(Process process) {
        switch (this) {
            case TERM -> process.destroy();
            case KILL -> process.destroyForcibly();
            default -> runKill(process);
        }
    }

    private void runKill(Process process) {
        String pid = Long.toString(process.pid());
        Process kill;
        try {
            kill = new ProcessBuilder("kill", "-s", name(), pid).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UnsupportedOperationException("signal " + name() + " needs the system's kill command, which "
                    + "cannot be run here: " + e.getMessage(), e);
        }
        try {
            kill.getOutputStream().close();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!kill.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -s " + name() + " " + pid + " did not finish within "
                        + KILL_TIMEOUT_SECONDS + " s");
            }
            if (kill.exitValue() != 0) {
                if (!process.isAlive()) {
                    throw new ProcessExitedAlreadyException("signal " + name() + ": process " + pid
                            + " has exited already");
                }
                throw new IllegalStateException("kill -s " + name() + " " + pid + " failed: "
                        + output.toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill -s " + name() + " " + pid + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + name() + " to process " + pid, e);
        }
    }
}
