package dev.weft.endpoints;

import java.net.InetSocketAddress;

/** How endpoints print their parameters in {@code toString()}: the same form Twisted's attributes are printed in. */
final class Describe {

    private Describe() {
    }

    /**
     * A number: integral values without a fraction.
     *
     * @param x the number
     * @return e.g. {@code 30} or {@code 2.5}
     */
    static String number(double x) {
        return x == Math.rint(x) && !Double.isInfinite(x) ? Long.toString((long) x) : Double.toString(x);
    }

    /**
     * A bind address: {@code host:port}, or empty for none.
     *
     * @param a the address, or null
     * @return the text
     */
    static String bind(InetSocketAddress a) {
        return a == null ? "" : a.getHostString() + ":" + a.getPort();
    }
}
