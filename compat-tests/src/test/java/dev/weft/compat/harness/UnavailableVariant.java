package dev.weft.compat.harness;

import dev.weft.reactor.Reactor;
import java.util.Objects;
import java.util.Optional;

/** A variant that cannot run here: its tests are reported as skipped with {@link #unavailableReason()}. */
public final class UnavailableVariant implements BackendVariant {
    private final String name;
    private final String backend;
    private final String reason;

    /**
     * Creates the variant.
     *
     * @param name    the variant name
     * @param backend the backend name
     * @param reason  why it cannot run
     */
    public UnavailableVariant(String name, String backend, String reason) {
        this.name = Objects.requireNonNull(name, "name");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.of(reason);
    }

    @Override
    public Reactor create() {
        throw new IllegalStateException("variant " + name + " cannot run here: " + reason);
    }

    @Override
    public String toString() {
        return name + " (unavailable: " + reason + ")";
    }
}
