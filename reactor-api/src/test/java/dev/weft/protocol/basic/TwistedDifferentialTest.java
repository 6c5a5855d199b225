package dev.weft.protocol.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.protocol.Producer;
import dev.weft.protocol.Transport;
import dev.weft.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The framing receivers against real Twisted 22.4: {@code differential/basic_differential.py} (run live with
 * {@code /usr/bin/python3}, one process for all scenarios) generates thousands of seeded scenarios (random inputs,
 * random chunkings, scripted handlers that switch modes, re-buffer the tail of an over-long line, lose the
 * connection, pause and resume, clear the buffer, change the delimiter or the limit, raise, feed data back in) and
 * prints, for each, the events Twisted's {@code LineReceiver}, {@code Int8/16/32StringReceiver} or
 * {@code NetstringReceiver} made over Twisted's {@code StringTransport}. This test runs every scenario through
 * Weft's classes over {@link StringTransport} and compares the two logs event by event.
 *
 * <p>Skipped, with the reason, only when {@code /usr/bin/python3} with Twisted is absent ({@code .ci/run} installs
 * {@code python3-twisted}, so CI never skips it).
 */
class TwistedDifferentialTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final int SCENARIOS = 4000;
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyScenarioMakesTwistedsCallbacksInTwistedsOrder() throws Exception {
        assumeTwisted();
        // Another seed or count, to explore: -Dweft.differential.seed=N -Dweft.differential.count=N
        long seed = Long.getLong("weft.differential.seed", 20260407L);
        int count = Integer.getInteger("weft.differential.count", SCENARIOS);
        List<String> output = runOracle(seed, count);
        List<Scenario> scenarios = parse(output);
        assertEquals(count, scenarios.size(), "scenarios read from the oracle (seed " + seed + ")");
        int failures = 0;
        int dropping = 0;
        int divergedAfterDrop = 0;
        StringBuilder report = new StringBuilder();
        for (Scenario s : scenarios) {
            List<String> weft = s.runWeft();
            if (s.dropIndex >= 0) {
                // Weft's one deliberate difference (README): after an over-long prefix that the handler leaves
                // open, Weft drops what arrives beyond the bound where Twisted keeps everything. The logs must agree
                // at least until the step that dropped bytes, and where they part, Weft raises its clear error
                // (the limit was raised to admit the string whose bytes were dropped), never delivers wrong data.
                dropping++;
                int same = 0;
                while (same < Math.min(weft.size(), s.twisted.size()) && weft.get(same).equals(s.twisted.get(same))) {
                    same++;
                }
                boolean parted = same < weft.size() || same < s.twisted.size();
                if (parted) {
                    divergedAfterDrop++;
                }
                if (parted && (same < s.dropIndex || same == weft.size() || !weft.get(same).equals("error"))) {
                    failures++;
                    report.append("(dropped from event ").append(s.dropIndex).append(") ").append(s.describe(weft))
                            .append('\n');
                }
                continue;
            }
            if (!weft.equals(s.twisted)) {
                failures++;
                if (failures <= 3) {
                    report.append(s.describe(weft)).append('\n');
                }
            }
        }
        System.out.println("TwistedDifferentialTest: " + scenarios.size() + " scenarios; " + dropping
                + " dropped bytes after an over-long prefix, " + divergedAfterDrop + " of them then parted from Twisted");
        if (failures > 0) {
            fail(failures + " of " + scenarios.size() + " scenarios differ from Twisted; the first:\n" + report);
        }
    }

    // ---------------------------------------------------------------- the oracle

    private static void assumeTwisted() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is absent: cannot run Twisted");
        Process p = new ProcessBuilder(PYTHON, "-c", "import twisted.protocols.basic, twisted.internet.testing")
                .redirectErrorStream(true).start();
        String out = readAll(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not answer within 60 s");
        Assumptions.assumeTrue(p.exitValue() == 0, PYTHON + " has no Twisted (apt-get install python3-twisted): "
                + out.strip());
    }

    private static List<String> runOracle(long seed, int count) throws Exception {
        Path script = script();
        Process p = new ProcessBuilder(PYTHON, script.toString(), Long.toString(seed), Integer.toString(count))
                .start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the oracle did not finish within 60 s");
        assertEquals(0, p.exitValue(), "the oracle failed: " + err.get(10, TimeUnit.SECONDS));
        return out.lines().toList();
    }

    private static Path script() throws URISyntaxException {
        URL url = TwistedDifferentialTest.class.getResource("/differential/basic_differential.py");
        if (url == null) {
            throw new AssertionError("differential/basic_differential.py is not on the test class path");
        }
        return Path.of(url.toURI());
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read the oracle's output", e);
        }
    }

    // ---------------------------------------------------------------- scenarios

    private record Action(String name, String arg) {
    }

    private static byte[] bytes(String hex) {
        return "-".equals(hex) ? new byte[0] : HEX.parseHex(hex);
    }

    private static String hex(byte[] b) {
        return b.length == 0 ? "-" : HEX.formatHex(b);
    }

    private static List<Scenario> parse(List<String> lines) {
        List<Scenario> out = new ArrayList<>();
        Scenario s = null;
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ", 4);
            switch (f[0]) {
                case "S" -> {
                    s = new Scenario(Integer.parseInt(f[1]), f[2], line);
                    String[] g = line.split(" ");
                    s.maxLength = Integer.parseInt(g[3]);
                    s.delimiter = bytes(g[4]);
                    s.exceededMode = g[5];
                    s.limitMode = g[6];
                }
                case "A" -> s.actions.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>())
                        .add(new Action(f[2], f.length > 3 ? f[3] : null));
                case "F", "P", "R" -> s.steps.add(line);
                case "E" -> s.twisted.add(line.substring(2));
                case "Z" -> out.add(s);
                default -> throw new AssertionError("unknown oracle line: " + line);
            }
        }
        return out;
    }

    /** One scenario: its settings, actions and steps as the oracle printed them, and Twisted's events. */
    private static final class Scenario {
        final int index;
        final String kind;
        final String header;
        int maxLength;
        byte[] delimiter;
        String exceededMode;
        String limitMode;
        final Map<Integer, List<Action>> actions = new LinkedHashMap<>();
        final List<String> steps = new ArrayList<>();
        final List<String> twisted = new ArrayList<>();
        /** The index in Weft's log of the step where Weft first dropped bytes to bound memory, or -1. */
        int dropIndex = -1;

        Scenario(int index, String kind, String header) {
            this.index = index;
            this.kind = kind;
            this.header = header;
        }

        String describe(List<String> weft) {
            StringBuilder b = new StringBuilder(header).append('\n');
            actions.forEach((k, v) -> v.forEach(a -> b.append("  A ").append(k).append(' ').append(a.name())
                    .append(a.arg() == null ? "" : " " + a.arg()).append('\n')));
            steps.forEach(st -> b.append("  ").append(st).append('\n'));
            int n = Math.max(weft.size(), twisted.size());
            for (int i = 0; i < n; i++) {
                String t = i < twisted.size() ? twisted.get(i) : "(nothing)";
                String w = i < weft.size() ? weft.get(i) : "(nothing)";
                b.append(t.equals(w) ? "   " : "-> ").append("twisted: ").append(t)
                        .append(t.equals(w) ? "" : " | weft: " + w).append('\n');
            }
            return b.toString();
        }

        List<String> runWeft() {
            List<String> log = new ArrayList<>();
            Script script = new Script(this, log);
            FramingReceiver r = switch (kind) {
                case "line" -> new ScriptedLines(script);
                case "int8" -> new ScriptedInt8(script);
                case "int16" -> new ScriptedInt16(script);
                case "int32" -> new ScriptedInt32(script);
                case "netstring" -> new ScriptedNetstring(script);
                default -> throw new AssertionError(kind);
            };
            script.receiver = r;
            r.setMaxLength(maxLength);
            if (r instanceof LineReceiver l) {
                l.setDelimiter(delimiter);
            }
            LoggingTransport t = new LoggingTransport(log);
            r.makeConnection(t);
            for (String step : steps) {
                int before = log.size();
                try {
                    switch (step.charAt(0)) {
                        case 'F' -> r.dataReceived(bytes(step.substring(2)));
                        case 'P' -> ((PausableFramingReceiver) r).pauseProducing();
                        default -> ((PausableFramingReceiver) r).resumeProducing();
                    }
                } catch (RuntimeException e) {
                    log.add("error");
                }
                if (dropIndex < 0 && r instanceof IntNStringReceiver in && in.droppedBytes() > 0) {
                    dropIndex = before;
                }
                boolean flag = r instanceof NetstringReceiver n ? n.isBrokenPeer()
                        : ((PausableFramingReceiver) r).isPaused();
                log.add("state " + (t.isDisconnecting() ? 1 : 0) + " " + (flag ? 1 : 0));
            }
            if (r instanceof LineReceiver l) {
                log.add("final " + (l.isLineMode() ? 1 : 0) + " " + hex(l.clearLineBuffer()));
            }
            return log;
        }
    }

    /** The scripted handler: counts callbacks and runs the actions planned for each, as the oracle's does. */
    private static final class Script {
        final Scenario s;
        final List<String> log;
        FramingReceiver receiver;
        int count;

        Script(Scenario s, List<String> log) {
            this.s = s;
            this.log = log;
        }

        void after() {
            int index = count++;
            for (Action a : s.actions.getOrDefault(index, List.of())) {
                act(a);
            }
        }

        private void act(Action a) {
            FramingReceiver r = receiver;
            switch (a.name()) {
                case "raw" -> ((LineReceiver) r).setRawMode();
                case "line" -> ((LineReceiver) r).setLineMode(bytes(a.arg()));
                case "lose" -> r.transport().loseConnection();
                case "pause" -> ((PausableFramingReceiver) r).pauseProducing();
                case "pauseresume" -> {
                    ((PausableFramingReceiver) r).pauseProducing();
                    ((PausableFramingReceiver) r).resumeProducing();
                }
                case "resume" -> ((PausableFramingReceiver) r).resumeProducing();
                case "clear" -> log.add("cleared " + hex(((LineReceiver) r).clearLineBuffer()));
                case "delim" -> ((LineReceiver) r).setDelimiter(bytes(a.arg()));
                case "max" -> r.setMaxLength(Integer.parseInt(a.arg()));
                case "raise" -> throw new IllegalStateException("scripted");
                case "feed" -> r.dataReceived(bytes(a.arg()));
                default -> throw new AssertionError(a.name());
            }
        }
    }

    private static final class ScriptedLines extends LineReceiver {
        private final Script script;

        ScriptedLines(Script script) {
            this.script = script;
        }

        @Override
        protected void lineReceived(byte[] line) {
            script.log.add("line " + hex(line));
            script.after();
        }

        @Override
        protected void rawDataReceived(byte[] data) {
            script.log.add("raw " + hex(data));
            script.after();
        }

        @Override
        protected void lineLengthExceeded(byte[] line) {
            script.log.add("exceeded " + hex(line));
            switch (script.s.exceededMode) {
                case "default" -> super.lineLengthExceeded(line);
                case "rebuffer" -> {
                    if (line.length > getMaxLength() + 1) {
                        setLineMode(java.util.Arrays.copyOfRange(line, getMaxLength() + 1, line.length));
                    }
                }
                default -> {
                }
            }
            script.after();
        }
    }

    private static void limit(Script script, IntNStringReceiver r, long length, Runnable dflt) {
        script.log.add("limit " + length);
        switch (script.s.limitMode) {
            case "default" -> dflt.run();
            case "raisemax" -> {
                if (length <= 1000) {
                    r.setMaxLength((int) length);
                }
            }
            default -> {
            }
        }
        script.after();
    }

    private static final class ScriptedInt8 extends Int8StringReceiver {
        private final Script script;

        ScriptedInt8(Script script) {
            this.script = script;
        }

        @Override
        protected void stringReceived(byte[] data) {
            script.log.add("string " + hex(data));
            script.after();
        }

        @Override
        protected void lengthLimitExceeded(long length) {
            limit(script, this, length, () -> super.lengthLimitExceeded(length));
        }
    }

    private static final class ScriptedInt16 extends Int16StringReceiver {
        private final Script script;

        ScriptedInt16(Script script) {
            this.script = script;
        }

        @Override
        protected void stringReceived(byte[] data) {
            script.log.add("string " + hex(data));
            script.after();
        }

        @Override
        protected void lengthLimitExceeded(long length) {
            limit(script, this, length, () -> super.lengthLimitExceeded(length));
        }
    }

    private static final class ScriptedInt32 extends Int32StringReceiver {
        private final Script script;

        ScriptedInt32(Script script) {
            this.script = script;
        }

        @Override
        protected void stringReceived(byte[] data) {
            script.log.add("string " + hex(data));
            script.after();
        }

        @Override
        protected void lengthLimitExceeded(long length) {
            limit(script, this, length, () -> super.lengthLimitExceeded(length));
        }
    }

    private static final class ScriptedNetstring extends NetstringReceiver {
        private final Script script;

        ScriptedNetstring(Script script) {
            this.script = script;
        }

        @Override
        protected void stringReceived(byte[] data) {
            script.log.add("string " + hex(data));
            script.after();
        }
    }

    /** {@link StringTransport}, with each {@code loseConnection} call logged as the oracle's transport logs it. */
    private static final class LoggingTransport implements Transport {
        private final StringTransport t = new StringTransport();
        private final List<String> log;

        LoggingTransport(List<String> log) {
            this.log = log;
        }

        @Override
        public void write(byte[] data) {
            t.write(data);
        }

        @Override
        public void writeSequence(List<byte[]> data) {
            t.writeSequence(data);
        }

        @Override
        public void loseConnection() {
            log.add("lose");
            t.loseConnection();
        }

        @Override
        public void abortConnection() {
            t.abortConnection();
        }

        @Override
        public void loseWriteConnection() {
            t.loseWriteConnection();
        }

        @Override
        public InetSocketAddress getPeer() {
            return t.getPeer();
        }

        @Override
        public InetSocketAddress getHost() {
            return t.getHost();
        }

        @Override
        public boolean isDisconnecting() {
            return t.isDisconnecting();
        }

        @Override
        public void setTcpNoDelay(boolean enabled) {
            t.setTcpNoDelay(enabled);
        }

        @Override
        public boolean getTcpNoDelay() {
            return t.getTcpNoDelay();
        }

        @Override
        public void setTcpKeepAlive(boolean enabled) {
            t.setTcpKeepAlive(enabled);
        }

        @Override
        public boolean getTcpKeepAlive() {
            return t.getTcpKeepAlive();
        }

        @Override
        public void registerProducer(Producer producer, boolean streaming) {
            t.registerProducer(producer, streaming);
        }

        @Override
        public void unregisterProducer() {
            t.unregisterProducer();
        }

        @Override
        public void pauseProducing() {
            t.pauseProducing();
        }

        @Override
        public void resumeProducing() {
            t.resumeProducing();
        }

        @Override
        public void stopProducing() {
            t.stopProducing();
        }
    }
}
