package dev.weft.bench.soak;

import dev.weft.bench.jmh.BenchSupport;
import dev.weft.netty.NettyReactor;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.ReactorConfig;
import dev.weft.untwisted.UntwistedReactor;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A soak: a mixed load on one Weft reactor for a fixed time ({@link SoakLoad}: an echo server and client connections
 * opening and closing without pause, timers scheduled, delayed, cancelled and fired, {@code callFromThread} from two
 * threads, {@code deferToThread} tasks), then a drain, and a report of the heap after GC, the RSS and the open file
 * descriptors at the start and at the end, the counts, the errors seen, and the checks of {@link SoakReport}.
 *
 * <pre>
 * java -cp reactor-benchmarks/target/weft-benchmarks.jar dev.weft.bench.soak.Soak
 *     [--backend untwisted|netty|netty-epoll] [--seconds 60] [--out FILE] [--seed 1] [--progress 10]
 * </pre>
 *
 * {@code netty} is the Netty backend on its NIO transport, {@code netty-epoll} on its native epoll transport
 * ({@code NettyReactor.create(config, "epoll")}). The report is printed, and appended to {@code --out} when given.
 * Exit status: 0 when every check passed, 1 when one failed, 2 on a bad option, 3 when the backend cannot run here
 * (netty-epoll where Netty's native epoll does not load). {@code reactor-benchmarks/soak.sh} runs it on each
 * backend.
 */
public final class Soak {

    /** The backends it knows. */
    static final List<String> BACKENDS = List.of("untwisted", "netty", "netty-epoll");
    /** The exit status when the backend asked for cannot run here (netty-epoll where epoll does not load). */
    static final int SKIPPED = 3;
    /** The longest the drain may take, in seconds. */
    static final long DRAIN_SECONDS = 30;
    /** The longest the reactor may take to start, answer a question or stop, in seconds. */
    static final long REACTOR_SECONDS = 30;

    private Soak() {
    }

    /** What a run is asked to do. */
    static final class Options {
        String backend = "untwisted";
        double seconds = 60;
        Path out;
        long seed = 1;
        double progressSeconds = 10;

        /**
         * Parses the command line.
         *
         * @param args the arguments
         * @return the options
         * @throws IllegalArgumentException on an unknown option or a bad value, naming it
         */
        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value"
                            : "unknown argument '" + a + "'");
                }
                String v = args[++i];
                switch (a) {
                    case "--backend":
                        if (!BACKENDS.contains(v)) {
                            throw new IllegalArgumentException("--backend must be one of " + BACKENDS + ", not '"
                                    + v + "'");
                        }
                        o.backend = v;
                        break;
                    case "--seconds":
                        o.seconds = positive(a, v);
                        break;
                    case "--out":
                        o.out = Paths.get(v);
                        break;
                    case "--seed":
                        try {
                            o.seed = Long.parseLong(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--seed must be an integer, not '" + v + "'");
                        }
                        break;
                    case "--progress":
                        o.progressSeconds = positive(a, v);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            return o;
        }

        private static double positive(String name, String v) {
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number of seconds, not '" + v + "'");
            }
            if (!(d > 0) || d > 86_400) {
                throw new IllegalArgumentException(name + " must be more than 0 and at most 86400, not " + v);
            }
            return d;
        }
    }

    /**
     * Runs the soak and exits with its status.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        String usage = "usage: Soak [--backend " + String.join("|", BACKENDS) + "] [--seconds 60] [--out FILE] "
                + "[--seed 1] [--progress 10]";
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(usage);
            System.exit(0);
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return;
        }
        BenchSupport.quietLogging(); // before Netty's first class logs its start-up at DEBUG
        if (o.backend.equals("netty-epoll") && !Epoll.isAvailable()) {
            System.out.println("soak: netty-epoll skipped: Netty's native epoll transport does not load here ("
                    + Epoll.unavailabilityCause() + ")");
            System.exit(SKIPPED);
            return;
        }
        int status;
        try {
            SoakReport report = run(o);
            String text = report.format();
            System.out.print(text);
            if (o.out != null) {
                Files.writeString(o.out, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            status = report.passed() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("soak: " + e);
            e.printStackTrace();
            status = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs the soak in this JVM and returns its report (the unit test calls this).
     *
     * @param o the options
     * @return the report; {@link SoakReport#passed()} tells whether every check passed
     * @throws InterruptedException if interrupted
     * @throws IllegalStateException if the reactor does not start or answer within {@value #REACTOR_SECONDS} s
     */
    static SoakReport run(Options o) throws InterruptedException {
        BenchSupport.quietLogging();
        SoakReport report = new SoakReport();
        report.backend = o.backend;
        report.plannedSeconds = o.seconds;
        report.seed = o.seed;
        try (LogCounter log = LogCounter.attach()) {
            Reactor reactor = createReactor(o.backend);
            SoakLoad load = new SoakLoad(reactor, o.seed);
            load.listen();
            CountDownLatch running = new CountDownLatch(1);
            reactor.callWhenRunning(running::countDown);
            Thread loop = new Thread(() -> {
                try {
                    reactor.run();
                } catch (Throwable t) {
                    load.error("run() threw " + t);
                }
            }, "soak-reactor");
            loop.start();
            if (!running.await(REACTOR_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the reactor did not start within " + REACTOR_SECONDS + " s");
            }
            report.resourcesStart = onReactor(reactor, load::resources);
            report.start = ProcStats.measure();

            long t0 = System.nanoTime();
            reactor.callFromThread(load::start);
            load.startCallers();
            long end = t0 + (long) (o.seconds * 1e9);
            long progressNanos = (long) (o.progressSeconds * 1e9);
            long nextProgress = t0 + progressNanos;
            while (System.nanoTime() < end) {
                // The wait is the soak's duration; joining the loop thread ends it early if the reactor stops.
                long wait = Math.min(end, nextProgress) - System.nanoTime();
                if (wait > 0) {
                    loop.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                }
                if (!loop.isAlive()) {
                    load.error("the reactor stopped during the soak");
                    break;
                }
                if (System.nanoTime() >= nextProgress && nextProgress < end) {
                    System.out.println(progress(o.backend, (System.nanoTime() - t0) / 1e9,
                            onReactor(reactor, load::snapshot), load.errorCount() + log.errors()));
                    nextProgress += progressNanos;
                }
            }
            report.ranSeconds = (System.nanoTime() - t0) / 1e9;

            load.stopCallers(10);
            long d0 = System.nanoTime();
            if (loop.isAlive()) {
                reactor.callFromThread(load::drain);
                report.drained = load.drained.await(DRAIN_SECONDS, TimeUnit.SECONDS);
            }
            report.drainSeconds = report.drained ? (System.nanoTime() - d0) / 1e9 : DRAIN_SECONDS;
            if (loop.isAlive()) {
                if (!report.drained) {
                    report.undrained = onReactor(reactor, load::unfinished);
                }
                report.counts = onReactor(reactor, load::snapshot);
                report.resourcesEnd = onReactor(reactor, load::resources);
            }
            report.end = ProcStats.measure();

            reactor.callFromThread(() -> {
                try {
                    reactor.stop();
                } catch (ReactorNotRunningException stoppingAlready) {
                    // nothing to do
                }
            });
            loop.join(TimeUnit.SECONDS.toMillis(REACTOR_SECONDS));
            if (loop.isAlive()) {
                load.error("the reactor did not stop within " + REACTOR_SECONDS + " s");
            }
            report.errorCount = load.errorCount() + log.errors();
            List<String> errors = new ArrayList<>(load.errors());
            errors.addAll(log.firstErrors());
            report.firstErrors = errors;
            report.warnings = log.warnings();
        }
        return report;
    }

    /**
     * A reactor of the backend {@code name}, configured from the environment ({@code weft.*} properties).
     *
     * @param name one of {@link #BACKENDS}
     * @return a new reactor
     * @throws IllegalArgumentException for an unknown name, or epoll where it does not load
     */
    static Reactor createReactor(String name) {
        ReactorConfig config = ReactorConfig.fromEnvironment();
        switch (name) {
            case "untwisted":
                return new UntwistedReactor(config);
            case "netty":
                return NettyReactor.create(config, "nio");
            case "netty-epoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalArgumentException("Netty's native epoll transport does not load here: "
                            + Epoll.unavailabilityCause());
                }
                return NettyReactor.create(config, "epoll");
            default:
                throw new IllegalArgumentException("unknown backend '" + name + "'; known: " + BACKENDS);
        }
    }

    /** Runs {@code question} on the reactor thread and returns its answer, waiting at most REACTOR_SECONDS. */
    private static <T> T onReactor(Reactor reactor, Supplier<T> question) throws InterruptedException {
        CompletableFuture<T> answer = new CompletableFuture<>();
        reactor.callFromThread(() -> {
            try {
                answer.complete(question.get());
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        try {
            return answer.get(REACTOR_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a question to the reactor failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the reactor did not answer within " + REACTOR_SECONDS + " s", e);
        }
    }

    private static String progress(String backend, double at, SoakCounts c, long errors) {
        return String.format(Locale.ROOT, "[soak %s] %.0f s: %,d connections, %,d bytes echoed, timers %,d fired "
                + "%,d cancelled, %,d thread calls, %,d tasks; heap used %s MB, RSS %s MB, %d fds, %d threads; "
                + "errors %d", backend, at, c.connected, c.bytesVerified, c.timersFired, c.timersCancelled,
                c.threadCallsRun, c.deferSucceeded + c.deferFailedAsExpected, SoakReport.mb(ProcStats.heapUsed()),
                SoakReport.mb(ProcStats.rssBytes()), ProcStats.openFds(), ProcStats.threadCount(), errors);
    }
}
