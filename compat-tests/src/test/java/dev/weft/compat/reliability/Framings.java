package dev.weft.compat.reliability;

import dev.weft.protocol.basic.FramingReceiver;
import dev.weft.protocol.basic.Int16StringReceiver;
import dev.weft.protocol.basic.Int32StringReceiver;
import dev.weft.protocol.basic.Int8StringReceiver;
import dev.weft.protocol.basic.IntNStringReceiver;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.protocol.basic.NetstringReceiver;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The framing receivers under fuzz: one recording subclass per kind, the streams they are fed (valid frames,
 * oversized frames, random bytes, seeded), and a reading of the size of a receiver's parse buffer.
 */
final class Framings {
    private static final Map<Class<?>, Method> CAPACITY = new ConcurrentHashMap<>();

    private Framings() {
    }

    /** The framing receivers of {@code dev.weft.protocol.basic}. */
    enum Kind {
        LINE, INT8, INT16, INT32, NETSTRING;

        /** The bytes of framing around a frame's content that the receiver may buffer besides the content. */
        int overhead(byte[] delimiter) {
            return switch (this) {
                case LINE -> delimiter.length;
                case INT8 -> 1;
                case INT16 -> 2;
                case INT32 -> 4;
                case NETSTRING -> 0;
            };
        }
    }

    /** What a receiver delivered: its frames and the violations it reported, in order. */
    static final class Record {
        final List<byte[]> frames = new ArrayList<>();
        final List<String> violations = new ArrayList<>();

        String describe() {
            long bytes = frames.stream().mapToLong(f -> f.length).sum();
            return frames.size() + " frames (" + bytes + " bytes), violations " + violations;
        }
    }

    /** One stream: a receiver's configuration and the bytes a peer sends it. */
    record Case(Kind kind, String shape, long seed, int maxLength, byte[] delimiter, byte[] stream) {
        @Override
        public String toString() {
            return kind + " " + shape + " (seed " + seed + ", maxLength " + maxLength
                    + (kind == Kind.LINE ? ", delimiter " + java.util.Arrays.toString(delimiter) : "") + ", "
                    + stream.length + " bytes)";
        }
    }

    /**
     * A new receiver of the case's kind and configuration that records into {@code rec}.
     *
     * @param c   the case
     * @param rec where it records
     * @return the receiver
     */
    static FramingReceiver receiver(Case c, Record rec) {
        FramingReceiver r = switch (c.kind()) {
            case LINE -> {
                LineReceiver l = new LineReceiver() {
                    @Override
                    protected void lineReceived(byte[] line) {
                        rec.frames.add(line);
                    }

                    @Override
                    protected void lineLengthExceeded(byte[] line) {
                        // How many bytes it is given depends on the reads (Twisted passes all that is buffered).
                        rec.violations.add("lineLengthExceeded");
                        super.lineLengthExceeded(line);
                    }
                };
                l.setDelimiter(c.delimiter());
                yield l;
            }
            case INT8 -> new Int8StringReceiver() {
                @Override
                protected void stringReceived(byte[] data) {
                    rec.frames.add(data);
                }

                @Override
                protected void lengthLimitExceeded(long length) {
                    rec.violations.add("lengthLimitExceeded(" + length + ")");
                    super.lengthLimitExceeded(length);
                }
            };
            case INT16 -> new Int16StringReceiver() {
                @Override
                protected void stringReceived(byte[] data) {
                    rec.frames.add(data);
                }

                @Override
                protected void lengthLimitExceeded(long length) {
                    rec.violations.add("lengthLimitExceeded(" + length + ")");
                    super.lengthLimitExceeded(length);
                }
            };
            case INT32 -> new Int32StringReceiver() {
                @Override
                protected void stringReceived(byte[] data) {
                    rec.frames.add(data);
                }

                @Override
                protected void lengthLimitExceeded(long length) {
                    rec.violations.add("lengthLimitExceeded(" + length + ")");
                    super.lengthLimitExceeded(length);
                }
            };
            case NETSTRING -> new NetstringReceiver() {
                @Override
                protected void stringReceived(byte[] data) {
                    rec.frames.add(data);
                }

                @Override
                protected void onParseError(String why) {
                    // The wording depends on how much of the bad length had arrived (as in Twisted).
                    rec.violations.add("parse error");
                }
            };
        };
        r.setMaxLength(c.maxLength());
        return r;
    }

    /**
     * The capacity of a receiver's parse buffer: what it holds in memory for the frame being read. Read through
     * the package-private {@code bufferCapacity()} that each receiver keeps for tests of the memory bound.
     *
     * @param r the receiver
     * @return the capacity in bytes
     */
    static int bufferCapacity(FramingReceiver r) {
        Method m = CAPACITY.computeIfAbsent(r.getClass(), Framings::findCapacity);
        try {
            return (int) m.invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError("cannot read the buffer of " + r.getClass().getName(), e);
        }
    }

