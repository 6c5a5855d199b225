package dev.weft.examples;

import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.nio.charset.StandardCharsets;

/**
 * The positive control of {@link FirstRunBlockedLoopTest}, run in a child JVM: {@code BlockingCallbackChild
 * BACKEND} makes a first connection on a fresh reactor of that backend (an echo round trip over loopback), then
 * holds the reactor thread for {@value #HOLD_MILLIS} ms in a callback ({@link #holdTheLoop()}), then stops. With the
 * default threshold (100 ms), the blocked-loop detector must report that callback, and only it. Prints
 * {@code blocking-child: done} once {@code run()} has returned.
 */
public final class BlockingCallbackChild {
    /** How long the callback holds the reactor thread: three times the default threshold. */
    static final long HOLD_MILLIS = 300;

    private BlockingCallbackChild() {
    }

    /**
     * Runs the control.
     *
     * @param args the backend's name
     * @throws Exception if the reactor fails
     */
    public static void main(String[] args) throws Exception {
        Reactor reactor = Reactors.create(args[0]);
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(() -> new Protocol() {
            @Override
            public void dataReceived(byte[] data) {
                transport.write(data);
            }
        }), 50, "127.0.0.1");
        reactor.connectTCP("127.0.0.1", port.getHost().getPort(), ClientFactory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                transport.write("ping".getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public void dataReceived(byte[] data) {
                reactor.callLater(0, () -> {
                    holdTheLoop();
                    transport.loseConnection();
                    reactor.callLater(0, reactor::stop);
                });
            }
        }));
        reactor.run();
        System.out.println("blocking-child: done");
        System.exit(0);
    }

    /** Blocks the reactor thread: the behaviour under test, not a wait for something. */
    static void holdTheLoop() {
        long end = System.nanoTime() + HOLD_MILLIS * 1_000_000L;
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            try {
                Thread.sleep(Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
