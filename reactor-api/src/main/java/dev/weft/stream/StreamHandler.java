package dev.weft.stream;

/**
 * What a stream server runs for each connection (asyncio's {@code client_connected_cb}): a coroutine body that gets
 * the connection's reader and writer.
 *
 * <p>It runs with {@code Deferred.fromCoroutine} on the reactor's behalf, from the connection's
 * {@code connectionMade}, so it may {@code await()} the reader's Deferreds and {@code drain()}, and call every
 * reactor and transport method, as a callback would. Returning does not close the connection (as in asyncio): close
 * the writer when done ({@code try (writer) { ... }}), or return at once and go on from callbacks. An exception
 * that escapes aborts the connection and is logged once, with the peer's address; nothing else on the loop is
 * disturbed. An exception that is only the connection's loss surfacing at a read (the reason it was lost with) is
 * not logged as an error.
 */
@FunctionalInterface
public interface StreamHandler {

    /**
     * Serves one connection. Runs on the reactor's behalf (see the type's description).
     *
     * @param reader what the peer sends
     * @param writer where to write to the peer
     * @throws Exception to abort the connection (logged)
     */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
