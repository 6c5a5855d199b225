package dev.weft.bench.load;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The load harness: runs the same loads against the Weft example servers and their raw baselines, one server
 * process at a time, and prints one table of requests/s, latency and the server process's CPU time per request, each
 * with its ratio to raw Netty NIO on the same test. See {@code reactor-benchmarks/load.sh}, which builds what is
 * missing and runs this class.
 *
 * <p>Each server is a separate JVM (the same JVM options for all) or {@code redis-server}, on a free port the
 * harness picks. RESP servers get {@code redis-benchmark} runs ({@code -t} each test, {@code -P} each pipeline depth,
 * {@code -c} clients, {@code -n} requests) after one unmeasured warm-up run; echo servers get {@link EchoLoad} runs
 * (a separate JVM), after one unmeasured warm-up run. Around each measured run the harness reads the server's
 * utime + stime from {@code /proc/PID/stat}: server CPU per request is their difference over the requests of the run.
 * Since the load generator shares the machine's cores with the server, requests/s is usually bound by the client;
 * the CPU time per request is the figure to compare.
 */
public final class LoadHarness {

    private static final Set<String> VALUE_OPTIONS = Set.of("out", "examples-jar", "classpath", "servers",
            "tests", "pipelines", "clients", "requests-p1", "requests", "warmup-requests", "echo-messages",
            "echo-warmup", "echo-connections", "echo-size", "jvm-opts", "redis-benchmark", "redis-server", "logs",
            "rounds", "run-timeout", "server-cpus", "client-cpus");
    private static final Set<String> FLAGS = Set.of("quick", "no-resp", "no-echo", "help");

    /** Every server the harness knows, in the order of the table. */
    static final List<String> ALL_SERVERS = List.of("weft-untwisted", "weft-netty-nio", "weft-netty-epoll",
            "weft-netty-io_uring", "weft-coroutine-untwisted", "weft-coroutine-netty-nio", "weft-coroutine-netty-epoll",
            "weft-coroutine-cont-untwisted", "weft-coroutine-cont-netty-nio", "weft-coroutine-vloop-untwisted",
            "weft-coroutine-vloop-netty-nio", "weft-coroutine-vloop1-untwisted", "weft-coroutine-vloop1-netty-nio",
            "weft-coroutine-vloop1-netty-epoll", "raw-netty-nio", "raw-netty-epoll",
            "raw-netty-io_uring", "raw-nio", "vertx-eventloop", "vertx-virtual", "redis",
            "weft-untwisted-x2", "weft-netty-nio-x2", "weft-netty-epoll-x2", "raw-netty-nio-x2", "raw-netty-epoll-x2",
            "redis-io2", "weft-untwisted-x2-acceptor", "weft-netty-epoll-x2-acceptor");

    /** The servers that answer RESP; the others are echo servers only ({@code redis*} are the RESP-only ones). */
    private static final Set<String> RESP_SERVERS = Set.of("weft-untwisted", "weft-netty-nio", "weft-netty-epoll",
            "weft-netty-io_uring", "raw-netty-nio", "raw-netty-epoll", "raw-netty-io_uring", "raw-nio", "redis",
            "weft-untwisted-x2", "weft-netty-nio-x2", "weft-netty-epoll-x2", "raw-netty-nio-x2", "raw-netty-epoll-x2",
            "redis-io2", "weft-untwisted-x2-acceptor", "weft-netty-epoll-x2-acceptor");

    private Settings s;
    private final List<Measurement> results = new ArrayList<>();

    /** The harness's settings, from the command line. */
    record Settings(Path out, Path examplesJar, String classpath, List<String> servers, List<String> tests,
            List<Integer> pipelines, int clients, long requestsP1, long requests, long warmupRequests,
            long echoMessages, long echoWarmup, int echoConnections, int echoSize, List<String> jvmOpts,
            String redisBenchmark, String redisServer, Path logs, int rounds, long runTimeoutMs, boolean quick,
            boolean resp, boolean echo, String commandLine, String serverCpus, String clientCpus) {

        /** The same settings with the RESP part off. */
        Settings withoutResp() {
            return new Settings(out, examplesJar, classpath, servers, tests, pipelines, clients, requestsP1, requests,
                    warmupRequests, echoMessages, echoWarmup, echoConnections, echoSize, jvmOpts, redisBenchmark,
                    redisServer, logs, rounds, runTimeoutMs, quick, false, echo, commandLine, serverCpus, clientCpus);
        }
    }

