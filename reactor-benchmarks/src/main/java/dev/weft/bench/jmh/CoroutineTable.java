package dev.weft.bench.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The table of {@code reactor-benchmarks/coroutines.sh}: reads the JMH CSV results ({@code -rf csv}) of
 * {@link CoroutineAwaitBenchmark} and {@link CoroutineRoundTripBenchmark} from interleaved rounds, and prints per
 * JDK the median score of each benchmark and target over the rounds, with the ratios the targets are stated in
 * (await against addCallback, Weft against Vert.x) taken round by round and then their median.
 *
 * <pre>
 * java -cp reactor-benchmarks/target/weft-benchmarks.jar dev.weft.bench.jmh.CoroutineTable DIR
 * </pre>
 *
 * <p>Each file of {@code DIR} named {@code jdk<feature>-r<round>-<anything>.csv} is one JMH run.
 */
public final class CoroutineTable {

    private static final Pattern FILE = Pattern.compile("jdk(\\d+)-r(\\d+)-.*\\.csv");

    /** The Vert.x target the Weft round trips are compared with: the analogue of {@code callLater(0)}. */
    static final String PEER = "vertx-context";

    private CoroutineTable() {
    }

    /**
     * One score of one JMH run.
     *
     * @param jdk       the JDK's feature version
     * @param round     the round
     * @param benchmark the benchmark method's name ({@code roundTrip}, {@code awaitFired}, ...)
     * @param target    the {@code target} parameter, or empty
     * @param score     the score
     * @param unit      its unit
     */
    record Sample(int jdk, int round, String benchmark, String target, double score, String unit) {
    }

