package dev.weft.protocol.basic;

import dev.weft.protocol.PushProducer;

/**
 * A framing receiver whose delivery can be paused: it is a push producer of frames, and pausing it pauses its
 * transport too, so that little more arrives. Extend {@link LineReceiver} or an {@link IntNStringReceiver}, not
 * this class. Used on the reactor thread; not thread-safe.
 */
public abstract class PausableFramingReceiver extends FramingReceiver implements PushProducer {

    boolean paused;

    PausableFramingReceiver(int defaultMaxLength) {
        super(defaultMaxLength);
    }

    /**
     * Stops delivering frames (they are buffered) and pauses the transport. Called on the reactor thread, by a
     * consumer this receiver produces for, or by the receiver itself.
     */
    @Override
    public void pauseProducing() {
        paused = true;
        if (transport != null) {
            transport.pauseProducing();
        }
    }

    /**
     * Resumes the transport and delivers what was buffered while paused, at once, on the calling (reactor) thread.
     */
    @Override
    public void resumeProducing() {
        paused = false;
        if (transport != null) {
            transport.resumeProducing();
        }
        dataReceived(new byte[0]);
    }

    /** Stops delivering for good and stops the transport (which closes the connection). */
    @Override
    public void stopProducing() {
        paused = true;
        if (transport != null) {
            transport.stopProducing();
        }
    }

    /**
     * Whether delivery is paused.
     *
     * @return true between {@link #pauseProducing()} and {@link #resumeProducing()}
     */
    public boolean isPaused() {
        return paused;
    }
}
