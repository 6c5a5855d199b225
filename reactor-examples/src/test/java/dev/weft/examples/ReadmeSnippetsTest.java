package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of the README compiles as written, and every complete program in it runs and prints what the
 * README says it prints.
 *
 * <p>A block fenced {@code ```java} is a compilation unit (imports, a class). One fenced {@code ```java fragment}
 * is a piece of a method: it is compiled inside a method of a class that imports Weft's public packages and the
 * Netty packages, and that declares the names fragments take as given ({@link #FRAGMENT_PRELUDE}). All blocks are
 * compiled together, so a fragment may use a class of an earlier complete block. A complete block with a
 * {@code main} is run in a child JVM; when a {@code ```text output} block follows it, its lines must appear in the
 * program's standard output, in that order.
 */
@Timeout(180)
class ReadmeSnippetsTest {
    private static final Path README = Paths.get("..", "README.md");
    private static final Path CONSUMER = Paths.get("..", ".ci", "consumer");
    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*(.*)$");
    private static final Pattern TYPE_NAME = Pattern.compile(
            "^(?:public\\s+)?(?:final\\s+)?(?:class|record|interface|enum)\\s+(\\w+)", Pattern.MULTILINE);

    /** What a fragment may use without declaring it: the imports and the names of the surrounding prose. */
    static final String FRAGMENT_PRELUDE = String.join("\n",
            "import static org.junit.jupiter.api.Assertions.*;",
            "import dev.weft.application.*;",
            "import dev.weft.defer.*;",
            "import dev.weft.endpoints.*;",
            "import dev.weft.netty.*;",
            "import dev.weft.protocol.*;",
            "import dev.weft.protocol.basic.*;",
            "import dev.weft.reactor.*;",
            "import dev.weft.task.*;",
            "import dev.weft.testing.*;",
            "import io.netty.bootstrap.*;",
            "import io.netty.channel.*;",
            "import io.netty.channel.nio.*;",
            "import io.netty.channel.socket.*;",
            "import io.netty.channel.socket.nio.*;",
            "import io.netty.handler.ssl.SslContext;",
            "import io.netty.handler.timeout.*;",
            "import java.nio.charset.StandardCharsets;",
            "import java.util.*;",
            "");

    /** The names a fragment takes from its surroundings (the reactor, a server's group, the prose's helpers). */
    private static final String FRAGMENT_FIXTURE = String.join("\n",
            "    Reactor reactor;",
            "    MultiThreadIoEventLoopGroup group;",
            "    SslContext sslContext;",
            "    static final class MyLineProtocol extends LineReceiver {",
            "        @Override protected void lineReceived(byte[] line) { sendLine(line); }",
            "    }",
            "    Deferred<String> fetchBanner(Reactor reactor, String host, int port) { return Deferred.succeed(host); }",
            "    Deferred<String> askA() { return new Deferred<>(); }",
            "    Deferred<String> askB() { return new Deferred<>(); }",
            "");

    /** One fenced block of the README. */
    record Block(int line, String lang, List<String> attributes, String text) {
        boolean isJava() {
            return lang.equals("java");
        }

        boolean isFragment() {
            return attributes.contains("fragment");
        }
    }

    private static List<Block> blocks;

    @BeforeAll
    static void readTheReadme() throws IOException {
        blocks = parse(Files.readAllLines(README, StandardCharsets.UTF_8));
    }

    static List<Block> parse(List<String> lines) {
        List<Block> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FENCE.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int start = i;
            StringBuilder text = new StringBuilder();
            i++;
            while (i < lines.size() && !lines.get(i).startsWith("```")) {
                text.append(lines.get(i)).append('\n');
                i++;
            }
            List<String> attributes = m.group(2).isBlank() ? List.of() : List.of(m.group(2).trim().split("\\s+"));
            found.add(new Block(start + 2, m.group(1), attributes, text.toString()));
        }
        return found;
    }

    @Test
    void everyJavaBlockCompilesAndEveryProgramRunsAsTheReadmeSays(@TempDir Path dir) throws Exception {
        List<Block> java = blocks.stream().filter(Block::isJava).collect(Collectors.toList());
        assertTrue(java.size() >= 5, "the README's Java blocks: " + java.size());
        Path src = Files.createDirectories(dir.resolve("src"));
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<Path> files = new ArrayList<>();
        Map<String, Integer> firstReadmeLine = new HashMap<>();
        List<String> programs = new ArrayList<>();
        List<Block> programBlocks = new ArrayList<>();
        int fragments = 0;
        for (Block b : java) {
            if (b.isFragment()) {
                fragments++;
                String name = "ReadmeFragmentAtLine" + b.line();
                Path file = src.resolve(name + ".java");
                String head = FRAGMENT_PRELUDE + "final class " + name + " {\n" + FRAGMENT_FIXTURE
                        + "    void fragment() throws Exception {\n";
                Files.writeString(file, head + b.text() + "    }\n}\n");
                files.add(file);
                int headLines = (int) head.chars().filter(c -> c == '\n').count();
                firstReadmeLine.put(file.getFileName().toString(), b.line() - headLines);
            } else {
                Matcher m = TYPE_NAME.matcher(b.text());
                if (!m.find()) {
                    fail("README.md line " + b.line() + ": a ```java block must be a compilation unit (imports and a"
                            + " class), or be marked ```java fragment");
                }
                Path file = src.resolve(m.group(1) + ".java");
                assertFalse(Files.exists(file), "README.md line " + b.line() + ": a second class " + m.group(1));
                Files.writeString(file, b.text());
                files.add(file);
                firstReadmeLine.put(file.getFileName().toString(), b.line());
                if (b.text().contains("public static void main(String[] args)")) {
                    programs.add(m.group(1));
                    programBlocks.add(b);
                }
            }
        }
        assertTrue(fragments > 0 && !programs.isEmpty(), "fragments " + fragments + ", programs " + programs);
        compile(files, out, firstReadmeLine);
        for (int i = 0; i < programs.size(); i++) {
            run(programs.get(i), programBlocks.get(i), out);
        }
    }

    @Test
    void aFirstProgramIsACompleteProgram() {
        Block first = firstProgram();
        assertTrue(first.text().startsWith("import "), "A first program must start with its imports");
        assertTrue(first.text().contains("public static void main(String[] args)"), first.text());
        assertFalse(first.isFragment());
    }

    @Test
    void theCiConsumerIsTheReadmesFirstProgramAndPom() throws IOException {
        Path main = CONSUMER.resolve(Paths.get("src", "main", "java", "FirstProgram.java"));
        assertEquals(firstProgram().text(), Files.readString(main, StandardCharsets.UTF_8),
                ".ci/consumer's FirstProgram.java must be the README's \"A first program\", as written");
        String pom = normalise(Files.readString(CONSUMER.resolve("pom.xml"), StandardCharsets.UTF_8));
        List<Block> xml = blocks.stream().filter(b -> b.lang().equals("xml") && b.attributes().contains("consumer"))
                .collect(Collectors.toList());
        assertFalse(xml.isEmpty(), "the README's ```xml consumer blocks");
        for (Block b : xml) {
            assertTrue(pom.contains(normalise(b.text())), "README.md line " + b.line()
                    + ": .ci/consumer/pom.xml must contain this block as written:\n" + b.text());
        }
    }

    @Test
    void theReadmesCoordinatesAreTheBuildsOwn() throws IOException {
        String parent = Files.readString(Paths.get("..", "pom.xml"), StandardCharsets.UTF_8);
        String version = first(parent, "<artifactId>weft-parent</artifactId>\\s*<version>([^<]+)</version>");
        String slf4j = first(parent, "<slf4j.version>([^<]+)</slf4j.version>");
        String logback = first(parent, "<logback.version>([^<]+)</logback.version>");
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        for (Block b : blocks) {
            if (!b.lang().equals("xml")) {
                continue;
            }
            Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(b.text());
            while (m.find()) {
                String expected = switch (m.group(1)) {
                    case "weft-bom", "weft-reactor-api", "weft-reactor-untwisted", "weft-reactor-netty" -> version;
                    case "slf4j-simple", "slf4j-api" -> slf4j;
                    case "logback-classic" -> logback;
                    default -> m.group(2);
                };
                assertEquals(expected, m.group(2), "README.md line " + b.line() + ": the version of " + m.group(1));
            }
        }
        assertTrue(readme.contains("mvn -B -q -DskipTests install"), "the README's install command");
        String netty = first(parent, "<netty.version>([^<]+)</netty.version>");
        for (String coordinate : List.of("ch.qos.logback:logback-classic:" + logback, "org.slf4j:slf4j-simple:" + slf4j,
                "Netty " + netty)) {
            assertTrue(readme.contains(coordinate), "the README's \"Using Weft in your project\" must name "
                    + coordinate + ", the build's own");
        }
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }

    private static String normalise(String xml) {
        return xml.replaceAll("\\s+", " ").trim();
    }

    private static Block firstProgram() {
        List<String> lines;
        try {
            lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        int heading = lines.indexOf("## A first program");
        assertTrue(heading >= 0, "the README's \"A first program\" section");
        return blocks.stream().filter(b -> b.isJava() && b.line() > heading).findFirst()
                .orElseThrow(() -> new AssertionError("no Java block after \"A first program\""));
    }

    private static void compile(List<Path> files, Path out, Map<String, Integer> firstReadmeLine)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
                    "-proc:none", "--release", "17");
            boolean ok = javac.getTask(null, fm, diagnostics, options, null,
                    fm.getJavaFileObjectsFromPaths(files)).call();
            if (!ok) {
                StringBuilder why = new StringBuilder("README snippets do not compile:\n");
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        String file = d.getSource() == null ? "?"
                                : Paths.get(d.getSource().toUri()).getFileName().toString();
                        Integer first = firstReadmeLine.get(file);
                        why.append("README.md line ")
                                .append(first == null ? "?" : String.valueOf(first + d.getLineNumber() - 1))
                                .append(" (").append(file).append(':').append(d.getLineNumber()).append("): ")
                                .append(d.getMessage(Locale.ROOT)).append('\n');
                    }
                }
                fail(why.toString());
            }
        }
    }

    private static void run(String mainClass, Block block, Path classes) throws Exception {
        Path stdout = Files.createTempFile(classes.getParent(), mainClass, ".out");
        Path stderr = Files.createTempFile(classes.getParent(), mainClass, ".err");
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), mainClass)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        pb.environment().remove("WEFT_REACTOR");
        Process p = pb.start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String both = "README.md line " + block.line() + ", " + mainClass + "\nstdout:\n" + out + "stderr:\n"
                + Files.readString(stderr, StandardCharsets.UTF_8);
        assertTrue(exited, "did not exit within 60 s; " + both);
        assertEquals(0, p.exitValue(), both);
        Block output = outputAfter(block);
        if (output != null) {
            int from = 0;
            for (String line : output.text().split("\n")) {
                int at = out.indexOf(line, from);
                assertTrue(at >= 0, "the README's output line '" + line + "' (line " + output.line()
                        + "), in order; " + both);
                from = at + line.length();
            }
        }
    }

    private static Block outputAfter(Block program) {
        int i = blocks.indexOf(program);
        if (i + 1 < blocks.size() && blocks.get(i + 1).attributes().contains("output")) {
            return blocks.get(i + 1);
        }
        return null;
    }
}
