package dev.weft.protocol.basic;

import dev.weft.protocol.Transport;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A receiver of netstrings (Twisted's {@code NetstringReceiver}, D. J. Bernstein's format): each string is sent
 * as its length in ASCII decimal, a colon, its bytes, and a comma, so {@code "hello"} is {@code 5:hello,}.
 *
 * <p>Subclass it and implement {@link #stringReceived(byte[])}. It makes the same callbacks, with the same
 * arguments, in the same order, as Twisted 22.4's class, for every sequence of chunks and every handler (pinned
 * against real Twisted by a differential test). The length must have no leading zero (except {@code 0} itself) and
 * be at most {@link #getMaxLength()} (default {@value #DEFAULT_MAX_LENGTH}); a length whose digits received so far
 * already exceed the limit, a byte that cannot continue a length, a missing colon or comma is a parse error: the
 * receiver calls {@code transport.loseConnection()}, marks the peer broken ({@link #isBrokenPeer()}) and calls
 * {@link #onParseError(String)}. As in Twisted, digits followed by a newline that ends the data received so far are
 * still waiting for their colon, and a parse error is repeated (with another {@code loseConnection()}) by every later
 * {@code dataReceived} that brings data or finds some left after the error. Delivery does not look at the
 * transport's {@code disconnecting} (a real transport delivers nothing after {@code loseConnection()}), so a
 * handler that loses the connection still gets the rest of the chunk.
 *
 * <p>Memory: the receiver holds at most {@code maxLength} bytes for the string being read plus the chunk being
 * parsed; after a parse error it keeps nothing (Twisted keeps everything that arrives).
 *
 * <p>Every callback runs on the reactor thread; {@code dataReceived} is final. Not thread-safe.
 */
public abstract class NetstringReceiver extends FramingReceiver {

    /** The default limit on a string's length, in bytes (Twisted's {@code MAX_LENGTH}). */
    public static final int DEFAULT_MAX_LENGTH = 99999;

    private static final byte[] NONE = new byte[0];

    /** What the receiver reads next. */
    private enum State {
        /** The length and its colon. */
        LENGTH,
        /** The string's bytes and the comma after them. */
        PAYLOAD,
        /** Nothing: a parse error happened; every later call with data repeats it. */
        BROKEN
    }

    /** What one step of the parser made of the buffer. */
    private enum Step { PROGRESS, INCOMPLETE, ERROR }

    private final ByteAccumulator remaining = new ByteAccumulator();
    private State state = State.LENGTH;
    private byte[] payload = NONE;
    private int filled;
    private boolean brokenPeer;
    /** In the BROKEN state: whether Twisted would still hold unparsed bytes (so a later call repeats the error). */
    private boolean leftAfterError;
    private String error;

    /** Creates a receiver with the default limit. */
    protected NetstringReceiver() {
        super(DEFAULT_MAX_LENGTH);
    }

    /**
     * Resets the parser (as Twisted's {@code makeConnection} does), then makes the connection.
     *
     * @param transport the connection
     * @throws NullPointerException if {@code transport} is null
     */
    @Override
    public void makeConnection(Transport transport) {
        remaining.clear();
        state = State.LENGTH;
        payload = NONE;
        filled = 0;
        brokenPeer = false;
        leftAfterError = false;
        super.makeConnection(transport);
    }

    /**
     * Called on the reactor thread for each complete netstring, in order, with its content.
     *
     * @param data the string's bytes; the receiver owns the array
     */
    protected abstract void stringReceived(byte[] data);

    /**
     * Parses {@code data} (see the class comment). Called by the transport on the reactor thread; a call made from
     * inside {@link #stringReceived(byte[])} adds its data to what is left and parses it all before it returns.
     *
     * @param data the bytes read
     * @throws NullPointerException if {@code data} is null
     */
    @Override
    public final void dataReceived(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        if (state == State.BROKEN) {
            leftAfterError |= data.length > 0;
        } else {
            remaining.append(data, 0, data.length, Integer.MAX_VALUE);
        }
        while (state == State.BROKEN ? leftAfterError : remaining.size() > 0) {
            if (state == State.BROKEN) {
                parseError(error);
                break;
            }
            Step step = state == State.LENGTH ? consumeLength() : consumePayload();
            if (step == Step.INCOMPLETE) {
                break;
            }
            if (step == Step.ERROR) {
                state = State.BROKEN;
                leftAfterError = remaining.size() > 0;
                remaining.clear();
                payload = NONE;
                parseError(error);
                break;
            }
        }
        remaining.shrink(0);
    }

    /** Reads the length and its colon, then goes on with the payload. */
    private Step consumeLength() {
        int size = remaining.size();
        int digits = 0;
        long value = 0;
        int limit = maxLengthSize();
        while (digits < size && digits <= limit) {
            byte b = remaining.get(digits);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            digits++;
        }
        boolean leadingZero = digits > 1 && remaining.get(0) == '0';
        if (digits > limit) {
            return fail("length has more than " + limit + " digits");
        }
        if (digits == 0) {
            return fail(size > 0 && remaining.get(0) == ':' ? "no length before ':'"
                    : "invalid byte " + (remaining.get(0) & 0xFF) + " where a length starts");
        }
        if (leadingZero) {
            return fail("leading zero in length");
        }
        if (digits < size && remaining.get(digits) == ':') {
            if (value > maxLength) {
                return fail("length " + value + " is over the limit " + maxLength);
            }
            remaining.skip(digits + 1);
            payload = new byte[(int) value];
            filled = 0;
            state = State.PAYLOAD;
            return consumePayload();
        }
        // Incomplete only if the buffer is the digits alone, or the digits and a newline that ends it.
        boolean partial = digits == size || (digits == size - 1 && remaining.get(digits) == '\n');
        if (!partial) {
            return fail("invalid byte " + (remaining.get(digits) & 0xFF) + " after the length's digits");
        }
        if (value > maxLength) {
            return fail("length " + value + "... is over the limit " + maxLength);
        }
        return Step.INCOMPLETE;
    }

    /** Reads the payload and the comma after it, then delivers the string. */
    private Step consumePayload() {
        int n = Math.min(remaining.size(), payload.length - filled);
        remaining.copyTo(0, payload, filled, n);
        remaining.skip(n);
        filled += n;
        if (filled < payload.length || remaining.size() == 0) {
            return Step.INCOMPLETE;
        }
        byte comma = remaining.get(0);
        remaining.skip(1);
        if (comma != ',') {
            return fail("missing ',' after the data");
        }
        byte[] complete = payload;
        payload = NONE;
        state = State.LENGTH;
        stringReceived(complete);
        return Step.PROGRESS;
    }

    private Step fail(String why) {
        error = why;
        return Step.ERROR;
    }

    /** Twisted's {@code _maxLengthSize}: {@code ceil(log10(MAX_LENGTH)) + 1}; for a limit of 0, 1. */
    private int maxLengthSize() {
        if (maxLength <= 1) {
            return 1;
        }
        return Integer.toString(maxLength - 1).length() + 1;
    }

    private void parseError(String why) {
        if (transport != null) {
            transport.loseConnection();
        }
        brokenPeer = true;
        onParseError(why);
    }

    /**
     * Called on the reactor thread after a parse error, once the connection is being lost. Does nothing by default;
     * override it to log.
     *
     * @param why what was wrong
     */
    protected void onParseError(String why) {
    }

    /** The memory held for parsing (the string being read and the bytes not parsed yet); for tests of the bound. */
    final int bufferCapacity() {
        return payload.length + remaining.capacity();
    }

    /**
     * Writes {@code data} as a netstring, in one write.
     *
     * @param data the string's bytes
     * @throws NullPointerException  if {@code data} is null
     * @throws IllegalStateException if there is no transport yet
     */
    public void sendString(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        if (transport == null) {
            throw new IllegalStateException("not connected: no transport");
        }
        byte[] prefix = (data.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + data.length + 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(data, 0, out, prefix.length, data.length);
        out[out.length - 1] = ',';
        transport.write(out);
    }

    /**
     * Whether the peer sent something that is not a netstring (Twisted's {@code brokenPeer}).
     *
     * @return true after a parse error
     */
    public boolean isBrokenPeer() {
        return brokenPeer;
    }
}
