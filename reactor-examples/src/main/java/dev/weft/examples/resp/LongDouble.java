package dev.weft.examples.resp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The arithmetic of INCRBYFLOAT as Redis does it on x86-64: C's {@code long double} (80-bit extended precision,
 * a 64-bit significand), read with {@code strtold} and written with {@code "%.17Lf"} less its trailing zeros.
 * Values are kept as exact decimals ({@link BigDecimal}) rounded to the nearest {@code long double}, so the digits
 * printed are Redis's, rounding errors included ({@code 10000000000.1} is {@code 10000000000.09999999962747097}).
 *
 * <p>Subnormal numbers are rounded as if they kept 64 significant bits. Stateless; any thread.
 */
final class LongDouble {

    /** Redis refuses float arguments this long or longer ({@code MAX_LONG_DOUBLE_CHARS}). */
    private static final int MAX_CHARS = 5 * 1024;
    private static final int SIGNIFICAND_BITS = 64;
    /** The largest binary exponent of a finite long double, and the smallest of a non-zero one. */
    private static final int MAX_EXPONENT = 16383;
    private static final int MIN_EXPONENT = -16445;
    /** Decimal exponents beyond this overflow or underflow whatever the digits (the digits are at most 5 KiB). */
    private static final int EXPONENT_LIMIT = 20000;

    private LongDouble() {
    }

    /**
     * Reads a float argument as Redis's {@code string2ld}: decimal or hexadecimal ({@code 0x1p3}) notation, an
     * optional sign, {@code inf}/{@code infinity}; not NaN, no leading space, nothing after the number, no
     * overflow.
     *
     * @param b the bytes
     * @return the value rounded to a long double, or null for an infinity
     * @throws NumberFormatException if Redis would answer "value is not a valid float"
     */
    static BigDecimal parse(byte[] b) {
        if (b.length == 0 || b.length >= MAX_CHARS) {
            throw new NumberFormatException();
        }
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        String s = new String(b, 0, end, StandardCharsets.ISO_8859_1);
        if (s.isEmpty()) {
            return BigDecimal.ZERO; // strtold reads nothing and stops at the NUL: C sees an empty, valid string
        }
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        String body = s.substring(i).toLowerCase(Locale.ROOT);
        if (body.equals("inf") || body.equals("infinity")) {
            return null;
        }
        BigDecimal exact = body.startsWith("0x") ? hex(body.substring(2)) : decimal(body);
        BigDecimal v = round(exact);
        if (v == null || v.signum() == 0 && exact.signum() != 0) {
            throw new NumberFormatException(); // overflow or underflow: strtold's ERANGE
        }
        return negative ? v.negate() : v;
    }

    /**
     * Adds two long doubles as the FPU does: the exact sum rounded to the nearest long double.
     *
     * @param a a value from {@link #parse}, or null for an infinity
     * @param b another
     * @return the sum, or null when it is not finite
     */
    static BigDecimal add(BigDecimal a, BigDecimal b) {
        if (a == null || b == null) {
            return null;
        }
        return round(a.add(b));
    }

