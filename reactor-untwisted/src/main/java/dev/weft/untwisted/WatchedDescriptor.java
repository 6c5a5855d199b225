package dev.weft.untwisted;

import dev.weft.reactor.spi.DescriptorSet;
import dev.weft.reactor.spi.Interest;
import java.nio.channels.SelectionKey;

/**
 * The {@link Selectable} of a channel users watch with {@code addReader}/{@code addWriter}: its key's readiness goes
 * to the reader and writer of its {@link Interest}, through the reactor's {@link DescriptorSet}. Reactor thread only.
 */
final class WatchedDescriptor implements Selectable {
    private final DescriptorSet descriptors;
    private final Interest interest;
    private ChannelRegistration registration;

    WatchedDescriptor(DescriptorSet descriptors, Interest interest) {
        this.descriptors = descriptors;
        this.interest = interest;
    }

    /** The selection key's registration, set once it is made. */
    void registration(ChannelRegistration r) {
        registration = r;
    }

    ChannelRegistration registration() {
        return registration;
    }

    @Override
    public void ready(int readyOps) {
        if ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            descriptors.dispatchRead(interest);
        }
        if ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && registration.isLive()
                && interest.isAttached(this)) {
            descriptors.dispatchWrite(interest);
        }
    }

    @Override
    public String toString() {
        return "WatchedDescriptor(" + interest.channel() + ")";
    }
}
