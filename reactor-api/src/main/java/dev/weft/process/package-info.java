/**
 * Child processes (Twisted's {@code ProcessProtocol} and process transport): start one with
 * {@link dev.weft.reactor.ReactorProcess#spawnProcess}; its events arrive at a
 * {@link dev.weft.process.ProcessProtocol}, and it ends with a {@link dev.weft.process.ProcessDone} (exit code 0)
 * or a {@link dev.weft.process.ProcessTerminated} (another exit code, or a signal).
 *
 * <p>Threading: every callback runs on the reactor thread, one at a time, and every method of a
 * {@link dev.weft.process.ProcessTransport} must be called there.
 */
package dev.weft.process;
