package dev.weft.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Vert.x echo peers echo, under load and under back-pressure; the virtual-thread one only on JDK 21+. */
class VertxEchoServerTest {

    /** Runs {@code test} against a fresh Vert.x (one event loop) serving the echo verticle of {@code model}. */
    private static void withServer(VertxEchoServer.Model model, PortTest test) throws Exception {
        NettyServers.quietLogging();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            test.run(VertxEchoServer.start(vertx, 0, model));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface PortTest {
        void run(int port) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(VertxEchoServer.Model.class)
    void carriesTheEchoLoadAndAWriteLargerThanTheWriteQueue(VertxEchoServer.Model model) throws Exception {
        if (model.unavailable() != null) {
            assertTrue(Runtime.version().feature() < 21);
            assertEquals("JDK 21+ needed", model.unavailable());
            return;
        }
        withServer(model, port -> {
            assertTrue(ServerProcess.echoes(port));
            EchoLoad.Result res = new EchoLoad(new InetSocketAddress("127.0.0.1", port), 4, 64, 100, 2_000, 0).run();
            assertEquals(2_000, res.messages());
            // 4 MiB written while reading back (no half-close: Vert.x closes a socket whose peer shut its output,
            // dropping what is still queued): the server must pause and resume, and lose nothing
            byte[] sent = new byte[4 << 20];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 31 + (i >>> 11));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        out.write(sent);
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                byte[] got = new byte[sent.length];
                InputStream in = s.getInputStream();
                int n = 0;
                while (n < got.length) {
                    int r = in.read(got, n, got.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                writer.get(10, TimeUnit.SECONDS);
                assertEquals(sent.length, n);
                assertArrayEquals(sent, got);
            }
        });
    }

    @Test
    void modelsAreNamedOnTheCommandLine() {
        assertEquals(VertxEchoServer.Model.EVENT_LOOP, VertxEchoServer.Model.of(null));
        assertEquals(VertxEchoServer.Model.VIRTUAL_THREAD, VertxEchoServer.Model.of("virtual-thread"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VertxEchoServer.Model.of("worker"));
        assertTrue(e.getMessage().contains("'worker'"), e.getMessage());
        assertNull(VertxEchoServer.Model.EVENT_LOOP.unavailable());
        if (Runtime.version().feature() < 21) {
            assertNotNull(VertxEchoServer.Model.VIRTUAL_THREAD.unavailable());
        } else {
            assertNull(VertxEchoServer.Model.VIRTUAL_THREAD.unavailable());
        }
    }
}