    LoadHarness(Settings s) {
        this.s = s;
    }

    public static void main(String[] argv) {
        Settings s;
        try {
            s = settings(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (s == null) {
            System.out.println(usage());
            return;
        }
        int status;
        try {
            status = new LoadHarness(s).run();
        } catch (IOException e) {
            System.err.println("load: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    static String usage() {
        return String.join("\n",
                "usage: load.sh [--quick] [--out FILE.md] [options]",
                "  --quick                 a smoke run: small counts (the defaults below are for a full run)",
                "  --out FILE              also write the table as Markdown to FILE",
                "  --servers a,b,...       among " + String.join(",", ALL_SERVERS) + " (default: all present)",
                "  --tests a,b,...         redis-benchmark tests (default ping_inline,set,get)",
                "  --pipelines 1,16        redis-benchmark -P values (default 1,16)",
                "  --clients N             redis-benchmark -c (default 50)",
                "  --requests-p1 N         redis-benchmark -n for -P 1 (default 200000; quick 20000)",
                "  --requests N            redis-benchmark -n for deeper pipelines (default 2000000; quick 200000)",
                "  --warmup-requests N     unmeasured -P 16 warm-up per RESP server (default 1000000; quick 100000)",
                "  --echo-messages N       measured echo round trips (default 500000; quick 50000)",
                "  --echo-warmup N         unmeasured echo round trips per server (default 200000; quick 20000)",
                "  --echo-connections N    echo connections (default 50)",
                "  --echo-size B           echo message size (default 64)",
                "  --jvm-opts \"...\"        options of every server JVM (default \"-Xms512m -Xmx512m\")",
                "  --rounds R              run everything R times; the table shows medians (default 1)",
                "  --no-resp, --no-echo    skip a part",
                "  --examples-jar PATH     weft-examples.jar (default reactor-examples/target/weft-examples.jar)",
                "  --classpath CP          class path of the raw servers and EchoLoad (default: this JVM's)",
                "  --redis-benchmark PATH, --redis-server PATH   (default: found on PATH; redis-server is optional)",
                "  --logs DIR              server logs (default reactor-benchmarks/target/load-logs)",
                "  --run-timeout SECONDS   bound of one load run (default 300)",
                "  --server-cpus LIST      run each server under taskset -c LIST (e.g. 1, or 0,1 for the -x2 rows)",
                "  --client-cpus LIST      run redis-benchmark and EchoLoad under taskset -c LIST (e.g. 0)",
                "  servers ending in -x2 run on two threads (a Weft group of 2, raw Netty on 2 loops); the Weft group",
                "  shares its port with SO_REUSEPORT, or, in the -x2-acceptor rows, through one acceptor (weft.group.tcp);",
                "  redis-io2 is redis-server --io-threads 2 --io-threads-do-reads yes");
    }

    static Settings settings(String[] argv) {
        Args a = new Args(argv, VALUE_OPTIONS, FLAGS);
        if (a.flag("help")) {
            return null;
        }
        boolean quick = a.flag("quick");
        List<String> servers = list(a.string("servers", String.join(",", ALL_SERVERS)));
        for (String srv : servers) {
            if (!ALL_SERVERS.contains(srv)) {
                throw new IllegalArgumentException("unknown server '" + srv + "'; known: " + ALL_SERVERS);
            }
        }
        List<Integer> pipelines = new ArrayList<>();
        for (String p : list(a.string("pipelines", "1,16"))) {
            try {
                pipelines.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--pipelines takes numbers, got '" + p + "'");
            }
        }
        String out = a.string("out", null);
        return new Settings(
                out == null ? null : Path.of(out),
                Path.of(a.string("examples-jar", "reactor-examples/target/weft-examples.jar")),
                a.string("classpath", System.getProperty("java.class.path")),
                servers,
                list(a.string("tests", "ping_inline,set,get")),
                pipelines,
                a.integer("clients", 50, 1),
                a.number("requests-p1", quick ? 20_000 : 200_000, 1),
                a.number("requests", quick ? 200_000 : 2_000_000, 1),
                a.number("warmup-requests", quick ? 100_000 : 1_000_000, 0),
                a.number("echo-messages", quick ? 50_000 : 500_000, 1),
                a.number("echo-warmup", quick ? 20_000 : 200_000, 0),
                a.integer("echo-connections", 50, 1),
                a.integer("echo-size", 64, 1),
                Arrays.asList(a.string("jvm-opts", "-Xms512m -Xmx512m").trim().split("\\s+")),
                a.string("redis-benchmark", onPath("redis-benchmark")),
                a.string("redis-server", onPath("redis-server")),
                Path.of(a.string("logs", "reactor-benchmarks/target/load-logs")),
                a.integer("rounds", 1, 1),
                a.number("run-timeout", 300, 1) * 1000,
                quick,
                !a.flag("no-resp"),
                !a.flag("no-echo"),
                String.join(" ", argv),
                cpuList(a.string("server-cpus", null), "--server-cpus"),
                cpuList(a.string("client-cpus", null), "--client-cpus"));
    }

    /** A {@code taskset -c} CPU list (e.g. {@code 0}, {@code 0,1} or {@code 0-3}), checked, or null. */
    static String cpuList(String value, String option) {
        if (value == null) {
            return null;
        }
        if (!value.matches("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*")) {
            throw new IllegalArgumentException(option + " takes a CPU list for taskset -c, such as 0 or 0,1 or 0-3,"
                    + " got '" + value + "'");
        }
        return value;
    }

    /** {@code command} run under {@code taskset -c cpus} (which execs it: the process id stays the command's). */
    static List<String> pinned(List<String> command, String cpus) {
        if (cpus == null) {
            return command;
        }
        List<String> c = new ArrayList<>(List.of("taskset", "-c", cpus));
        c.addAll(command);
        return c;
    }

    private static List<String> list(String csv) {
        List<String> l = new ArrayList<>();
        for (String x : csv.split(",")) {
            if (!x.isBlank()) {
                l.add(x.trim());
            }
        }
        return l;
    }

    /** The absolute path of a program on PATH, or null. */
    static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath().toString();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ servers

    /** How to start one server: its command line (with its port), what it prints once listening, how to probe. */
    private record Launch(List<String> command, String marker, ServerProcess.Probe probe) {
    }

    private String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The {@code weft.group.tcp} option of a group row: {@code acceptor} for the rows ending in {@code -acceptor}
     * (member 0 accepts and deals the connections), else {@code auto} ({@code SO_REUSEPORT} on Linux).
     */
    private static String groupTcp(String server) {
        return "-Dweft.group.tcp=" + (server.endsWith("-acceptor") ? "acceptor" : "auto");
    }

    private List<String> jvm(String... more) {
        List<String> c = new ArrayList<>();
        c.add(java());
        c.addAll(s.jvmOpts());
        c.addAll(Arrays.asList(more));
        return c;
    }

    /**
     * Whether {@code server} serves {@code kind}: RESP is served by the Weft callback servers, the raw baselines and
     * redis; echo by every server but redis (the Weft coroutine servers and Vert.x serve echo only).
     */
    static boolean serves(String server, String kind) {
        return kind.equals("resp") ? RESP_SERVERS.contains(server) : !server.startsWith("redis");
    }

    /** The launch of {@code server} for {@code kind} (resp or echo) on {@code port}, or null if not applicable. */
    private Launch launch(String server, String kind, int port) {
        boolean resp = kind.equals("resp");
        ServerProcess.Probe probe = resp ? ServerProcess::respPing : ServerProcess::echoes;
        String jar = s.examplesJar().toString();
        String p = Integer.toString(port);
        List<String> cmd;
        switch (server) {
            case "weft-untwisted":
                cmd = jvm("-jar", jar, kind, "--port", p, "--backend", "untwisted");
                return new Launch(cmd, "listening", probe);
            case "weft-netty-nio":
                cmd = jvm("-Dweft.netty.transport=nio", "-jar", jar, kind, "--port", p, "--backend", "netty");
                return new Launch(cmd, "listening", probe);
            case "weft-netty-epoll":
                cmd = jvm("-Dweft.netty.transport=epoll", "-jar", jar, kind, "--port", p, "--backend", "netty");
                return new Launch(cmd, "listening", probe);
            case "weft-netty-io_uring":
                cmd = jvm("-Dweft.netty.transport=io_uring", "-jar", jar, kind, "--port", p, "--backend", "netty");
                return new Launch(cmd, "listening", probe);
            case "weft-coroutine-untwisted":
            case "weft-coroutine-netty-nio":
            case "weft-coroutine-netty-epoll":
            case "weft-coroutine-cont-untwisted":
            case "weft-coroutine-cont-netty-nio":
            case "weft-coroutine-vloop-untwisted":
            case "weft-coroutine-vloop-netty-nio":
            case "weft-coroutine-vloop1-untwisted":
            case "weft-coroutine-vloop1-netty-nio":
            case "weft-coroutine-vloop1-netty-epoll":
                return new Launch(coroutineServer(server, kind, p), "listening", probe);
            case "vertx-eventloop":
            case "vertx-virtual": {
                VertxEchoServer.Model model = server.equals("vertx-virtual") ? VertxEchoServer.Model.VIRTUAL_THREAD
                        : VertxEchoServer.Model.EVENT_LOOP;
                cmd = jvm("-cp", s.classpath(), VertxEchoServer.class.getName(), p, model.argument());
                return new Launch(cmd, "listening", probe);
            }
            case "raw-netty-nio":
            case "raw-netty-epoll":
            case "raw-netty-io_uring": {
                String main = resp ? RawNettyRespServer.class.getName() : RawNettyEchoServer.class.getName();
                String transport = server.substring("raw-netty-".length());
                cmd = jvm("-cp", s.classpath(), main, p, transport);
                return new Launch(cmd, "listening", probe);
            }
            case "raw-nio": {
                String main = resp ? RawNioRespServer.class.getName() : RawNioEchoServer.class.getName();
                return new Launch(jvm("-cp", s.classpath(), main, p), "listening", probe);
            }
            case "weft-untwisted-x2":
            case "weft-untwisted-x2-acceptor":
                cmd = jvm(groupTcp(server), "-jar", jar, kind, "--port", p, "--backend", "untwisted", "--reactors",
                        "2");
                return new Launch(cmd, "listening", probe);
            case "weft-netty-nio-x2":
            case "weft-netty-epoll-x2":
            case "weft-netty-epoll-x2-acceptor": {
                String transport = server.contains("epoll") ? "epoll" : "nio";
                cmd = jvm(groupTcp(server), "-Dweft.netty.transport=" + transport, "-jar", jar, kind, "--port", p,
                        "--backend", "netty", "--reactors", "2");
                return new Launch(cmd, "listening", probe);
            }
            case "raw-netty-nio-x2":
            case "raw-netty-epoll-x2": {
                String main = resp ? RawNettyRespServer.class.getName() : RawNettyEchoServer.class.getName();
                String transport = server.contains("epoll") ? "epoll" : "nio";
                cmd = jvm("-cp", s.classpath(), main, p, transport, "2");
                return new Launch(cmd, "listening", probe);
            }
            case "redis":
            case "redis-io2": {
                if (!resp) {
                    return null;
                }
                List<String> c = new ArrayList<>(List.of(s.redisServer(), "--port", p, "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
                        "--loglevel", "notice"));
                if (server.equals("redis-io2")) {
                    // Redis 6+: two I/O threads (the main one and one more); commands still run on the main thread.
                    c.addAll(List.of("--io-threads", "2", "--io-threads-do-reads", "yes"));
                }
                return new Launch(c, "Ready to accept connections", probe);
            }
            default:
                throw new IllegalArgumentException(server);
        }
    }

    /**
     * The command line of a Weft coroutine server: {@code weft-coroutine-[cont-|vloop-|vloop1-]BACKEND} runs the
     * examples jar's {@code KIND-coroutine} on BACKEND ({@code untwisted}, {@code netty-nio}, {@code netty-epoll});
     * with {@code cont-}, bodies run as continuations ({@code weft.coroutines=continuation} and the flag it needs,
     * JDK 21+) instead of on threads of their own (the default: virtual threads on JDK 21+); with {@code vloop-}, the
     * loop runs on a virtual thread too ({@code weft.loop.virtual=true}, JDK 21+), and with {@code vloop1-} on a
     * virtual-thread scheduler of one carrier ({@code -Djdk.virtualThreadScheduler.parallelism=1}) as well.
     */
    private List<String> coroutineServer(String server, String kind, String port) {
        String rest = server.substring("weft-coroutine-".length());
        List<String> opts = new ArrayList<>();
        if (rest.startsWith("cont-")) {
            rest = rest.substring("cont-".length());
            opts.add("-Dweft.coroutines=continuation");
            opts.add("--add-exports");
            opts.add("java.base/jdk.internal.vm=ALL-UNNAMED");
        } else if (rest.startsWith("vloop1-")) {
            rest = rest.substring("vloop1-".length());
            opts.add("-Dweft.loop.virtual=true");
            opts.add("-Djdk.virtualThreadScheduler.parallelism=1");
        } else if (rest.startsWith("vloop-")) {
            rest = rest.substring("vloop-".length());
            opts.add("-Dweft.loop.virtual=true");
        }
        String backend = rest;
        if (rest.startsWith("netty-")) {
            opts.add("-Dweft.netty.transport=" + rest.substring("netty-".length()));
            backend = "netty";
        }
        opts.addAll(List.of("-jar", s.examplesJar().toString(), kind + "-coroutine", "--port", port, "--backend",
                backend));
        return jvm(opts.toArray(new String[0]));
    }

    /** Why {@code server} cannot run here, or null when it can. */
    private String unavailable(String server) {
        if (server.contains("epoll") && !epollAvailable()) {
            return "epoll unavailable";
        }
        if (server.endsWith("io_uring") && !ioUringAvailable()) {
            return "io_uring unavailable";
        }
        if ((server.startsWith("weft-coroutine-cont-") || server.startsWith("weft-coroutine-vloop"))
                && Runtime.version().feature() < 21) {
            return "JDK 21+ needed"; // the server JVM is this JVM's java
        }
        if (server.equals("vertx-virtual")) {
            // the server JVM is this JVM's java
            String why = VertxEchoServer.Model.VIRTUAL_THREAD.unavailable();
            if (why != null) {
                return why;
            }
        }
        if (server.startsWith("redis") && s.redisServer() == null) {
            return "redis-server not installed";
        }
        if (server.startsWith("weft-") && !Files.isRegularFile(s.examplesJar())) {
            return "no " + s.examplesJar();
        }
        return null;
    }

    private static Boolean epoll;

    static synchronized boolean epollAvailable() {
        if (epoll == null) {
            boolean ok;
            try {
                NettyServers.quietLogging();
                ok = io.netty.channel.epoll.Epoll.isAvailable();
            } catch (LinkageError e) {
                ok = false;
            }
            epoll = ok;
        }
        return epoll;
    }

    private static Boolean ioUring;

    static synchronized boolean ioUringAvailable() {
        if (ioUring == null) {
            boolean ok;
            try {
                NettyServers.quietLogging();
                ok = io.netty.channel.uring.IoUring.isAvailable();
            } catch (LinkageError e) {
                ok = false;
            }
            ioUring = ok;
        }
        return ioUring;
    }

    // ------------------------------------------------------------------------------------------------ the run

    int run() throws IOException {
        if (s.resp() && s.redisBenchmark() == null) {
            if (!s.echo()) {
                throw new IOException("redis-benchmark not found on PATH (apt-get install redis-tools)");
            }
            log("redis-benchmark not found on PATH (apt-get install redis-tools): the RESP load is skipped");
            s = s.withoutResp();
        }
        Files.createDirectories(s.logs());
        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        String loadBefore = loadAverage();
        long t0 = System.nanoTime();
        List<List<Measurement>> rounds = new ArrayList<>();
        for (int r = 1; r <= s.rounds(); r++) {
            if (s.rounds() > 1) {
                log("round " + r + " of " + s.rounds());
            }
            results.clear();
            if (s.resp()) {
                for (String server : s.servers()) {
                    if (serves(server, "resp")) {
                        respServer(server, r);
                    }
                }
            }
            if (s.echo()) {
                for (String server : s.servers()) {
                    if (serves(server, "echo")) {
                        echoServer(server, r);
                    }
                }
            }
            rounds.add(new ArrayList<>(results));
        }
        List<Measurement> table = medians(rounds);
        double minutes = (System.nanoTime() - t0) / 60e9;
        ResultTable rt = new ResultTable(table);
        String env = environment(started, loadBefore, minutes);
        System.out.println();
        System.out.println(env);
        System.out.println(rt.text());
        if (s.out() != null) {
            Path out = s.out().toAbsolutePath();
            Files.createDirectories(out.getParent());
            Files.writeString(out, markdown(env, rt), StandardCharsets.UTF_8);
            log("wrote " + s.out());
        }
        for (Measurement m : table) {
            if (!m.ok() && !m.note().startsWith("skipped")) {
                return 1;
            }
        }
        return 0;
    }

    private void respServer(String server, int round) {
        List<String> tests = new ArrayList<>();
        for (int p : s.pipelines()) {
            for (String t : s.tests()) {
                tests.add(t.toUpperCase(Locale.ROOT) + " P" + p);
            }
        }
        String why = unavailable(server);
        if (why != null) {
            log(server + ": skipped (" + why + ")");
            for (String t : tests) {
                results.add(Measurement.failed(server, t, "skipped: " + why));
            }
            return;
        }
        int port = Ports.free();
        Launch l = launch(server, "resp", port);
        Path logFile = s.logs().resolve("resp-" + server + "-r" + round + ".log");
        log(server + ": starting RESP server on port " + port);
        try (ServerProcess srv = ServerProcess.start(server, pinned(l.command(), s.serverCpus()), logFile)) {
            srv.awaitReady(l.marker(), port, l.probe(), 10_000);
            if (s.warmupRequests() > 0) {
                log(server + ": warm-up, -P 16 -n " + s.warmupRequests());
                redisBenchmark(server, port, String.join(",", s.tests()), 16, s.warmupRequests(), "warmup-" + round);
            }
            for (int p : s.pipelines()) {
                long n = p == 1 ? s.requestsP1() : s.requests();
                for (String t : s.tests()) {
                    String test = t.toUpperCase(Locale.ROOT) + " P" + p;
                    results.add(measureResp(srv, server, port, t, p, n, test, round));
                }
            }
        } catch (IOException e) {
            log(server + ": " + e.getMessage());
            for (String t : tests) {
                if (results.stream().noneMatch(m -> m.server().equals(server) && m.test().equals(t))) {
                    results.add(Measurement.failed(server, t, "failed: " + firstLine(e.getMessage())));
                }
            }
        }
    }

    private Measurement measureResp(ServerProcess srv, String server, int port, String t, int p, long n,
            String test, int round) throws IOException {
        long before = ProcCpu.ticks(srv.pid());
        long w0 = System.nanoTime();
        Map<String, RedisBenchmarkCsv.Row> rows = redisBenchmark(server, port, t, p, n, t + "-P" + p + "-" + round);
        long wall = System.nanoTime() - w0;
        long after = ProcCpu.ticks(srv.pid());
        RedisBenchmarkCsv.Row row = rows.values().iterator().next();
        double cpuNs = ProcCpu.nanos(after - before);
        Measurement m = new Measurement(server, test, row.rps(), row.p50Ms(), row.p99Ms(), cpuNs / n,
                cpuNs / wall, null);
        log(String.format(Locale.ROOT, "%s: %-16s %,10.0f req/s  p50 %.3f ms  p99 %.3f ms  server CPU %,.0f ns/req"
                + " (%.0f%% of a core)", server, test, m.rps(), m.p50Ms(), m.p99Ms(), m.cpuNsPerReq(),
                m.cpuShare() * 100));
        return m;
    }

    private Map<String, RedisBenchmarkCsv.Row> redisBenchmark(String server, int port, String tests, int pipeline,
            long n, String tag) throws IOException {
        List<String> cmd = List.of(s.redisBenchmark(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-c", Integer.toString(s.clients()), "-n", Long.toString(n), "-P", Integer.toString(pipeline),
                "-t", tests, "--csv");
        Path logFile = s.logs().resolve("redis-benchmark-" + server + "-" + tag + ".log");
        try (ServerProcess rb = ServerProcess.start("redis-benchmark", pinned(cmd, s.clientCpus()), logFile)) {
            int status = rb.awaitExit(s.runTimeoutMs());
            String output = rb.output();
            if (status != 0) {
                throw new IOException("redis-benchmark exited with status " + status + ":\n" + rb.tail(10));
            }
            try {
                return RedisBenchmarkCsv.parse(output);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    private void echoServer(String server, int round) {
        String test = "echo " + s.echoSize() + "B c" + s.echoConnections();
        String why = unavailable(server);
        if (why != null) {
            log(server + ": skipped (" + why + ")");
            results.add(Measurement.failed(server, test, "skipped: " + why));
            return;
        }
        int port = Ports.free();
        Launch l = launch(server, "echo", port);
        Path logFile = s.logs().resolve("echo-" + server + "-r" + round + ".log");
        log(server + ": starting echo server on port " + port);
        try (ServerProcess srv = ServerProcess.start(server, pinned(l.command(), s.serverCpus()), logFile)) {
            srv.awaitReady(l.marker(), port, l.probe(), 10_000);
            if (s.echoWarmup() > 0) {
                log(server + ": warm-up, " + s.echoWarmup() + " round trips");
                echoLoad(server, port, s.echoWarmup(), 0, "warmup-" + round);
            }
            long clientWarmup = s.echoMessages() / 10;
            long before = ProcCpu.ticks(srv.pid());
            long w0 = System.nanoTime();
            EchoResult r = echoLoad(server, port, s.echoMessages(), clientWarmup, "run-" + round);
            long wall = System.nanoTime() - w0;
            long after = ProcCpu.ticks(srv.pid());
            double cpuNs = ProcCpu.nanos(after - before);
            // The server echoed the client's warm-up messages too, within the CPU time sampled.
            Measurement m = new Measurement(server, test, r.rate, r.p50Ms, r.p99Ms,
                    cpuNs / (s.echoMessages() + clientWarmup), cpuNs / wall, null);
            log(String.format(Locale.ROOT, "%s: %-16s %,10.0f msg/s  p50 %.3f ms  p99 %.3f ms  server CPU %,.0f"
                    + " ns/msg (%.0f%% of a core)", server, test, m.rps(), m.p50Ms(), m.p99Ms(), m.cpuNsPerReq(),
                    m.cpuShare() * 100));
            results.add(m);
        } catch (IOException e) {
            log(server + ": " + e.getMessage());
            results.add(Measurement.failed(server, test, "failed: " + firstLine(e.getMessage())));
        }
    }

    /** What an EchoLoad process printed on its RESULT line. */
    record EchoResult(double rate, double p50Ms, double p99Ms) {
    }

    private EchoResult echoLoad(String server, int port, long messages, long warmup, String tag) throws IOException {
        List<String> cmd = jvm("-cp", s.classpath(), EchoLoad.class.getName(), "--port", Integer.toString(port),
                "--connections", Integer.toString(s.echoConnections()), "--size", Integer.toString(s.echoSize()),
                "--messages", Long.toString(messages), "--warmup", Long.toString(warmup));
        Path logFile = s.logs().resolve("echo-load-" + server + "-" + tag + ".log");
        try (ServerProcess load = ServerProcess.start("echo-load", pinned(cmd, s.clientCpus()), logFile)) {
            int status = load.awaitExit(s.runTimeoutMs());
            if (status != 0) {
                throw new IOException("EchoLoad exited with status " + status + ":\n" + load.tail(10));
            }
            return parseEchoResult(load.output());
        }
    }

    static EchoResult parseEchoResult(String output) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                Map<String, String> kv = new LinkedHashMap<>();
                for (String f : line.substring(7).trim().split("\\s+")) {
                    int eq = f.indexOf('=');
                    if (eq > 0) {
                        kv.put(f.substring(0, eq), f.substring(eq + 1));
                    }
                }
                try {
                    return new EchoResult(Double.parseDouble(kv.get("rate")), Double.parseDouble(kv.get("p50_ms")),
                            Double.parseDouble(kv.get("p99_ms")));
                } catch (NullPointerException | NumberFormatException e) {
                    throw new IOException("bad RESULT line from EchoLoad: " + line);
                }
            }
        }
        throw new IOException("no RESULT line from EchoLoad:\n" + output);
    }

    // ------------------------------------------------------------------------------------------------ reporting

    /** Per server and test, the median of each figure over the rounds (the first round's order). */
    static List<Measurement> medians(List<List<Measurement>> rounds) {
        if (rounds.size() == 1) {
            return rounds.get(0);
        }
        List<Measurement> out = new ArrayList<>();
        for (Measurement first : rounds.get(0)) {
            List<Measurement> same = new ArrayList<>();
            for (List<Measurement> round : rounds) {
                for (Measurement m : round) {
                    if (m.ok() && m.server().equals(first.server()) && m.test().equals(first.test())) {
                        same.add(m);
                    }
                }
            }
            if (same.isEmpty()) {
                out.add(first);
                continue;
            }
            out.add(new Measurement(first.server(), first.test(),
                    median(same, Measurement::rps), median(same, Measurement::p50Ms),
                    median(same, Measurement::p99Ms), median(same, Measurement::cpuNsPerReq),
                    median(same, Measurement::cpuShare), null));
        }
        return out;
    }

    private static double median(List<Measurement> ms, java.util.function.ToDoubleFunction<Measurement> f) {
        double[] v = ms.stream().mapToDouble(f).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private String environment(String started, String loadBefore, double minutes) {
        StringBuilder sb = new StringBuilder();
        sb.append("Weft load harness").append(s.quick() ? " (--quick smoke run)" : "").append(", ").append(started)
                .append(String.format(Locale.ROOT, ", %.1f min", minutes)).append('\n');
        sb.append("machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
                .append(cpuModel()).append("; load average before: ").append(loadBefore).append('\n');
        sb.append("JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append("; server JVM options: ")
                .append(String.join(" ", s.jvmOpts())).append('\n');
        if (s.resp()) {
            sb.append("RESP: redis-benchmark -c ").append(s.clients()).append(" -t ").append(String.join(",", s.tests()))
                    .append(", -P ").append(s.pipelines()).append(", -n ").append(s.requestsP1()).append(" (P1) / ")
                    .append(s.requests()).append(" (deeper); warm-up -P 16 -n ").append(s.warmupRequests())
                    .append('\n');
        }
        if (s.echo()) {
            sb.append("echo: EchoLoad ").append(s.echoConnections()).append(" connections x ").append(s.echoSize())
                    .append(" B ping-pong, ").append(s.echoMessages()).append(" measured round trips (+")
                    .append(s.echoMessages() / 10).append(" client warm-up); server warm-up ")
                    .append(s.echoWarmup()).append('\n');
        }
        if (s.serverCpus() != null || s.clientCpus() != null) {
            sb.append("pinned with taskset -c: servers ").append(s.serverCpus() == null ? "not pinned" : s.serverCpus())
                    .append(", load generators ").append(s.clientCpus() == null ? "not pinned" : s.clientCpus())
                    .append('\n');
        }
        if (s.rounds() > 1) {
            sb.append("rounds: ").append(s.rounds()).append(" (medians)\n");
        }
        sb.append("server CPU = utime+stime of the server process (/proc/PID/stat, ").append(ProcCpu.ticksPerSecond())
                .append(" ticks/s) over the run; x = ratio to ").append(ResultTable.BASELINE)
                .append(" on the same test\n");
        double tick = ProcCpu.nanos(1);
        sb.append(String.format(Locale.ROOT, "CPU resolution: one tick (%.0f ms) is", tick / 1e6));
        if (s.resp()) {
            sb.append(String.format(Locale.ROOT, " %.0f ns/req at -n %d, %.0f ns/req at -n %d;",
                    tick / s.requests(), s.requests(), tick / s.requestsP1(), s.requestsP1()));
        }
        if (s.echo()) {
            sb.append(String.format(Locale.ROOT, " %.0f ns/msg for echo;",
                    tick / (s.echoMessages() + s.echoMessages() / 10)));
        }
        sb.setLength(sb.length() - 1);
        sb.append('\n');
        return sb.toString();
    }

    private String markdown(String env, ResultTable rt) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Weft load harness").append(s.quick() ? " (smoke run)" : "").append("\n\n");
        sb.append("Command: `bash reactor-benchmarks/load.sh").append(s.commandLine().isEmpty() ? "" : " ")
                .append(s.commandLine()).append("`\n\n");
        sb.append("```\n").append(env).append("```\n\n");
        sb.append(rt.markdown());
        return sb.toString();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown CPU";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void log(String msg) {
        System.err.println("load: " + msg);
    }
}
