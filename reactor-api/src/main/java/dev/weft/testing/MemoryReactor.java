package dev.weft.testing;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.FileDescriptor;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorAlreadyRunningException;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorFDSet;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.ReactorSSL;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.ReactorUDP;
import dev.weft.reactor.internal.NetChecks;
import dev.weft.reactor.ReadDescriptor;
import dev.weft.reactor.SystemEventTrigger;
import dev.weft.reactor.TriggerId;
import dev.weft.reactor.WriteDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * A reactor that does no I/O and records what it is asked to do, for unit tests (Twisted's {@code MemoryReactor}).
 *
 * <p>{@code listenTCP}, {@code listenSSL} and {@code listenUDP} record their arguments ({@link #tcpServers()},
 * {@link #sslServers()}, {@link #udpServers()}) and return ports that bind nothing. {@code connectTCP} and
 * {@code connectSSL} record theirs ({@link #tcpClients()}, {@link #sslClients()}), call the factory's
 * {@code startedConnecting} and return a {@link MemoryConnector} that never completes by itself: the test completes
 * or fails the attempt. Unlike Twisted's, {@code listenUDP} attaches the protocol to its port
 * ({@code makeConnection}), so that what the protocol sends is recorded.
 *
 * <p>Lifecycle: {@link #run()} runs the startup triggers and returns at once (there is no loop); {@link #stop()}
 * runs the shutdown triggers; Deferreds returned by {@code BEFORE} triggers are not waited for. Descriptors are
 * recorded, never polled. For time, use {@link MemoryReactorClock}.
 *
 * <p>Extensible ({@link MemoryReactorClock} adds a clock). Not thread-safe; use it on one thread (the test's).
 */
public class MemoryReactor implements ReactorCore, ReactorFDSet, ReactorTCP, ReactorUDP, ReactorSSL {

    /**
     * A {@code listenTCP} call.
     *
     * @param port    the port
     * @param factory the factory
     * @param backlog the backlog
     * @param iface   the interface
     */
    public record TcpServer(int port, Factory factory, int backlog, String iface) {
    }

    /**
     * A {@code connectTCP} call.
     *
     * @param host           the host
     * @param port           the port
     * @param factory        the factory
     * @param timeoutSeconds the timeout
     * @param bindAddress    the bind address, or null
     * @param connector      the connector returned
     */
    public record TcpClient(String host, int port, ClientFactory factory, double timeoutSeconds,
            InetSocketAddress bindAddress, MemoryConnector connector) {
    }

    /**
     * A {@code listenUDP} call.
     *
     * @param port          the port
     * @param protocol      the protocol
     * @param iface         the interface
     * @param maxPacketSize the maximum packet size
     * @param transport     the port returned
     */
    public record UdpServer(int port, DatagramProtocol protocol, String iface, int maxPacketSize,
            MemoryDatagramTransport transport) {
    }

    /**
     * A {@code listenSSL} call.
     *
     * @param port    the port
     * @param factory the factory
     * @param context the TLS context
     * @param backlog the backlog
     * @param iface   the interface
     */
    public record SslServer(int port, Factory factory, SSLContext context, int backlog, String iface) {
    }

    /**
     * A {@code connectSSL} call.
     *
     * @param host           the host
     * @param port           the port
     * @param factory        the factory
     * @param context        the TLS context
     * @param verifyHostname whether the host name is verified
     * @param timeoutSeconds the timeout
     * @param bindAddress    the bind address, or null
     * @param connector      the connector returned
     */
    public record SslClient(String host, int port, ClientFactory factory, SSLContext context, boolean verifyHostname,
            double timeoutSeconds, InetSocketAddress bindAddress, MemoryConnector connector) {
    }

    private static final class Trigger {
        final TriggerId id;
        final SystemEventTrigger f;

        Trigger(TriggerId id, SystemEventTrigger f) {
            this.id = id;
            this.f = f;
        }
    }

    private final List<TcpServer> tcpServers = new ArrayList<>();
    private final List<TcpClient> tcpClients = new ArrayList<>();
    private final List<UdpServer> udpServers = new ArrayList<>();
    private final List<SslServer> sslServers = new ArrayList<>();
    private final List<SslClient> sslClients = new ArrayList<>();
    private final List<MemoryConnector> connectors = new ArrayList<>();
    private final List<MemoryListeningPort> ports = new ArrayList<>();
    private final Set<ReadDescriptor> readers = new LinkedHashSet<>();
    private final Set<WriteDescriptor> writers = new LinkedHashSet<>();
    private final Map<String, Map<Phase, List<Trigger>>> triggers = new LinkedHashMap<>();
    private boolean running;
    private boolean hasRun;
    private boolean hasStopped;
    private boolean hasCrashed;

    /** Creates a reactor that has recorded nothing. */
    public MemoryReactor() {
    }

    // ---------------------------------------------------------------- ReactorCore

    /**
     * Runs the startup triggers ({@code BEFORE}, then {@code DURING} with {@link #isRunning()} true, then
     * {@code AFTER}) and returns; there is no loop.
     *
     * @throws ReactorAlreadyRunningException if running
     */
    @Override
    public void run() {
        if (running) {
            throw new ReactorAlreadyRunningException("the reactor is already running");
        }
        hasRun = true;
        fire(STARTUP, () -> running = true);
    }

    /**
     * Records the stop and runs the shutdown triggers; {@link #isRunning()} becomes false before {@code DURING}.
     *
     * @throws ReactorNotRunningException if not running
     */
    @Override
    public void stop() {
        if (!running) {
            throw new ReactorNotRunningException("the reactor is not running");
        }
        hasStopped = true;
        fire(SHUTDOWN, () -> running = false);
    }

    /** Records the crash; the reactor is no longer running. No trigger runs. */
    @Override
    public void crash() {
        hasCrashed = true;
        running = false;
    }

    /**
     * Does nothing here (there is no I/O); {@link MemoryReactorClock} runs the calls that are due.
     *
     * @param delaySeconds ignored, but checked: finite and not negative
     * @throws IllegalArgumentException if {@code delaySeconds} is negative, NaN or infinite
     */
    @Override
    public void iterate(double delaySeconds) {
        if (!(delaySeconds >= 0) || Double.isInfinite(delaySeconds)) {
            throw new IllegalArgumentException("delaySeconds must be finite and not negative, got " + delaySeconds);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public TriggerId callWhenRunning(Runnable f) {
        Objects.requireNonNull(f, "f must not be null");
        if (running) {
            f.run();
            return null;
        }
        return addSystemEventTrigger(Phase.AFTER, STARTUP, f);
    }

    @Override
    public TriggerId addSystemEventTrigger(Phase phase, String event, SystemEventTrigger trigger) {
        Objects.requireNonNull(phase, "phase must not be null");
        Objects.requireNonNull(event, "event must not be null");
        Objects.requireNonNull(trigger, "trigger must not be null");
        TriggerId id = new TriggerId(phase, event);
        triggers.computeIfAbsent(event, e -> new LinkedHashMap<>())
                .computeIfAbsent(phase, p -> new ArrayList<>())
                .add(new Trigger(id, trigger));
        return id;
    }

    @Override
    public TriggerId addSystemEventTrigger(Phase phase, String event, Runnable trigger) {
        Objects.requireNonNull(trigger, "trigger must not be null");
        return addSystemEventTrigger(phase, event, () -> {
            trigger.run();
            return null;
        });
    }

    @Override
    public void removeSystemEventTrigger(TriggerId id) {
        Objects.requireNonNull(id, "id must not be null");
        List<Trigger> list = triggers.getOrDefault(id.event(), Map.of()).get(id.phase());
        if (list == null || !list.removeIf(t -> t.id == id)) {
            throw new IllegalArgumentException("no such trigger: " + id);
        }
    }

    /**
     * Runs the event's triggers, phase by phase, each once, on the calling thread. An exception from a trigger
     * propagates at once (tests should see it).
     *
     * @param event the event name
     */
    @Override
    public void fireSystemEvent(String event) {
        Objects.requireNonNull(event, "event must not be null");
        fire(event, () -> { });
    }

    private void fire(String event, Runnable beforeDuring) {
        Map<Phase, List<Trigger>> phases = triggers.remove(event);
        runPhase(phases, Phase.BEFORE);
        beforeDuring.run();
        runPhase(phases, Phase.DURING);
        runPhase(phases, Phase.AFTER);
    }

    private static void runPhase(Map<Phase, List<Trigger>> phases, Phase phase) {
        if (phases == null) {
            return;
        }
        List<Trigger> list = phases.get(phase);
        while (list != null && !list.isEmpty()) {
            Trigger t = list.remove(0);
            try {
                t.f.fire();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("system event trigger failed", e);
            }
        }
    }

    /**
     * Returns the result of {@code d} if it has fired, or throws its failure. A {@code MemoryReactor} has no loop
     * to wait in; {@link MemoryReactorClock} moves its clock instead.
     *
     * @param d   the Deferred
     * @param <T> the result type
     * @return its result
     * @throws Exception             its failure
     * @throws IllegalStateException if it has not fired
     */
    @Override
    public <T> T runUntil(Deferred<T> d) throws Exception {
        Objects.requireNonNull(d, "d must not be null");
        Outcome<T> outcome = Outcome.of(d);
        if (!outcome.done) {
            throw new IllegalStateException("the Deferred has not fired, and a MemoryReactor cannot wait: " + d);
        }
        return outcome.get();
    }

    /** What a Deferred fired with, captured by {@link #of(Deferred)}. */
    static final class Outcome<T> {
        boolean done;
        T result;
        Throwable failure;

        static <T> Outcome<T> of(Deferred<T> d) {
            Outcome<T> o = new Outcome<>();
            d.addCallbacks(r -> {
                o.done = true;
                o.result = r;
                return r;
            }, f -> {
                o.done = true;
                o.failure = f;
                return null;
            });
            return o;
        }

        T get() throws Exception {
            if (failure instanceof Exception e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result;
        }
    }

    /**
     * Whether {@link #run()} was called.
     *
     * @return whether the reactor ran
     */
    public boolean hasRun() {
        return hasRun;
    }

    /**
     * Whether {@link #stop()} was called successfully.
     *
     * @return whether the reactor stopped
     */
    public boolean hasStopped() {
        return hasStopped;
    }

    /**
     * Whether {@link #crash()} was called.
     *
     * @return whether the reactor crashed
     */
    public boolean hasCrashed() {
        return hasCrashed;
    }

    // ---------------------------------------------------------------- ReactorFDSet

    @Override
    public void addReader(ReadDescriptor reader) {
        readers.add(Objects.requireNonNull(reader, "reader must not be null"));
    }

    @Override
    public void addWriter(WriteDescriptor writer) {
        writers.add(Objects.requireNonNull(writer, "writer must not be null"));
    }

    @Override
    public void removeReader(ReadDescriptor reader) {
        readers.remove(reader);
    }

    @Override
    public void removeWriter(WriteDescriptor writer) {
        writers.remove(writer);
    }

    @Override
    public List<FileDescriptor> removeAll() {
        Set<FileDescriptor> all = new LinkedHashSet<>(readers);
        all.addAll(writers);
        readers.clear();
        writers.clear();
        return new ArrayList<>(all);
    }

    @Override
    public List<ReadDescriptor> getReaders() {
        return new ArrayList<>(readers);
    }

    @Override
    public List<WriteDescriptor> getWriters() {
        return new ArrayList<>(writers);
    }

    // ---------------------------------------------------------------- TCP, SSL, UDP

    /**
     * Records the call and returns a port that binds nothing; its host is {@code iface:port} ({@code 0.0.0.0}
     * for every interface). The factory's {@code doStart()} is not called (no connection will come).
     */
    @Override
    public ListeningPort listenTCP(int port, Factory factory, int backlog, String iface) {
        NetChecks.listen(port, factory, backlog, iface);
        tcpServers.add(new TcpServer(port, factory, backlog, iface));
        return port(new MemoryListeningPort(localAddress(iface, port)));
    }

    /**
     * Records the call, calls {@code factory.startedConnecting(connector)} and returns that connector, which never
     * completes by itself.
     */
    @Override
    public Connector connectTCP(String host, int port, ClientFactory factory, double timeoutSeconds,
            InetSocketAddress bindAddress) {
        MemoryConnector c = newConnector(host, port, factory, timeoutSeconds, bindAddress);
        tcpClients.add(new TcpClient(host, port, factory, timeoutSeconds, bindAddress, c));
        factory.startedConnecting(c);
        return c;
    }

    /** Records the call and returns a port that binds nothing. */
    @Override
    public ListeningPort listenSSL(int port, Factory factory, SSLContext context, int backlog, String iface) {
        NetChecks.listen(port, factory, backlog, iface);
        Objects.requireNonNull(context, "context must not be null");
        sslServers.add(new SslServer(port, factory, context, backlog, iface));
        return port(new MemoryListeningPort(localAddress(iface, port)));
    }

    /** Records the call, calls {@code factory.startedConnecting(connector)} and returns that connector. */
    @Override
    public Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context,
            boolean verifyHostname, double timeoutSeconds, InetSocketAddress bindAddress) {
        Objects.requireNonNull(context, "context must not be null");
        MemoryConnector c = newConnector(host, port, factory, timeoutSeconds, bindAddress);
        sslClients.add(new SslClient(host, port, factory, context, verifyHostname, timeoutSeconds, bindAddress, c));
        factory.startedConnecting(c);
        return c;
    }

    /**
     * Records the call, and attaches {@code protocol} to a {@link MemoryDatagramTransport} (its
     * {@code makeConnection}, hence {@code startProtocol}), which records what is written.
     */
    @Override
    public DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        NetChecks.listenUdp(port, protocol, iface, maxPacketSize);
        MemoryDatagramTransport t = new MemoryDatagramTransport(localAddress(iface, port), protocol, maxPacketSize);
        udpServers.add(new UdpServer(port, protocol, iface, maxPacketSize, t));
        protocol.makeConnection(t);
        return t;
    }

    private MemoryListeningPort port(MemoryListeningPort p) {
        ports.add(p);
        return p;
    }

    /**
     * The ports (TCP, SSL, UDP) not yet stopped, and the connectors still {@link MemoryConnector.State#CONNECTING}:
     * what a real reactor would hold open.
     */
    @Override
    public int openResourceCount() {
        int n = 0;
        for (MemoryListeningPort p : ports) {
            n += p.isListening() ? 1 : 0;
        }
        for (UdpServer u : udpServers) {
            n += u.transport().isListening() ? 1 : 0;
        }
        for (MemoryConnector c : connectors) {
            n += c.state() == MemoryConnector.State.CONNECTING ? 1 : 0;
        }
        return n;
    }

    private MemoryConnector newConnector(String host, int port, ClientFactory factory, double timeoutSeconds,
            InetSocketAddress bindAddress) {
        NetChecks.connect(host, port, factory, timeoutSeconds, bindAddress);
        MemoryConnector c = new MemoryConnector(InetSocketAddress.createUnresolved(host, port), factory);
        connectors.add(c);
        return c;
    }

    private static InetSocketAddress localAddress(String iface, int port) {
        if (iface.isEmpty()) {
            try {
                return new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        try {
            return new InetSocketAddress(NetChecks.requireIpLiteral("iface", iface), port);
        } catch (IllegalArgumentException notAnIp) {
            return InetSocketAddress.createUnresolved(iface, port);
        }
    }

    // ---------------------------------------------------------------- records

    /**
     * The {@code listenTCP} calls, in order.
     *
     * @return an unmodifiable view
     */
    public List<TcpServer> tcpServers() {
        return Collections.unmodifiableList(tcpServers);
    }

    /**
     * The {@code connectTCP} calls, in order.
     *
     * @return an unmodifiable view
     */
    public List<TcpClient> tcpClients() {
        return Collections.unmodifiableList(tcpClients);
    }

    /**
     * The {@code listenUDP} calls, in order.
     *
     * @return an unmodifiable view
     */
    public List<UdpServer> udpServers() {
        return Collections.unmodifiableList(udpServers);
    }

    /**
     * The {@code listenSSL} calls, in order.
     *
     * @return an unmodifiable view
     */
    public List<SslServer> sslServers() {
        return Collections.unmodifiableList(sslServers);
    }

    /**
     * The {@code connectSSL} calls, in order.
     *
     * @return an unmodifiable view
     */
    public List<SslClient> sslClients() {
        return Collections.unmodifiableList(sslClients);
    }

    /**
     * Every connector returned, TCP and SSL, in order.
     *
     * @return an unmodifiable view
     */
    public List<MemoryConnector> connectors() {
        return Collections.unmodifiableList(connectors);
    }
}
