package dev.weft.protocol.basic;

import dev.weft.protocol.Protocol;

/**
 * What the framing receivers share: a limit on the length of one frame (a line, a string). Extend
 * {@link LineReceiver}, {@link Int32StringReceiver} (or its 8- and 16-bit siblings) or {@link NetstringReceiver},
 * not this class. Used on the reactor thread; not thread-safe.
 */
public abstract class FramingReceiver extends Protocol {

    int maxLength;

    FramingReceiver(int defaultMaxLength) {
        this.maxLength = defaultMaxLength;
    }

    /**
     * The longest frame accepted (a line without its delimiter, or a string), in bytes.
     *
     * @return the limit (each receiver's {@code DEFAULT_MAX_LENGTH} until set)
     */
    public int getMaxLength() {
        return maxLength;
    }

    /**
     * Sets the longest frame accepted.
     *
     * @param maxLength the limit in bytes: not negative, and at most {@code Integer.MAX_VALUE - 1024}
     * @throws IllegalArgumentException if {@code maxLength} is out of range
     */
    public void setMaxLength(int maxLength) {
        if (maxLength < 0 || maxLength > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("maxLength must be in [0, Integer.MAX_VALUE - 1024], got " + maxLength);
        }
        this.maxLength = maxLength;
    }
}
