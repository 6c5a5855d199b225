package dev.weft.examples.resp;

import static dev.weft.examples.resp.RespTestClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Jedis's default usage against the server, on each backend: a {@link Jedis} connection (incrBy, expire, getrange,
 * a MULTI/EXEC transaction, a pipeline) and a {@link RedisClient} (Jedis 8's pooled client), each with its default configuration.
 */
@Timeout(60)
class JedisTest {

    private static final int TIMEOUT_MS = 10_000;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void jedisDefaultsWork(String backend) throws Exception {
        Reactor reactor = Reactors.create(backend);
        try {
            int port = RespServer.listen(reactor, "127.0.0.1", 0).getHost().getPort();
            assertEquals("done", await(reactor, reactor.deferToThread(() -> {
                useJedis(port);
                useRedisClient(port);
                return "done";
            })));
        } finally {
            RespTestClient.stop(reactor);
        }
    }

    private static void useJedis(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port, TIMEOUT_MS)) {
            assertEquals("PONG", j.ping());
            assertEquals("OK", j.set("greeting", "hello world"));
            assertEquals(5L, j.incrBy("n", 5));
            assertEquals(4L, j.decr("n"));
            assertEquals(1L, j.expire("n", 100));
            assertEquals(100L, j.ttl("n"));
            assertEquals("hello", j.getrange("greeting", 0, 4));
            assertEquals(2.5, j.incrByFloat("f", 2.5));
            assertEquals(11L, j.strlen("greeting"));
            assertEquals("string", j.type("greeting"));
            assertEquals(1L, j.persist("n"));

            Transaction t = j.multi();
            t.set("a", "1");
            t.incrBy("a", 41);
            t.get("a");
            t.incr("greeting");
            List<Object> results = t.exec();
            assertEquals("OK", results.get(0));
            assertEquals(42L, results.get(1));
            assertEquals("42", results.get(2));
            assertInstanceOf(JedisDataException.class, results.get(3), "a failing command is reported in place");

            Pipeline p = j.pipelined();
            p.set("b", "2");
            p.incr("b");
            p.expire("b", 10);
            List<Object> piped = p.syncAndReturnAll();
            assertEquals(List.of("OK", 3L, 1L), piped);

            JedisDataException e = assertThrows(JedisDataException.class, () -> j.sendCommand(() ->
                    redis.clients.jedis.util.SafeEncoder.encode("NOSUCHCOMMAND"), "x"));
            assertTrue(e.getMessage().startsWith("ERR unknown command 'NOSUCHCOMMAND'"), e.getMessage());
            assertEquals("PONG", j.ping(), "the connection stays usable");
        }
    }

    private static void useRedisClient(int port) {
        try (RedisClient j = RedisClient.create("127.0.0.1", port)) {
            assertEquals("OK", j.set("k", "v"));
            assertEquals("v", j.get("k"));
            assertEquals(7L, j.incrBy("c", 7));
            assertEquals(1L, j.expire("c", 50));
            assertEquals(50L, j.ttl("c"));
            assertEquals("v", j.getDel("k"));
            assertNull(j.get("k"));
        }
    }
}
