package dev.weft.compat.net;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Test data: seeded random bytes and chunkings, and a running SHA-256 to compare streams without keeping them. */
public final class Bytes {
    /** 1 KiB. */
    public static final int KIB = 1024;
    /** 1 MiB. */
    public static final int MIB = 1024 * 1024;

    private Bytes() {
    }

    /**
     * {@code n} bytes from a {@link Random} seeded with {@code seed}.
     *
     * @param seed the seed
     * @param n    how many
     * @return the bytes
     */
    public static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * {@code total} seeded random bytes cut into chunks of random sizes from 1 to {@code maxChunk} (the sizes come
     * from the same seeded generator).
     *
     * @param seed     the seed
     * @param total    how many bytes in all
     * @param maxChunk the largest chunk
     * @return the chunks, in order
     */
    public static List<byte[]> randomChunks(long seed, int total, int maxChunk) {
        Random random = new Random(seed);
        List<byte[]> chunks = new ArrayList<>();
        int left = total;
        while (left > 0) {
            int n = Math.min(left, 1 + random.nextInt(maxChunk));
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            chunks.add(chunk);
            left -= n;
        }
        return chunks;
    }

    /**
     * The digest of {@code chunks} taken in order.
     *
     * @param chunks the chunks
     * @return the digest, as {@link Digest#toString()}
     */
    public static String digestOf(List<byte[]> chunks) {
        Digest d = new Digest();
        chunks.forEach(d::update);
        return d.toString();
    }

    /**
     * The digest of {@code data}.
     *
     * @param data the bytes
     * @return the digest, as {@link Digest#toString()}
     */
    public static String digestOf(byte[] data) {
        return digestOf(List.of(data));
    }

    /** A running SHA-256 and byte count. Not thread-safe. */
    public static final class Digest {
        private final MessageDigest sha;
        private long length;
        private String done;

        /** Starts an empty digest. */
        public Digest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Adds bytes.
         *
         * @param data the bytes
         */
        public void update(byte[] data) {
            if (done != null) {
                throw new IllegalStateException("digest already read");
            }
            sha.update(data);
            length += data.length;
        }

        /**
         * How many bytes were added.
         *
         * @return the count
         */
        public long length() {
            return length;
        }

        /**
         * The count and digest; after the first call, no more bytes may be added.
         *
         * @return e.g. {@code "5 bytes, sha256 2cf24dba..."}
         */
        @Override
        public String toString() {
            if (done == null) {
                done = HexFormat.of().formatHex(sha.digest());
            }
            return length + " bytes, sha256 " + done;
        }
    }
}
