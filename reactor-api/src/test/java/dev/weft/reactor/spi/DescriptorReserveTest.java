package dev.weft.reactor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reserved descriptor: what counts as "out of descriptors", and the release, accept, close, re-take loop. */
class DescriptorReserveTest {

    @Test
    void emfileAndEnfileMessagesAreRecognisedAlsoAsCauses() {
        assertTrue(DescriptorReserve.isOutOfDescriptors(new IOException("Too many open files")));
        assertTrue(DescriptorReserve.isOutOfDescriptors(new IOException("Too many open files in system")));
        // Netty's native transports: "accept(..) failed: Too many open files".
        assertTrue(DescriptorReserve.isOutOfDescriptors(new IOException("accept(..) failed: Too many open files")));
        // NIO's file channels: the file, then the reason.
        assertTrue(DescriptorReserve.isOutOfDescriptors(
                new FileSystemException("/dev/null", null, "Too many open files")));
        assertTrue(DescriptorReserve.isOutOfDescriptors(
                new IllegalStateException("wrapped", new IOException("Too many open files"))));
    }

    @Test
    void otherFailuresAreNotAboutDescriptors() {
        assertFalse(DescriptorReserve.isOutOfDescriptors(null));
        assertFalse(DescriptorReserve.isOutOfDescriptors(new IOException("Connection reset by peer")));
        assertFalse(DescriptorReserve.isOutOfDescriptors(new IOException((String) null)));
        // Only an I/O failure says so: a message of some other exception may quote anything.
        assertFalse(DescriptorReserve.isOutOfDescriptors(new IllegalStateException("Too many open files")));
    }

    @Test
    void aTranslatedTextIsNotEnoughWhileDescriptorsAreFree() {
        // Under a German locale strerror(EMFILE) is "Zu viele offene Dateien": with descriptors free (this JVM), the
        // check opens one and finds it is not about descriptors. (Out of descriptors it answers true: the heavy
        // DescriptorExhaustionContractTest runs a child under LC_ALL=de_DE.UTF-8 and ulimit -n.)
        assertFalse(DescriptorReserve.isOutOfDescriptors(new IOException("Zu viele offene Dateien")));
        assertFalse(DescriptorReserve.isOutOfDescriptors(
                new IllegalStateException("wrapped", new IOException("accept(..) failed: Zu viele offene Dateien"))));
    }

    @Test
    void aCycleOfCausesEnds() {
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);
        assertFalse(DescriptorReserve.isOutOfDescriptors(a));
    }

    @Test
    void shedReleasesTheReserveForEachAcceptAndTakesItBack() {
        assertTrue(DescriptorReserve.take());
        List<Boolean> heldDuring = new ArrayList<>();
        int[] waiting = {2};
        DescriptorReserve.Shed shed = DescriptorReserve.shed(5, () -> {
            heldDuring.add(DescriptorReserve.isHeld());
            return waiting[0]-- > 0;
        });
        assertEquals(2, shed.closed(), "two were waiting");
        assertTrue(shed.reserveHeld());
        assertNull(shed.failure());
        assertTrue(shed.canGoOn());
        assertEquals(List.of(false, false, false), heldDuring, "released for each accept, the last finding none");
        assertTrue(DescriptorReserve.isHeld());
    }

    @Test
    void shedStopsAtItsBound() {
        int[] calls = {0};
        DescriptorReserve.Shed shed = DescriptorReserve.shed(3, () -> {
            calls[0]++;
            return true;
        });
        assertEquals(3, shed.closed());
        assertEquals(3, calls[0]);
        assertTrue(shed.canGoOn());
        assertTrue(DescriptorReserve.isHeld());
    }

    @Test
    void aFailedAcceptEndsTheRoundAndTheReserveIsTakenBack() {
        IOException failure = new IOException("Too many open files");
        int[] calls = {0};
        DescriptorReserve.Shed shed = DescriptorReserve.shed(4, () -> {
            if (++calls[0] == 2) {
                throw failure;
            }
            return true;
        });
        assertEquals(1, shed.closed());
        assertSame(failure, shed.failure());
        assertTrue(shed.reserveHeld());
        assertFalse(shed.canGoOn(), "the port must pause: accepting failed with the reserve released");
        assertTrue(DescriptorReserve.isHeld());
    }

    @Test
    void anUncheckedFailureOfTheCloserPropagatesAndTheReserveIsTakenBack() {
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> DescriptorReserve.shed(2, () -> {
            throw bug;
        })));
        assertTrue(DescriptorReserve.isHeld());
    }

    @Test
    void badArgumentsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DescriptorReserve.shed(0, () -> false));
        assertTrue(e.getMessage().contains("max"), e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class, () -> DescriptorReserve.shed(1, null));
        assertTrue(n.getMessage().contains("closer"), n.getMessage());
    }

    @Test
    void shedClosesARealWaitingConnection() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocketChannel server = ServerSocketChannel.open(); Selector selector = Selector.open()) {
            server.bind(new InetSocketAddress(loopback, 0), 8);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (Socket client = new Socket(loopback, port)) {
                assertEquals(1, selector.select(4_000), "the connection must wait in the backlog");
                ListeningPortBase.WaitingConnections closer = () -> {
                    SocketChannel c = server.accept();
                    if (c == null) {
                        return false;
                    }
                    c.close();
                    return true;
                };
                DescriptorReserve.Shed shed = DescriptorReserve.shed(8, closer);
                assertEquals(1, shed.closed());
                assertTrue(shed.canGoOn());
                assertEnded(client);
                DescriptorReserve.Shed again = DescriptorReserve.shed(8, closer);
                assertEquals(0, again.closed(), "none waits any more");
                assertTrue(again.canGoOn());
            }
        }
    }

    private static void assertEnded(Socket s) throws IOException {
        s.setSoTimeout(4_000);
        InputStream in = s.getInputStream();
        try {
            assertEquals(-1, in.read(), "the end of the stream");
        } catch (SocketException reset) {
            // a reset ends it too
        }
    }
}
