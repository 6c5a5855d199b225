package dev.weft.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The harness's one table, as aligned text and as Markdown: per server and test, requests/s, p50 and p99 latency,
 * the server's CPU time per request and its CPU share, and each figure's ratio to the baseline server
 * ({@value #BASELINE}) on the same test. Then the target checks: the server CPU per request of each Weft backend
 * over its raw counterpart on the same transport.
 */
final class ResultTable {

    /** The server every ratio is taken against. */
    static final String BASELINE = "raw-netty-nio";

    private static final String[] HEADER = {"server", "test", "req/s", "p50 ms", "p99 ms", "srv CPU ns/req",
        "srv CPU", "req/s x", "p50 x", "p99 x", "CPU/req x"};
    private static final boolean[] RIGHT = {false, false, true, true, true, true, true, true, true, true, true};

    /**
     * A Weft server, the server it is held against (its raw counterpart, or for a coroutine server the callback
     * server on the same backend), and the largest CPU-per-request ratio the target allows.
     */
    record Target(String weft, String raw, double respLimit, double echoLimit) {
    }

    /** The coroutine echo servers' limit over the callback ones (on JDK 21+, where bodies run on virtual threads). */
    static final double COROUTINE_ECHO_LIMIT = 1.30;

    static final List<Target> TARGETS = List.of(
            new Target("weft-netty-nio", "raw-netty-nio", 1.05, 1.05),
            new Target("weft-netty-epoll", "raw-netty-epoll", 1.05, 1.05),
            new Target("weft-netty-io_uring", "raw-netty-io_uring", 1.05, 1.05),
            new Target("weft-untwisted", "raw-nio", 1.10, 1.05),
            new Target("weft-coroutine-untwisted", "weft-untwisted", Double.NaN, COROUTINE_ECHO_LIMIT),
            new Target("weft-coroutine-netty-nio", "weft-netty-nio", Double.NaN, COROUTINE_ECHO_LIMIT),
            new Target("weft-coroutine-netty-epoll", "weft-netty-epoll", Double.NaN, COROUTINE_ECHO_LIMIT),
            new Target("weft-coroutine-cont-untwisted", "weft-untwisted", Double.NaN, COROUTINE_ECHO_LIMIT),
            new Target("weft-coroutine-cont-netty-nio", "weft-netty-nio", Double.NaN, COROUTINE_ECHO_LIMIT),
            new Target("weft-coroutine-vloop-untwisted", "weft-untwisted", Double.NaN, COROUTINE_ECHO_LIMIT),
            new Target("weft-coroutine-vloop-netty-nio", "weft-netty-nio", Double.NaN, COROUTINE_ECHO_LIMIT),
            new Target("weft-coroutine-vloop1-untwisted", "weft-untwisted", Double.NaN, COROUTINE_ECHO_LIMIT),
            new Target("weft-coroutine-vloop1-netty-nio", "weft-netty-nio", Double.NaN, COROUTINE_ECHO_LIMIT),
            new Target("weft-coroutine-vloop1-netty-epoll", "weft-netty-epoll", Double.NaN, COROUTINE_ECHO_LIMIT));

    private final List<Measurement> rows;

    ResultTable(List<Measurement> rows) {
        this.rows = List.copyOf(rows);
    }

    private Measurement find(String server, String test) {
        for (Measurement m : rows) {
            if (m.server().equals(server) && m.test().equals(test) && m.ok()) {
                return m;
            }
        }
        return null;
    }

    /** The cells of the main table, one array per row. */
    List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        for (Measurement m : rows) {
            if (!m.ok()) {
                out.add(new String[] {m.server(), m.test(), m.note(), "", "", "", "", "", "", "", ""});
                continue;
            }
            Measurement b = find(BASELINE, m.test());
            out.add(new String[] {m.server(), m.test(), String.format(Locale.ROOT, "%,.0f", m.rps()),
                ms(m.p50Ms()), ms(m.p99Ms()), String.format(Locale.ROOT, "%,.0f", m.cpuNsPerReq()),
                String.format(Locale.ROOT, "%.0f%%", m.cpuShare() * 100),
                ratio(m.rps(), b == null ? Double.NaN : b.rps()),
                ratio(m.p50Ms(), b == null ? Double.NaN : b.p50Ms()),
                ratio(m.p99Ms(), b == null ? Double.NaN : b.p99Ms()),
                ratio(m.cpuNsPerReq(), b == null ? Double.NaN : b.cpuNsPerReq())});
        }
        return out;
    }

    /** The cells of the target checks, one array per Weft server and test where both sides have figures. */
    List<String[]> targetCells() {
        List<String[]> out = new ArrayList<>();
        List<String> tests = new ArrayList<>();
        for (Measurement m : rows) {
            if (!tests.contains(m.test()) && (m.test().endsWith(" P16") || isEcho(m.test()))) {
                tests.add(m.test());
            }
        }
        for (String test : tests) {
            for (Target t : TARGETS) {
                Measurement w = find(t.weft(), test);
                Measurement r = find(t.raw(), test);
                if (w == null || r == null) {
                    continue;
                }
                double limit = isEcho(test) ? t.echoLimit() : t.respLimit();
                if (Double.isNaN(limit)) {
                    continue;
                }
                double x = w.cpuNsPerReq() / r.cpuNsPerReq();
                out.add(new String[] {test, t.weft() + " / " + t.raw(),
                    String.format(Locale.ROOT, "%,.0f", w.cpuNsPerReq()),
                    String.format(Locale.ROOT, "%,.0f", r.cpuNsPerReq()),
                    String.format(Locale.ROOT, "%.2f", x), String.format(Locale.ROOT, "<= %.2f", limit),
                    x <= limit ? "within" : "over"});
            }
        }
        return out;
    }

    static boolean isEcho(String test) {
        return test.startsWith("echo");
    }

    private static final String[] TARGET_HEADER = {"test", "Weft / reference (same transport)", "Weft CPU ns/req",
        "ref CPU ns/req", "ratio", "target", ""};
    private static final String TARGETS_TITLE = "Targets (server CPU time per request: Weft over raw on the same"
            + " transport; coroutine echo over callback echo on the same backend, a target on JDK 21+)";
    private static final boolean[] TARGET_RIGHT = {false, false, true, true, true, false, false};

    /** The table and the target checks as aligned text. */
    String text() {
        StringBuilder sb = new StringBuilder();
        aligned(sb, HEADER, RIGHT, cells());
        List<String[]> targets = targetCells();
        if (!targets.isEmpty()) {
            sb.append('\n').append(TARGETS_TITLE).append(":\n");
            aligned(sb, TARGET_HEADER, TARGET_RIGHT, targets);
        }
        return sb.toString();
    }

    /** The table and the target checks as Markdown. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        markdown(sb, HEADER, RIGHT, cells());
        List<String[]> targets = targetCells();
        if (!targets.isEmpty()) {
            sb.append('\n').append(TARGETS_TITLE).append(":\n\n");
            markdown(sb, TARGET_HEADER, TARGET_RIGHT, targets);
        }
        return sb.toString();
    }

    private static void aligned(StringBuilder sb, String[] header, boolean[] right, List<String[]> cells) {
        int[] w = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            w[i] = header[i].length();
        }
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        line(sb, header, w, right);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        sb.append(rule).append('\n');
        String last = null;
        for (String[] row : cells) {
            if (last != null && !last.equals(row[0]) && cells.size() > 8) {
                // a blank line between servers keeps a long table readable
                sb.append('\n');
            }
            last = row[0];
            line(sb, row, w, right);
        }
    }

    private static void line(StringBuilder sb, String[] row, int[] w, boolean[] right) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                l.append("  ");
            }
            String pad = " ".repeat(w[i] - row[i].length());
            l.append(right[i] ? pad + row[i] : row[i] + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    private static void markdown(StringBuilder sb, String[] header, boolean[] right, List<String[]> cells) {
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (boolean r : right) {
            sb.append(r ? "---:|" : "---|");
        }
        sb.append('\n');
        for (String[] row : cells) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String ratio(double v, double base) {
        if (Double.isNaN(base) || base == 0 || Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", v / base);
    }
}
