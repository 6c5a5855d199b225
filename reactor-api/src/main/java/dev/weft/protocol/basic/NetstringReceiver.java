package dev.weft.protocol.basic;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A receiver of netstrings (Twisted's {@code NetstringReceiver}, D. J. Bernstein's format): each string is sent
 * as its length in ASCII decimal, a colon, its bytes, and a comma, so {@code "hello"} is {@code 5:hello,}.
 *
 * <p>Subclass it and implement {@link #stringReceived(byte[])}. The length must have no leading zero (except
 * {@code 0} itself) and be at most {@link #getMaxLength()} (default {@value #DEFAULT_MAX_LENGTH}); a length with
 * too many digits, a non-digit, a missing colon or comma, or a length over the limit is a parse error: the
 * connection is lost ({@code transport.loseConnection()}), the peer is marked broken ({@link #isBrokenPeer()}),
 * and nothing more is delivered. The receiver never holds more than {@code maxLength} bytes, plus a few for the
 * length.
 *
 * <p>Delivery stops once the transport is disconnecting. Every callback runs on the reactor thread;
 * {@code dataReceived} is final. Not thread-safe.
 */
public abstract class NetstringReceiver extends FramingReceiver {

    /** The default limit on a string's length, in bytes (Twisted's {@code MAX_LENGTH}). */
    public static final int DEFAULT_MAX_LENGTH = 99999;

    private enum State { LENGTH, DATA, COMMA }

    private State state = State.LENGTH;
    private long length;
    private int digits;
    private byte[] data;
    private int filled;
    private boolean brokenPeer;

    /** Creates a receiver with the default limit. */
    protected NetstringReceiver() {
        super(DEFAULT_MAX_LENGTH);
    }

    /**
     * Called on the reactor thread for each complete netstring, in order, with its content. Not called after a
     * parse error or once the transport is disconnecting.
     *
     * @param data the string's bytes; the receiver owns the array
     */
    protected abstract void stringReceived(byte[] data);

    /**
     * Parses {@code data}. Called by the transport on the reactor thread.
     *
     * @param data the bytes read
     * @throws NullPointerException if {@code data} is null
     */
    @Override
    public final void dataReceived(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        int off = 0;
        while (off < data.length) {
            if (brokenPeer || disconnecting()) {
                this.data = null;
                return;
            }
            switch (state) {
                case LENGTH -> {
                    byte b = data[off++];
                    if (b == ':') {
                        if (digits == 0) {
                            parseError("no length before ':'");
                            return;
                        }
                        if (length > maxLength) {
                            parseError("length " + length + " is over the limit " + maxLength);
                            return;
                        }
                        this.data = new byte[(int) length];
                        filled = 0;
                        state = length == 0 ? State.COMMA : State.DATA;
                    } else if (b >= '0' && b <= '9') {
                        if (digits == 1 && length == 0) {
                            parseError("leading zero in length");
                            return;
                        }
                        digits++;
                        if (digits > maxDigits()) {
                            parseError("length has more than " + maxDigits() + " digits");
                            return;
                        }
                        length = length * 10 + (b - '0');
                    } else {
                        parseError("invalid byte " + (b & 0xFF) + " in length");
                        return;
                    }
                }
                case DATA -> {
                    int n = Math.min(data.length - off, this.data.length - filled);
                    System.arraycopy(data, off, this.data, filled, n);
                    filled += n;
                    off += n;
                    if (filled == this.data.length) {
                        state = State.COMMA;
                    }
                }
                case COMMA -> {
                    byte b = data[off++];
                    if (b != ',') {
                        parseError("missing ',' after the data");
                        return;
                    }
                    byte[] complete = this.data;
                    this.data = null;
                    state = State.LENGTH;
                    length = 0;
                    digits = 0;
                    stringReceived(complete);
                }
                default -> throw new AssertionError(state);
            }
        }
    }

    private int maxDigits() {
        return Integer.toString(maxLength).length();
    }

    private void parseError(String why) {
        brokenPeer = true;
        data = null;
        if (transport != null) {
            transport.loseConnection();
        }
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

    /** The size of the array held for the string being read; for tests of the memory bound. */
    final int bufferCapacity() {
        return data == null ? 0 : data.length;
    }

    private boolean disconnecting() {
        return transport != null && transport.isDisconnecting();
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
