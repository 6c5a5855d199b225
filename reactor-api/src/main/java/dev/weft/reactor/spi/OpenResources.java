package dev.weft.reactor.spi;

import dev.weft.protocol.ConnectionLost;
import dev.weft.reactor.FileDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What shutdown must close: the connections, connectors that are connecting and ports that registered themselves
 * ({@link ReactorResource}), then the watched descriptors. Reactor thread only (or while the loop is not running).
 */
final class OpenResources {
    private final ReactorBase reactor;
    private final Set<ReactorResource> resources = new LinkedHashSet<>();

    OpenResources(ReactorBase reactor) {
        this.reactor = reactor;
    }

    void add(ReactorResource resource) {
        resources.add(resource);
    }

    void remove(ReactorResource resource) {
        resources.remove(resource);
    }

    int size() {
        return resources.size();
    }

    /**
     * Closes every resource at once, each delivering its last callbacks ({@code connectionLost},
     * {@code stopFactory}...), then ends every watched descriptor with {@code connectionLost}.
     *
     * @param descriptors the watched descriptors
     */
    void closeAll(DescriptorSet descriptors) {
        List<ReactorResource> open = new ArrayList<>(resources);
        resources.clear();
        for (ReactorResource r : open) {
            try {
                r.reactorShutdown(new ConnectionLost("the reactor shut down"));
            } catch (Throwable t) {
                reactor.logError("while closing " + r + " at shutdown", t);
            }
        }
        for (FileDescriptor fd : descriptors.removeAll()) {
            descriptors.connectionLost(fd, new ConnectionLost("the reactor shut down"));
        }
    }
}