    /**
     * Formats as Redis's human-readable form: {@code "%.17Lf"} with the trailing zeros (and a bare point) removed,
     * and {@code -0} written {@code 0}.
     *
     * @param v a finite long double
     * @return the text
     */
    static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int n = s.length();
        while (s.charAt(n - 1) == '0') {
            n--;
        }
        if (s.charAt(n - 1) == '.') {
            n--;
        }
        s = s.substring(0, n);
        return s.equals("-0") ? "0" : s;
    }

    private static BigDecimal decimal(String s) {
        int i = 0;
        int digits = 0;
        StringBuilder mantissa = new StringBuilder();
        int scale = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
            mantissa.append(s.charAt(i++));
            digits++;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                mantissa.append(s.charAt(i++));
                digits++;
                scale++;
            }
        }
        if (digits == 0) {
            throw new NumberFormatException();
        }
        long exponent = 0;
        if (i < s.length() && s.charAt(i) == 'e') {
            exponent = exponent(s, i + 1);
            i = s.length();
        }
        if (i != s.length()) {
            throw new NumberFormatException();
        }
        BigInteger m = new BigInteger(mantissa.toString());
        if (m.signum() == 0) {
            return BigDecimal.ZERO;
        }
        if (Math.abs(exponent) > EXPONENT_LIMIT) {
            throw new NumberFormatException();
        }
        return new BigDecimal(m, scale - (int) exponent);
    }

    private static BigDecimal hex(String s) {
        int i = 0;
        int digits = 0;
        int fraction = 0;
        BigInteger m = BigInteger.ZERO;
        boolean point = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.' && !point) {
                point = true;
                continue;
            }
            int d = Character.digit(c, 16);
            if (d < 0 || c >= 128) {
                break;
            }
            m = m.shiftLeft(4).add(BigInteger.valueOf(d));
            digits++;
            if (point) {
                fraction++;
            }
        }
        if (digits == 0) {
            throw new NumberFormatException();
        }
        long exponent = 0;
        if (i < s.length() && s.charAt(i) == 'p') {
            exponent = exponent(s, i + 1);
            i = s.length();
        }
        if (i != s.length()) {
            throw new NumberFormatException();
        }
        if (m.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long shift = exponent - 4L * fraction;
        if (Math.abs(shift) > 4 * EXPONENT_LIMIT) {
            throw new NumberFormatException();
        }
        return times2(new BigDecimal(m), (int) shift);
    }

    /** A signed decimal exponent from {@code i} to the end; clamped far past any finite result. */
    private static long exponent(String s, int i) {
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i == s.length()) {
            throw new NumberFormatException();
        }
        long e = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException();
            }
            e = Math.min(e * 10 + (c - '0'), 1_000_000_000L);
        }
        return negative ? -e : e;
    }

    /** {@code x * 2^k}, exactly. */
    private static BigDecimal times2(BigDecimal x, int k) {
        if (k >= 0) {
            return x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(k)));
        }
        return x.multiply(BigDecimal.valueOf(5).pow(-k)).movePointLeft(-k);
    }

    /**
     * The long double nearest {@code x} (ties to even); null when it is beyond the largest finite one; zero when
     * it is below the smallest non-zero one.
     */
    private static BigDecimal round(BigDecimal x) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigInteger n = x.unscaledValue().abs();
        BigInteger d = BigInteger.ONE;
        if (x.scale() > 0) {
            d = BigInteger.TEN.pow(x.scale());
        } else {
            n = n.multiply(BigInteger.TEN.pow(-x.scale()));
        }
        // e = floor(log2(n / d)): estimate from the bit lengths, then correct by one.
        int e = n.bitLength() - d.bitLength();
        if (compareShifted(n, d, e) < 0) {
            e--;
        }
        if (e > MAX_EXPONENT) {
            return null;
        }
        if (e < MIN_EXPONENT - 1) {
            return BigDecimal.ZERO;
        }
        int k = SIGNIFICAND_BITS - 1 - e; // scale so that the significand has 64 bits
        BigInteger num = k >= 0 ? n.shiftLeft(k) : n;
        BigInteger den = k >= 0 ? d : d.shiftLeft(-k);
        BigInteger[] qr = num.divideAndRemainder(den);
        BigInteger m = qr[0];
        int half = qr[1].shiftLeft(1).compareTo(den);
        if (half > 0 || half == 0 && m.testBit(0)) {
            m = m.add(BigInteger.ONE);
        }
        if (m.bitLength() > SIGNIFICAND_BITS && e + 1 > MAX_EXPONENT) {
            return null;
        }
        BigDecimal v = times2(new BigDecimal(m), -k);
        return x.signum() < 0 ? v.negate() : v;
    }

    /** Compares {@code n} with {@code d * 2^e}. */
    private static int compareShifted(BigInteger n, BigInteger d, int e) {
        return e >= 0 ? n.compareTo(d.shiftLeft(e)) : n.shiftLeft(-e).compareTo(d);
    }
}
