package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.basic.LineReceiver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** StringTransport.withDisconnection: Twisted's StringTransportWithDisconnection. */
class StringTransportWithDisconnectionTest {

    /** Closes the connection on "QUIT", records connectionLost. */
    static final class Quitter extends LineReceiver {
        final List<Throwable> lost = new ArrayList<>();

        @Override
        public void lineReceived(byte[] line) {
            if ("QUIT".equals(new String(line, StandardCharsets.US_ASCII))) {
                sendLine("BYE".getBytes(StandardCharsets.US_ASCII));
                transport.loseConnection();
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost.add(reason);
        }
    }

    @Test
    void loseConnectionRunsConnectionLostOnceWithConnectionDone() {
        Quitter p = new Quitter();
        StringTransport t = StringTransport.withDisconnection(p);
        p.makeConnection(t);
        p.dataReceived("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("BYE\r\n", t.valueAsString());
        assertEquals(1, p.lost.size());
        assertTrue(p.lost.get(0) instanceof ConnectionDone, String.valueOf(p.lost));
        assertTrue(t.isDisconnected());
        t.loseConnection();
        assertEquals(1, p.lost.size(), "connectionLost runs once");
    }

    @Test
    void abortConnectionRunsConnectionLostWithConnectionAborted() {
        Quitter p = new Quitter();
        StringTransport t = StringTransport.withDisconnection(p);
        p.makeConnection(t);
        t.abortConnection();
        assertEquals(1, p.lost.size());
        assertTrue(p.lost.get(0) instanceof ConnectionAborted, String.valueOf(p.lost));
    }

    @Test
    void aPlainStringTransportStillOnlyRecords() {
        Quitter p = new Quitter();
        StringTransport t = new StringTransport();
        p.makeConnection(t);
        t.loseConnection();
        assertTrue(t.isDisconnecting());
        assertEquals(List.of(), p.lost);
    }
}