    /**
     * Prints the table of the results in a directory; on the calling thread.
     *
     * @param args the directory
     * @throws IOException if it cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CoroutineTable DIR (JMH csv files named jdk<N>-r<R>-<name>.csv)");
            System.exit(2);
        }
        List<Sample> samples = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                Matcher m = FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    samples.addAll(parse(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                            Files.readString(f, StandardCharsets.UTF_8)));
                }
            }
        }
        System.out.print(table(samples));
    }

    /**
     * The samples of one JMH CSV result.
     *
     * @param jdk   the JDK it ran on
     * @param round its round
     * @param csv   the file's text
     * @return one sample per row
     * @throws IllegalArgumentException if the header lacks the Benchmark, Score or Unit column
     */
    static List<Sample> parse(int jdk, int round, String csv) {
        List<Sample> out = new ArrayList<>();
        String[] lines = csv.split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            return out;
        }
        List<String> head = cells(lines[0]);
        int bench = column(head, "Benchmark");
        int score = column(head, "Score");
        int unit = column(head, "Unit");
        int target = head.indexOf("Param: target");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            List<String> row = cells(lines[i]);
            String name = row.get(bench);
            name = name.substring(name.lastIndexOf('.') + 1);
            out.add(new Sample(jdk, round, name, target >= 0 ? row.get(target) : "",
                    Double.parseDouble(row.get(score)), row.get(unit)));
        }
        return out;
    }

    private static int column(List<String> head, String name) {
        int i = head.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("JMH csv without a \"" + name + "\" column: " + head);
        }
        return i;
    }

    /** The cells of a CSV line: comma-separated, optionally double-quoted with "" for a quote. */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
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
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }

    /**
     * The median of some numbers (the mean of the middle two for an even count).
     *
     * @param xs the numbers, at least one
     * @return the median
     */
    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            throw new IllegalArgumentException("median of no numbers");
        }
        int h = a.length / 2;
        return a.length % 2 == 1 ? a[h] : (a[h - 1] + a[h]) / 2;
    }

    /**
     * The table: the await section, then the round-trip section, each per JDK.
     *
     * @param samples all samples
     * @return the text
     */
    static String table(List<Sample> samples) {
        StringBuilder sb = new StringBuilder();
        TreeSet<Integer> rounds = new TreeSet<>();
        samples.forEach(s -> rounds.add(s.round()));
        sb.append(String.format(Locale.ROOT, "Coroutines: medians of %d interleaved round(s)%n", rounds.size()));
        awaitSection(samples, sb);
        roundTripSection(samples, sb);
        return sb.toString();
    }

    private static void awaitSection(List<Sample> samples, StringBuilder sb) {
        Map<Integer, Map<String, Map<Integer, Double>>> byJdk = index(samples, "awaitFired", "addCallbackFired",
                "bodyStart");
        if (byJdk.isEmpty()) {
            return;
        }
        sb.append(String.format(Locale.ROOT, "%nawait() of a fired Deferred in a running body vs addCallback on a"
                + " fired Deferred (ns/op; target: await <= 2x addCallback)%n"));
        List<String[]> rows = new ArrayList<>();
        for (var e : byJdk.entrySet()) {
            Map<Integer, Double> await = e.getValue().getOrDefault("awaitFired", Map.of());
            Map<Integer, Double> add = e.getValue().getOrDefault("addCallbackFired", Map.of());
            Map<Integer, Double> start = e.getValue().getOrDefault("bodyStart", Map.of());
            Double ratio = pairedRatio(await, add);
            rows.add(new String[] {"JDK " + e.getKey(), fmt(med(await), "%.2f"), fmt(med(add), "%.2f"),
                fmt(ratio, "%.2f"), ratio == null ? "-" : ratio <= 2.0 ? "met" : "missed",
                fmt(med(start) == null ? null : med(start) / 1000, "%.1f"), Integer.toString(await.size())});
        }
        render(new String[] {"jdk", "await ns", "addCallback ns", "await/addCallback", "target", "body start us",
            "rounds"}, rows, sb);
    }

    private static void roundTripSection(List<Sample> samples, StringBuilder sb) {
        Map<Integer, Map<String, Map<Integer, Double>>> byJdk = new TreeMap<>();
        for (Sample s : samples) {
            if (s.benchmark().equals("roundTrip")) {
                byJdk.computeIfAbsent(s.jdk(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(s.target(), k -> new TreeMap<>()).put(s.round(), s.score());
            }
        }
        if (byJdk.isEmpty()) {
            return;
        }
        sb.append(String.format(Locale.ROOT, "%nRound trip: the body awaits an unfired future, its loop completes it"
                + " from a task, the body resumes (us; targets: <= 15 us on JDK 21+, Weft <= %s)%n", PEER));
        List<String[]> rows = new ArrayList<>();
        for (var e : byJdk.entrySet()) {
            Map<Integer, Double> peer = e.getValue().get(PEER);
            List<String> order = new ArrayList<>(e.getValue().keySet());
            order.sort(Comparator.comparingInt(CoroutineTable::targetRank));
            for (String target : order) {
                Map<Integer, Double> rt = e.getValue().get(target);
                List<Double> all = new ArrayList<>(rt.values());
                Double ratio = peer == null || target.startsWith("vertx") ? null : pairedRatio(rt, peer);
                rows.add(new String[] {"JDK " + e.getKey(), target, fmt(med(rt), "%.1f"),
                    fmt(all.stream().min(Double::compare).orElse(null), "%.1f"),
                    fmt(all.stream().max(Double::compare).orElse(null), "%.1f"), fmt(ratio, "%.2f"),
                    Integer.toString(rt.size())});
            }
            if (peer == null && e.getKey() < 21) {
                rows.add(new String[] {"JDK " + e.getKey(), "vertx-*", "n/a", "-", "-", "-",
                    "virtual-thread verticles need JDK 21+"});
            }
        }
        render(new String[] {"jdk", "target", "median us", "min us", "max us", "x " + PEER, "rounds"}, rows, sb);
    }

    /** Table order: the Weft backends, the hand-off alone, the JDK's floor, then Vert.x. */
    private static int targetRank(String target) {
        List<String> order = new ArrayList<>(RoundTrips.WEFT_TARGETS);
        order.addAll(Arrays.asList(HandOffRoundTrips.TARGET, JdkPingPong.TARGET, "vertx-context", "vertx-eventloop"));
        int i = order.indexOf(target);
        return i < 0 ? order.size() : i;
    }

    private static Map<Integer, Map<String, Map<Integer, Double>>> index(List<Sample> samples, String... benches) {
        List<String> wanted = Arrays.asList(benches);
        Map<Integer, Map<String, Map<Integer, Double>>> byJdk = new TreeMap<>();
        for (Sample s : samples) {
            if (wanted.contains(s.benchmark())) {
                byJdk.computeIfAbsent(s.jdk(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(s.benchmark(), k -> new TreeMap<>()).put(s.round(), s.score());
            }
        }
        return byJdk;
    }

    /** The median over the rounds both have of {@code a / b} in the same round, or null if none. */
    static Double pairedRatio(Map<Integer, Double> a, Map<Integer, Double> b) {
        List<Double> ratios = new ArrayList<>();
        for (var e : a.entrySet()) {
            Double other = b.get(e.getKey());
            if (other != null && other > 0) {
                ratios.add(e.getValue() / other);
            }
        }
        return ratios.isEmpty() ? null : median(ratios);
    }

    private static Double med(Map<Integer, Double> byRound) {
        return byRound.isEmpty() ? null : median(new ArrayList<>(byRound.values()));
    }

    private static String fmt(Double x, String format) {
        return Objects.isNull(x) ? "-" : String.format(Locale.ROOT, format, x);
    }

    private static void render(String[] head, List<String[]> rows, StringBuilder sb) {
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        List<String[]> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        for (String[] r : all) {
            for (int i = 0; i < r.length; i++) {
                sb.append(String.format(i < 2 ? "%-" + w[i] + "s" : "%" + w[i] + "s", r[i]));
                sb.append(i == r.length - 1 ? "\n" : "  ");
            }
        }
    }
}
