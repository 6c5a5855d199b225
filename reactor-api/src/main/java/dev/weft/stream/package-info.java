/**
 * Streams: protocol code written as a loop that reads and writes, instead of a state machine fed by
 * {@code dataReceived} (asyncio's {@code StreamReader}/{@code StreamWriter}, on Weft's transports).
 *
 * <p>{@link dev.weft.stream.Streams} opens a connection ({@code openConnection}, {@code connect}) and gets a
 * {@link dev.weft.stream.StreamConnection}, or serves a port ({@code startServer}, {@code serve}) by running a
 * {@link dev.weft.stream.StreamHandler} as a coroutine for each connection. A {@link dev.weft.stream.StreamReader}
 * reads up to n bytes, exactly n, a line, or up to a separator, each as a {@link dev.weft.defer.Deferred}, so the
 * same calls work from callbacks and, with {@code await()}, from coroutine bodies. A
 * {@link dev.weft.stream.StreamWriter} writes, half-closes, closes, and {@code drain()}s: a writing loop that
 * awaits {@code drain()} uses bounded memory against a slow reader. Reading applies back-pressure: while more than
 * the stream's limit is buffered unread, the transport stops reading.
 *
 * <p>Threading: as everything built on a transport, every method here must be called on the reactor thread, or from
 * a coroutine body running on its behalf (which is where a {@code StreamHandler} runs); the Deferreds fire there.
 */
package dev.weft.stream;
