package dev.weft.examples.resp;

/**
 * Redis's readings of numbers sent as byte strings: {@code string2ll} for integers (arguments, values and protocol
 * headers) and {@code strtoul} for SCAN cursors.
 *
 * <p>Stateless; any thread.
 */
final class RespNumbers {

    private RespNumbers() {
    }

    /**
     * Parses a whole argument as a decimal integer, as Redis's {@code string2ll} does.
     *
     * @param b the bytes
     * @return the value
     * @throws NumberFormatException if it is not such a number
     */
    static long parseLong(byte[] b) {
        return parseLong(b, 0, b.length);
    }

    /**
     * Parses {@code b[from, to)} as Redis's {@code string2ll}: {@code 0}, or an optional minus sign and digits not
     * starting with 0; no plus sign, no spaces, within the range of a long ({@code -0} and {@code 007} are refused).
     *
     * @param b    the bytes
     * @param from the first byte
     * @param to   the end, exclusive
     * @return the value
     * @throws NumberFormatException if it is not such a number
     */
    static long parseLong(byte[] b, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 20) {
            throw new NumberFormatException();
        }
        if (n == 1 && b[from] == '0') {
            return 0;
        }
        boolean negative = b[from] == '-';
        int i = negative ? from + 1 : from;
        if (i == to || b[i] < '1' || b[i] > '9') {
            throw new NumberFormatException();
        }
        // Accumulate negatively so that Long.MIN_VALUE fits.
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
                throw new NumberFormatException();
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                throw new NumberFormatException();
            }
            v = -v;
        }
        return v;
    }

    /**
     * Parses a SCAN cursor as Redis does with C's {@code strtoul}: an optional sign, then decimal digits (leading
     * zeros allowed); an empty string is 0; a minus sign negates modulo 2<sup>64</sup>; a value past 64 bits, a
     * leading space or anything after the digits is refused.
     *
     * @param b the bytes
     * @return the cursor, as an unsigned 64-bit value
     * @throws NumberFormatException if Redis would answer "invalid cursor"
     */
    static long parseCursor(byte[] b) {
        int i = 0;
        boolean negative = false;
        if (b.length > 0 && (b[0] == '+' || b[0] == '-')) {
            negative = b[0] == '-';
            i = 1;
        }
        if (i == b.length) {
            // strtoul reads nothing: the end pointer stays at the start, valid only for the empty string.
            if (b.length == 0) {
                return 0;
            }
            throw new NumberFormatException();
        }
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException();
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw new NumberFormatException();
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
