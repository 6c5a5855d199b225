package dev.weft.examples.resp;

/**
 * What a command sees of its connection: the shared store, the connection's reply buffer, its client id (for
 * HELLO) and its transaction (MULTI/EXEC).
 *
 * <p>One per connection; used on the reactor thread.
 */
final class RespSession {

    final RespStore store;
    final RespReply out;
    final long id;
    final RespTransaction transaction = new RespTransaction();

    /**
     * A session of one connection.
     *
     * @param store the store shared by the server's connections
     * @param out   the connection's reply buffer
     * @param id    the connection's client id, unique in its server
     */
    RespSession(RespStore store, RespReply out, long id) {
        this.store = store;
        this.out = out;
        this.id = id;
    }
}
