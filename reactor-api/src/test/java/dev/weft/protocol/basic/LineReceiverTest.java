package dev.weft.protocol.basic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReceiverTest {

    /** Records lines and raw data; lines starting with "raw:" switch to raw mode, "pause" pauses. */
    static class Recorder extends LineReceiver {
        final List<String> lines = new ArrayList<>();
        final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        final List<byte[]> exceeded = new ArrayList<>();
        int rawUntilLineMode = -1;

        @Override
        protected void lineReceived(byte[] line) {
            String s = new String(line, UTF_8);
            lines.add(s);
            if (s.startsWith("raw:")) {
                rawUntilLineMode = Integer.parseInt(s.substring(4));
                setRawMode();
            } else if (s.equals("pause")) {
                pauseProducing();
            } else if (s.equals("close")) {
                transport.loseConnection();
            }
        }

        @Override
        protected void rawDataReceived(byte[] data) {
            int take = Math.min(rawUntilLineMode, data.length);
            raw.write(data, 0, take);
            rawUntilLineMode -= take;
            if (rawUntilLineMode == 0) {
                setLineMode(Arrays.copyOfRange(data, take, data.length));
            }
        }

        @Override
        protected void lineLengthExceeded(byte[] line) {
            exceeded.add(line);
            super.lineLengthExceeded(line);
        }
    }

    private static Recorder connected() {
        Recorder r = new Recorder();
        r.makeConnection(new StringTransport());
        return r;
    }

    private static void feed(LineReceiver r, String s) {
        r.dataReceived(s.getBytes(UTF_8));
    }

    @Test
    void deliversEachLineWithoutTheDelimiter() {
        Recorder r = connected();
        feed(r, "one\r\ntwo\r\n\r\nthree");
        assertEquals(List.of("one", "two", ""), r.lines);
        feed(r, "\r\n");
        assertEquals(List.of("one", "two", "", "three"), r.lines);
    }

    @Test
    void delimiterSplitAcrossChunksIsFound() {
        Recorder r = connected();
        feed(r, "abc\r");
        assertEquals(List.of(), r.lines);
        feed(r, "\ndef\r");
        feed(r, "\n");
        assertEquals(List.of("abc", "def"), r.lines);
    }

    @Test
    void customDelimiterIsUsedForParsingAndSending() {
        Recorder r = connected();
        r.setDelimiter(new byte[] {'\n'});
        feed(r, "a\nb\r\n");
        assertEquals(List.of("a", "b\r"), r.lines);
        r.sendLine("hi");
        assertEquals("hi\n", ((StringTransport) r.transport()).valueAsString());
        assertArrayEquals(new byte[] {'\n'}, r.getDelimiter());
    }

    @Test
    void sendLineAppendsCrLf() {
        Recorder r = connected();
        r.sendLine("hello".getBytes(UTF_8));
        r.sendLine("");
        assertEquals("hello\r\n\r\n", ((StringTransport) r.transport()).valueAsString());
    }

    @Test
    void lineOfExactlyMaxLengthIsDelivered() {
        Recorder r = connected();
        r.setMaxLength(10);
        feed(r, "0123456789\r\n");
        assertEquals(List.of("0123456789"), r.lines);
        assertTrue(r.exceeded.isEmpty());
    }

    @Test
    void terminatedLineLongerThanMaxLengthCallsLineLengthExceededAndCloses() {
        Recorder r = connected();
        r.setMaxLength(10);
        feed(r, "01234567890\r\nnext\r\n");
        assertEquals(List.of(), r.lines);
        assertEquals(1, r.exceeded.size());
        assertTrue(r.transport().isDisconnecting());
    }

    @Test
    void unterminatedBufferOfMaxLengthPlusDelimiterIsExceeded() {
        Recorder r = connected();
        r.setMaxLength(10);
        feed(r, "01234567890");
        assertTrue(r.exceeded.isEmpty(), "11 bytes < 10 + 2 is still acceptable");
        feed(r, "x");
        assertEquals(1, r.exceeded.size());
        assertEquals("01234567890x", new String(r.exceeded.get(0), UTF_8));
        assertTrue(r.transport().isDisconnecting());
    }

    @Test
    void deliveryStopsAfterTheLineThatLosesTheConnectionAndALaterCallGoesOnOneLine() {
        // Twisted checks transport.disconnecting after each line: the rest of the chunk stays buffered; a later
        // dataReceived (a real transport makes none after loseConnection) delivers one more line, then stops again.
        Recorder r = connected();
        feed(r, "a\r\nclose\r\nb\r\nc\r\n");
        assertEquals(List.of("a", "close"), r.lines);
        feed(r, "d\r\n");
        assertEquals(List.of("a", "close", "b"), r.lines);
        assertEquals("c\r\nd\r\n", new String(r.clearLineBuffer(), UTF_8));
    }

    @Test
    void rawModeGetsTheRestOfTheBufferAndLineModeParsesTheExtra() {
        Recorder r = connected();
        feed(r, "head\r\nraw:5\r\nABCDEtail\r\nmore\r\n");
        assertEquals(List.of("head", "raw:5", "tail", "more"), r.lines);
        assertEquals("ABCDE", r.raw.toString(UTF_8));
        assertTrue(r.isLineMode());
    }

    @Test
    void rawModeAcrossChunks() {
        Recorder r = connected();
        feed(r, "raw:6\r\nAB");
        assertFalse(r.isLineMode());
        feed(r, "CD");
        feed(r, "EFx\r");
        feed(r, "\n");
        assertEquals("ABCDEF", r.raw.toString(UTF_8));
        assertEquals(List.of("raw:6", "x"), r.lines);
    }

    @Test
    void rawDataReceivedNotOverriddenThrows() {
        LineReceiver r = new LineReceiver() {
            @Override
            protected void lineReceived(byte[] line) {
                setRawMode();
            }
        };
        r.makeConnection(new StringTransport());
        assertThrows(UnsupportedOperationException.class, () -> r.dataReceived("x\r\nraw".getBytes(UTF_8)));
    }

    @Test
    void pauseStopsDeliveryAndPausesTransportResumeDeliversTheBuffer() {
        Recorder r = connected();
        StringTransport t = (StringTransport) r.transport();
        feed(r, "a\r\npause\r\nb\r\nc");
        assertEquals(List.of("a", "pause"), r.lines);
        assertTrue(r.isPaused());
        assertEquals(StringTransport.ProducerState.PAUSED, t.producerState());
        feed(r, "\r\nd\r\n");
        assertEquals(List.of("a", "pause"), r.lines);
        r.resumeProducing();
        assertEquals(List.of("a", "pause", "b", "c", "d"), r.lines);
        assertEquals(StringTransport.ProducerState.PRODUCING, t.producerState());
    }

    @Test
    void stopProducingStopsDeliveryAndTheTransport() {
        Recorder r = connected();
        r.stopProducing();
        feed(r, "a\r\n");
        assertEquals(List.of(), r.lines);
        assertEquals(StringTransport.ProducerState.STOPPED, ((StringTransport) r.transport()).producerState());
    }

    @Test
    void clearLineBufferReturnsThePartialLine() {
        Recorder r = connected();
        feed(r, "a\r\npartial");
        assertEquals("partial", new String(r.clearLineBuffer(), UTF_8));
        feed(r, "\r\n");
        assertEquals(List.of("a", ""), r.lines);
    }

    @Test
    void bufferNeverExceedsMaxLengthPlusDelimiterWhileALineGrows() {
        Recorder r = connected();
        byte[] chunk = new byte[1000];
        Arrays.fill(chunk, (byte) 'y');
        int maxSeen = 0;
        for (int i = 0; i < 16; i++) {
            r.dataReceived(chunk);
            maxSeen = Math.max(maxSeen, r.bufferedBytes());
        }
        assertEquals(16000, maxSeen);
        for (int i = 0; i < 5; i++) {
            r.dataReceived(chunk);
            assertTrue(r.bufferedBytes() <= r.getMaxLength() + 2, "buffered " + r.bufferedBytes());
        }
        assertEquals(1, r.exceeded.size());
    }

    @Test
    void tenMegabyteLineWithoutDelimiterClosesWithBoundedBuffer() {
        Recorder r = connected();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 160; i++) {
            r.dataReceived(chunk);
        }
        // As in Twisted: each chunk alone is over maxLength + delimiter, so each goes whole to lineLengthExceeded
        // (a real transport delivers nothing after the first one's loseConnection), and nothing is kept.
        assertEquals(List.of(), r.lines);
        assertEquals(160, r.exceeded.size());
        assertTrue(r.exceeded.stream().allMatch(e -> e.length == chunk.length));
        assertTrue(r.transport().isDisconnecting());
        assertEquals(0, r.bufferCapacity(), "capacity " + r.bufferCapacity());
        assertEquals(0, r.clearLineBuffer().length);
    }

    @Test
    void tenMegabyteLineInOneChunkClosesAndKeepsNoLargeBuffer() {
        Recorder r = connected();
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        r.dataReceived(huge);
        assertEquals(List.of(), r.lines);
        assertEquals(1, r.exceeded.size());
        assertEquals(huge.length, r.exceeded.get(0).length, "Twisted passes the whole buffer");
        assertTrue(r.transport().isDisconnecting());
        assertEquals(0, r.bufferedBytes());
        assertTrue(r.bufferCapacity() <= 8192, "large arrays are given back: " + r.bufferCapacity());
    }

    @Test
    void argumentChecksNameTheArgument() {
        Recorder r = connected();
        assertEquals("data must not be null",
                assertThrows(NullPointerException.class, () -> r.dataReceived(null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.setDelimiter(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> r.setMaxLength(-1));
        Recorder unconnected = new Recorder();
        assertThrows(IllegalStateException.class, () -> unconnected.sendLine("x"));
    }
}
