package dev.weft.compat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.defer.Deferred;
import dev.weft.process.ProcessProtocol;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.Factory;
import dev.weft.protocol.InvalidAddressException;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import dev.weft.protocol.TLSTransport;
import dev.weft.protocol.basic.Int16StringReceiver;
import dev.weft.protocol.basic.Int32StringReceiver;
import dev.weft.protocol.basic.Int8StringReceiver;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.protocol.basic.NetstringReceiver;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.SystemEventTrigger;
import dev.weft.reactor.TriggerId;
import dev.weft.task.Cooperator;
import dev.weft.task.LoopingCall;
import dev.weft.task.Task;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Hostile input, the argument walk: every public method of the reactor, its transports, DelayedCalls and the
 * utilities that run on its clock refuses bad arguments at once (negative or out-of-range ports, null factories,
 * protocols and hosts, an empty host, negative or NaN sizes, timeouts, backlogs, packet sizes and delays) with a
 * message that names the argument, and a refused call leaves nothing behind: no port, no connection attempt, no
 * factory started, no descriptor, no DelayedCall. The walk runs before the reactor runs and again on its thread.
 */
final class ArgumentWalkContractTest {
    private static final int[] BAD_LISTEN_PORTS = {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE};
    private static final int[] BAD_DESTINATION_PORTS = {0, -1, 65536, Integer.MIN_VALUE};
    private static final int[] BAD_BACKLOGS = {0, -1, Integer.MIN_VALUE};
    private static final int[] BAD_PACKET_SIZES = {0, -1, 65536, Integer.MIN_VALUE};
    private static final double[] BAD_TIMEOUTS = {0, -1, -Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};
    private static final double[] BAD_DELAYS = {-1, -Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};
    private static final String[] FUNCTION = {"f", "callable", "function", "runnable", "task", "trigger"};

    /** Reactor methods whose every argument value is valid, with the reason. */
    private static final Map<String, String> REACTOR_NO_BAD_VALUE = Map.of(
            "removeReader(ReadDescriptor)", "removing a descriptor that is not watched (null included) does nothing,"
                    + " as in Twisted",
            "removeWriter(WriteDescriptor)", "removing a descriptor that is not watched (null included) does nothing,"
                    + " as in Twisted");

    /** A client factory that records whether the reactor used it. */
    private static final class SpyClientFactory extends ClientFactory {
        final List<String> events = new ArrayList<>();

        @Override
        public void startedConnecting(Connector connector) {
            events.add("startedConnecting");
        }

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            events.add("buildProtocol");
            return null;
        }

