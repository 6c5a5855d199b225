package dev.weft.netty;

/**
 * The defaults of Netty's io_uring transport that Weft needs, set as system properties before Netty's {@code IoUring}
 * class reads them (once, when it is initialised); a property that is set already, by the user, is left as it is.
 *
 * <p>{@value #ACCEPT_MULTISHOT} is made {@code false}: with Netty 4.2.18's multishot accepts, a listening port that
 * ran out of file descriptors saw a descriptor of the process come free while it was meant to stay out of them (the
 * descriptor-exhaustion contract test took it, with or without {@link AcceptReadiness}), which single accepts never
 * did; a multishot accept also never polls first, so out of descriptors it fails as soon as it is submitted.
 *
 * <p>Thread-safe; applied by the static initialisers of {@link NettyIoKind}, the one class of this backend that uses
 * {@code IoUring}, and of {@link NettyReactorProvider}, which {@code ServiceLoader} loads before a program that
 * selects backends by name sees Netty.
 */
final class IoUringDefaults {

    /** Netty's switch of multishot accepts on io_uring. */
    static final String ACCEPT_MULTISHOT = "io.netty.iouring.acceptMultiShotEnabled";

    private IoUringDefaults() {
    }

    /** Sets the defaults that are not set yet. Any thread. */
    static void apply() {
        try {
            if (System.getProperty(ACCEPT_MULTISHOT) == null) {
                System.setProperty(ACCEPT_MULTISHOT, "false");
            }
        } catch (SecurityException e) {
            // A security manager forbids it: Netty's default stays.
        }
    }
}
