package dev.weft.reactor.spi;

import dev.weft.reactor.FileDescriptor;
import dev.weft.reactor.ReadDescriptor;
import dev.weft.reactor.WriteDescriptor;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The descriptors users watch with {@code addReader}/{@code addWriter}: one {@link Interest} per channel, each change
 * passed to the backend ({@link ReactorBase#interestChanged(Interest)}), and the dispatch of their readiness
 * ({@link #dispatchRead(Interest)}, {@link #dispatchWrite(Interest)}), where a descriptor that throws is ended with
 * {@code connectionLost}. Used on the reactor thread only (or while the loop is not running). For implementors of
 * backends.
 */
public final class DescriptorSet {
    private final ReactorBase reactor;
    private final Map<SelectableChannel, Interest> interests = new LinkedHashMap<>();

    DescriptorSet(ReactorBase reactor) {
        this.reactor = reactor;
    }

    /**
     * Runs the reader of {@code interest}, if it has one. An exception ends the descriptor: it is logged, removed
     * as reader and writer, and gets {@code connectionLost} with the exception. Reactor thread.
     *
     * @param interest the ready channel
     */
    public void dispatchRead(Interest interest) {
        ReadDescriptor r = interest.reader;
        if (r != null) {
            reactor.ioReady();
            try {
                r.doRead();
            } catch (Throwable t) {
                failed(r, "in doRead of ", t);
            }
        }
    }

    /**
     * Runs the writer of {@code interest}, if it has one; see {@link #dispatchRead(Interest)}. Reactor thread.
     *
     * @param interest the ready channel
     */
    public void dispatchWrite(Interest interest) {
        WriteDescriptor w = interest.writer;
        if (w != null) {
            reactor.ioReady();
            try {
                w.doWrite();
            } catch (Throwable t) {
                failed(w, "in doWrite of ", t);
            }
        }
    }

    void addReader(ReadDescriptor reader) {
        Interest i = interestFor(reader, "reader");
        if (i.reader == reader) {
            return;
        }
        if (i.reader != null) {
            throw new IllegalStateException("channel " + i.channel() + " already has another reader: " + i.reader);
        }
        i.reader = reader;
        try {
            reactor.interestChanged(i);
        } catch (RuntimeException | Error e) {
            i.reader = null;
            forgetIfEmpty(i);
            throw e;
        }
    }

    void addWriter(WriteDescriptor writer) {
        Interest i = interestFor(writer, "writer");
        if (i.writer == writer) {
            return;
        }
        if (i.writer != null) {
            throw new IllegalStateException("channel " + i.channel() + " already has another writer: " + i.writer);
        }
        i.writer = writer;
        try {
            reactor.interestChanged(i);
        } catch (RuntimeException | Error e) {
            i.writer = null;
            forgetIfEmpty(i);
            throw e;
        }
    }

    void removeReader(ReadDescriptor reader) {
        Interest i = reader == null ? null : interests.get(reader.channel());
        if (i != null && i.reader == reader) {
            i.reader = null;
            update(i);
        }
    }

    void removeWriter(WriteDescriptor writer) {
        Interest i = writer == null ? null : interests.get(writer.channel());
        if (i != null && i.writer == writer) {
            i.writer = null;
            update(i);
        }
    }

    /** Stops watching everything; returns each descriptor once, in the order they were added. */
    List<FileDescriptor> removeAll() {
        Map<FileDescriptor, Boolean> all = new IdentityHashMap<>();
        List<FileDescriptor> result = new ArrayList<>();
        for (Interest i : new ArrayList<>(interests.values())) {
            for (FileDescriptor fd : new FileDescriptor[] {i.reader, i.writer}) {
                if (fd != null && all.put(fd, Boolean.TRUE) == null) {
                    result.add(fd);
                }
            }
            i.reader = null;
            i.writer = null;
            update(i);
        }
        return result;
    }

    List<ReadDescriptor> readers() {
        List<ReadDescriptor> r = new ArrayList<>();
        for (Interest i : interests.values()) {
            if (i.reader != null) {
                r.add(i.reader);
            }
        }
        return r;
    }

    List<WriteDescriptor> writers() {
        List<WriteDescriptor> w = new ArrayList<>();
        for (Interest i : interests.values()) {
            if (i.writer != null) {
                w.add(i.writer);
            }
        }
        return w;
    }

    /** Gives {@code fd} its {@code connectionLost}, logging what it throws. */
    void connectionLost(FileDescriptor fd, Throwable reason) {
        try {
            fd.connectionLost(reason);
        } catch (Throwable t) {
            reactor.logError("in connectionLost of " + fd.logPrefix(), t);
        }
    }

    private Interest interestFor(FileDescriptor fd, String name) {
        Objects.requireNonNull(fd, name + " must not be null");
        reactor.checkThread("add" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
        SelectableChannel ch = fd.channel();
        if (ch == null) {
            throw new IllegalArgumentException(name + ".channel() returned null");
        }
        if (ch.isBlocking()) {
            throw new IllegalArgumentException(name + ".channel() is in blocking mode; call configureBlocking(false)");
        }
        if (!ch.isOpen()) {
            throw new IllegalArgumentException(name + ".channel() is closed");
        }
        return interests.computeIfAbsent(ch, Interest::new);
    }

    /** Drops a channel nothing watches any more (also after a backend refused a descriptor). */
    private void forgetIfEmpty(Interest i) {
        if (i.isEmpty()) {
            interests.remove(i.channel());
        }
    }

    private void update(Interest i) {
        forgetIfEmpty(i);
        reactor.interestChanged(i);
    }

    private void failed(FileDescriptor fd, String what, Throwable t) {
        reactor.logError(what + fd.logPrefix(), t);
        Interest i = interests.get(fd.channel());
        if (i != null) {
            if (i.reader == fd) {
                i.reader = null;
            }
            if (i.writer == fd) {
                i.writer = null;
            }
            update(i);
        }
        connectionLost(fd, t);
    }
}
