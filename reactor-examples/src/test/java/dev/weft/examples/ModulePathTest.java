package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library jars are JPMS modules and work on the module path as on the class path. A small application module
 * ({@code src/test/resources/modapp}: {@code requires dev.weft.reactor}, nothing else) is compiled here against the
 * library modules, then run in a child JVM, once with {@code java -p ... -m dev.weft.modapp/...} and once with
 * {@code java -cp ...}: on each it creates a reactor of each backend through {@code Reactors.create(name)}
 * (ServiceLoader: the backends' {@code provides} on the module path, their {@code META-INF/services} on the class
 * path), echoes a line over 127.0.0.1, and exits 0.
 *
 * <p>The library modules are taken from this test's class path: the packaged jars of {@code reactor-api},
 * {@code reactor-untwisted} and {@code reactor-netty} when the build ran {@code package} (as {@code verify} does),
 * their {@code target/classes} otherwise, plus slf4j-api and the Netty jars the backend requires. No SLF4J binding
 * is given (slf4j says so once on stderr).
 */
class ModulePathTest {
    private static final String[] LIBRARIES = {"reactor-api", "reactor-untwisted", "reactor-netty"};
    private static final String MAIN = "dev.weft.modapp.EchoApp";
    private static final long CHILD_SECONDS = 60;

    @TempDir
    static Path work;

    private static List<Path> libraries;
    private static Path app;

    @BeforeAll
    static void compileTheApplication() throws IOException, URISyntaxException {
        libraries = libraryModules();
        URL moduleInfo = ModulePathTest.class.getResource("/modapp/module-info.java");
        assertTrue(moduleInfo != null, "modapp/module-info.java is not on the test class path");
        Path src = Paths.get(moduleInfo.toURI()).getParent();
        List<String> sources;
        try (var files = Files.walk(src)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString)
                    .collect(Collectors.toList());
        }
        app = work.resolve("modapp");
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", app.toString(), "--module-path",
                join(libraries)));
        args.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), "compiling modapp failed");
    }

    @Test
    void runsOnTheModulePath() throws Exception {
        List<Path> path = new ArrayList<>(libraries);
        path.add(app);
        String out = run("module", List.of("-p", join(path), "-m", "dev.weft.modapp/" + MAIN));
        assertTrue(out.contains("untwisted echoed 'hello from a module' on the module path"), out);
        assertTrue(out.contains("in module dev.weft.untwisted"), out);
        assertTrue(out.contains("netty echoed 'hello from a module' on the module path"), out);
        assertTrue(out.contains("in module dev.weft.netty"), out);
    }

    @Test
    void runsOnTheClassPath() throws Exception {
        List<Path> path = new ArrayList<>(libraries);
        path.add(app);
        String out = run("class", List.of("-cp", join(path), MAIN));
        assertTrue(out.contains("untwisted echoed 'hello from a module' on the class path"), out);
        assertTrue(out.contains("netty echoed 'hello from a module' on the class path"), out);
        assertTrue(out.contains("in the unnamed module"), out);
    }

    /** Runs {@code java <how> untwisted netty} and returns its output, once it exited 0. */
    private static String run(String name, List<String> how) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dweft.warmup=false");
        cmd.addAll(how);
        cmd.add("untwisted");
        cmd.add("netty");
        Path stdout = work.resolve(name + ".out");
        Path stderr = work.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        boolean exited = p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        String report = String.join(" ", cmd) + "\nstdout:\n" + out + "\nstderr:\n" + err;
        assertTrue(exited, () -> "did not exit in " + CHILD_SECONDS + " s: " + report);
        assertEquals(0, p.exitValue(), () -> "exit code: " + report);
        return out;
    }

    /** The three library modules, slf4j-api and the Netty jars, from this test's class path. */
    private static List<Path> libraryModules() throws IOException {
        List<Path> found = new ArrayList<>();
        int weft = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Paths.get(entry);
            String file = p.getFileName().toString();
            String where = p.toString().replace(File.separatorChar, '/');
            boolean library = false;
            for (String lib : LIBRARIES) {
                library |= where.contains("/" + lib + "/target/") || file.startsWith("weft-" + lib + "-");
            }
            if (library) {
                assertTrue(hasModuleInfo(p), p + " has no module-info.class");
                weft++;
                found.add(p);
            } else if (file.startsWith("slf4j-api-") || file.startsWith("netty-common-")
                    || file.startsWith("netty-buffer-") || file.startsWith("netty-resolver-")
                    || file.startsWith("netty-transport-")) {
                found.add(p);
            }
        }
        assertEquals(LIBRARIES.length, weft, "the library modules on the class path: " + found);
        return found;
    }

    private static boolean hasModuleInfo(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            return Files.exists(p.resolve("module-info.class"));
        }
        try (JarFile jar = new JarFile(p.toFile())) {
            return jar.getEntry("module-info.class") != null;
        }
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
