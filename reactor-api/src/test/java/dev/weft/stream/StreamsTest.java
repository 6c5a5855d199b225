package dev.weft.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.DeferredTimeoutException;
import dev.weft.endpoints.TCP4ClientEndpoint;
import dev.weft.protocol.Protocol;
import dev.weft.task.Clock;
import dev.weft.testing.MemoryReactor;
import dev.weft.testing.StringTransport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The entry points: what they register, bad arguments refused at the call, and the README's deterministic test. */
class StreamsTest {
    private final MemoryReactor reactor = new MemoryReactor();
    private final StreamHandler nothing = (reader, writer) -> { };

    @Test
    void startServerListensOnThePortAndInterfaceGiven() {
        Streams.startServer(reactor, nothing, 8123, "127.0.0.1");
        assertEquals(1, reactor.tcpServers().size());
        assertEquals(8123, reactor.tcpServers().get(0).port());
        assertEquals("127.0.0.1", reactor.tcpServers().get(0).iface());
    }

    @Test
    void badArgumentsAreRefusedAtTheCallNamingTheArgument() {
        assertEquals("handler must not be null", assertThrows(NullPointerException.class,
                () -> Streams.startServer(reactor, null, 0)).getMessage());
        assertEquals("reactor must not be null", assertThrows(NullPointerException.class,
                () -> Streams.startServer(null, nothing, 0)).getMessage());
        assertEquals("iface must not be null", assertThrows(NullPointerException.class,
                () -> Streams.startServer(reactor, nothing, 0, null)).getMessage());
        assertEquals("limit must be positive: 0", assertThrows(IllegalArgumentException.class,
                () -> Streams.startServer(reactor, nothing, 0, "127.0.0.1", 0)).getMessage());
        assertEquals("limit must be positive: -1", assertThrows(IllegalArgumentException.class,
                () -> Streams.openConnection(reactor, "127.0.0.1", 80, -1)).getMessage());
        assertEquals("endpoint must not be null", assertThrows(NullPointerException.class,
                () -> Streams.connect(null)).getMessage());
        assertEquals("endpoint must not be null", assertThrows(NullPointerException.class,
                () -> Streams.serve(null, nothing)).getMessage());
        assertEquals("limit must be positive: 0", assertThrows(IllegalArgumentException.class,
                () -> Streams.connect(new TCP4ClientEndpoint(reactor, "127.0.0.1", 80), 0)).getMessage());
        assertEquals("handler must not be null", assertThrows(NullPointerException.class,
                () -> Streams.factory(null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Streams.openConnection(reactor, "127.0.0.1", 0));
        assertEquals(0, reactor.tcpServers().size(), "nothing listened");
    }

    @Test
    void openConnectionConnectsOverTcp() {
        Streams.openConnection(reactor, "127.0.0.1", 6379);
        assertEquals(1, reactor.tcpClients().size());
        assertEquals(6379, reactor.tcpClients().get(0).port());
    }

    // The README's GreeterTest, as it is there.

    private final Clock clock = new Clock();
    private final StringTransport transport = new StringTransport();

    private Protocol greeter() {
        return Streams.protocol((reader, writer) -> {
            try (writer) {
                writer.write(ascii("name? "));
                try {
                    byte[] name = reader.readLine().addTimeout(10, clock).await();
                    writer.write(ascii("hello " + new String(name, StandardCharsets.US_ASCII)));
                } catch (DeferredTimeoutException e) {
                    writer.write(ascii("too slow\n"));
                }
            }
        });
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void greetsByName() {
        Protocol p = greeter();
        p.makeConnection(transport);
        p.dataReceived(ascii("we"));
        p.dataReceived(ascii("ft\n"));
        assertEquals("name? hello weft\n", transport.valueAsString());
        assertTrue(transport.isDisconnecting());
    }

    @Test
    void givesUpAfterTenSeconds() {
        greeter().makeConnection(transport);
        clock.advance(9.9);
        assertEquals("name? ", transport.valueAsString());
        clock.advance(0.1);
        assertEquals("name? too slow\n", transport.valueAsString());
        assertTrue(transport.isDisconnecting());
    }
}
