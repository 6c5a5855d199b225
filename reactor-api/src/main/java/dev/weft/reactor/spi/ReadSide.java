package dev.weft.reactor.spi;

import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.reactor.DelayedCall;
import java.util.ArrayDeque;

/**
 * The reading half of a {@link StreamTransport} and its rules: whether the protocol paused it, how far the peer's
 * stream has got ({@link End}), the bytes read and held back while the protocol is paused (within one read of the
 * backend: reading stops while any are held), their delivery in a later pass after a resume, the peer's end of
 * stream (delivered after the held bytes; {@code readConnectionLost} for a half-closeable protocol), and whether the
 * backend should read. Reactor thread only.
 */
final class ReadSide {

    /** How far the peer's stream has got. */
    enum End {
        /** The peer may send more. */
        OPEN,
        /** The peer's end of stream was read behind held bytes or while paused: it is delivered after them. */
        HELD,
        /** The end of stream was delivered (or the stream failed): nothing more is read. */
        ENDED
    }

    private final StreamTransport t;

    /** How far the peer's stream has got. */
    End end = End.OPEN;
    /** Whether the backend reads now: the last value given to {@code setReading}. */
    boolean reading;

    private boolean paused;
    private DelayedCall heldDelivery;
    private ArrayDeque<byte[]> held;
    private long heldBytes;

    ReadSide(StreamTransport t) {
        this.t = t;
    }

    /**
     * The size of what is held.
     *
     * @return bytes read and not delivered yet
     */
    long heldBytes() {
        return heldBytes;
    }

    /**
     * Bytes read (decrypted, with TLS): to {@code dataReceived} now, or held behind what is held or while paused.
     *
     * @param data the bytes
     */
    void deliver(byte[] data) {
        if (t.state != ConnectionState.CONNECTED || end != End.OPEN) {
            return;
        }
        if (paused || holding()) {
            if (held == null) {
                held = new ArrayDeque<>();
            }
            held.add(data);
            heldBytes += data.length;
            return;
        }
        t.call(ProtocolEvent.DATA, data);
    }

    /** The protocol paused reading ({@code pauseProducing}). */
    void pause() {
        paused = true;
        update();
    }

    /** The protocol resumed reading ({@code resumeProducing}): what is held is delivered in a later pass. */
    void resume() {
        paused = false;
        update();
        if ((holding() || end == End.HELD) && heldDelivery == null) {
            heldDelivery = t.reactor().callLater(0, this::deliverHeld);
        }
    }

    /** The peer's end of stream reached the protocol's side: after what is held, or now. */
    void peerClosed() {
        if (paused || holding()) {
            // Deliver the data read before the end of stream first, once reading resumes.
            end = End.HELD;
            update();
            return;
        }
        end = End.ENDED;
        update();
        if (t.protocol instanceof HalfCloseableProtocol && t.tls == null && t.state == ConnectionState.CONNECTED) {
            if (!t.call(ProtocolEvent.READ_LOST, null)) {
                return;
            }
            if (t.write == WriteSide.SHUT && !t.state.lost()) {
                t.loss.finish(new ConnectionDone("both halves of the connection were closed"), false);
            }
            return;
        }
        t.loss.finish(new ConnectionDone("the peer closed the connection"), false);
    }

    /**
     * Tells the backend to read or not, when that changes: it reads while the connection is connected, the stream
     * open, the protocol not paused and nothing held (so what is held stays within one of its reads).
     */
    void update() {
        boolean want = t.state == ConnectionState.CONNECTED && end == End.OPEN && !paused && !holding();
        if (want == reading) {
            return;
        }
        reading = want;
        Throwable failed = null;
        t.callsUnderWay++;
        try {
            t.setReading(want);
        } catch (Throwable e) {
            failed = e;
        } finally {
            t.callsUnderWay--;
        }
        if (failed != null) {
            t.connectionFailed(failed);
        }
    }

    /** Drops what is held and the call that would deliver it: the connection is gone. */
    void clear() {
        if (heldDelivery != null) {
            heldDelivery.cancel();
            heldDelivery = null;
        }
        held = null;
        heldBytes = 0;
    }

    private boolean holding() {
        return held != null && !held.isEmpty();
    }

    private void deliverHeld() {
        heldDelivery = null;
        while (holding() && !paused && t.state == ConnectionState.CONNECTED) {
            byte[] data = held.poll();
            heldBytes -= data.length;
            t.call(ProtocolEvent.DATA, data);
        }
        if (end == End.HELD && !holding() && !paused && !t.state.lost()) {
            end = End.OPEN;
            peerClosed();
        } else {
            update();
        }
    }
}
