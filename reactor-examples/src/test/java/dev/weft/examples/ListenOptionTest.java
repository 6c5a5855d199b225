package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.endpoints.Endpoints;
import dev.weft.endpoints.UNIXClientEndpoint;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --listen DESCRIPTION}: the server examples listen on any endpoint, a UNIX socket included. */
class ListenOptionTest {

    @TempDir
    Path dir;

    /** Collects what it reads; fires {@code done} once {@code expected} bytes came. */
    private static final class Collect extends Protocol {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final Deferred<String> done = new Deferred<>();
        final int expected;

        Collect(int expected) {
            this.expected = expected;
        }

        @Override
        public void dataReceived(byte[] data) {
            got.writeBytes(data);
            if (got.size() >= expected && !done.isCalled()) {
                done.callback(got.toString(StandardCharsets.US_ASCII));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void echoListensOnAUnixSocketDescription(String backend) throws Exception {
        String path = dir.resolve("echo.sock").toString();
        Reactor reactor = Reactors.create(backend);
        NetTesting.Output out = new NetTesting.Output();
        try {
            EchoExample.start(EndpointReactor.listeningOn(reactor, Endpoints.serverFromString(reactor,
                    "unix:" + path)), "127.0.0.1", 0, out.stream);
            assertTrue(out.text().startsWith("echo: listening on " + path + ", backend " + backend), out.text());
            assertTrue(Files.exists(Path.of(path)));
            Collect c = new Collect(5);
            Protocol p = NetTesting.await(reactor, Endpoints.connectProtocol(new UNIXClientEndpoint(reactor, path),
                    c));
            p.transport().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertEquals("hello", NetTesting.await(reactor, c.done));
        } finally {
            NetTesting.shutDown(reactor);
        }
        assertTrue(Files.notExists(Path.of(path)), "the socket file is removed at shutdown");
    }

    @Test
    void aMalformedDescriptionReturnsTwoAndNamesThePart() {
        NetTesting.Run run = NetTesting.runMain("echo", "--listen", "tcp:port=80:bogus=1");
        assertEquals(2, run.code(), run.out());
        assertTrue(run.err().contains("--listen") && run.err().contains("bogus"), run.err());
    }

    @Test
    void listenAndPortExcludeEachOther() {
        NetTesting.Run run = NetTesting.runMain("echo", "--listen", "tcp:0", "--port", "1");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--listen and --port"), run.err());
    }

    @Test
    void aPathThatIsNotASocketReturnsOne() throws Exception {
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        NetTesting.Run run = NetTesting.runMain("echo", "--listen", "unix:" + file + ":lockfile=0");
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("not a socket"), run.err());
    }
}
