package dev.weft.protocol.basic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Every framing receiver delivers the same messages however the stream is split into chunks: random streams with
 * random splits (jqwik), and short streams with every possible split (exhaustive).
 */
class FramingPropertiesTest {

    private static final int SMALL_MAX = 12;

    // ---- splitting helpers

    /** Feeds {@code stream} to {@code sink} cut after each position whose bit is set in {@code cuts}. */
    static void feedSplit(byte[] stream, long cuts, Consumer<byte[]> sink) {
        int from = 0;
        for (int i = 1; i < stream.length; i++) {
            if ((cuts & (1L << (i - 1))) != 0) {
                sink.accept(Arrays.copyOfRange(stream, from, i));
                from = i;
            }
        }
        sink.accept(Arrays.copyOfRange(stream, from, stream.length));
    }

    /** Feeds {@code stream} in chunks of the given sizes, cycling through them. */
    static void feedChunks(byte[] stream, List<Integer> sizes, Consumer<byte[]> sink) {
        int off = 0;
        int i = 0;
        while (off < stream.length) {
            int n = Math.min(stream.length - off, sizes.get(i++ % sizes.size()));
            sink.accept(Arrays.copyOfRange(stream, off, off + n));
            off += n;
        }
    }

    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        return Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(20);
    }

    // ---- LineReceiver

    static final class Lines extends LineReceiver {
        final List<String> lines = new ArrayList<>();
        final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int rawLeft;
        int exceeded;

        Lines() {
            setMaxLength(SMALL_MAX);
            makeConnection(new StringTransport());
        }

        @Override
        protected void lineReceived(byte[] line) {
            String s = new String(line, UTF_8);
            lines.add(s);
            if (s.startsWith("R") && s.length() > 1 && s.chars().skip(1).allMatch(Character::isDigit)) {
                rawLeft = Integer.parseInt(s.substring(1));
                if (rawLeft > 0) {
                    setRawMode();
                }
            }
        }

        @Override
        protected void rawDataReceived(byte[] data) {
            int take = Math.min(rawLeft, data.length);
            raw.write(data, 0, take);
            rawLeft -= take;
            if (rawLeft == 0) {
                setLineMode(Arrays.copyOfRange(data, take, data.length));
            }
        }

        @Override
        protected void lineLengthExceeded(byte[] line) {
            exceeded++;
            super.lineLengthExceeded(line);
        }
    }

    @Provide
    Arbitrary<List<String>> lineItems() {
        Arbitrary<String> line = Arbitraries.strings().withChars("ab\r\n").ofMaxLength(SMALL_MAX)
                .filter(s -> !s.contains("\r\n") && !s.startsWith("R"));
        Arbitrary<String> rawBlock = Arbitraries.strings().withChars("ab\r\nR").ofMinLength(1).ofMaxLength(30)
                .map(s -> "\u0000" + s);
        return Arbitraries.oneOf(line, line, rawBlock).list().ofMaxSize(30);
    }

    /** Items starting with NUL are raw blocks, announced by a line "R<length>". */
    static byte[] lineStream(List<String> items, List<String> expectedLines, ByteArrayOutputStream expectedRaw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String item : items) {
            if (item.startsWith("\u0000")) {
                byte[] raw = item.substring(1).getBytes(UTF_8);
                String announce = "R" + raw.length;
                expectedLines.add(announce);
                out.writeBytes((announce + "\r\n").getBytes(UTF_8));
                out.writeBytes(raw);
                expectedRaw.writeBytes(raw);
            } else {
                expectedLines.add(item);
                out.writeBytes((item + "\r\n").getBytes(UTF_8));
            }
        }
        return out.toByteArray();
    }

    @Property(tries = 300)
    void lineReceiverDeliversTheSameLinesAndRawDataForAnySplit(
            @ForAll("lineItems") List<String> items, @ForAll("chunkSizes") List<Integer> sizes) {
        List<String> expectedLines = new ArrayList<>();
        ByteArrayOutputStream expectedRaw = new ByteArrayOutputStream();
        byte[] stream = lineStream(items, expectedLines, expectedRaw);
        Lines r = new Lines();
        feedChunks(stream, sizes, r::dataReceived);
        assertEquals(expectedLines, r.lines);
        assertEquals(HexFormat.of().formatHex(expectedRaw.toByteArray()), HexFormat.of().formatHex(r.raw.toByteArray()));
        assertEquals(0, r.exceeded);
        assertFalse(r.transport().isDisconnecting());
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void lineReceiverDeliversTheSameForEverySplitOfAShortStream() {
        List<String> expectedLines = new ArrayList<>();
        ByteArrayOutputStream expectedRaw = new ByteArrayOutputStream();
        byte[] stream = lineStream(List.of("a\r", "", "\u0000x\r\n", "\nb"), expectedLines, expectedRaw);
        assertTrue(stream.length <= 22, "keep 2^(n-1) splits small: " + stream.length);
        for (long cuts = 0; cuts < 1L << (stream.length - 1); cuts++) {
            Lines r = new Lines();
            feedSplit(stream, cuts, r::dataReceived);
            assertEquals(expectedLines, r.lines, "split " + Long.toBinaryString(cuts));
            assertEquals("x\r\n", r.raw.toString(UTF_8), "split " + Long.toBinaryString(cuts));
        }
    }

    // ---- IntNStringReceiver

    static final class Strings32 extends Int32StringReceiver {
        final List<String> strings = new ArrayList<>();

        @Override
        protected void stringReceived(byte[] data) {
            strings.add(HexFormat.of().formatHex(data));
        }
    }

    static final class Strings16 extends Int16StringReceiver {
        final List<String> strings = new ArrayList<>();

        @Override
        protected void stringReceived(byte[] data) {
            strings.add(HexFormat.of().formatHex(data));
        }
    }

    static final class Strings8 extends Int8StringReceiver {
        final List<String> strings = new ArrayList<>();

        @Override
        protected void stringReceived(byte[] data) {
            strings.add(HexFormat.of().formatHex(data));
        }
    }

    @Provide
    Arbitrary<List<byte[]>> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(255).list().ofMaxSize(20);
    }

    @Property(tries = 200)
    void intNReceiversDeliverTheSameStringsForAnySplit(
            @ForAll("payloads") List<byte[]> payloads, @ForAll("chunkSizes") List<Integer> sizes) {
        List<String> expected = payloads.stream().map(p -> HexFormat.of().formatHex(p)).toList();

        Strings8 r8 = new Strings8();
        Strings16 r16 = new Strings16();
        Strings32 r32 = new Strings32();
        for (IntNStringReceiver r : List.of(r8, r16, r32)) {
            StringTransport sender = new StringTransport();
            r.makeConnection(new StringTransport());
            // encode with a receiver of the same prefix size
            IntNStringReceiver enc = r.prefixLength() == 1 ? new Strings8() : r.prefixLength() == 2
                    ? new Strings16() : new Strings32();
            enc.makeConnection(sender);
            payloads.forEach(enc::sendString);
            feedChunks(sender.value(), sizes, r::dataReceived);
            assertFalse(r.transport().isDisconnecting());
            assertEquals(0, r.bufferedBytes());
        }
        assertEquals(expected, r8.strings);
        assertEquals(expected, r16.strings);
        assertEquals(expected, r32.strings);
    }

    @Test
    void int16ReceiverDeliversTheSameForEverySplitOfAShortStream() {
        byte[] stream = {0, 3, 'a', 'b', 'c', 0, 0, 0, 1, (byte) 0xff, 0, 2, 'x', 'y'};
        List<String> expected = List.of("616263", "", "ff", "7879");
        for (long cuts = 0; cuts < 1L << (stream.length - 1); cuts++) {
            Strings16 r = new Strings16();
            r.makeConnection(new StringTransport());
            feedSplit(stream, cuts, r::dataReceived);
            assertEquals(expected, r.strings, "split " + Long.toBinaryString(cuts));
        }
    }

    // ---- NetstringReceiver

    static final class Netstrings extends NetstringReceiver {
        final List<String> strings = new ArrayList<>();

        @Override
        protected void stringReceived(byte[] data) {
            strings.add(HexFormat.of().formatHex(data));
        }
    }

    @Property(tries = 200)
    void netstringReceiverDeliversTheSameStringsForAnySplit(
            @ForAll("payloads") List<byte[]> payloads, @ForAll("chunkSizes") List<Integer> sizes) {
        StringTransport wire = new StringTransport();
        Netstrings encoder = new Netstrings();
        encoder.makeConnection(wire);
        payloads.forEach(encoder::sendString);
        Netstrings r = new Netstrings();
        r.makeConnection(new StringTransport());
        feedChunks(wire.value(), sizes, r::dataReceived);
        assertEquals(payloads.stream().map(p -> HexFormat.of().formatHex(p)).toList(), r.strings);
        assertFalse(r.isBrokenPeer());
    }

    @Test
    void netstringReceiverDeliversTheSameForEverySplitOfAShortStream() {
        byte[] stream = "3:abc,0:,10:0123456789,".getBytes(UTF_8);
        List<String> expected = List.of("616263", "", "30313233343536373839");
        for (long cuts = 0; cuts < 1L << (stream.length - 1); cuts++) {
            Netstrings r = new Netstrings();
            r.makeConnection(new StringTransport());
            feedSplit(stream, cuts, r::dataReceived);
            assertEquals(expected, r.strings, "split " + Long.toBinaryString(cuts));
        }
    }

    @Property(tries = 200)
    void netstringGarbageNeverDeliversAfterTheFirstParseError(@ForAll("chunkSizes") List<Integer> sizes,
            @ForAll byte[] garbage) {
        byte[] stream = ("2:ok," + "x").getBytes(UTF_8);
        byte[] all = Arrays.copyOf(stream, stream.length + garbage.length);
        System.arraycopy(garbage, 0, all, stream.length, garbage.length);
        Netstrings r = new Netstrings();
        r.makeConnection(new StringTransport());
        feedChunks(all, sizes, r::dataReceived);
        assertEquals(List.of("6f6b"), r.strings);
        assertTrue(r.isBrokenPeer());
        assertTrue(r.transport().isDisconnecting());
    }

    // ---- hostile input: memory stays bounded whatever arrives

    @Provide
    Arbitrary<byte[]> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(3000),
                Arbitraries.bytes().between((byte) 'a', (byte) 'c').array(byte[].class).ofMinSize(100).ofMaxSize(3000),
                Arbitraries.bytes().between((byte) -16, (byte) -1).array(byte[].class).ofMaxSize(3000));
    }

    @Property(tries = 300)
    void receiversHoldAtMostTheirLimitWhateverArrives(@ForAll("hostile") byte[] input,
            @ForAll("chunkSizes") List<Integer> sizes) {
        Lines lines = new Lines();
        Strings32 int32 = new Strings32();
        int32.makeConnection(new StringTransport());
        int32.setMaxLength(100);
        Strings16 int16 = new Strings16();
        int16.makeConnection(new StringTransport());
        int16.setMaxLength(100);
        Netstrings net = new Netstrings();
        net.makeConnection(new StringTransport());
        net.setMaxLength(100);
        feedChunks(input, sizes, chunk -> {
            lines.dataReceived(chunk);
            int32.dataReceived(chunk);
            int16.dataReceived(chunk);
            net.dataReceived(chunk);
            // Once disconnecting, Twisted delivers one line per call and keeps the rest (a real transport makes no
            // more calls then); until then, less than the limit and the delimiter stays between two calls.
            assertTrue(lines.transport().isDisconnecting() || lines.bufferedBytes() < SMALL_MAX + 2,
                    "line buffer " + lines.bufferedBytes());
            // After an over-long prefix Twisted keeps the chunk that held it and everything after; Weft keeps that
            // chunk (with what was left before it) and at most prefix + limit bytes after the prefix.
            assertTrue(int32.bufferedBytes() <= 2 * (4 + 100) + chunk.length, "int32 buffer " + int32.bufferedBytes());
            assertTrue(int16.bufferedBytes() <= 2 * (2 + 100) + chunk.length, "int16 buffer " + int16.bufferedBytes());
            // The string being read, and the digits of a length still waiting for its colon.
            assertTrue(net.bufferCapacity() <= 100 + 16, "netstring buffer " + net.bufferCapacity());
        });
        for (String s : int32.strings) {
            assertTrue(s.length() / 2 <= 100, "delivered a string over the limit");
        }
        for (String s : lines.lines) {
            assertTrue(s.length() <= SMALL_MAX, "delivered a line over the limit: " + s.length());
        }
    }
}
