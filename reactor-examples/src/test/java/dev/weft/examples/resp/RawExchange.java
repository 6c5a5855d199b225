package dev.weft.examples.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One connection's script of raw request bytes and how to tell that all its replies have come, with the blocking
 * loopback exchange that plays it against a server (Redis or Weft) and returns the raw reply bytes.
 *
 * <p>A script that stays open ends with {@code ECHO <marker>}, and the replies are read until they end with the
 * marker's reply; one that makes the server close (a protocol error, QUIT) is read until end of stream. Reads are
 * bounded by a socket timeout, an overall deadline and a size limit.
 */
final class RawExchange {

    /** How a script ends. */
    enum Ending {
        /** The connection stays usable: the script ends with the marker ECHO. */
        OPEN,
        /** The server closes the connection after its last reply. */
        CLOSES
    }

    static final String MARKER = "__end_of_script__";

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 3_000;
    private static final long DEADLINE_MS = 10_000;
    private static final int MAX_REPLY = 16 << 20;
    private static final byte[] MARKER_REPLY = ("$" + MARKER.length() + "\r\n" + MARKER + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    final String name;
    final byte[] request;
    final Ending ending;

    RawExchange(String name, byte[] request, Ending ending) {
        this.name = name;
        this.request = request;
        this.ending = ending;
    }

    /** What a server answered. */
    static final class Result {
        final byte[] reply;
        /** Whether the server closed the connection (end of stream or reset) rather than the read stopping. */
        final boolean closed;

        Result(byte[] reply, boolean closed) {
            this.reply = reply;
            this.closed = closed;
        }

        /** The reply with CR, LF and non-printable bytes escaped, and whether the server closed. */
        String readable() {
            StringBuilder b = new StringBuilder();
            for (byte x : reply) {
                int c = x & 0xff;
                if (c == '\r') {
                    b.append("\\r");
                } else if (c == '\n') {
                    b.append("\\n\n");
                } else if (c < 0x20 || c >= 0x7f) {
                    b.append(String.format("\\x%02x", c));
                } else {
                    b.append((char) c);
                }
            }
            return b.append(closed ? "<closed>" : "<open>").toString();
        }
    }

    /**
     * Plays the script against 127.0.0.1:{@code port}.
     *
     * @param port the server's port
     * @return the replies
     * @throws IOException if it cannot connect or write
     */
    Result playAgainst(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            long deadline = System.nanoTime() + DEADLINE_MS * 1_000_000;
            while (System.nanoTime() < deadline && got.size() < MAX_REPLY) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    return new Result(got.toByteArray(), false);
                } catch (SocketException e) {
                    return new Result(got.toByteArray(), true); // reset after the close
                }
                if (n < 0) {
                    return new Result(got.toByteArray(), true);
                }
                got.write(buf, 0, n);
                if (ending == Ending.OPEN && endsWithMarker(got.toByteArray())) {
                    return new Result(got.toByteArray(), false);
                }
            }
            return new Result(got.toByteArray(), false);
        }
    }

    private static boolean endsWithMarker(byte[] b) {
        return b.length >= MARKER_REPLY.length
                && Arrays.equals(b, b.length - MARKER_REPLY.length, b.length, MARKER_REPLY, 0, MARKER_REPLY.length);
    }

    /** Builds a script: commands as RESP arrays, inline lines, or raw bytes. */
    static final class Builder {
        private final String name;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Builder(String name) {
            this.name = name;
        }

        /** Appends a command as a RESP array of bulk strings (ISO-8859-1). */
        Builder cmd(String... args) {
            out.writeBytes(RespTestClient.encode(args));
            return this;
        }

        /** Appends an inline command: the line as given, then CRLF. */
        Builder inline(String line) {
            return raw(line + "\r\n");
        }

        /** Appends bytes as they are (ISO-8859-1). */
        Builder raw(String bytes) {
            out.writeBytes(bytes.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        /** Ends a script after which the connection stays usable. */
        RawExchange open() {
            cmd("ECHO", MARKER);
            return new RawExchange(name, out.toByteArray(), Ending.OPEN);
        }

        /** Ends a script whose last bytes make the server close the connection. */
        RawExchange closes() {
            return new RawExchange(name, out.toByteArray(), Ending.CLOSES);
        }
    }
}
