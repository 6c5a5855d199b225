package dev.weft.compat.harness;

import dev.weft.reactor.Reactor;
import java.util.Optional;

/**
 * One reactor under test: a backend, possibly in one of several configurations (e.g. {@code netty-nio},
 * {@code netty-epoll}, {@code netty-attached}). Every {@link ContractTest} runs once per variant.
 *
 * <p>Implementations must be cheap to construct: {@link #create()} does the work, once per test.
 */
public interface BackendVariant {

    /**
     * The name shown in test display names, e.g. {@code untwisted} or {@code netty-epoll}.
     *
     * @return the variant name
     */
    String name();

    /**
     * The backend ({@link dev.weft.reactor.ReactorProvider#name()}) this variant runs on.
     *
     * @return the backend name, as given to {@link dev.weft.reactor.Reactors#create(String)}
     */
    String backend();

    /**
     * What this variant's reactors report from {@link Reactor#backendName()}: the backend's name, followed for a
     * backend with several configurations by what tells them apart (e.g. {@code netty-nio},
     * {@code netty-attached-nio}).
     *
     * @return the name the reactors of this variant report
     */
    default String backendName() {
        return backend();
    }

    /**
     * Why this variant cannot run on this machine, if it cannot (e.g. native epoll missing). The tests of an
     * unavailable variant are reported as skipped with this reason, never dropped.
     *
     * @return the reason, or empty when the variant can run
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * Why this variant's backend cannot watch arbitrary {@code SelectableChannel}s with {@code addReader} and
     * {@code addWriter}, if it documents that it cannot. Tests marked {@link WatchesChannels} are then reported
     * as skipped with this reason.
     *
     * @return the reason, or empty when the variant watches any non-blocking {@code SelectableChannel}
     */
    default Optional<String> channelWatchUnsupportedReason() {
        return Optional.empty();
    }

    /**
     * Why this variant fails the contract test {@code testMethod}, if it is a known bug not fixed yet (in the backend,
     * or in a library it is built on): the test is then reported as skipped with this reason, which names the bug,
     * so that it shows in every run. Each entry is a bug to fix, never a different expectation.
     *
     * @param testMethod the contract test method's name
     * @return the reason, or empty (the default) when the test is expected to pass
     */
    default Optional<String> knownBug(String testMethod) {
        return Optional.empty();
    }

    /**
     * Whether the heavy reliability tests (tagged {@code heavy}, profile {@code heavy}) run on this variant. A variant
     * that repeats another's reactor in another setting (a member of a group) may leave them to that variant, to keep
     * the heavy run short; its invocations are then not made at all.
     *
     * @return true by default
     */
    default boolean runsHeavyTests() {
        return true;
    }

    /**
     * Creates a new reactor that has not run.
     *
     * @return the reactor
     */
    Reactor create();

    /**
     * Releases what {@link #create()} allocated for {@code reactor} (e.g. a Netty event loop group the reactor
     * was attached to). Called after every test for every reactor the test created, after the harness made sure
     * that the reactor's loop is no longer running. Must not block for long.
     *
     * @param reactor a reactor this variant created
     */
    default void cleanup(Reactor reactor) {
    }

    /**
     * Creates a reactor group of this variant's reactors ({@link dev.weft.reactor.ReactorGroup}): by default through
     * {@link dev.weft.reactor.Reactors#createGroup(String, int)}; a variant whose reactors are made otherwise (an
     * attached Netty reactor) overrides it.
     *
     * @param size how many members
     * @return a new group, not running
     */
    default dev.weft.reactor.ReactorGroup createGroup(int size) {
        return dev.weft.reactor.Reactors.createGroup(backend(), size);
    }

    /**
     * Releases what {@link #createGroup(int)} allocated for {@code group}, after the harness made sure it no longer
     * runs. Must not block for long.
     *
     * @param group a group this variant created
     */
    default void cleanupGroup(dev.weft.reactor.ReactorGroup group) {
    }
}