    private static Method findCapacity(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod("bufferCapacity");
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException e) {
                // look further up
            }
        }
        throw new AssertionError(type.getName() + " has no bufferCapacity() to read its parse buffer");
    }

    // ---------------------------------------------------------------- streams

    /** The shapes of stream every kind is fed. */
    static final String[] SHAPES = {
        "valid frames", "valid frames at the limit", "valid frames, then one over the limit, then more",
        "random bytes", "random bytes, small limit", "valid frames, then random bytes",
    };

    /**
     * The stream of one shape for one kind.
     *
     * @param kind  the receiver
     * @param shape an index into {@link #SHAPES}
     * @param seed  the seed
     * @return the case
     */
    static Case generate(Kind kind, int shape, long seed) {
        Random rnd = new Random(seed);
        byte[] delimiter = kind == Kind.LINE ? new byte[][] {{'\r', '\n'}, {'\n'}, {0}, {'E', 'N', 'D'}}[shape % 4]
                : new byte[0];
        int maxLength = switch (shape) {
            case 1, 4 -> kind == Kind.INT8 ? 50 : 300;
            case 2 -> kind == Kind.INT8 ? 100 : kind == Kind.INT16 ? 1000 : defaultMax(kind);
            default -> defaultMax(kind);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (shape) {
            case 0 -> frames(out, kind, delimiter, rnd, 60, Math.min(maxLength, 4000), false);
            case 1 -> frames(out, kind, delimiter, rnd, 40, maxLength, true);
            case 2 -> {
                frames(out, kind, delimiter, rnd, 20, Math.min(maxLength, 2000), false);
                oversized(out, kind, delimiter, rnd, maxLength);
                frames(out, kind, delimiter, rnd, 20, Math.min(maxLength, 2000), false);
            }
            case 3, 4 -> random(out, rnd, 16_384 + rnd.nextInt(65_536));
            case 5 -> {
                frames(out, kind, delimiter, rnd, 30, Math.min(maxLength, 2000), false);
                random(out, rnd, 1 + rnd.nextInt(32_768));
            }
            default -> throw new IllegalArgumentException("shape " + shape);
        }
        return new Case(kind, SHAPES[shape], seed, maxLength, delimiter, out.toByteArray());
    }

    private static int defaultMax(Kind kind) {
        return kind == Kind.LINE ? LineReceiver.DEFAULT_MAX_LENGTH
                : kind == Kind.NETSTRING ? NetstringReceiver.DEFAULT_MAX_LENGTH : IntNStringReceiver.DEFAULT_MAX_LENGTH;
    }

    private static int prefixLimit(Kind kind) {
        return kind == Kind.INT8 ? 255 : kind == Kind.INT16 ? 65_535 : Integer.MAX_VALUE;
    }

    private static void random(ByteArrayOutputStream out, Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        out.writeBytes(b);
    }

    /** {@code count} valid frames of 0 to {@code longest} bytes; with {@code atLimit}, every other one is exactly at it. */
    private static void frames(ByteArrayOutputStream out, Kind kind, byte[] delimiter, Random rnd, int count,
            int longest, boolean atLimit) {
        int cap = Math.min(longest, prefixLimit(kind));
        for (int i = 0; i < count; i++) {
            int n = atLimit && i % 2 == 0 ? cap : rnd.nextInt(cap + 1);
            byte[] content = new byte[n];
            rnd.nextBytes(content);
            frame(out, kind, delimiter, content);
        }
    }

    private static void frame(ByteArrayOutputStream out, Kind kind, byte[] delimiter, byte[] content) {
        switch (kind) {
            case LINE -> {
                for (int i = 0; i < content.length; i++) {
                    if (content[i] == delimiter[0]) {
                        content[i] = (byte) (delimiter[0] + 1); // a line never holds its delimiter's first byte
                    }
                }
                out.writeBytes(content);
                out.writeBytes(delimiter);
            }
            case INT8, INT16, INT32 -> {
                int p = kind == Kind.INT8 ? 1 : kind == Kind.INT16 ? 2 : 4;
                prefix(out, p, content.length);
                out.writeBytes(content);
            }
            case NETSTRING -> {
                out.writeBytes((content.length + ":").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(content);
                out.write(',');
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static void prefix(ByteArrayOutputStream out, int bytes, long length) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (length >>> (8 * i)) & 0xFF);
        }
    }

    /** One frame over {@code maxLength}: a line too long, a prefix or a netstring length over the limit. */
    private static void oversized(ByteArrayOutputStream out, Kind kind, byte[] delimiter, Random rnd,
            int maxLength) {
        switch (kind) {
            case LINE -> {
                byte[] content = new byte[maxLength + 1 + rnd.nextInt(2 * maxLength)];
                rnd.nextBytes(content);
                frame(out, kind, delimiter, content);
            }
            case INT8, INT16 -> {
                int p = kind == Kind.INT8 ? 1 : 2;
                int n = maxLength + 1 + rnd.nextInt(prefixLimit(kind) - maxLength);
                prefix(out, p, n);
                random(out, rnd, n);
            }
            case INT32 -> {
                // A prefix announcing up to 4 GiB: nothing may be allocated for it. Only its first bytes follow.
                prefix(out, 4, maxLength + 1L + (rnd.nextLong() & 0xFFFF_FFFFL) % (0xFFFF_FFFFL - maxLength));
                random(out, rnd, 1 + rnd.nextInt(10_000));
            }
            case NETSTRING -> {
                int n = maxLength + 1 + rnd.nextInt(1000);
                out.writeBytes((n + ":").getBytes(StandardCharsets.US_ASCII));
                random(out, rnd, Math.min(n, 4096));
            }
            default -> throw new AssertionError(kind);
        }
    }
}
