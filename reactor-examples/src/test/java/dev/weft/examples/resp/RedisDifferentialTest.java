package dev.weft.examples.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Weft RESP server against a real {@code redis-server}, byte for byte: the same raw request scripts
 * ({@link RedisScripts}) go to both, one connection per script, and the replies (and whether the server closed the
 * connection) must be identical, on each backend. Skipped, with the reason, when {@code redis-server} is not
 * installed ({@code apt-get install redis-server}).
 */
@Timeout(240)
class RedisDifferentialTest {

    /** Bounds playing every script against one server: each read is bounded, and a wrong server may hit them all. */
    private static final double ALL_SCRIPTS_TIMEOUT = 100;

    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        String exe = RedisServerProcess.executable();
        Assumptions.assumeTrue(exe != null, "redis-server not installed (apt-get install redis-server)");
        redis = RedisServerProcess.start(exe);
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void everyScriptGetsRedisReplies(String backend) throws Exception {
        List<RawExchange> scripts = RedisScripts.all();
        List<RawExchange.Result> expected = new ArrayList<>();
        for (RawExchange s : scripts) {
            expected.add(s.playAgainst(redis.port()));
        }
        List<RawExchange.Result> actual = againstWeft(backend, scripts);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < scripts.size(); i++) {
            RawExchange s = scripts.get(i);
            String want = expected.get(i).readable();
            String got = actual.get(i).readable();
            assertTrue(expected.get(i).closed == (s.ending == RawExchange.Ending.CLOSES),
                    () -> "the script '" + s.name + "' does not end as written against Redis:\n" + want);
            if (!want.equals(got)) {
                differences.add(firstDifference(s.name, want, got));
            }
        }
        if (!differences.isEmpty()) {
            fail(differences.size() + " of " + scripts.size() + " scripts differ from redis-server on " + backend
                    + ":\n" + String.join("\n", differences));
        }
    }

    /**
     * HELLO's reply carries the server's version and the connection's id, which differ by nature: they are
     * masked, the rest must match Redis. {@code HELLO 3} is where the server differs on purpose: Redis switches to
     * RESP3, this server answers NOPROTO and stays in RESP2.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void helloAnswersAsRedisInResp2AndRefusesResp3(String backend) throws Exception {
        RawExchange hellos = new RawExchange.Builder("HELLO").cmd("HELLO").cmd("HELLO", "2")
                .cmd("HELLO", "2", "SETNAME", "weft").cmd("HELLO", "2", "AUTH", "default", "any")
                .cmd("hello", "2", "auth", "default", "x", "setname", "y").open();
        String want = masked(hellos.playAgainst(redis.port()));
        RawExchange.Result weft = againstWeft(backend, List.of(hellos)).get(0);
        String raw = new String(weft.reply, StandardCharsets.ISO_8859_1);
        assertTrue(raw.contains("$7\r\nversion\r\n$5\r\n7.0.0\r\n"), raw);
        assertEquals(want, masked(weft));

        RawExchange resp3 = new RawExchange.Builder("HELLO 3").cmd("HELLO", "3").cmd("PING").open();
        String redis3 = new String(resp3.playAgainst(redis.port()).reply, StandardCharsets.ISO_8859_1);
        assertTrue(redis3.startsWith("%7\r\n"), "Redis 7 answers HELLO 3 with a RESP3 map: " + redis3);
        String weft3 = new String(againstWeft(backend, List.of(resp3)).get(0).reply, StandardCharsets.ISO_8859_1);
        assertEquals("-NOPROTO unsupported protocol version\r\n+PONG\r\n$" + RawExchange.MARKER.length() + "\r\n"
                + RawExchange.MARKER + "\r\n", weft3);
    }

    /** Plays the scripts, one after another, against a fresh Weft server on {@code backend}. */
    private static List<RawExchange.Result> againstWeft(String backend, List<RawExchange> scripts)
            throws Exception {
        Reactor reactor = Reactors.create(backend);
        try {
            int port = RespServer.listen(reactor, "127.0.0.1", 0).getHost().getPort();
            return reactor.runUntil(reactor.deferToThread(() -> {
                List<RawExchange.Result> results = new ArrayList<>();
                for (RawExchange s : scripts) {
                    results.add(playOrDescribe(s, port));
                }
                return results;
            }).addTimeout(ALL_SCRIPTS_TIMEOUT, reactor));
        } finally {
            RespTestClient.stop(reactor);
        }
    }

    private static RawExchange.Result playOrDescribe(RawExchange s, int port) {
        try {
            return s.playAgainst(port);
        } catch (IOException e) {
            return new RawExchange.Result(("<" + e + ">").getBytes(StandardCharsets.ISO_8859_1), false);
        }
    }

    /** Replaces the values of {@code version} and {@code id} in HELLO replies. */
    private static String masked(RawExchange.Result r) {
        String s = new String(r.reply, StandardCharsets.ISO_8859_1);
        s = s.replaceAll("\\$7\r\nversion\r\n\\$\\d+\r\n[^\r]*\r\n", "\\$7\r\nversion\r\n<version>\r\n");
        return s.replaceAll("\\$2\r\nid\r\n:\\d+\r\n", "\\$2\r\nid\r\n<id>\r\n");
    }

    /** The script's name and the lines around the first difference, both sides. */
    private static String firstDifference(String name, String want, String got) {
        String[] w = want.split("\n", -1);
        String[] g = got.split("\n", -1);
        int i = 0;
        while (i < w.length && i < g.length && w[i].equals(g[i])) {
            i++;
        }
        int from = Math.max(0, i - 3);
        StringBuilder b = new StringBuilder("--- ").append(name).append(": reply line ").append(i + 1).append('\n');
        for (int k = from; k < Math.min(w.length, i + 3); k++) {
            b.append(k == i ? " redis> " : "        ").append(w[k]).append('\n');
        }
        for (int k = from; k < Math.min(g.length, i + 3); k++) {
            b.append(k == i ? " weft > " : "        ").append(g[k]).append('\n');
        }
        return b.toString();
    }
}
