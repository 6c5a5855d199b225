package dev.weft.netty;

import io.netty.channel.Channel;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.io.IOException;

/**
 * Whether a connection looks for a socket error that its channel may never report, once a batch of reads ends or
 * reading resumes. Loop thread.
 *
 * <p>Netty 4.2.18's io_uring TCP channel watches readability with a multishot {@code POLLIN} poll, which reports each
 * change of the socket once. A reset (or another error) that arrives while a batch of reads is under way wakes that
 * poll during the batch, when nothing is waiting for it; the batch then ends as soon as the receive queue is empty
 * (the completion carries no {@code IORING_CQE_F_SOCK_NONEMPTY}: the kernel counts a pending end of stream as data,
 * a pending error not), and the poll, still armed, never fires again. The error is never read, and the connection
 * would wait for ever. (An owned loop run pass by pass meets this readily: the peer's reset often comes while the
 * reads that resuming started are under way.)
 *
 * <p>So when a batch of reads ends, or reading resumes, and no read follows once the loop has done its I/O, the
 * connection takes the socket's pending error ({@code SO_ERROR}, one system call) and fails with it, as a read
 * would have. Should a read that Netty scheduled not have completed by then while bytes are still queued, the error
 * is reported before them, and those last bytes before the reset are lost.
 */
enum PendingErrorCheck {
    /** The channel reports every error itself. */
    NONE,
    /** The channel can miss an error: look at the socket's pending error when its reading goes idle. */
    WHEN_READING_IDLES;

    /**
     * The check a channel of the backend's own needs.
     *
     * @param ch the channel
     * @return {@link #WHEN_READING_IDLES} for Netty's io_uring TCP channel, else {@link #NONE}
     */
    static PendingErrorCheck of(Channel ch) {
        return ch instanceof IoUringSocketChannel ? WHEN_READING_IDLES : NONE;
    }

    /**
     * Takes the socket's pending error ({@code SO_ERROR}, which reading clears), if it has one.
     *
     * @param ch the channel, open, of a kind this check is for
     * @return the error, or null if there is none (or the socket cannot say)
     */
    static IOException takePendingError(Channel ch) {
        FileDescriptor fd = ((UnixChannel) ch).fd();
        if (!fd.isOpen() || !(fd instanceof Socket)) {
            return null;
        }
        int errno;
        try {
            errno = ((Socket) fd).getSoError();
        } catch (IOException e) {
            return null;
        }
        return errno == 0 ? null : Errors.newIOException("getsockopt(SO_ERROR)", -errno);
    }
}
