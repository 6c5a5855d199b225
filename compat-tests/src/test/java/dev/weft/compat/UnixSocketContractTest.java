package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.HalfCloseRecorder;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingClientFactory;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.ReactorTCP;
import java.nio.channels.ServerSocketChannel;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/**
 * listenUNIX/connectUNIX: the TCP contract over a UNIX stream socket (data, half-close, abort, producers), the
 * addresses ({@code getHost()}/{@code getPeer()} carry the path), and the socket file as Twisted handles it (mode,
 * removal at stopListening, a stale file, a held lock, bad paths).
 */
final class UnixSocketContractTest {

    @TempDir
    Path dir;

    private String sock(String name) {
        return dir.resolve(name).toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static Recorder connectUnix(Net net, String path, Recorder client) throws Exception {
        RecordingClientFactory f = RecordingClientFactory.of(net, client);
        return net.connect(f, client, () -> net.reactor().connectUNIX(path, f));
    }

    @ContractTest
    void echoOverAUnixSocketWithThePathAsAddress(ReactorHarness h) throws Exception {
        String path = sock("echo.sock");
        try (Net net = Net.open(h)) {
            RecordingFactory server = RecordingFactory.echo(net);
            ListeningPort port = net.call(() -> net.reactor().listenUNIX(path, server));
            assertEquals(path, port.getHost().getHostString(), "a UNIX port's getHost() carries its path");
            assertEquals(0, port.getHost().getPort());
            Recorder client = connectUnix(net, path, new Recorder(net, "client"));
            net.run(() -> client.transport().write(ascii("hello over unix")));
            net.await("the echo", () -> client.received() == 15, client::describe);
            assertEquals("hello over unix", client.text());
            assertEquals(path, net.call(() -> client.transport().getPeer().getHostString()),
                    "the client's getPeer() is the server's path");
            assertEquals(path, net.call(() -> server.server(0).transport().getHost().getHostString()),
                    "the accepted connection's getHost() is the listening path");
            net.run(() -> client.transport().loseConnection());
            net.await("both ends to close", () -> server.lost(0) && client.isLost(),
                    () -> server.describe() + "; " + client.describe());
            client.assertLostOnceWith(ConnectionDone.class);
            server.server(0).assertLostOnceWith(ConnectionDone.class);
        }
    }

    @ContractTest
    void halfCloseOverAUnixSocket(ReactorHarness h) throws Exception {
        String path = sock("half.sock");
        try (Net net = Net.open(h)) {
            RecordingFactory server = new RecordingFactory(net, i -> new HalfCloseRecorder(net, "half-closeable "
                    + "server").onReadLost(p -> {
                        p.transport().write(ascii("reply to " + p.text()));
                        p.transport().loseConnection();
                    }));
            net.call(() -> net.reactor().listenUNIX(path, server));
            HalfCloseRecorder client = new HalfCloseRecorder(net, "half-closing client");
            client.onMade(p -> {
                p.transport().write(ascii("hello"));
                p.transport().loseWriteConnection();
            });
            connectUnix(net, path, client);
            net.await("both ends to close", () -> server.lost(0) && client.isLost(),
                    () -> server.describe() + "; " + client.describe());
            assertEquals("reply to hello", client.text(), "the half-closed client still reads the reply");
            assertEquals(1, client.writeLostCount(), client.describe());
            client.assertLostOnceWith(ConnectionDone.class);
        }
    }

    @ContractTest
    void abortOverAUnixSocketGivesConnectionAborted(ReactorHarness h) throws Exception {
        String path = sock("abort.sock");
        try (Net net = Net.open(h)) {
            RecordingFactory server = RecordingFactory.recorders(net);
            net.call(() -> net.reactor().listenUNIX(path, server));
            Recorder client = connectUnix(net, path, new Recorder(net, "client"));
            net.await("the server's connection", () -> server.made(0), server::describe);
            net.run(() -> client.transport().abortConnection());
            net.await("both ends to close", () -> server.lost(0) && client.isLost(),
                    () -> server.describe() + "; " + client.describe());
            client.assertLostOnceWith(ConnectionAborted.class);
        }
    }

    @ContractTest
    void aMegabyteArrivesIntactThroughFlowControl(ReactorHarness h) throws Exception {
        String path = sock("big.sock");
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        try (Net net = Net.open(h)) {
            RecordingFactory server = RecordingFactory.echo(net);
            net.call(() -> net.reactor().listenUNIX(path, server));
            Recorder client = connectUnix(net, path, new Recorder(net, "client").keep(big.length));
            net.run(() -> client.transport().write(big));
            net.await("the echo of 1 MiB", () -> client.received() == big.length, client::describe);
            assertTrue(Arrays.equals(big, client.bytes()), "the bytes must come back as sent");
        }
    }

    @ContractTest
    void theSocketFileGetsItsModeAndIsRemovedAtStopListening(ReactorHarness h) throws Exception {
        String path = sock("mode.sock");
        try (Net net = Net.open(h)) {
            ListeningPort port = net.call(() -> net.reactor().listenUNIX(path, RecordingFactory.recorders(net),
                    ReactorTCP.DEFAULT_BACKLOG, 0600, false));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path))),
                    "mode= sets the socket file's permissions");
            net.run(port::stopListening);
            net.await("the socket file to be removed", () -> !Files.exists(Path.of(path)), () -> path);
            // the path is free again
            ListeningPort again = net.call(() -> net.reactor().listenUNIX(path, RecordingFactory.recorders(net)));
            assertEquals(path, again.getHost().getHostString());
        }
    }

    @ContractTest
    void anExistingSocketFileIsInUseWithoutWantPidAndRemovedWhenItsLockIsStale(ReactorHarness h) throws Exception {
        String path = sock("stale.sock");
        // A socket file left by a listener that is gone: bound, then closed without removing the file.
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(Path.of(path)));
        try (Net net = Net.open(h)) {
            CannotListenException e = assertThrows(CannotListenException.class,
                    () -> net.call(() -> net.reactor().listenUNIX(path, RecordingFactory.recorders(net))));
            assertTrue(e.getMessage().contains(path) && e.getMessage().contains("in use"), e.getMessage());
            // A lock naming a process that has exited: wantPID takes it over and removes the stale socket.
            Process gone = new ProcessBuilder("true").start();
            assertTrue(gone.waitFor(5, TimeUnit.SECONDS));
            Files.createSymbolicLink(Path.of(path + ".lock"), Path.of(Long.toString(gone.pid())));
            RecordingFactory server = RecordingFactory.echo(net);
            ListeningPort port = net.call(() -> net.reactor().listenUNIX(path, server, 50, 0666, true));
            assertEquals(Long.toString(ProcessHandle.current().pid()),
                    Files.readSymbolicLink(Path.of(path + ".lock")).toString(), "the lock names this process");
            Recorder client = connectUnix(net, path, new Recorder(net, "client"));
            net.run(() -> client.transport().write(ascii("ok")));
            net.await("the echo", () -> client.received() == 2, client::describe);
            // A second listener with wantPID finds the lock held by a live process.
            CannotListenException held = assertThrows(CannotListenException.class, () -> net.call(
                    () -> net.reactor().listenUNIX(path, RecordingFactory.recorders(net), 50, 0666, true)));
            assertTrue(held.getMessage().contains("lock"), held.getMessage());
            net.run(port::stopListening);
            net.await("the socket file to be removed", () -> !Files.exists(Path.of(path)), () -> path);
            assertFalse(Files.exists(Path.of(path + ".lock"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                    "stopListening releases the lock");
            assertFalse(Files.exists(Path.of(path)), "and removes the socket file");
        }
    }

    @ContractTest
    void badPathsFailClearlyAtTheCall(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            String tooLong = dir.resolve("x".repeat(120)).toString();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.call(() -> net.reactor().listenUNIX(tooLong, RecordingFactory.recorders(net))));
            assertTrue(e.getMessage().startsWith("path "), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> net.call(
                    () -> net.reactor().connectUNIX(tooLong, net.clientFactory("c"))));
            String missingDir = sock("no/such/dir.sock");
            CannotListenException noDir = assertThrows(CannotListenException.class,
                    () -> net.call(() -> net.reactor().listenUNIX(missingDir, RecordingFactory.recorders(net))));
            assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());
            String file = sock("plain-file");
            Files.writeString(Path.of(file), "not a socket");
            CannotListenException notSocket = assertThrows(CannotListenException.class,
                    () -> net.call(() -> net.reactor().listenUNIX(file, RecordingFactory.recorders(net))));
            assertTrue(notSocket.getMessage().contains("not a socket"), notSocket.getMessage());
            assertEquals("not a socket", Files.readString(Path.of(file)), "the file is left alone");
        }
    }

    @ContractTest
    void connectingToNoListenerFailsInTheFactory(ReactorHarness h) throws Exception {
        String missing = sock("missing.sock");
        String stale = sock("nobody.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(stale));
        }
        try (Net net = Net.open(h)) {
            RecordingClientFactory f = net.clientFactory("client");
            net.run(() -> net.reactor().connectUNIX(missing, f));
            net.run(() -> net.reactor().connectUNIX(stale, f));
            net.await("both attempts to fail", () -> f.failures().size() == 2, f::describe);
            List<Throwable> failures = f.failures();
            assertInstanceOf(ConnectFailedException.class, failures.get(0), "a missing socket file");
            assertFalse(failures.get(0) instanceof ConnectionRefusedException, "a missing file is no refusal");
            assertInstanceOf(ConnectionRefusedException.class, failures.get(1), "a socket nobody listens on");
            assertTrue(failures.get(0).getMessage().contains(missing), failures.get(0).getMessage());
            assertEquals(0, net.call(() -> net.reactor().openResourceCount()), "no socket left open");
        }
    }
}
