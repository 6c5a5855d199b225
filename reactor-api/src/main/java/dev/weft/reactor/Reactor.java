package dev.weft.reactor;

/**
 * A reactor: an event loop that runs timed calls, thread calls and I/O callbacks, one at a time, on one thread.
 *
 * <p>Obtain one with {@link Reactors#create()}. Every callback the reactor makes (delayed calls, descriptor
 * callbacks, system event triggers, Deferred callbacks fired by the reactor) runs on the reactor thread, the thread
 * that called {@link #run()}. Only {@link ReactorThreads#callFromThread(Runnable)} and the blocking helpers of
 * {@link ReactorThreads} may be called from other threads; every other method must be called on the reactor thread,
 * or before the reactor runs.
 */
public interface Reactor extends ReactorCore, ReactorTime, ReactorThreads, ReactorFDSet, ReactorTCP, ReactorUDP,
        ReactorSSL, ReactorUNIX, ReactorProcess {

    /**
     * What runs this reactor: the backend's name, as given to {@link Reactors#create(String)}, followed for a backend
     * with several configurations by the one that runs ({@code "untwisted"}; {@code "netty-nio"} or
     * {@code "netty-epoll"} for a Netty reactor that owns its loop, {@code "netty-attached-nio"} or
     * {@code "netty-attached-epoll"} for one attached to a Netty server's loop).
     *
     * <p>May be called from any thread.
     *
     * @return the name, e.g. {@code "untwisted"} or {@code "netty-epoll"}
     */
    String backendName();
}
