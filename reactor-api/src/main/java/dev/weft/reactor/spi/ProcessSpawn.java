package dev.weft.reactor.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The checks of {@code spawnProcess}'s arguments, and the start of the JDK process they describe. Any thread (the
 * reactor calls it on its own).
 */
final class ProcessSpawn {

    private ProcessSpawn() {
    }

    /**
     * Checks the arguments, each error naming the argument, and starts the child with three pipes.
     *
     * @return the started process
     */
    static Process start(String executable, List<String> args, Map<String, String> env, Path path) {
        Objects.requireNonNull(executable, "executable must not be null");
        if (executable.isBlank()) {
            throw new IllegalArgumentException("executable must not be empty");
        }
        Objects.requireNonNull(args, "args must not be null (use an empty list)");
        List<String> command = new ArrayList<>();
        command.add(executable);
        for (int i = 0; i < args.size(); i++) {
            String arg = Objects.requireNonNull(args.get(i), "args[" + i + "] must not be null");
            if (i > 0) {
                command.add(arg);
            }
        }
        if (path != null && !Files.isDirectory(path)) {
            throw new IllegalArgumentException("path (the working directory) " + path + (Files.exists(path)
                    ? " is not a directory" : " does not exist"));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        if (env != null) {
            Map<String, String> childEnv = builder.environment();
            childEnv.clear();
            for (Map.Entry<String, String> e : env.entrySet()) {
                String name = Objects.requireNonNull(e.getKey(), "env must not hold a null name");
                String value = Objects.requireNonNull(e.getValue(), "env[" + name + "] must not be null");
                if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("env: the name '" + name
                            + "' must be non-empty and hold neither '=' nor NUL");
                }
                if (value.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("env[" + name + "] must not hold NUL");
                }
                childEnv.put(name, value);
            }
        }
        if (path != null) {
            builder.directory(path.toFile());
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalArgumentException("executable '" + executable + "' cannot be run: " + e.getMessage(), e);
        }
    }
}