        @Override
        protected void startFactory() {
            events.add("startFactory");
        }
    }

    /** A server factory that records whether the reactor used it. */
    private static final class SpyFactory extends Factory {
        final List<String> events = new ArrayList<>();

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            events.add("buildProtocol");
            return null;
        }

        @Override
        protected void startFactory() {
            events.add("startFactory");
        }
    }

    /** A datagram protocol that records whether the reactor started it. */
    private static final class SpyDatagramProtocol extends DatagramProtocol {
        final List<String> events = new ArrayList<>();

        @Override
        public void startProtocol() {
            events.add("startProtocol");
        }
    }

    private static String sig(String name, Class<?>... types) {
        try {
            return ArgumentWalk.signature(Reactor.class.getMethod(name, types));
        } catch (NoSuchMethodException e) {
            throw new AssertionError("Reactor has no method " + name + Arrays.toString(types), e);
        }
    }

    /** Walks the overloads that stand for Twisted's keyword arguments (interface=, backlog=, timeout=, ...). */
    private static void walkKeywordOverloads(ArgumentWalk w, Reactor r, SpyFactory f, SpyClientFactory cf,
            SpyDatagramProtocol dp, SSLContext ssl) {
        String listenTCPIface = sig("listenTCP", int.class, Factory.class, String.class);
        String listenTCPBacklog = sig("listenTCP", int.class, Factory.class, int.class);
        String connectTCPTimeout = sig("connectTCP", String.class, int.class, ClientFactory.class, double.class);
        String connectTCPBind = sig("connectTCP", String.class, int.class, ClientFactory.class,
                InetSocketAddress.class);
        String listenUDPIface = sig("listenUDP", int.class, DatagramProtocol.class, String.class);
        String listenUDPSize = sig("listenUDP", int.class, DatagramProtocol.class, int.class);
        String listenSSLIface = sig("listenSSL", int.class, Factory.class, SSLContext.class, String.class);
        String listenSSLBacklog = sig("listenSSL", int.class, Factory.class, SSLContext.class, int.class);
        String connectSSLTimeout = sig("connectSSL", String.class, int.class, ClientFactory.class, SSLContext.class,
                double.class);
        String connectSSLBind = sig("connectSSL", String.class, int.class, ClientFactory.class, SSLContext.class,
                double.class, InetSocketAddress.class);
        String lo = Net.LOOPBACK;
        InetSocketAddress any = new InetSocketAddress(lo, 0);

        for (int p : BAD_LISTEN_PORTS) {
            w.refuses(listenTCPIface, "port " + p, IllegalArgumentException.class, () -> r.listenTCP(p, f, lo),
                    "port");
            w.refuses(listenTCPBacklog, "port " + p, IllegalArgumentException.class, () -> r.listenTCP(p, f, 50),
                    "port");
            w.refuses(listenUDPIface, "port " + p, IllegalArgumentException.class, () -> r.listenUDP(p, dp, lo),
                    "port");
            w.refuses(listenUDPSize, "port " + p, IllegalArgumentException.class, () -> r.listenUDP(p, dp, 8192),
                    "port");
            w.refuses(listenSSLIface, "port " + p, IllegalArgumentException.class,
                    () -> r.listenSSL(p, f, ssl, lo), "port");
            w.refuses(listenSSLBacklog, "port " + p, IllegalArgumentException.class,
                    () -> r.listenSSL(p, f, ssl, 50), "port");
        }
        for (int p : BAD_DESTINATION_PORTS) {
            w.refuses(connectTCPTimeout, "port " + p, IllegalArgumentException.class,
                    () -> r.connectTCP(lo, p, cf, 30.0), "port");
            w.refuses(connectTCPBind, "port " + p, IllegalArgumentException.class,
                    () -> r.connectTCP(lo, p, cf, any), "port");
            w.refuses(connectSSLTimeout, "port " + p, IllegalArgumentException.class,
                    () -> r.connectSSL(lo, p, cf, ssl, 30.0), "port");
            w.refuses(connectSSLBind, "port " + p, IllegalArgumentException.class,
                    () -> r.connectSSL(lo, p, cf, ssl, 30.0, any), "port");
        }
        w.refuses(listenTCPIface, "null iface", NullPointerException.class, () -> r.listenTCP(0, f, (String) null),
                "iface");
        w.refuses(listenTCPBacklog, "null factory", NullPointerException.class, () -> r.listenTCP(0, null, 50),
                "factory");
        w.refuses(listenUDPIface, "null iface", NullPointerException.class,
                () -> r.listenUDP(0, dp, (String) null), "iface");
        w.refuses(listenUDPSize, "null protocol", NullPointerException.class, () -> r.listenUDP(0, null, 8192),
                "protocol");
        w.refuses(listenSSLIface, "null context", NullPointerException.class, () -> r.listenSSL(0, f, null, lo),
                "context");
        w.refuses(listenSSLBacklog, "null factory", NullPointerException.class, () -> r.listenSSL(0, null, ssl, 50),
                "factory");
        w.refuses(connectTCPTimeout, "null host", NullPointerException.class, () -> r.connectTCP(null, 1, cf, 30.0),
                "host");
        w.refuses(connectTCPBind, "null factory", NullPointerException.class, () -> r.connectTCP(lo, 1, null, any),
                "factory");
        w.refuses(connectSSLTimeout, "null context", NullPointerException.class,
                () -> r.connectSSL(lo, 1, cf, null, 30.0), "context");
        w.refuses(connectSSLBind, "null host", NullPointerException.class,
                () -> r.connectSSL(null, 1, cf, ssl, 30.0, any), "host");
        for (int b : BAD_BACKLOGS) {
            w.refuses(listenTCPBacklog, "backlog " + b, IllegalArgumentException.class, () -> r.listenTCP(0, f, b),
                    "backlog");
            w.refuses(listenSSLBacklog, "backlog " + b, IllegalArgumentException.class,
                    () -> r.listenSSL(0, f, ssl, b), "backlog");
        }
        for (int size : BAD_PACKET_SIZES) {
            w.refuses(listenUDPSize, "maxPacketSize " + size, IllegalArgumentException.class,
                    () -> r.listenUDP(0, dp, size), "maxPacketSize");
        }
        for (double t : BAD_TIMEOUTS) {
            w.refuses(connectTCPTimeout, "timeoutSeconds " + t, IllegalArgumentException.class,
                    () -> r.connectTCP(lo, 1, cf, t), "timeoutSeconds", "timeout");
            w.refuses(connectSSLTimeout, "timeoutSeconds " + t, IllegalArgumentException.class,
                    () -> r.connectSSL(lo, 1, cf, ssl, t), "timeoutSeconds", "timeout");
            w.refuses(connectSSLBind, "timeoutSeconds " + t, IllegalArgumentException.class,
                    () -> r.connectSSL(lo, 1, cf, ssl, t, any), "timeoutSeconds", "timeout");
        }
    }

    /** Walks every reactor method with bad arguments. */
    private static void walkReactor(ArgumentWalk w, Reactor r, SpyFactory f, SpyClientFactory cf,
            SpyDatagramProtocol dp, SSLContext ssl) {
        String listenTCP = sig("listenTCP", int.class, Factory.class, int.class, String.class);
        String listenTCP2 = sig("listenTCP", int.class, Factory.class);
        String listenSSL = sig("listenSSL", int.class, Factory.class, SSLContext.class, int.class, String.class);
        String listenSSL3 = sig("listenSSL", int.class, Factory.class, SSLContext.class);
        String connectTCP = sig("connectTCP", String.class, int.class, ClientFactory.class, double.class,
                InetSocketAddress.class);
        String connectTCP3 = sig("connectTCP", String.class, int.class, ClientFactory.class);
        String connectSSL = sig("connectSSL", String.class, int.class, ClientFactory.class, SSLContext.class,
                boolean.class, double.class, InetSocketAddress.class);
        String connectSSL4 = sig("connectSSL", String.class, int.class, ClientFactory.class, SSLContext.class);
        String listenUDP = sig("listenUDP", int.class, DatagramProtocol.class, String.class, int.class);
        String listenUDP2 = sig("listenUDP", int.class, DatagramProtocol.class);
        String lo = Net.LOOPBACK;

        // Ports.
        for (int p : BAD_LISTEN_PORTS) {
            w.refuses(listenTCP, "port " + p, IllegalArgumentException.class, () -> r.listenTCP(p, f, 50, lo), "port");
            w.refuses(listenTCP2, "port " + p, IllegalArgumentException.class, () -> r.listenTCP(p, f), "port");
            w.refuses(listenSSL, "port " + p, IllegalArgumentException.class, () -> r.listenSSL(p, f, ssl, 50, lo),
                    "port");
            w.refuses(listenSSL3, "port " + p, IllegalArgumentException.class, () -> r.listenSSL(p, f, ssl),
                    "port");
            w.refuses(listenUDP, "port " + p, IllegalArgumentException.class, () -> r.listenUDP(p, dp, lo, 8192),
                    "port");
            w.refuses(listenUDP2, "port " + p, IllegalArgumentException.class, () -> r.listenUDP(p, dp), "port");
        }
        for (int p : BAD_DESTINATION_PORTS) {
            w.refuses(connectTCP, "port " + p, IllegalArgumentException.class,
                    () -> r.connectTCP(lo, p, cf, 30, null), "port");
            w.refuses(connectTCP3, "port " + p, IllegalArgumentException.class, () -> r.connectTCP(lo, p, cf),
                    "port");
            w.refuses(connectSSL, "port " + p, IllegalArgumentException.class,
                    () -> r.connectSSL(lo, p, cf, ssl, true, 30, null), "port");
            w.refuses(connectSSL4, "port " + p, IllegalArgumentException.class,
                    () -> r.connectSSL(lo, p, cf, ssl), "port");
        }
        // Null factories, protocols, contexts, interfaces.
        w.refuses(listenTCP, "null factory", NullPointerException.class, () -> r.listenTCP(0, null, 50, lo),
                "factory");
        w.refuses(listenTCP2, "null factory", NullPointerException.class, () -> r.listenTCP(0, null), "factory");
        w.refuses(listenTCP, "null iface", NullPointerException.class, () -> r.listenTCP(0, f, 50, null), "iface");
        w.refuses(listenSSL, "null factory", NullPointerException.class, () -> r.listenSSL(0, null, ssl, 50, lo),
                "factory");
        w.refuses(listenSSL3, "null factory", NullPointerException.class, () -> r.listenSSL(0, null, ssl),
                "factory");
        w.refuses(listenSSL, "null context", NullPointerException.class, () -> r.listenSSL(0, f, null, 50, lo),
                "context");
        w.refuses(listenSSL3, "null context", NullPointerException.class, () -> r.listenSSL(0, f, null),
                "context");
        w.refuses(listenSSL, "null iface", NullPointerException.class, () -> r.listenSSL(0, f, ssl, 50, null),
                "iface");
        w.refuses(connectTCP, "null factory", NullPointerException.class, () -> r.connectTCP(lo, 1, null, 30, null),
                "factory");
        w.refuses(connectTCP3, "null factory", NullPointerException.class, () -> r.connectTCP(lo, 1, null),
                "factory");
        w.refuses(connectSSL, "null factory", NullPointerException.class,
                () -> r.connectSSL(lo, 1, null, ssl, true, 30, null), "factory");
        w.refuses(connectSSL4, "null factory", NullPointerException.class, () -> r.connectSSL(lo, 1, null, ssl),
                "factory");
        w.refuses(connectSSL, "null context", NullPointerException.class,
                () -> r.connectSSL(lo, 1, cf, null, true, 30, null), "context");
        w.refuses(connectSSL4, "null context", NullPointerException.class, () -> r.connectSSL(lo, 1, cf, null),
                "context");
        w.refuses(listenUDP, "null protocol", NullPointerException.class, () -> r.listenUDP(0, null, lo, 8192),
                "protocol");
        w.refuses(listenUDP2, "null protocol", NullPointerException.class, () -> r.listenUDP(0, null), "protocol");
        w.refuses(listenUDP, "null iface", NullPointerException.class, () -> r.listenUDP(0, dp, null, 8192),
                "iface");
        // Hosts.
        w.refuses(connectTCP, "null host", NullPointerException.class, () -> r.connectTCP(null, 1, cf, 30, null),
                "host");
        w.refuses(connectTCP3, "null host", NullPointerException.class, () -> r.connectTCP(null, 1, cf), "host");
        w.refuses(connectSSL, "null host", NullPointerException.class,
                () -> r.connectSSL(null, 1, cf, ssl, true, 30, null), "host");
        w.refuses(connectSSL4, "null host", NullPointerException.class, () -> r.connectSSL(null, 1, cf, ssl),
                "host");
        w.refuses(connectTCP, "empty host", IllegalArgumentException.class, () -> r.connectTCP("", 1, cf, 30, null),
                "host");
        w.refuses(connectTCP3, "empty host", IllegalArgumentException.class, () -> r.connectTCP("", 1, cf), "host");
        w.refuses(connectSSL, "empty host", IllegalArgumentException.class,
                () -> r.connectSSL("", 1, cf, ssl, true, 30, null), "host");
        w.refuses(connectSSL4, "empty host", IllegalArgumentException.class, () -> r.connectSSL("", 1, cf, ssl),
                "host");
        // Sizes, backlogs, timeouts.
        for (int b : BAD_BACKLOGS) {
            w.refuses(listenTCP, "backlog " + b, IllegalArgumentException.class, () -> r.listenTCP(0, f, b, lo),
                    "backlog");
            w.refuses(listenSSL, "backlog " + b, IllegalArgumentException.class,
                    () -> r.listenSSL(0, f, ssl, b, lo), "backlog");
        }
        for (int size : BAD_PACKET_SIZES) {
            w.refuses(listenUDP, "maxPacketSize " + size, IllegalArgumentException.class,
                    () -> r.listenUDP(0, dp, lo, size), "maxPacketSize");
        }
        for (double t : BAD_TIMEOUTS) {
            w.refuses(connectTCP, "timeoutSeconds " + t, IllegalArgumentException.class,
                    () -> r.connectTCP(lo, 1, cf, t, null), "timeoutSeconds", "timeout");
            w.refuses(connectSSL, "timeoutSeconds " + t, IllegalArgumentException.class,
                    () -> r.connectSSL(lo, 1, cf, ssl, true, t, null), "timeoutSeconds", "timeout");
        }
        walkKeywordOverloads(w, r, f, cf, dp, ssl);
        // UNIX sockets.
        String listenUNIX = sig("listenUNIX", String.class, Factory.class, int.class, int.class, boolean.class);
        String listenUNIX2 = sig("listenUNIX", String.class, Factory.class);
        String connectUNIX = sig("connectUNIX", String.class, ClientFactory.class, double.class, boolean.class);
        String connectUNIX3 = sig("connectUNIX", String.class, ClientFactory.class, double.class);
        String connectUNIX2 = sig("connectUNIX", String.class, ClientFactory.class);
        String sock = "/tmp/weft-walk-never-bound.sock";
        String tooLong = "/tmp/" + "x".repeat(120);
        w.refuses(listenUNIX, "null path", NullPointerException.class,
                () -> r.listenUNIX(null, f, 50, 0666, false), "path");
        w.refuses(listenUNIX2, "empty path", IllegalArgumentException.class, () -> r.listenUNIX("", f), "path");
        w.refuses(listenUNIX2, "path over 107 bytes", IllegalArgumentException.class,
                () -> r.listenUNIX(tooLong, f), "path");
        w.refuses(listenUNIX, "null factory", NullPointerException.class,
                () -> r.listenUNIX(sock, null, 50, 0666, false), "factory");
        w.refuses(listenUNIX, "backlog 0", IllegalArgumentException.class,
                () -> r.listenUNIX(sock, f, 0, 0666, false), "backlog");
        w.refuses(listenUNIX, "mode 01000", IllegalArgumentException.class,
                () -> r.listenUNIX(sock, f, 50, 01000, false), "mode");
        w.refuses(connectUNIX, "null path", NullPointerException.class,
                () -> r.connectUNIX(null, cf, 30, false), "path");
        w.refuses(connectUNIX2, "empty path", IllegalArgumentException.class, () -> r.connectUNIX("", cf), "path");
        w.refuses(connectUNIX3, "timeoutSeconds 0", IllegalArgumentException.class,
                () -> r.connectUNIX(sock, cf, 0), "timeoutSeconds", "timeout");
        w.refuses(connectUNIX, "null factory", NullPointerException.class,
                () -> r.connectUNIX(sock, null, 30, false), "factory");
        for (int size : new int[] {0, -1, Integer.MIN_VALUE}) {
            w.refuses(sig("suggestThreadPoolSize", int.class), "size " + size, IllegalArgumentException.class,
                    () -> r.suggestThreadPoolSize(size), "size");
        }
        // Time.
        String callLater = sig("callLater", double.class, Runnable.class);
        String callLaterDuration = sig("callLater", Duration.class, Runnable.class);
        for (double d : BAD_DELAYS) {
            w.refuses(callLater, "delay " + d, IllegalArgumentException.class, () -> r.callLater(d, () -> { }),
                    "delaySeconds", "delay");
            w.refuses(sig("iterate", double.class), "delay " + d, IllegalArgumentException.class,
                    () -> r.iterate(d), "delaySeconds", "delay");
        }
        w.refuses(callLater, "null function", NullPointerException.class, () -> r.callLater(1, null), FUNCTION);
        w.refuses(callLaterDuration, "a negative Duration", IllegalArgumentException.class,
                () -> r.callLater(Duration.ofNanos(-1), () -> { }), "delay");
        w.refuses(callLaterDuration, "a null Duration", NullPointerException.class,
                () -> r.callLater((Duration) null, () -> { }), "delay");
        w.refuses(callLaterDuration, "null function", NullPointerException.class,
                () -> r.callLater(Duration.ofSeconds(1), null), FUNCTION);
        // Threads.
        w.refuses(sig("callFromThread", Runnable.class), "null", NullPointerException.class,
                () -> r.callFromThread(null), FUNCTION);
        w.refuses(sig("callInThread", Runnable.class), "null", NullPointerException.class,
                () -> r.callInThread(null), FUNCTION);
        w.refuses(sig("deferToThread", java.util.concurrent.Callable.class), "null", NullPointerException.class,
                () -> r.deferToThread(null), FUNCTION);
        w.refuses(sig("blockingCallFromThread", java.util.concurrent.Callable.class), "null",
                NullPointerException.class, () -> r.blockingCallFromThread(null), FUNCTION);
        // Lifecycle and system events.
        w.refuses(sig("callWhenRunning", Runnable.class), "null", NullPointerException.class,
                () -> r.callWhenRunning(null), FUNCTION);
        w.refuses(sig("runUntil", Deferred.class), "null", NullPointerException.class, () -> r.runUntil(null),
                "d", "deferred");
        String addTrigger = sig("addSystemEventTrigger", Phase.class, String.class, SystemEventTrigger.class);
        String addRunnable = sig("addSystemEventTrigger", Phase.class, String.class, Runnable.class);
        SystemEventTrigger trigger = () -> null;
        w.refuses(addTrigger, "null phase", NullPointerException.class,
                () -> r.addSystemEventTrigger(null, "x", trigger), "phase");
        w.refuses(addTrigger, "null event", NullPointerException.class,
                () -> r.addSystemEventTrigger(Phase.DURING, null, trigger), "event");
        w.refuses(addTrigger, "null trigger", NullPointerException.class,
                () -> r.addSystemEventTrigger(Phase.DURING, "x", (SystemEventTrigger) null), "trigger");
        w.refuses(addRunnable, "null phase", NullPointerException.class,
                () -> r.addSystemEventTrigger(null, "x", () -> { }), "phase");
        w.refuses(addRunnable, "null event", NullPointerException.class,
                () -> r.addSystemEventTrigger(Phase.DURING, null, () -> { }), "event");
        w.refuses(addRunnable, "null trigger", NullPointerException.class,
                () -> r.addSystemEventTrigger(Phase.DURING, "x", (Runnable) null), "trigger");
        w.refuses(sig("removeSystemEventTrigger", TriggerId.class), "null", NullPointerException.class,
                () -> r.removeSystemEventTrigger(null), "id");
        w.refuses(sig("fireSystemEvent", String.class), "null", NullPointerException.class,
                () -> r.fireSystemEvent(null), "event");
        // Descriptors.
        w.refuses(sig("addReader", dev.weft.reactor.ReadDescriptor.class), "null", NullPointerException.class,
                () -> r.addReader(null), "reader", "descriptor");
        w.refuses(sig("addWriter", dev.weft.reactor.WriteDescriptor.class), "null", NullPointerException.class,
                () -> r.addWriter(null), "writer", "descriptor");
        // Processes: a refused spawn starts no child and calls nothing on its protocol.
        String spawn = sig("spawnProcess", ProcessProtocol.class, String.class, List.class, Map.class,
                java.nio.file.Path.class);
        String spawn3 = sig("spawnProcess", ProcessProtocol.class, String.class, List.class);
        ProcessProtocol pp = new ProcessProtocol() {
            @Override
            public void connectionMade() {
                throw new AssertionError("a refused spawnProcess must not connect its protocol");
            }
        };
        List<String> sh = List.of("sh", "-c", "exit 0");
        w.refuses(spawn, "null protocol", NullPointerException.class,
                () -> r.spawnProcess(null, "/bin/sh", sh, null, null), "protocol");
        w.refuses(spawn, "null executable", NullPointerException.class,
                () -> r.spawnProcess(pp, null, sh, null, null), "executable");
        w.refuses(spawn, "empty executable", IllegalArgumentException.class,
                () -> r.spawnProcess(pp, " ", sh, null, null), "executable");
        w.refuses(spawn, "missing executable", IllegalArgumentException.class,
                () -> r.spawnProcess(pp, "/no/such/weft-program", sh, null, null), "executable");
        w.refuses(spawn, "null args", NullPointerException.class,
                () -> r.spawnProcess(pp, "/bin/sh", null, null, null), "args");
        w.refuses(spawn, "env name with '='", IllegalArgumentException.class,
                () -> r.spawnProcess(pp, "/bin/sh", sh, Map.of("A=B", "c"), null), "env");
        w.refuses(spawn, "missing working directory", IllegalArgumentException.class,
                () -> r.spawnProcess(pp, "/bin/sh", sh, null, java.nio.file.Path.of("/no/such/weft-dir")), "path");
        w.refuses(spawn3, "null protocol", NullPointerException.class,
                () -> r.spawnProcess(null, "/bin/sh", sh), "protocol");
        w.refuses(spawn3, "empty executable", IllegalArgumentException.class,
                () -> r.spawnProcess(pp, "", sh), "executable");
    }

    private static void assertNothingLeftBehind(Net net, SpyFactory f, SpyClientFactory cf, SpyDatagramProtocol dp,
            Leaks.Snapshot before) throws Exception {
        assertEquals(List.of(), f.events, "a refused listen must not start or use its factory");
        assertEquals(0, f.numPorts(), "a refused listen must not count its factory as used");
        assertEquals(List.of(), cf.events, "a refused connect must not start or use its factory");
        assertEquals(0, cf.numPorts(), "a refused connect must not count its factory as used");
        assertEquals(List.of(), dp.events, "a refused listenUDP must not start its protocol");
        net.passes(2);
        Leaks.Snapshot after = Leaks.take(net);
        assertEquals(before.resources(), after.resources(), "refused calls opened resources: " + after);
        assertEquals(before.readers(), after.readers(), "refused calls added readers: " + after);
        assertEquals(before.writers(), after.writers(), "refused calls added writers: " + after);
        assertEquals(before.delayedCalls(), after.delayedCalls(), "refused calls scheduled DelayedCalls: " + after);
    }

    @ContractTest
    void everyReactorMethodRefusesBadArgumentsNamingThemBeforeRunAndOnTheReactorThread(ReactorHarness h,
            BackendVariant v) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            SSLContext ssl = SSLContext.getDefault();
            SpyFactory f = new SpyFactory();
            SpyClientFactory cf = new SpyClientFactory();
            SpyDatagramProtocol dp = new SpyDatagramProtocol();

            ArgumentWalk before = new ArgumentWalk("before run()");
            walkReactor(before, r, f, cf, dp, ssl);
            before.assertClean();
            before.assertCovers(Reactor.class, REACTOR_NO_BAD_VALUE);

            net.passes(1);
            Leaks.Snapshot start = Leaks.take(net);
            ArgumentWalk running = new ArgumentWalk("on the reactor thread");
            net.run(() -> walkReactor(running, r, f, cf, dp, ssl));
            running.assertClean();
            assertNothingLeftBehind(net, f, cf, dp, start);
            Figures.record(v, "argument walk of Reactor", "%d bad calls over %d methods before run(), %d on the "
                    + "reactor thread: all refused, naming the argument", before.calls(), before.walked().size(),
                    running.calls());
        }
    }

    @ContractTest
    void delayedCallsRefuseBadDelays(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            ArgumentWalk w = new ArgumentWalk("on the reactor thread");
            double[] time = new double[2];
            net.run(() -> {
                DelayedCall c = r.callLater(10, () -> { });
                time[0] = c.getTime();
                for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    w.refuses("delay(double)", "" + d, IllegalArgumentException.class, () -> c.delay(d),
                            "secondsLater", "seconds", "delay");
                }
                for (double d : BAD_DELAYS) {
                    w.refuses("reset(double)", "" + d, IllegalArgumentException.class, () -> c.reset(d),
                            "secondsFromNow", "seconds", "delay");
                }
                time[1] = c.getTime();
                c.cancel();
            });
            w.assertClean();
            w.assertCovers(DelayedCall.class, Map.of());
            assertEquals(time[0], time[1], "a refused delay or reset must not move the call");
        }
    }

    @ContractTest
    void tcpTransportsRefuseBadArgumentsAndStayUsable(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory echo = RecordingFactory.echo(net);
            ListeningPort port = net.listen(echo);
            Recorder client = net.connect(port, new Recorder(net, "client"));
            ArgumentWalk w = new ArgumentWalk("on the reactor thread");
            PushProducer push = new PushProducer() {
                @Override
                public void pauseProducing() {
                }

                @Override
                public void resumeProducing() {
                }

                @Override
                public void stopProducing() {
                }
            };
            PullProducer pull = new PullProducer() {
                @Override
                public void resumeProducing() {
                }

                @Override
                public void stopProducing() {
                }
            };
            net.run(() -> {
                TLSTransport t = (TLSTransport) client.transport();
                w.refuses("write(byte[])", "null", NullPointerException.class, () -> t.write(null), "data");
                w.refuses("writeSequence(List)", "null", NullPointerException.class, () -> t.writeSequence(null),
                        "data");
                w.refuses("writeSequence(List)", "a null element", NullPointerException.class,
                        () -> t.writeSequence(Arrays.asList(new byte[] {1}, null)), "data");
                w.refuses("registerProducer(Producer, boolean)", "null", NullPointerException.class,
                        () -> t.registerProducer(null, true), "producer");
                w.refuses("registerProducer(Producer, boolean)", "a pull producer as streaming",
                        IllegalArgumentException.class, () -> t.registerProducer(pull, true), "producer");
                w.refuses("registerProducer(Producer, boolean)", "a push producer as not streaming",
                        IllegalArgumentException.class, () -> t.registerProducer(push, false), "producer");
                w.refuses("startTLS(SSLContext, boolean)", "null context", NullPointerException.class,
                        () -> t.startTLS(null, true), "context");
            });
            w.assertClean();
            w.assertCovers(TLSTransport.class, Map.of(
                    "setTcpNoDelay(boolean)", "both values are valid",
                    "setTcpKeepAlive(boolean)", "both values are valid"));
            // Nothing was written, registered or started: the connection echoes, and takes a producer.
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            net.run(() -> {
                client.transport().writeSequence(List.of(ping));
                client.transport().registerProducer(push, true);
                client.transport().unregisterProducer();
            });
            net.await("the echo after the refused calls", () -> client.received() == ping.length, client::describe);
            assertEquals("ping", client.text());
        }
    }

    @ContractTest
    void udpPortsRefuseBadArgumentsAndStayUsable(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            List<String> got = new ArrayList<>();
            DatagramProtocol p = new DatagramProtocol() {
                @Override
                public void datagramReceived(byte[] data, InetSocketAddress address) {
                    got.add(new String(data, StandardCharsets.US_ASCII));
                    net.poke();
                }
            };
            DatagramTransport port = net.call(() -> r.listenUDP(0, p, Net.LOOPBACK, 512));
            InetSocketAddress self = port.getHost();
            ArgumentWalk w = new ArgumentWalk("on the reactor thread");
            net.run(() -> {
                String write2 = "write(byte[], InetSocketAddress)";
                w.refuses(write2, "null data", NullPointerException.class, () -> port.write(null, self), "data");
                w.refuses(write2, "null address", NullPointerException.class,
                        () -> port.write(new byte[1], null), "address");
                w.refuses(write2, "an unresolved address", InvalidAddressException.class,
                        () -> port.write(new byte[1], InetSocketAddress.createUnresolved("no-such-host.invalid", 9)),
                        "address");
                w.refuses(write2, "513 bytes on a port of maxPacketSize 512", IllegalArgumentException.class,
                        () -> port.write(new byte[513], self), "data");
                w.refuses("write(byte[])", "null data", NullPointerException.class, () -> port.write(null), "data");
                String connect = "connect(String, int)";
                w.refuses(connect, "null host", NullPointerException.class, () -> port.connect(null, 9), "host");
                w.refuses(connect, "a host name", InvalidAddressException.class, () -> port.connect("localhost", 9),
                        "host");
                w.refuses(connect, "an empty host", InvalidAddressException.class, () -> port.connect("", 9), "host");
                for (int bad : BAD_DESTINATION_PORTS) {
                    w.refuses(connect, "port " + bad, InvalidAddressException.class,
                            () -> port.connect(Net.LOOPBACK, bad), "port");
                }
            });
            w.assertClean();
            w.assertCovers(DatagramTransport.class, Map.of("setBroadcastAllowed(boolean)", "both values are valid"));
            // Still unconnected and open: a datagram to itself arrives.
            net.run(() -> port.write("after".getBytes(StandardCharsets.US_ASCII), self));
            net.await("the datagram sent after the refused calls", () -> !got.isEmpty(), got::toString);
            assertEquals(List.of("after"), got);
        }
    }

    @ContractTest
    void utilitiesOnTheReactorClockRefuseBadArgumentsAndScheduleNothing(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            ArgumentWalk w = new ArgumentWalk("on the reactor thread");
            int[] scheduled = new int[1];
            net.run(() -> {
                for (double d : BAD_DELAYS) {
                    w.refuses("Deferred.addTimeout(double, ReactorTime)", "seconds " + d,
                            IllegalArgumentException.class, () -> new Deferred<>().addTimeout(d, r), "seconds");
                    w.refuses("Task.deferLater(ReactorTime, double, Runnable)", "delay " + d,
                            IllegalArgumentException.class, () -> Task.deferLater(r, d, () -> { }), "delay");
                    w.refuses("Task.deferLater(ReactorTime, double)", "delay " + d,
                            IllegalArgumentException.class, () -> Task.deferLater(r, d), "delay");
                    w.refuses("LoopingCall.start(double)", "interval " + d, IllegalArgumentException.class,
                            () -> new LoopingCall(r, () -> { }).start(d), "interval");
                    w.refuses("LoopingCall.start(double, boolean)", "interval " + d, IllegalArgumentException.class,
                            () -> new LoopingCall(r, () -> { }).start(d, false), "interval");
                    w.refuses("Cooperator(ReactorTime, double)", "sliceSeconds " + d,
                            IllegalArgumentException.class, () -> new Cooperator(r, d), "sliceSeconds", "slice");
                }
                w.refuses("Deferred.addTimeout(double, ReactorTime)", "null clock", NullPointerException.class,
                        () -> new Deferred<>().addTimeout(1, null), "clock");
                w.refuses("Task.deferLater(ReactorTime, double, Runnable)", "null clock", NullPointerException.class,
                        () -> Task.deferLater(null, 1, () -> { }), "clock");
                w.refuses("Task.deferLater(ReactorTime, double, Runnable)", "null function",
                        NullPointerException.class, () -> Task.deferLater(r, 1, (Runnable) null), FUNCTION);
                w.refuses("LoopingCall(ReactorTime, Runnable)", "null clock", NullPointerException.class,
                        () -> new LoopingCall(null, () -> { }), "clock");
                w.refuses("LoopingCall(ReactorTime, Runnable)", "null function", NullPointerException.class,
                        () -> new LoopingCall(r, null), FUNCTION);
                w.refuses("Cooperator(ReactorTime)", "null clock", NullPointerException.class,
                        () -> new Cooperator(null), "clock");
                w.refuses("Cooperator.cooperate(Iterator)", "null", NullPointerException.class,
                        () -> new Cooperator(r).cooperate(null), "iterator");
                scheduled[0] = r.getDelayedCalls().size();
            });
            w.assertClean();
            assertEquals(0, scheduled[0], "a refused call must schedule nothing on the reactor");
        }
    }

    @ContractTest
    void framingReceiversRefuseBadLimitsAndDelimiters(ReactorHarness h) {
        ArgumentWalk w = new ArgumentWalk("on the test thread");
        List<dev.weft.protocol.basic.FramingReceiver> receivers = List.of(
                new LineReceiver() {
                    @Override
                    protected void lineReceived(byte[] line) {
                    }
                },
                new Int8StringReceiver() {
                    @Override
                    protected void stringReceived(byte[] data) {
                    }
                },
                new Int16StringReceiver() {
                    @Override
                    protected void stringReceived(byte[] data) {
                    }
                },
                new Int32StringReceiver() {
                    @Override
                    protected void stringReceived(byte[] data) {
                    }
                },
                new NetstringReceiver() {
                    @Override
                    protected void stringReceived(byte[] data) {
                    }
                });
        for (var receiver : receivers) {
            int limit = receiver.getMaxLength();
            for (int bad : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                w.refuses(receiver.getClass().getSuperclass().getSimpleName() + ".setMaxLength(int)", "" + bad,
                        IllegalArgumentException.class, () -> receiver.setMaxLength(bad), "maxLength");
            }
            assertEquals(limit, receiver.getMaxLength(), "a refused limit must not change the limit");
            w.refuses(receiver.getClass().getSuperclass().getSimpleName() + ".dataReceived(byte[])", "null",
                    NullPointerException.class, () -> receiver.dataReceived(null), "data");
        }
        LineReceiver lines = (LineReceiver) receivers.get(0);
        w.refuses("LineReceiver.setDelimiter(byte[])", "null", NullPointerException.class,
                () -> lines.setDelimiter(null), "delimiter");
        w.refuses("LineReceiver.setDelimiter(byte[])", "an empty delimiter", IllegalArgumentException.class,
                () -> lines.setDelimiter(new byte[0]), "delimiter");
        w.assertClean();
    }
}
