package dev.weft.protocol.basic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.StringTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetstringReceiverTest {

    static final class Recorder extends NetstringReceiver {
        final List<String> strings = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        @Override
        protected void stringReceived(byte[] data) {
            strings.add(new String(data, UTF_8));
            if (strings.get(strings.size() - 1).equals("close")) {
                transport.loseConnection();
            }
        }

        @Override
        protected void onParseError(String why) {
            errors.add(why);
        }
    }

    private static Recorder connected() {
        Recorder r = new Recorder();
        r.makeConnection(new StringTransport());
        return r;
    }

    @Test
    void parsesNetstringsIncludingEmptyOnes() {
        Recorder r = connected();
        r.dataReceived("5:hello,0:,3:a,b,".getBytes(UTF_8));
        assertEquals(List.of("hello", "", "a,b"), r.strings);
        assertFalse(r.isBrokenPeer());
    }

    @Test
    void sendStringWritesLengthColonDataComma() {
        Recorder r = connected();
        r.sendString("hello".getBytes(UTF_8));
        r.sendString(new byte[0]);
        assertEquals("5:hello,0:,", ((StringTransport) r.transport()).valueAsString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"05:hello,", "00:,", ":hello,", "5hello,", "5:hello;", "-1:x,", "5 :hello,",
        "999999:x", "100000:", "1a:x,"})
    void malformedInputClosesMarksBrokenAndDeliversNothing(String input) {
        Recorder r = connected();
        r.dataReceived(input.getBytes(UTF_8));
        assertTrue(r.isBrokenPeer());
        assertTrue(r.transport().isDisconnecting());
        assertEquals(1, r.errors.size(), r.errors.toString());
        // As in Twisted, each later call with data repeats the parse error (and its loseConnection).
        r.dataReceived("2:ok,".getBytes(UTF_8));
        assertEquals(List.of(), r.strings);
        assertEquals(2, r.errors.size(), r.errors.toString());
    }

    @Test
    void digitsOverTheLimitAreRejectedBeforeTheColonArrives() {
        Recorder r = connected();
        r.setMaxLength(50);
        r.dataReceived("5".getBytes(UTF_8));
        assertFalse(r.isBrokenPeer());
        r.dataReceived("1".getBytes(UTF_8));
        assertTrue(r.isBrokenPeer(), "51 > 50 with no ':' yet");
        assertTrue(r.transport().isDisconnecting());
    }

    @Test
    void digitsAndANewlineThatEndTheDataStillWaitForTheColon() {
        // Twisted's partial-length pattern ends with '$', which also matches before a final newline.
        Recorder r = connected();
        r.dataReceived("12\n".getBytes(UTF_8));
        assertFalse(r.isBrokenPeer());
        r.dataReceived(":".getBytes(UTF_8));
        assertTrue(r.isBrokenPeer());
    }

    @Test
    void lengthAtMaxLengthIsAcceptedAndOneOverIsRejected() {
        Recorder r = connected();
        r.setMaxLength(5);
        r.dataReceived("5:abcde,".getBytes(UTF_8));
        assertEquals(List.of("abcde"), r.strings);
        r.dataReceived("6:".getBytes(UTF_8));
        assertTrue(r.isBrokenPeer());
        assertEquals(0, r.bufferCapacity());
    }

    @Test
    void hugeAnnouncedLengthIsRejectedBeforeAllocating() {
        Recorder r = connected();
        r.dataReceived("2147483647:".getBytes(UTF_8));
        assertTrue(r.isBrokenPeer());
        assertEquals(0, r.bufferCapacity());
        r.dataReceived(new byte[1 << 20]);
        assertEquals(List.of(), r.strings);
    }

    @Test
    void deliveryGoesOnAfterLoseConnectionAsInTwisted() {
        // Twisted's NetstringReceiver does not look at transport.disconnecting: the rest of the chunk is delivered.
        Recorder r = connected();
        r.dataReceived("1:a,5:close,1:b,".getBytes(UTF_8));
        assertEquals(List.of("a", "close", "b"), r.strings);
        assertFalse(r.isBrokenPeer());
    }

    @Test
    void byteAtATimeGivesTheSameStrings() {
        Recorder r = connected();
        for (byte b : "5:hello,0:,12:twelve bytes,".getBytes(UTF_8)) {
            r.dataReceived(new byte[] {b});
        }
        assertEquals(List.of("hello", "", "twelve bytes"), r.strings);
    }
}
