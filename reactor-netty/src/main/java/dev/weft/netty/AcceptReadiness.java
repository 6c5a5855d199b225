package dev.weft.netty;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.util.concurrent.Future;

/**
 * Tells, once, when a listening socket on an io_uring loop has a connection waiting: a one-shot {@code POLLIN} poll
 * of its descriptor ({@code IORING_OP_POLL_ADD}), submitted through a handle of its own registered on the loop.
 *
 * <p>What a listening port waits for after an accept failed for lack of file descriptors, before Netty accepts
 * again: io_uring's accept takes a descriptor before it looks for a waiting connection, so while the process is out
 * of descriptors it fails at once, connection or not, where a poll waits for one. A readiness-driven loop (Twisted's
 * {@code Port.doRead}, nio, epoll) accepts only when a connection waits; this gives io_uring the same rhythm.
 *
 * <p>Loop thread only. The descriptor stays the channel's: this neither owns nor closes it.
 */
final class AcceptReadiness implements IoUringIoHandle {

    // The kernel's io_uring and poll constants (linux/io_uring.h, poll.h).
    private static final byte IORING_OP_POLL_ADD = 6;
    private static final byte IORING_OP_ASYNC_CANCEL = 14;
    private static final int POLLIN = 0x1;

    /** Where the watch is. */
    private enum State {
        /** No poll submitted. */
        IDLE,
        /** A poll is submitted; its completion runs the waiting action. */
        WAITING,
        /** Stopped: nothing runs any more. */
        STOPPED
    }

    private final IoEventLoop loop;
    private final int fd;
    private IoRegistration registration;
    /** The user data of the submitted poll, for its cancellation; 0 when none is outstanding. */
    private long pollId;
    private State state = State.IDLE;
    private Runnable onReady;

    /**
     * @param loop the io_uring loop the listening channel is registered with
     * @param fd   the listening socket's descriptor
     */
    AcceptReadiness(IoEventLoop loop, int fd) {
        this.loop = loop;
        this.fd = fd;
    }

    /**
     * Runs {@code ready} on the loop once the socket is readable (a connection waits; also when it fails or is shut
     * down); while a poll is submitted already, {@code ready} replaces the action it runs. Loop thread.
     *
     * @param ready what to run
     * @return false if no poll could be submitted (stopped, or the loop refused it): then nothing will run
     */
    boolean whenReady(Runnable ready) {
        if (state == State.STOPPED) {
            return false;
        }
        onReady = ready;
        if (state == State.WAITING) {
            return true;
        }
        if (registration == null) {
            Future<IoRegistration> registered = loop.register(this);
            if (!registered.isSuccess()) {
                onReady = null;
                return false;
            }
            registration = registered.getNow();
        }
        long id = registration.submit(new IoUringIoOps(IORING_OP_POLL_ADD, (byte) 0, (short) 0, fd, 0L, 0L, 0,
                POLLIN, (short) 0, (short) 0, (short) 0, 0, 0L));
        if (id == 0) {
            onReady = null;
            return false;
        }
        pollId = id;
        state = State.WAITING;
        return true;
    }

    /**
     * Stops watching: a submitted poll is cancelled and its action never runs; the handle's registration ends once
     * the kernel is done with it. Idempotent. Loop thread.
     */
    void stop() {
        if (state == State.STOPPED) {
            return;
        }
        state = State.STOPPED;
        onReady = null;
        if (registration == null) {
            return;
        }
        if (pollId != 0) {
            registration.submit(new IoUringIoOps(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0L, pollId, 0, 0,
                    (short) 0, (short) 0, (short) 0, 0, 0L));
        }
        registration.cancel();
    }

    /** A completion of this handle's poll (or of its cancellation), on the loop thread. */
    @Override
    public void handle(IoRegistration r, IoEvent event) {
        if (!(event instanceof IoUringIoEvent) || ((IoUringIoEvent) event).opcode() != IORING_OP_POLL_ADD) {
            return;
        }
        pollId = 0;
        if (state != State.WAITING) {
            return;
        }
        state = State.IDLE;
        Runnable ready = onReady;
        onReady = null;
        ready.run();
    }

    /** Netty's close of the handle (loop shutdown): nothing to release, the descriptor is the channel's. */
    @Override
    public void close() {
        state = State.STOPPED;
        onReady = null;
    }
}
