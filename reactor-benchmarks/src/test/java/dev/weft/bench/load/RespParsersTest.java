package dev.weft.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two request parsers of the raw baselines read the same commands from any split of the same bytes. */
class RespParsersTest {

    static final String PIPELINE = "*1\r\n$4\r\nPING\r\n"
            + "PING\r\n"
            + "  set \tk  v\n"
            + "\r\n"
            + "*0\r\n"
            + "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$0\r\n\r\n"
            + "*2\r\n$4\r\nECHO\r\n$12\r\nhello\r\nworld\r\n"
            + "*-1\r\n"
            + "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n";

    static final List<List<String>> EXPECTED = List.of(
            List.of("PING"), List.of("PING"), List.of("set", "k", "v"), List.of("SET", "key", ""),
            List.of("ECHO", "hello\r\nworld"), List.of("GET", "key"));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> strings(byte[][] argv, int argc) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < argc; i++) {
            l.add(new String(argv[i], StandardCharsets.ISO_8859_1));
        }
        return l;
    }

    /** Feeds the chunks to a NioRespParser the way RawNioRespServer does: unparsed bytes carried to the next. */
    static List<List<String>> nio(List<byte[]> chunks) throws NioRespParser.Malformed {
        NioRespParser p = new NioRespParser();
        List<List<String>> out = new ArrayList<>();
        ByteArrayOutputStream carry = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            carry.write(c, 0, c.length);
            ByteBuffer buf = ByteBuffer.allocateDirect(carry.size());
            buf.put(carry.toByteArray()).flip();
            p.parse(buf, (argv, argc) -> out.add(strings(argv, argc)));
            byte[] rest = new byte[buf.remaining()];
            buf.get(rest);
            carry.reset();
            carry.write(rest, 0, rest.length);
        }
        assertEquals(0, carry.size(), "bytes left over");
        return out;
    }

    static List<Object> netty(List<byte[]> chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new RespFrameDecoder());
        for (byte[] c : chunks) {
            ch.writeInbound(Unpooled.wrappedBuffer(c));
        }
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o instanceof byte[][] ? strings((byte[][]) o, ((byte[][]) o).length) : o);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    @Test
    void everyTwoWaySplitGivesTheSameCommands() throws Exception {
        byte[] all = bytes(PIPELINE);
        for (int i = 0; i <= all.length; i++) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(all, 0, i), Arrays.copyOfRange(all, i, all.length));
            assertEquals(EXPECTED, nio(chunks), "nio, split at " + i);
            assertEquals(new ArrayList<Object>(EXPECTED), netty(chunks), "netty, split at " + i);
        }
    }

    @Test
    void byteByByteAndRandomChunks() throws Exception {
        byte[] all = bytes(PIPELINE);
        List<byte[]> single = new ArrayList<>();
        for (byte b : all) {
            single.add(new byte[] {b});
        }
        assertEquals(EXPECTED, nio(single));
        assertEquals(new ArrayList<Object>(EXPECTED), netty(single));
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<byte[]> chunks = new ArrayList<>();
            int pos = 0;
            while (pos < all.length) {
                int n = Math.min(all.length - pos, 1 + r.nextInt(12));
                chunks.add(Arrays.copyOfRange(all, pos, pos + n));
                pos += n;
            }
            assertEquals(EXPECTED, nio(chunks));
            assertEquals(new ArrayList<Object>(EXPECTED), netty(chunks));
        }
    }

    @Test
    void malformedInputIsOneErrorWithRedisText() {
        String[][] cases = {
            {"*1\r\nxx\r\n", "ERR Protocol error: expected '$', got 'x'"},
            {"*1\r\n$-5\r\n", "ERR Protocol error: invalid bulk length"},
            {"*1\r\n$99999999999\r\n", "ERR Protocol error: invalid bulk length"},
            {"*x\r\n", "ERR Protocol error: invalid multibulk length"},
            {"*1\r\n$1\r\nab\r\n", "ERR Protocol error: bulk string not followed by CRLF"},
        };
        for (String[] c : cases) {
            List<byte[]> chunks = List.of(bytes(c[0] + "PING\r\n"));
            List<Object> n = netty(chunks);
            assertEquals(1, n.size(), c[0]);
            assertEquals(c[1], ((RespFrameDecoder.ProtocolError) n.get(0)).message, c[0]);
            try {
                nio(chunks);
                throw new AssertionError("no error for " + c[0]);
            } catch (NioRespParser.Malformed e) {
                assertEquals(c[1], e.getMessage(), c[0]);
            }
        }
    }

    @Test
    void aLineLongerThanTheLimitIsAnErrorBeforeItEnds() {
        byte[] longLine = new byte[RespFrameDecoder.MAX_LINE + 10];
        Arrays.fill(longLine, (byte) 'a');
        List<Object> n = netty(List.of(longLine));
        assertEquals("ERR Protocol error: too big inline request", ((RespFrameDecoder.ProtocolError) n.get(0)).message);
        try {
            nio(List.of(longLine));
            throw new AssertionError("no error");
        } catch (NioRespParser.Malformed e) {
            assertEquals("ERR Protocol error: too big inline request", e.getMessage());
        }
    }

    @Test
    void theNioParserStopsWhenTheHandlerSaysSo() throws Exception {
        NioRespParser p = new NioRespParser();
        ByteBuffer buf = ByteBuffer.wrap(bytes("QUIT\r\nPING\r\n"));
        List<String> seen = new ArrayList<>();
        assertFalse(p.parse(buf, (argv, argc) -> {
            seen.add(new String(argv[0], StandardCharsets.US_ASCII));
            return false;
        }));
        assertEquals(List.of("QUIT"), seen);
        assertTrue(buf.hasRemaining());
    }
}
