package dev.weft.examples;

import static dev.weft.examples.NetTesting.LOOPBACK;
import static dev.weft.examples.NetTesting.await;
import static dev.weft.examples.NetTesting.shutDown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.endpoints.Endpoints;
import dev.weft.endpoints.UNIXClientEndpoint;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import dev.weft.stream.StreamConnection;
import dev.weft.stream.Streams;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coroutine echo server passes every test of the callback one, echoes up to a half-close, and serves the endpoint
 * of {@code --listen}.
 */
class EchoCoroutineExampleTest extends EchoExampleTest {

    @Override
    String name() {
        return EchoCoroutineExample.NAME;
    }

    @Override
    ListeningPort listen(Reactor reactor, String host, int port) {
        return EchoCoroutineExample.listen(reactor, host, port);
    }

    @Override
    ListeningPort start(Reactor reactor, String host, int port, PrintStream out) {
        return EchoCoroutineExample.start(reactor, host, port, out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void echoesEverythingSentBeforeAHalfCloseThenCloses(String backend) throws Exception {
        byte[] sent = new byte[3 * EchoCoroutineExample.CHUNK + 17];
        new Random(7).nextBytes(sent);
        Reactor reactor = Reactors.create(backend);
        try {
            int port = listen(reactor, LOOPBACK, 0).getHost().getPort();
            StreamConnection c = await(reactor, Streams.openConnection(reactor, LOOPBACK, port));
            c.writer().write(sent);
            c.writer().writeEof();
            byte[] got = await(reactor, c.reader().read(-1));
            assertArrayEquals(sent, got);
            assertEquals(0, await(reactor, c.reader().read(1)).length, "end of stream once all was echoed");
        } finally {
            shutDown(reactor);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void listensOnTheEndpointOfAListenDescription(String backend, @TempDir Path dir) throws Exception {
        String path = dir.resolve("echo.sock").toString();
        Reactor reactor = Reactors.create(backend);
        NetTesting.Output out = new NetTesting.Output();
        try {
            start(EndpointReactor.listeningOn(reactor, Endpoints.serverFromString(reactor, "unix:" + path)),
                    LOOPBACK, 0, out.stream);
            assertTrue(out.text().startsWith(name() + ": listening on " + path), out.text());
            StreamConnection c = await(reactor, Streams.connect(new UNIXClientEndpoint(reactor, path)));
            c.writer().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("hello\n", new String(await(reactor, c.reader().readLine()), StandardCharsets.US_ASCII));
            c.writer().close();
        } finally {
            shutDown(reactor);
        }
    }
}
