package dev.weft.compat.reliability;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.BackendVariants;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The child side of {@link ForkedJvm}: the lines a child JVM prints for its parent, the backend variant it runs, its
 * commands from standard input, and a watchdog that ends a child that hangs (after printing its threads) so the
 * parent's bounded wait sees why.
 */
final class ChildOut {
    /** What starts every line meant for the parent. */
    static final String PREFIX = "@child ";

    /** The key of a line that reports a failure of the child itself; the parent fails with it at once. */
    static final String FAILED = "FAILED";

    private ChildOut() {
    }

    /**
     * Prints {@code @child key k1=v1 k2=v2 ...}; values must not contain spaces.
     *
     * @param key        the key
     * @param keysValues alternating field names and values
     */
    static void say(String key, Object... keysValues) {
        StringBuilder b = new StringBuilder(PREFIX).append(key);
        for (int i = 0; i + 1 < keysValues.length; i += 2) {
            b.append(' ').append(keysValues[i]).append('=').append(String.valueOf(keysValues[i + 1])
                    .replace(' ', '_'));
        }
        synchronized (System.out) {
            System.out.println(b);
            System.out.flush();
        }
    }

    /**
     * Reports a failure of the child: the parent fails with this line.
     *
     * @param what what failed (spaces are replaced)
     */
    static void failed(String what) {
        say(FAILED, "what", what);
    }

    /**
     * The variant called {@code name}, as the parent's harness sees it.
     *
     * @param name the variant name
     * @return the variant
     * @throws IllegalArgumentException if there is none of that name, or it cannot run here
     */
    static BackendVariant variant(String name) {
        for (BackendVariant v : BackendVariants.all()) {
            if (v.name().equals(name)) {
                if (v.unavailableReason().isPresent()) {
                    throw new IllegalArgumentException("variant " + name + " cannot run here: "
                            + v.unavailableReason().get());
                }
                return v;
            }
        }
        throw new IllegalArgumentException("no backend variant named " + name + " on the class path");
    }

    /**
     * Starts a daemon thread that hands each line of standard input to {@code commands}, until its end.
     *
     * @param commands what to do with a line (called on the reading thread)
     */
    static void readCommands(Consumer<String> commands) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    commands.accept(line.trim());
                }
            } catch (IOException | RuntimeException e) {
                failed("reading commands: " + e);
            }
        }, "child-commands");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts a daemon watchdog: unless {@code done} opens within {@code limit}, it prints every thread's stack and
     * halts the JVM with status 3.
     *
     * @param what  what the child does, for the message
     * @param limit how long it may take
     * @param done  opened when the child has finished
     */
    static void watchdog(String what, Duration limit, CountDownLatch done) {
        Thread t = new Thread(() -> {
            try {
                if (done.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            failed(what + " did not finish within " + limit.toMillis() + " ms");
            System.out.println(threadDump());
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }, "child-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Every live thread with its stack, for messages.
     *
     * @return the dump
     */
    static String threadDump() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            b.append("thread '").append(t.getName()).append("'").append(t.isDaemon() ? " daemon" : "")
                    .append(' ').append(t.getState()).append('\n');
            for (StackTraceElement s : e.getValue()) {
                b.append("\tat ").append(s).append('\n');
            }
        }
        return b.toString();
    }
}
