package dev.weft.protocol.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.StringTransport;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ported protocol of the README ("A ported protocol"), kept compiling and behaving as the README says. */
class ReadmePortedEchoTest {

    static final class Echo extends LineReceiver {
        @Override
        public void connectionMade() {
            sendLine(("hello " + transport.getPeer().getHostString()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void lineReceived(byte[] line) {
            if (Arrays.equals(line, "quit".getBytes(StandardCharsets.US_ASCII))) {
                transport.loseConnection();
            } else {
                sendLine(line);
            }
        }
    }

    @Test
    void echoGreetsThenEchoesEachLine() {
        Echo echo = new Echo();
        StringTransport t = new StringTransport();
        echo.makeConnection(t);
        echo.dataReceived("ping\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("hello 192.168.1.1\r\nping\r\n", t.valueAsString());
    }

    @Test
    void quitClosesTheConnection() {
        Echo echo = new Echo();
        StringTransport t = new StringTransport();
        echo.makeConnection(t);
        echo.dataReceived("quit\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(t.isDisconnecting());
    }
}
