package dev.weft.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code --csv} output of redis-benchmark 7: a header line
 * {@code "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",...}
 * and one line per test. Columns are found by name; other lines (progress, warnings) are ignored.
 */
final class RedisBenchmarkCsv {

    /** The figures of one test. */
    record Row(String test, double rps, double p50Ms, double p99Ms) {
    }

    private RedisBenchmarkCsv() {
    }

    /**
     * Parses the output.
     *
     * @param output what redis-benchmark printed
     * @return the rows by test name as printed (e.g. {@code PING_INLINE}), in order
     * @throws IllegalArgumentException if there is no header with rps, p50 and p99 columns, or no row
     */
    static Map<String, Row> parse(String output) {
        List<String> header = null;
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String raw : output.split("\r?\n|\r")) {
            String line = raw.trim();
            if (!line.startsWith("\"")) {
                continue;
            }
            List<String> cells = cells(line);
            if (cells.get(0).equals("test")) {
                header = cells;
                continue;
            }
            if (header == null) {
                continue;
            }
            rows.put(cells.get(0), new Row(cells.get(0), number(header, cells, "rps"),
                    number(header, cells, "p50_latency_ms"), number(header, cells, "p99_latency_ms")));
        }
        if (header == null || rows.isEmpty()) {
            throw new IllegalArgumentException("no CSV results in redis-benchmark's output:\n" + output);
        }
        return rows;
    }

    private static double number(List<String> header, List<String> cells, String column) {
        int i = header.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("redis-benchmark's CSV has no '" + column + "' column: " + header);
        }
        if (i >= cells.size()) {
            throw new IllegalArgumentException("short CSV line: " + cells);
        }
        return Double.parseDouble(cells.get(i));
    }

    /** The cells of a line of quoted, comma-separated values. */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
