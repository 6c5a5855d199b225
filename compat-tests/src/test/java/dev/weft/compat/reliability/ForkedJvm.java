package dev.weft.compat.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started by a reliability test (the parent), for what cannot be tested inside the test JVM: a process
 * out of file descriptors, a JVM that must exit on its own. The child runs a {@code main} of this package with the
 * test JVM's class path and talks to the parent in lines: it prints {@value ChildOut#PREFIX}{@code KEY k=v k=v ...}
 * on its standard output (mixed with its log, which goes to the same stream) and reads commands, one per line, on its
 * standard input.
 *
 * <p>Every wait is bounded and fails with the child's output so far; {@link #close()} kills a child that is still
 * alive. Used from the test thread only (a daemon thread reads the child's output).
 */
final class ForkedJvm implements AutoCloseable {
    /** The most lines of the child's output kept for failure messages. */
    private static final int TRANSCRIPT_LINES = 400;

    /** A line that ends the output queue: the child closed its standard output. */
    private static final String EOF = new String("<end of the child's output>");

    private final String what;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();
    private final long started = System.nanoTime();
    private boolean ended;

    private ForkedJvm(String what, Process process) {
        this.what = what;
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::pump, "forked-jvm-output[" + what + "]");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} in a new JVM with this JVM's class path.
     *
     * @param what       what the child does, for messages
     * @param fdLimit    the child's limit of open files ({@code ulimit -n}, set by {@code bash} before it execs the
     *                   JVM), or 0 to inherit this process's
     * @param jvmOptions options for the child JVM ({@code -D...}, {@code -X...})
     * @param main       the class whose {@code main} the child runs
     * @param args       its arguments
     * @return the running child
     * @throws IOException if it cannot be started
     */
    static ForkedJvm start(String what, int fdLimit, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException {
        return start(what, fdLimit, jvmOptions, Map.of(), main, args);
    }

    /**
     * Starts {@code main} in a new JVM with this JVM's class path and {@code env} added to its environment.
     *
     * @param what       what the child does, for messages
     * @param fdLimit    the child's limit of open files, or 0 to inherit this process's
     * @param jvmOptions options for the child JVM
     * @param env        variables set in the child's environment ({@code LC_ALL}, for instance)
     * @param main       the class whose {@code main} the child runs
     * @param args       its arguments
     * @return the running child
     * @throws IOException if it cannot be started
     */
    static ForkedJvm start(String what, int fdLimit, List<String> jvmOptions, Map<String, String> env,
            Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (fdLimit > 0) {
            // bash sets the limit and execs the JVM, which keeps the same process: no quoting of the class path,
            // the command is passed as bash's positional parameters.
            command.add("bash");
            command.add("-c");
            command.add("ulimit -n " + fdLimit + " && exec \"$@\"");
            command.add("bash");
        }
        command.add(javaBinary());
        // The forked JVMs of the suite: small heap, quick start, and the test JVM's Netty leak detection.
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        String leak = System.getProperty("io.netty.leakDetection.level");
        if (leak != null) {
            command.add("-Dio.netty.leakDetection.level=" + leak);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("WEFT_REACTOR");
        pb.environment().putAll(env);
        return new ForkedJvm(what, pb.start());
    }

    /**
     * The {@code java} launcher of this JVM.
     *
     * @return its path
     */
    static String javaBinary() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException(
                "cannot find the java launcher of this JVM (java.home " + System.getProperty("java.home") + ")"));
    }

    /**
     * This JVM's class path. Under Surefire it may be a "manifest-only" jar whose {@code Class-Path} lists the real
     * entries; the child's launcher reads that manifest the same way.
     *
     * @return the class path
     */
    static String classPath() {
        return System.getProperty("java.class.path");
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("<reading the child's output failed: " + e + ">");
        } finally {
            lines.add(EOF);
        }
    }

    private void keep(String line) {
        if (transcript.size() >= TRANSCRIPT_LINES) {
            transcript.remove(0);
        }
        transcript.add(line);
    }

    /**
     * Waits for the child's next line {@code @child KEY ...} and returns its fields; the lines in between (its log)
     * are kept for messages. Fails if the child prints {@code @child FAILED}, ends its output, or is silent on that
     * key for {@code timeout}.
     *
     * @param key     the key awaited
     * @param timeout how long to wait
     * @return the fields of that line ({@code k=v} pairs, in order; a value runs to the next space)
     * @throws InterruptedException if interrupted
     */
    Map<String, String> expect(String key, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = ended ? null : lines.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail(what + ": no line '" + ChildOut.PREFIX + key + "' from the child within " + timeout.toMillis()
                        + " ms (" + (ended ? "its output ended" : "it is " + (process.isAlive() ? "alive" : "dead"))
                        + "); its output:\n" + transcript());
            }
            if (line == EOF) {
                ended = true;
                continue;
            }
            keep(line);
            if (!line.startsWith(ChildOut.PREFIX)) {
                continue;
            }
            String rest = line.substring(ChildOut.PREFIX.length());
            String[] parts = rest.split(" ");
            if (parts[0].equals(ChildOut.FAILED)) {
                fail(what + ": the child failed: " + rest + "; its output:\n" + transcript());
            }
            if (parts[0].equals(key)) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 1; i < parts.length; i++) {
                    int eq = parts[i].indexOf('=');
                    if (eq > 0) {
                        fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                    }
                }
                return fields;
            }
        }
    }

    /**
     * Sends one command line to the child's standard input.
     *
     * @param command the command
     * @throws IOException if the child's input is closed
     */
    void send(String command) throws IOException {
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /**
     * Waits for the child to exit on its own and for the end of its output.
     *
     * @param timeout how long it may take
     * @return its exit status
     * @throws AssertionError if it is still alive after {@code timeout} (it is then killed)
     * @throws InterruptedException if interrupted
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            drain(Duration.ofMillis(200));
            process.destroyForcibly();
            fail(what + ": the child JVM did not exit on its own within " + timeout.toMillis()
                    + " ms (killed); its output:\n" + transcript());
        }
        drain(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /** Moves what the child printed into the transcript, until the end of its output or for at most {@code max}. */
    private void drain(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!ended) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                return;
            }
            if (line == EOF) {
                ended = true;
            } else {
                keep(line);
            }
        }
    }

    /**
     * Milliseconds since the child was started.
     *
     * @return the child's age
     */
    long millisSinceStart() {
        return Figures.millisSince(started);
    }

    /**
     * The child's last lines, for messages.
     *
     * @return the lines, one per line
     */
    String transcript() {
        return String.join("\n", transcript);
    }

    /**
     * Kills the child if it is still alive, and waits (bounded) for it to be gone. An interrupt cuts the wait short
     * and is kept (the thread stays interrupted): {@code close} throws no {@code InterruptedException}, which a
     * try-with-resources would have to handle.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // the child is gone
        }
    }

    @Override
    public String toString() {
        return "child JVM (" + what + ", pid " + process.pid() + ")";
    }
}
