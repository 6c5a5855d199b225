package dev.weft.examples;

import static dev.weft.examples.NetTesting.LOOPBACK;
import static dev.weft.examples.NetTesting.await;
import static dev.weft.examples.NetTesting.shutDown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import dev.weft.stream.StreamConnection;
import dev.weft.stream.Streams;
import java.io.PrintStream;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The coroutine echo server passes every test of the callback one, and echoes up to a half-close. */
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
}
