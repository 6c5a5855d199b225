package dev.weft.compat.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.weft.compat.net.Net;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.protocol.ListeningPort;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A second, live connection that a fault must not disturb: an echo server of its own and one client connected to
 * it before the fault. {@link #roundTrip()} sends a message and waits for its echo; after a fault it shows that the
 * loop still serves the connections the fault did not concern.
 */
final class LiveEcho {
    private final Net net;
    private final RecordingFactory server;
    private final ListeningPort port;
    private final Recorder client;
    private int rounds;

    private LiveEcho(Net net, RecordingFactory server, ListeningPort port, Recorder client) {
        this.net = net;
        this.server = server;
        this.port = port;
        this.client = client;
    }

    /**
     * Listens, connects, and makes a first round trip.
     *
     * @param net the Net of the test
     * @return the live connection
     * @throws Exception if the loop fails
     */
    static LiveEcho open(Net net) throws Exception {
        RecordingFactory server = RecordingFactory.echo(net);
        ListeningPort port = net.listen(server);
        Recorder client = net.connect(port, new Recorder(net, "live client"));
        LiveEcho live = new LiveEcho(net, server, port, client);
        live.roundTrip();
        return live;
    }

    /**
     * Sends a message on the live connection and waits for its echo, byte for byte.
     *
     * @throws Exception if the loop fails or the echo does not come
     */
    void roundTrip() throws Exception {
        byte[] message = ("live round trip " + rounds++ + "\n").getBytes(StandardCharsets.US_ASCII);
        long before = client.received();
        long want = before + message.length;
        net.run(() -> client.transport().write(message));
        net.await("the echo of round trip " + (rounds - 1) + " on the live connection",
                () -> client.received() >= want || client.isLost(), this::describe);
        assertFalse(client.isLost(), "the live connection must survive the fault: " + describe());
        byte[] all = client.bytes();
        assertArrayEquals(message, Arrays.copyOfRange(all, (int) before, all.length),
                "the live connection must echo exactly what was sent: " + describe());
    }

    /**
     * The live connection's listening port.
     *
     * @return the port
     */
    ListeningPort port() {
        return port;
    }

    String describe() {
        return client.describe() + "; " + server.describe();
    }
}
