package dev.weft.compat.reliability;

import static dev.weft.compat.reliability.Faults.assertLoggedOnce;
import static dev.weft.compat.reliability.Faults.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.RecordingDescriptor;
import dev.weft.compat.harness.TestPipe;
import dev.weft.compat.harness.WatchesChannels;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Reasons;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingClientFactory;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.compat.reliability.Faults.InjectedFault;
import dev.weft.defer.UnhandledErrors;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import dev.weft.protocol.Transport;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Faults in callbacks: an exception thrown by each kind of callback the reactor makes is logged once, at ERROR, with
 * what raised it (the callback and its protocol, factory, descriptor or function), and the reactor survives it: a
 * second connection, live before the fault, still echoes after it. Where the callback belongs to a connection or a
 * descriptor, the fault ends that one only, with the exception as its {@code connectionLost} reason (or cause).
 */
final class CallbackFaultContractTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- the loop's own callbacks

    @ContractTest
    void faultInATimedCallIsLoggedOnceAndTheLoopGoesOn(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("a timed call");
            List<String> ran = new ArrayList<>();
            net.run(() -> {
                r.callLater(0, named("faultyTimedCall", () -> {
                    ran.add("faulty");
                    throw fault.raise();
                }));
                r.callLater(0, () -> ran.add("next in the same pass"));
            });
            net.await("both timed calls", () -> ran.size() == 2, ran::toString);
            live.roundTrip();
            assertEquals(List.of("faulty", "next in the same pass"), ran);
            assertLoggedOnce(logs, fault, "timed call", "faultyTimedCall");
        }
    }

    @ContractTest
    @WatchesChannels
    void faultInDoReadEndsThatDescriptorOnlyAndIsLoggedOnce(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        TestPipe pipe = h.pipe();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("doRead");
            RecordingDescriptor reader = new RecordingDescriptor("faulty-reader", pipe.source()).onRead(self -> {
                throw fault.raise();
            });
            net.run(() -> r.addReader(reader));
            pipe.write((byte) 1, (byte) 2);
            net.await("connectionLost of the faulty reader", () -> !reader.lost().isEmpty(),
                    () -> reader.reads() + " reads, lost " + reader.lost());
            live.roundTrip();
            assertEquals(List.of(fault), reader.lost(), "the exception is the descriptor's connectionLost reason");
            assertEquals(1, reader.reads(), "doRead must not run again after it threw");
            assertFalse(net.call(() -> r.getReaders().contains(reader)), "the faulty reader is removed");
            assertLoggedOnce(logs, fault, "doRead", "faulty-reader");
        }
    }

    @ContractTest
    @WatchesChannels
    void faultInDoWriteEndsThatDescriptorOnlyAndIsLoggedOnce(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("doWrite");
            RecordingDescriptor writer = new RecordingDescriptor("faulty-writer", h.readWriteChannel())
                    .onWrite(self -> {
                        throw fault.raise();
                    });
            net.run(() -> r.addWriter(writer));
            net.await("connectionLost of the faulty writer", () -> !writer.lost().isEmpty(),
                    () -> writer.writes() + " writes, lost " + writer.lost());
            live.roundTrip();
            assertEquals(List.of(fault), writer.lost(), "the exception is the descriptor's connectionLost reason");
            assertEquals(1, writer.writes(), "doWrite must not run again after it threw");
            assertFalse(net.call(() -> r.getWriters().contains(writer)), "the faulty writer is removed");
            assertLoggedOnce(logs, fault, "doWrite", "faulty-writer");
        }
    }

    @ContractTest
    void faultInASystemEventTriggerIsLoggedOnceAndTheOtherTriggersRun(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("a system event trigger");
            List<String> ran = new ArrayList<>();
            net.run(() -> {
                r.addSystemEventTrigger(Phase.BEFORE, "reliability", () -> ran.add("before"));
                r.addSystemEventTrigger(Phase.DURING, "reliability", named("faultyTrigger", () -> {
                    ran.add("faulty");
                    throw fault.raise();
                }));
                r.addSystemEventTrigger(Phase.DURING, "reliability", () -> ran.add("during, after the fault"));
                r.addSystemEventTrigger(Phase.AFTER, "reliability", () -> ran.add("after"));
                r.fireSystemEvent("reliability");
            });
            live.roundTrip();
            assertEquals(List.of("before", "faulty", "during, after the fault", "after"), ran);
            assertLoggedOnce(logs, fault, "system event trigger", "faultyTrigger", "reliability");
        }
    }

    @ContractTest
    void faultInACallFromThreadCallIsLoggedOnceAndTheNextCallsRun(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("a callFromThread call");
            List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread other = new Thread(() -> {
                r.callFromThread(named("faultyThreadCall", () -> {
                    ran.add("faulty");
                    throw fault.raise();
                }));
                r.callFromThread(() -> ran.add("next"));
            }, "another thread");
            other.start();
            other.join(5_000);
            net.await("both thread calls", () -> ran.size() == 2, ran::toString);
            live.roundTrip();
            assertEquals(List.of("faulty", "next"), ran);
            assertLoggedOnce(logs, fault, "thread call", "faultyThreadCall");
        }
    }

    // ---------------------------------------------------------------- Deferred callbacks

    /** The callback that fails; its name is what the report's stack must show. */
    private static Object failingCallbackOnTheResultOfDeferToThread(Integer result, InjectedFault fault,
            List<Integer> seen) {
        seen.add(result);
        throw fault.raise();
    }

    /**
     * Starts a deferToThread whose result reaches a failing callback on the reactor thread. In a method of its own,
     * so that no frame of the test keeps the Deferred reachable: its failure is reported when it is collected.
     */
    private static void deferToThreadIntoAFailingCallback(Reactor r, InjectedFault fault, List<Integer> seen) {
        r.deferToThread(() -> 6 * 7)
                .addCallback(v -> failingCallbackOnTheResultOfDeferToThread(v, fault, seen));
    }

    @ContractTest
    void faultInADeferredCallbackFiredByTheReactorIsReportedOnceAndTheLoopGoesOn(ReactorHarness h)
            throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("a Deferred callback");
            List<Integer> seen = new ArrayList<>();
            net.run(() -> deferToThreadIntoAFailingCallback(r, fault, seen));
            net.await("the callback on deferToThread's result", () -> !seen.isEmpty(), seen::toString);
            assertEquals(List.of(42), seen);
            live.roundTrip();
            // The failure stays in the dropped Deferred until the collector finds it (Twisted: "Unhandled error in
            // Deferred" when it is garbage-collected). Force the check, a bounded number of times.
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (!logs.has(Faults.carrying(fault)) && System.nanoTime() - deadline < 0) {
                UnhandledErrors.collect(Duration.ofMillis(500));
            }
            var event = Faults.assertLoggedOnceMentioning(logs, fault, Faults.UNHANDLED_IN_DEFERRED,
                    "failingCallbackOnTheResultOfDeferToThread");
            assertTrue(event.getFormattedMessage().startsWith(Faults.UNHANDLED_IN_DEFERRED), event::toString);
            live.roundTrip();
        }
    }

    // ---------------------------------------------------------------- protocol callbacks

    @ContractTest
    void faultInConnectionMadeLosesThatConnectionOnlyAndIsLoggedOnce(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("connectionMade");
            RecordingFactory faulty = new RecordingFactory(net, i -> new Recorder(net, "faulty-server-" + i)
                    .onMade(p -> {
                        throw fault.raise();
                    }));
            ListeningPort port = net.listen(faulty);
            Recorder client = net.connect(port, new Recorder(net, "client"));
            net.await("both ends of the faulty connection to be lost",
                    () -> client.isLost() && faulty.lost(0), () -> client.describe() + "; " + faulty.describe());
            live.roundTrip();
            Recorder server = faulty.server(0);
            server.assertLostOnceWith(ConnectionLost.class);
            assertSame(fault, server.reason().getCause(), "the fault is the cause of the reason");
            client.assertLostOnceWith(ConnectionDone.class, ConnectionLost.class);
            assertLoggedOnce(logs, fault, "connectionMade", "faulty-server-0");
        }
    }

    @ContractTest
    void faultInDataReceivedLosesThatConnectionOnlyAndIsLoggedOnce(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("dataReceived");
            RecordingFactory faulty = new RecordingFactory(net, i -> new Recorder(net, "faulty-server-" + i)
                    .onData((p, data) -> {
                        throw fault.raise();
                    }));
            ListeningPort port = net.listen(faulty);
            Recorder client = net.connect(port, new Recorder(net, "client"));
            net.run(() -> {
                client.transport().write(ascii("first chunk"));
            });
            net.await("both ends of the faulty connection to be lost",
                    () -> client.isLost() && faulty.lost(0), () -> client.describe() + "; " + faulty.describe());
            live.roundTrip();
            Recorder server = faulty.server(0);
            server.assertLostOnceWith(ConnectionLost.class);
            assertSame(fault, server.reason().getCause(), "the fault is the cause of the reason");
            assertEquals(1, server.dataCalls(), "no dataReceived after the one that threw: " + server.describe());
            client.assertLostOnceWith(ConnectionDone.class, ConnectionLost.class);
            assertLoggedOnce(logs, fault, "dataReceived", "faulty-server-0");
        }
    }

    @ContractTest
    void faultInConnectionLostIsLoggedOnceAndNotRepeated(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("connectionLost");
            RecordingFactory faulty = new RecordingFactory(net, i -> new Recorder(net, "faulty-server-" + i)
                    .onLost((p, reason) -> {
                        throw fault.raise();
                    }));
            ListeningPort port = net.listen(faulty);
            Recorder client = net.connect(port, new Recorder(net, "client"));
            net.await("the server's connectionMade", () -> faulty.made(0), faulty::describe);
            net.run(() -> client.transport().loseConnection());
            net.await("both ends to be lost", () -> client.isLost() && faulty.lost(0),
                    () -> client.describe() + "; " + faulty.describe());
            net.passes(3);
            live.roundTrip();
            Recorder server = faulty.server(0);
            server.assertLostOnceWith(ConnectionDone.class);
            client.assertLostOnceWith(ConnectionDone.class);
            assertLoggedOnce(logs, fault, "connectionLost", "faulty-server-0");
        }
    }

    // ---------------------------------------------------------------- factories

    /** A server factory whose {@code buildProtocol} throws. */
    private static final class FaultyBuildFactory extends Factory {
        private final InjectedFault fault;
        int builds;

        FaultyBuildFactory(InjectedFault fault) {
            this.fault = fault;
        }

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            builds++;
            throw fault.raise();
        }

        @Override
        public String toString() {
            return "FaultyBuildFactory";
        }
    }

    @ContractTest
    void faultInBuildProtocolOfAServerFactoryClosesThatConnectionOnlyAndIsLoggedOnce(ReactorHarness h)
            throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("buildProtocol");
            FaultyBuildFactory faulty = new FaultyBuildFactory(fault);
            ListeningPort port = net.listen(faulty);
            Recorder client = new Recorder(net, "client");
            RecordingClientFactory cf = RecordingClientFactory.of(net, client);
            net.run(() -> r.connectTCP(Net.LOOPBACK, port.getHost().getPort(), cf));
            net.await("the refused connection to end", () -> client.isLost() || !cf.failures().isEmpty(),
                    () -> client.describe() + "; " + cf.describe());
            live.roundTrip();
            assertEquals(1, faulty.builds, "buildProtocol runs once for the one connection");
            if (client.madeCount() > 0) {
                client.assertLostOnceWith(ConnectionDone.class, ConnectionLost.class);
                assertEquals(0, client.received(), "nothing is sent on a refused connection");
            }
            assertLoggedOnce(logs, fault, "buildProtocol", "FaultyBuildFactory");
        }
    }

    @ContractTest
    void faultInBuildProtocolOfAClientFactoryClosesThatConnectionOnlyAndIsLoggedOnce(ReactorHarness h)
            throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("buildProtocol of a client factory");
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            List<String> events = new ArrayList<>();
            ClientFactory faulty = new ClientFactory() {
                @Override
                public Protocol buildProtocol(InetSocketAddress address) {
                    events.add("buildProtocol");
                    throw fault.raise();
                }

                @Override
                public void clientConnectionFailed(dev.weft.protocol.Connector c, Throwable reason) {
                    events.add("failed:" + reason.getClass().getSimpleName());
                    net.poke();
                }

                @Override
                public void clientConnectionLost(dev.weft.protocol.Connector c, Throwable reason) {
                    events.add("lost:" + reason.getClass().getSimpleName());
                    net.poke();
                }

                @Override
                public String toString() {
                    return "FaultyClientFactory";
                }
            };
            net.run(() -> r.connectTCP(Net.LOOPBACK, port.getHost().getPort(), faulty));
            net.await("the connection to end on both sides",
                    () -> events.size() == 2 && (server.builds() == 0 || server.lost(0)),
                    () -> events + "; " + server.describe());
            live.roundTrip();
            assertEquals("buildProtocol", events.get(0), events::toString);
            assertTrue(events.get(1).startsWith("lost:") || events.get(1).startsWith("failed:"), events::toString);
            assertLoggedOnce(logs, fault, "buildProtocol", "FaultyClientFactory");
        }
    }

    /** A factory whose {@code startFactory} throws; its protocols echo. */
    private static final class FaultyStartFactory extends ClientFactory {
        private final InjectedFault fault;
        private final Net net;
        final List<Recorder> built = new ArrayList<>();
        int starts;

        FaultyStartFactory(Net net, InjectedFault fault) {
            this.net = net;
            this.fault = fault;
        }

        @Override
        protected void startFactory() {
            starts++;
            throw fault.raise();
        }

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            Recorder p = new Recorder(net, "built by FaultyStartFactory").echo();
            p.setFactory(this);
            built.add(p);
            return p;
        }

        @Override
        public String toString() {
            return "FaultyStartFactory";
        }
    }

    @ContractTest
    void faultInStartFactoryOfAServerFactoryIsLoggedOnceAndThePortStillServes(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("startFactory");
            FaultyStartFactory faulty = new FaultyStartFactory(net, fault);
            ListeningPort port = net.listen(faulty);
            assertEquals(1, faulty.starts);
            live.roundTrip();
            Recorder client = net.connect(port, new Recorder(net, "client of the faulty factory's port"));
            net.run(() -> client.transport().write(ascii("ping")));
            net.await("the echo through the port whose startFactory threw", () -> client.received() == 4,
                    client::describe);
            assertLoggedOnce(logs, fault, "startFactory", "FaultyStartFactory");
        }
    }

    @ContractTest
    void faultInStartFactoryOfAClientFactoryIsLoggedOnceAndTheConnectionIsMade(ReactorHarness h)
            throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("startFactory of a client factory");
            FaultyStartFactory faulty = new FaultyStartFactory(net, fault);
            net.run(() -> r.connectTCP(Net.LOOPBACK, live.port().getHost().getPort(), faulty));
            net.await("the connection of the client whose factory's startFactory threw",
                    () -> !faulty.built.isEmpty() && faulty.built.get(0).madeCount() == 1,
                    () -> faulty.built.toString());
            live.roundTrip();
            assertEquals(1, faulty.starts);
            assertLoggedOnce(logs, fault, "startFactory", "FaultyStartFactory");
        }
    }

    /** A server factory whose {@code stopFactory} throws. */
    private static final class FaultyStopFactory extends Factory {
        private final InjectedFault fault;
        int stops;

        FaultyStopFactory(InjectedFault fault) {
            this.fault = fault;
        }

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            return null;
        }

        @Override
        protected void stopFactory() {
            stops++;
            throw fault.raise();
        }

        @Override
        public String toString() {
            return "FaultyStopFactory";
        }
    }

    @ContractTest
    void faultInStopFactoryFailsStopListeningsDeferredWithItAndIsNotLoggedWhenHandled(ReactorHarness h)
            throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("stopFactory");
            FaultyStopFactory faulty = new FaultyStopFactory(fault);
            ListeningPort port = net.listen(faulty);
            Object[] outcome = {null};
            net.run(() -> port.stopListening().addCallbacks(v -> {
                outcome[0] = "succeeded";
                return null;
            }, e -> {
                outcome[0] = e;
                return null;
            }));
            net.await("stopListening's Deferred", () -> outcome[0] != null, () -> "stops " + faulty.stops);
            live.roundTrip();
            assertEquals(1, faulty.stops);
            assertSame(fault, outcome[0], "stopListening's Deferred must fail with the exception of stopFactory");
            UnhandledErrors.collect(java.time.Duration.ofSeconds(1));
            live.roundTrip();
            assertEquals(List.of(), Faults.errors(logs).stream().filter(Faults.carrying(fault))
                    .collect(java.util.stream.Collectors.toList()), "a failure handled by the Deferred's errback "
                    + "must not be logged");
        }
    }

    @ContractTest
    void faultsInAClientFactorysCallbacksAreLoggedOnceEachNamingThem(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault started = new InjectedFault("startedConnecting");
            InjectedFault lost = new InjectedFault("clientConnectionLost");
            InjectedFault failed = new InjectedFault("clientConnectionFailed");
            List<String> events = new ArrayList<>();
            ClientFactory faulty = new ClientFactory() {
                @Override
                public void startedConnecting(dev.weft.protocol.Connector c) {
                    events.add("startedConnecting");
                    if (events.size() == 1) {
                        throw started.raise();
                    }
                }

                @Override
                public Protocol buildProtocol(InetSocketAddress address) {
                    events.add("buildProtocol");
                    Recorder p = new Recorder(net, "client");
                    p.onMade(self -> self.transport().loseConnection());
                    return p;
                }

                @Override
                public void clientConnectionLost(dev.weft.protocol.Connector c, Throwable reason) {
                    events.add("clientConnectionLost");
                    net.poke();
                    throw lost.raise();
                }

                @Override
                public void clientConnectionFailed(dev.weft.protocol.Connector c, Throwable reason) {
                    events.add("clientConnectionFailed");
                    net.poke();
                    throw failed.raise();
                }

                @Override
                public String toString() {
                    return "FaultyClientCallbacks";
                }
            };
            // A connection that is made and closed: startedConnecting and clientConnectionLost throw.
            net.run(() -> r.connectTCP(Net.LOOPBACK, live.port().getHost().getPort(), faulty));
            net.await("clientConnectionLost", () -> events.contains("clientConnectionLost"), events::toString);
            // A connection that is refused: clientConnectionFailed throws.
            int closed = Net.closedPort();
            net.run(() -> r.connectTCP(Net.LOOPBACK, closed, faulty));
            net.await("clientConnectionFailed", () -> events.contains("clientConnectionFailed"), events::toString);
            live.roundTrip();
            assertEquals(List.of("startedConnecting", "buildProtocol", "clientConnectionLost", "startedConnecting",
                    "clientConnectionFailed"), events);
            assertLoggedOnce(logs, started, "startedConnecting", "FaultyClientCallbacks");
            assertLoggedOnce(logs, lost, "clientConnectionLost", "FaultyClientCallbacks");
            assertLoggedOnce(logs, failed, "clientConnectionFailed", "FaultyClientCallbacks");
        }
    }

    @ContractTest
    void faultInReadConnectionLostLosesThatConnectionOnlyAndIsLoggedOnce(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("readConnectionLost");
            RecordingFactory faulty = new RecordingFactory(net, i -> new dev.weft.compat.net.HalfCloseRecorder(net,
                    "half-closing-server-" + i).onReadLost(p -> {
                        throw fault.raise();
                    }));
            ListeningPort port = net.listen(faulty);
            Recorder client = net.connect(port, new Recorder(net, "client"));
            net.await("the server's connectionMade", () -> faulty.made(0), faulty::describe);
            net.run(() -> client.transport().loseWriteConnection());
            net.await("both ends to be lost", () -> client.isLost() && faulty.lost(0),
                    () -> client.describe() + "; " + faulty.describe());
            live.roundTrip();
            Recorder server = faulty.server(0);
            server.assertLostOnceWith(ConnectionLost.class);
            assertSame(fault, server.reason().getCause(), Reasons.describe(server.reason()));
            assertLoggedOnce(logs, fault, "readConnectionLost", "half-closing-server-0");
        }
    }

    @ContractTest
    void faultsInAUdpProtocolAreLoggedOnceEachAndThePortGoesOn(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            LiveEcho live = LiveEcho.open(net);
            InjectedFault inDatagram = new InjectedFault("datagramReceived");
            InjectedFault inStop = new InjectedFault("stopProtocol");
            List<String> got = new ArrayList<>();
            dev.weft.protocol.DatagramProtocol faulty = new dev.weft.protocol.DatagramProtocol() {
                @Override
                public void datagramReceived(byte[] data, InetSocketAddress from) {
                    String text = new String(data, StandardCharsets.US_ASCII);
                    got.add(text);
                    net.poke();
                    if (text.equals("first")) {
                        throw inDatagram.raise();
                    }
                }

                @Override
                public void stopProtocol() {
                    got.add("stopProtocol");
                    net.poke();
                    throw inStop.raise();
                }

                @Override
                public String toString() {
                    return "FaultyDatagramProtocol";
                }
            };
            dev.weft.protocol.DatagramTransport port = net.call(() -> r.listenUDP(0, faulty, Net.LOOPBACK, 512));
            InetSocketAddress self = port.getHost();
            net.run(() -> port.write(ascii("first"), self));
            net.await("the first datagram", () -> got.contains("first"), got::toString);
            net.run(() -> port.write(ascii("second"), self));
            net.await("the second datagram, after the fault", () -> got.contains("second"), got::toString);
            boolean[] stopped = {false};
            net.run(() -> port.stopListening().addCallback(v -> {
                stopped[0] = true;
                return null;
            }));
            net.await("stopListening's Deferred", () -> stopped[0], got::toString);
            live.roundTrip();
            assertEquals(List.of("first", "second", "stopProtocol"), got);
            assertLoggedOnce(logs, inDatagram, "datagramReceived", "FaultyDatagramProtocol");
            assertLoggedOnce(logs, inStop, "stopProtocol", "FaultyDatagramProtocol");
        }
    }

    @ContractTest
    void faultInStopProducingIsLoggedOnceAndTheConnectionIsLostOnce(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("stopProducing");
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            Recorder client = net.connect(port, new Recorder(net, "producing-client"));
            List<String> calls = new ArrayList<>();
            PushProducer producer = new PushProducer() {
                @Override
                public void pauseProducing() {
                    calls.add("pause");
                }

                @Override
                public void resumeProducing() {
                    calls.add("resume");
                }

                @Override
                public void stopProducing() {
                    calls.add("stop");
                    throw fault.raise();
                }

                @Override
                public String toString() {
                    return "FaultyStopProducer";
                }
            };
            net.run(() -> {
                client.transport().registerProducer(producer, true);
                client.transport().abortConnection();
            });
            net.await("the client to be lost", client::isLost, client::describe);
            live.roundTrip();
            assertEquals(List.of("stop"), calls);
            client.assertLostOnceWith(dev.weft.protocol.ConnectionAborted.class);
            assertLoggedOnce(logs, fault, "stopProducing", "FaultyStopProducer");
        }
    }

    // ---------------------------------------------------------------- producers

    /** A push producer that records its calls and throws from the one it is told to. */
    private static final class FaultyPushProducer implements PushProducer {
        private final InjectedFault onPause;
        private final InjectedFault onResume;
        final List<String> calls = new ArrayList<>();

        FaultyPushProducer(InjectedFault onPause, InjectedFault onResume) {
            this.onPause = onPause;
            this.onResume = onResume;
        }

        @Override
        public void pauseProducing() {
            calls.add("pause");
            if (onPause != null) {
                throw onPause.raise();
            }
        }

        @Override
        public void resumeProducing() {
            calls.add("resume");
            if (onResume != null) {
                throw onResume.raise();
            }
        }

        @Override
        public void stopProducing() {
            calls.add("stop");
        }

        @Override
        public String toString() {
            return "FaultyPushProducer";
        }
    }

    /**
     * Writes a 1 MiB chunk on {@code t} per pass of the loop (at most 64 MiB) until the producer has been called or
     * the transport is closing; the reader does not read, so the write buffer grows past the transport's limit.
     */
    private static void writeUntilPaused(Reactor r, Transport t, FaultyPushProducer producer, long[] written) {
        if (!producer.calls.isEmpty() || t.isDisconnecting() || written[0] >= 64L << 20) {
            return;
        }
        t.write(new byte[1 << 20]);
        written[0] += 1 << 20;
        r.callLater(0, () -> writeUntilPaused(r, t, producer, written));
    }

    @ContractTest
    void faultInPauseProducingLosesThatConnectionOnlyAndIsLoggedOnce(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("pauseProducing");
            RecordingFactory stalled = new RecordingFactory(net, i -> new Recorder(net, "stalled-server")
                    .keep(0).onMade(p -> p.transport().pauseProducing()));
            ListeningPort port = net.listen(stalled);
            Recorder client = net.connect(port, new Recorder(net, "producing-client"));
            FaultyPushProducer producer = new FaultyPushProducer(fault, null);
            long[] written = {0};
            net.run(() -> {
                client.transport().registerProducer(producer, true);
                writeUntilPaused(net.reactor(), client.transport(), producer, written);
            });
            net.await("the producing client to be lost", client::isLost,
                    () -> client.describe() + "; wrote " + written[0] + " bytes");
            live.roundTrip();
            assertEquals(List.of("pause", "stop"), producer.calls, "wrote " + written[0] + " bytes");
            client.assertLostOnceWith(ConnectionLost.class);
            assertSame(fault, client.reason().getCause(), Reasons.describe(client.reason()));
            assertLoggedOnce(logs, fault, "pauseProducing", "producing-client");
        }
    }

    @ContractTest
    void faultInResumeProducingOfAPushProducerLosesThatConnectionOnlyAndIsLoggedOnce(ReactorHarness h)
            throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("resumeProducing of a push producer");
            RecordingFactory stalled = new RecordingFactory(net, i -> new Recorder(net, "stalled-server")
                    .keep(0).onMade(p -> p.transport().pauseProducing()));
            ListeningPort port = net.listen(stalled);
            Recorder client = net.connect(port, new Recorder(net, "producing-client"));
            FaultyPushProducer producer = new FaultyPushProducer(null, fault);
            long[] written = {0};
            net.run(() -> {
                client.transport().registerProducer(producer, true);
                writeUntilPaused(net.reactor(), client.transport(), producer, written);
            });
            net.await("the producer to be paused", () -> !producer.calls.isEmpty(),
                    () -> client.describe() + "; wrote " + written[0] + " bytes");
            assertEquals(List.of("pause"), producer.calls, "wrote " + written[0] + " bytes");
            net.await("the server's connectionMade", () -> stalled.made(0), stalled::describe);
            net.run(() -> stalled.server(0).transport().resumeProducing());
            net.await("the producing client to be lost after the drain", client::isLost,
                    () -> client.describe() + "; producer " + producer.calls + "; " + stalled.describe());
            live.roundTrip();
            assertEquals(List.of("pause", "resume", "stop"), producer.calls);
            client.assertLostOnceWith(ConnectionLost.class);
            assertSame(fault, client.reason().getCause(), Reasons.describe(client.reason()));
            assertLoggedOnce(logs, fault, "resumeProducing", "producing-client");
        }
    }

    @ContractTest
    void faultInResumeProducingOfAPullProducerLosesThatConnectionOnlyAndIsLoggedOnce(ReactorHarness h)
            throws Exception {
        LogCapture logs = h.captureLogs();
        try (Net net = Net.open(h)) {
            LiveEcho live = LiveEcho.open(net);
            InjectedFault fault = new InjectedFault("resumeProducing of a pull producer");
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            Recorder client = net.connect(port, new Recorder(net, "pulling-client"));
            List<String> calls = new ArrayList<>();
            PullProducer producer = new PullProducer() {
                @Override
                public void resumeProducing() {
                    calls.add("resume");
                    throw fault.raise();
                }

                @Override
                public void stopProducing() {
                    calls.add("stop");
                }
            };
            net.run(() -> client.transport().registerProducer(producer, false));
            net.await("the pulling client to be lost", client::isLost, client::describe);
            live.roundTrip();
            assertEquals(List.of("resume", "stop"), calls);
            client.assertLostOnceWith(ConnectionLost.class);
            assertInstanceOf(InjectedFault.class, client.reason().getCause());
            assertLoggedOnce(logs, fault, "resumeProducing", "pulling-client");
        }
    }
}
