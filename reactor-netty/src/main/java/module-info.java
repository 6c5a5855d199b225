/**
 * The Netty backend: Weft's reactor on a Netty 4.2 event loop it owns ({@code NettyReactor.create}) or borrows from a
 * server ({@code NettyReactor.attach}), and {@code ProtocolHandler}, which hosts a Weft protocol in a Netty pipeline.
 * {@code Reactors.create()} finds it by the name {@code netty}.
 *
 * <p>Epoll: the epoll classes are always required (the backend names their channel classes); the native library
 * ({@code io.netty.transport.epoll.linux.x86_64}) is not, since nothing requires it: on the module path add it with
 * {@code --add-modules io.netty.transport.epoll.linux.x86_64} to use epoll; without it {@code auto} falls back to nio.
 * The same holds for io_uring ({@code io.netty.transport.classes.io_uring} required, its native library added with
 * {@code --add-modules io.netty.transport.io_uring.linux.x86_64}).
 */
module dev.weft.netty {
    requires transitive dev.weft.reactor;
    // ProtocolHandler, NettyReactor.attach and the connection's channel are Netty types.
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport.unix.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;

    exports dev.weft.netty;

    provides dev.weft.reactor.ReactorProvider with dev.weft.netty.NettyReactorProvider;
}
