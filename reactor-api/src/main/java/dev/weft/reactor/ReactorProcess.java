package dev.weft.reactor;

import dev.weft.process.ProcessProtocol;
import dev.weft.process.ProcessTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Child processes run through the reactor (Twisted's {@code IReactorProcess}): the child's standard output and
 * error are delivered to a {@link ProcessProtocol} as they arrive, its standard input is written through the
 * returned {@link ProcessTransport}, and its exit is reported to the protocol, all on the reactor thread.
 *
 * <p>Every backend offers it, with the same behaviour: the JDK's {@link java.lang.Process} gives blocking pipes, so
 * the reactor reads each output pipe on a thread of its own (two per child, named after the child's pid and the
 * stream) and writes standard input on a third, started at the first write; these threads never call protocol code:
 * they hand what they read to the reactor thread. While the protocol has paused the transport
 * ({@link ProcessTransport#pauseProducing()}), the readers stop after at most 32 KiB per stream, so a child that
 * floods its output blocks on its pipe instead of filling the reactor's memory.
 *
 * <p>Shutdown: as in Twisted, a child still running when the reactor shuts down is left running. In the
 * {@code DURING} phase the reactor stops watching it: its protocol gets no further callbacks, its output is read
 * and discarded (so it never blocks on a full pipe), and its standard input is left open. Kill children you own in a
 * {@code BEFORE} shutdown trigger that waits for their {@code processEnded}.
 */
public interface ReactorProcess {

    /**
     * Starts a child process (Twisted's {@code spawnProcess}) and connects {@code protocol} to it:
     * {@link ProcessProtocol#makeConnection(ProcessTransport)}, and so {@code connectionMade}, runs before this
     * method returns.
     *
     * <p>Call it on the reactor thread, or before the reactor runs (the child starts at once; its output is
     * delivered once the reactor runs).
     *
     * <p>{@code args} is the child's whole argument vector as in Twisted, {@code args.get(0)} being the name the
     * program is called by; the JDK always passes {@code executable} as that name, so {@code args.get(0)} is not
     * passed on, and the arguments proper are {@code args.subList(1, args.size())}. An empty list runs the
     * executable without arguments. {@code executable} is looked up on the {@code PATH} of the JVM when it holds no
     * {@code /}.
     *
     * @param protocol   the protocol that receives the child's events
     * @param executable the program to run, e.g. {@code "/bin/sh"}
     * @param args       the argument vector, {@code args.get(0)} being the program's name (not passed on)
     * @param env        the child's whole environment, or null to inherit the JVM's
     * @param path       the child's working directory, or null for the JVM's
     * @return the transport of the child: standard input, signals, flow control of its output
     * @throws NullPointerException     if {@code protocol}, {@code executable} or {@code args} (or an element,
     *                                  key or value) is null
     * @throws IllegalArgumentException if {@code executable} is empty or cannot be run (missing, not executable),
     *                                  if {@code path} is not an existing directory, or if an environment name is
     *                                  empty or holds {@code '='} or a NUL character
     * @throws IllegalStateException    if called from another thread while the reactor runs
     */
    ProcessTransport spawnProcess(ProcessProtocol protocol, String executable, List<String> args,
            Map<String, String> env, Path path);

    /**
     * Starts a child process with the JVM's environment and working directory:
     * {@code spawnProcess(protocol, executable, args, null, null)}. Same threads and errors.
     *
     * @param protocol   the protocol that receives the child's events
     * @param executable the program to run
     * @param args       the argument vector, {@code args.get(0)} being the program's name (not passed on)
     * @return the transport of the child
     */
    default ProcessTransport spawnProcess(ProcessProtocol protocol, String executable, List<String> args) {
        return spawnProcess(protocol, executable, args, null, null);
    }
}
