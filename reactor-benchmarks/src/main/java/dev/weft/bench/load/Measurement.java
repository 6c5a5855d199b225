package dev.weft.bench.load;

/**
 * One row of the result table: what one load run against one server measured.
 *
 * @param server      the server's name, e.g. {@code weft-untwisted}
 * @param test        the test, e.g. {@code SET P16}
 * @param rps         requests (or echoed messages) per second, as the load generator counted them
 * @param p50Ms       median latency, milliseconds
 * @param p99Ms       99th-percentile latency, milliseconds
 * @param cpuNsPerReq the server process's CPU time (user + system, all threads) per request, nanoseconds
 * @param cpuShare    the server's CPU time over the run's wall time (1.0 = one core busy)
 * @param note        why the run has no figures (failed, skipped), or null
 */
record Measurement(String server, String test, double rps, double p50Ms, double p99Ms, double cpuNsPerReq,
        double cpuShare, String note) {

    static Measurement failed(String server, String test, String note) {
        return new Measurement(server, test, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, note);
    }

    boolean ok() {
        return note == null;
    }
}
