package dev.weft.compat.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.net.Net;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The child JVM of {@link DescriptorExhaustionContractTest}, started under a low {@code ulimit -n}: an echo server on
 * a reactor of the variant named by its argument, which uses up its own file descriptors on command.
 *
 * <p>Commands (standard input), each run on the reactor thread: {@code EXHAUST} opens {@code /dev/null} until the
 * process is out of descriptors and keeps them; {@code FREE} closes them; {@code STOP} stops the reactor. Lines
 * (standard output, {@link ChildOut}): {@code LISTENING port=}, {@code LOST} at each {@code connectionLost} of the
 * server, {@code EXHAUSTED held=} once {@value #SETTLE_BEATS} heartbeats in a row found no descriptor freed (the
 * heartbeats take any that is, as long as the process is out of them); {@code ACCEPT_FAILED} once
 * an error about accepting a connection was logged after {@code EXHAUST}, and {@value #WINDOW_TICKS} heartbeats of
 * {@value #HEARTBEAT_SECONDS} s later {@code WINDOW} (the reactor thread's CPU time over that window, the heartbeats'
 * lateness, the log events so far: a loop that spins or floods the log shows there); {@code FREED}; after
 * {@code run()} returned, {@code RESULT} (connections served, the log events by kind, the accept errors logged with a
 * stack trace, how long the reactor ran from {@code LISTENING} on) and {@code DONE}.
 *
 * <p>While the process is out of descriptors, a class the JVM has not loaded yet cannot be read from a directory of
 * the class path (each class file needs a descriptor to be opened; a jar already open does not): every class of the
 * class path's directories is loaded at the start ({@link #preload()}), and the parent runs one echo round trip
 * before {@code EXHAUST}, so the jars the server's paths need are open.
 */
final class DescriptorExhaustionChild {
    /** The most descriptors {@code EXHAUST} opens: far more than the {@code ulimit -n} the parent sets. */
    static final int MAX_HELD = 100_000;
    static final double HEARTBEAT_SECONDS = 0.05;
    static final int WINDOW_TICKS = 20;
    /** How many heartbeats in a row must find no descriptor freed before the exhaustion is announced. */
    static final int SETTLE_BEATS = 4;
    static final Duration LIMIT = Duration.ofSeconds(60);

    private final Reactor reactor;
    private final ListAppender<ILoggingEvent> log;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Path devNull = Path.of("/dev/null");
    private final List<FileChannel> held = new ArrayList<>();
    private final int preloaded;
    private String exhaustError;
    private boolean settled;
    private int quietBeats;
    private int takenLate;
    private int accepted;
    private int lost;
    private long echoed;
    private boolean exhausted;
    private long exhaustedAt;
    private long exhaustedMillis;
    private int eventsBeforeExhaust;
    private boolean acceptFailed;
    private int windowTicks;
    private long windowWall0;
    private long windowCpu0;
    private double nextBeat;
    private double maxLateSeconds;
    private int eventsWhileExhausted;
    private long listeningAt;

    private DescriptorExhaustionChild(Reactor reactor, ListAppender<ILoggingEvent> log, int preloaded) {
        this.reactor = reactor;
        this.log = log;
        this.preloaded = preloaded;
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        CountDownLatch finished = new CountDownLatch(1);
        ChildOut.watchdog("the descriptor exhaustion child on " + name, LIMIT, finished);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        int preloaded = preload();
        BackendVariant v = ChildOut.variant(name);
        Reactor r = v.create();
        DescriptorExhaustionChild child = new DescriptorExhaustionChild(r, log, preloaded);
        r.callWhenRunning(child::listen);
        ChildOut.readCommands(line -> r.callFromThread(() -> child.command(line)));
        r.run();
        v.cleanup(r);
        child.report();
        finished.countDown();
    }

    /**
     * Loads (without initialising) every class of every directory of the class path: while no descriptor is left, a
     * class file could not be opened (a jar already open needs none). Surefire's class path holds this module's
     * {@code test-classes} and {@code classes}; the other modules come as jars when the build has packaged them, as
     * directories otherwise.
     *
     * @return how many classes were loaded
     * @throws IOException if a directory cannot be listed
     */
    private static int preload() throws IOException {
        ClassLoader loader = DescriptorExhaustionChild.class.getClassLoader();
        int loaded = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path dir = Path.of(entry);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> classes;
            try (Stream<Path> files = Files.walk(dir)) {
                classes = files.filter(f -> f.toString().endsWith(".class")).toList();
            }
            for (Path f : classes) {
                String name = dir.relativize(f).toString();
                name = name.substring(0, name.length() - ".class".length()).replace(File.separatorChar, '.');
                if (name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                try {
                    Class.forName(name, false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError e) {
                    // a class whose dependencies are not on this class path: the child does not use it
                }
            }
        }
        return loaded;
    }

    // ---------------------------------------------------------------- reactor thread

    private void listen() {
        Factory echo = new EchoFactory();
        int port = reactor.listenTCP(0, echo, 50, Net.LOOPBACK).getHost().getPort();
        listeningAt = System.nanoTime();
        // One refused connect first, as a server that has run a while has seen errors: the system's text of an error
        // (strerror, which Netty's native transport, and the JDK from 25 on, put in their exceptions) is then looked
        // up once while descriptors are there, so the C library has loaded its message catalog for a non-English
        // locale (it could not open it later, with no descriptor left, and would fall back to English).
        int closed;
        try {
            closed = Net.closedPort();
        } catch (IOException e) {
            ChildOut.failed("cannot find a closed port: " + e);
            return;
        }
        reactor.connectTCP(Net.LOOPBACK, closed, new ClientFactory() {
            @Override
            public void clientConnectionFailed(Connector connector, Throwable reason) {
                ChildOut.say("LISTENING", "port", port, "preloadedClasses", preloaded, "refused",
                        reason.getClass().getSimpleName());
            }
        });
    }

    private void command(String line) {
        switch (line) {
            case "EXHAUST" -> exhaust();
            case "FREE" -> free();
            case "STOP" -> reactor.stop();
            default -> ChildOut.failed("unknown command " + line);
        }
    }

    private void exhaust() {
        eventsBeforeExhaust = events();
        exhaustError = topUp();
        exhausted = true;
        exhaustedAt = System.nanoTime();
        nextBeat = reactor.seconds() + HEARTBEAT_SECONDS;
        reactor.callLater(HEARTBEAT_SECONDS, this::heartbeat);
    }

    /**
     * Opens {@code /dev/null} until the process is out of descriptors (or {@value #MAX_HELD} are held).
     *
     * @return the error that ended it
     */
    private String topUp() {
        while (held.size() < MAX_HELD) {
            try {
                held.add(FileChannel.open(devNull, StandardOpenOption.READ));
            } catch (IOException e) {
                return e.getMessage();
            }
        }
        return "none";
    }

    /**
     * Every {@value #HEARTBEAT_SECONDS} s while out of descriptors: takes any descriptor that was freed meanwhile (a
     * socket whose close the JDK deferred to the next select), and watches the log and the loop's timeliness.
     */
    private void heartbeat() {
        if (!exhausted) {
            return;
        }
        int before = held.size();
        topUp();
        int taken = held.size() - before;
        if (!settled) {
            // A socket closed just before EXHAUST may keep its descriptor until a later select: take it first.
            quietBeats = taken > 0 ? 0 : quietBeats + 1;
            settled = quietBeats >= SETTLE_BEATS;
            if (settled) {
                ChildOut.say("EXHAUSTED", "held", held.size(), "error", exhaustError, "locale",
                        String.valueOf(System.getenv("LC_ALL")));
            }
        } else {
            takenLate += taken;
        }
        double now = reactor.seconds();
        maxLateSeconds = Math.max(maxLateSeconds, now - nextBeat);
        nextBeat = now + HEARTBEAT_SECONDS;
        int events = events() - eventsBeforeExhaust;
        ILoggingEvent first = acceptFailed || !settled ? null : firstAcceptError(eventsBeforeExhaust);
        if (first != null) {
            acceptFailed = true;
            windowWall0 = System.nanoTime();
            windowCpu0 = threads.getCurrentThreadCpuTime();
            ChildOut.say("ACCEPT_FAILED", "events", events, "first", describe(first));
        } else if (acceptFailed && ++windowTicks == WINDOW_TICKS) {
            long wall = System.nanoTime() - windowWall0;
            long cpu = threads.getCurrentThreadCpuTime() - windowCpu0;
            ChildOut.say("WINDOW", "wallMs", wall / 1_000_000, "cpuMs", cpu / 1_000_000, "heartbeats", windowTicks,
                    "maxLateMs", (long) (maxLateSeconds * 1000), "events", events);
        }
        reactor.callLater(HEARTBEAT_SECONDS, this::heartbeat);
    }

    private void free() {
        int n = held.size();
        for (FileChannel c : held) {
            try {
                c.close();
            } catch (IOException e) {
                ChildOut.failed("closing a descriptor: " + e);
            }
        }
        held.clear();
        exhausted = false;
        exhaustedMillis = (System.nanoTime() - exhaustedAt) / 1_000_000;
        eventsWhileExhausted = events() - eventsBeforeExhaust;
        ChildOut.say("FREED", "closed", n, "exhaustedMs", exhaustedMillis, "events", eventsWhileExhausted,
                "maxLateMs", (long) (maxLateSeconds * 1000), "takenLate", takenLate);
    }

    private int events() {
        synchronized (log) {
            return log.list.size();
        }
    }

    /** The first error about accepting a connection logged at or after event {@code from}, or null. */
    private ILoggingEvent firstAcceptError(int from) {
        synchronized (log) {
            for (int i = from; i < log.list.size(); i++) {
                if (isAcceptError(log.list.get(i))) {
                    return log.list.get(i);
                }
            }
            return null;
        }
    }

    private static boolean isAcceptError(ILoggingEvent e) {
        return e.getLevel().isGreaterOrEqual(Level.ERROR) && e.getFormattedMessage().contains("accepting");
    }

    private static String describe(ILoggingEvent e) {
        IThrowableProxy t = e.getThrowableProxy();
        return (e.getLevel() + ":" + e.getFormattedMessage() + (t == null ? "" : ":" + t.getClassName() + ":"
                + t.getMessage())).replace(' ', '_');
    }

    /** A server protocol that echoes. */
    private final class Echo extends Protocol {
        @Override
        public void connectionMade() {
            accepted++;
        }

        @Override
        public void dataReceived(byte[] data) {
            echoed += data.length;
            transport.write(data);
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost++;
            ChildOut.say("LOST", "connections", lost, "reason", reason.getClass().getSimpleName());
        }
    }

    /** The server's factory. */
    private final class EchoFactory extends Factory {
        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            return new Echo();
        }
    }

    // ---------------------------------------------------------------- after run() returned

    private void report() {
        long runMillis = (System.nanoTime() - listeningAt) / 1_000_000;
        int acceptErrors = 0;
        int acceptStacks = 0;
        int otherErrors = 0;
        int warnings = 0;
        String firstOther = "none";
        synchronized (log) {
            for (ILoggingEvent e : log.list) {
                if (isAcceptError(e)) {
                    acceptErrors++;
                    if (e.getThrowableProxy() != null) {
                        acceptStacks++;
                    }
                } else if (e.getLevel().isGreaterOrEqual(Level.ERROR)) {
                    otherErrors++;
                    if (firstOther.equals("none")) {
                        firstOther = describe(e);
                    }
                } else {
                    warnings++;
                }
            }
        }
        ChildOut.say("RESULT", "accepted", accepted, "lost", lost, "echoed", echoed, "acceptErrors", acceptErrors,
                "acceptStacks", acceptStacks, "runMs", runMillis, "otherErrors", otherErrors, "warnings", warnings,
                "eventsWhileExhausted", eventsWhileExhausted,
                "exhaustedMs", exhaustedMillis, "firstOther", firstOther);
        ChildOut.say("DONE");
    }
}
