/**
 * The harness of the conformance suite: each contract test is written once and runs against every backend
 * variant on the test class path.
 *
 * <h2>Writing a contract test</h2>
 * Annotate a method with {@link dev.weft.compat.harness.ContractTest} and take a
 * {@link dev.weft.compat.harness.ReactorHarness} (and/or a {@link dev.weft.reactor.Reactor}) as parameter. Run the
 * reactor with {@link dev.weft.compat.harness.ReactorHarness#run()} (a watchdog crashes it and fails the test if it
 * has not returned in time), never with a bare {@code run()}; wait only with the bounded helpers of
 * {@link dev.weft.compat.harness.Await}; never sleep. Compare threads with the thread seen inside a callback, not
 * with the test thread: an attached Netty reactor runs its callbacks on the event loop's thread.
 *
 * <h2>Where the variants come from</h2>
 * {@link dev.weft.compat.harness.BackendVariants#all()}: one {@link dev.weft.compat.harness.ProviderVariant} per
 * {@link dev.weft.reactor.ReactorProvider} that {@link dev.weft.reactor.Reactors#providers()} finds, unless a
 * {@link dev.weft.compat.harness.BackendVariantSource} claims that backend, in which case its variants replace the
 * default one. To add the Netty variants ({@code netty-nio}, {@code netty-epoll}, {@code netty-attached}):
 * <ol>
 * <li>add {@code reactor-netty} as a test dependency of {@code compat-tests} (its provider then appears in
 * {@code Reactors.providers()});</li>
 * <li>write a {@code BackendVariantSource} whose {@code backend()} is {@code "netty"} and whose
 * {@code variants(provider)} returns one {@link dev.weft.compat.harness.BackendVariant} per configuration,
 * implementing {@code create()} (e.g. {@code NettyReactor.create(...)} or {@code NettyReactor.attach(loop)}) and
 * {@code cleanup(reactor)} (e.g. {@code group.shutdownGracefully(0, 0, SECONDS)} for a group the variant made);
 * a configuration that cannot run here (no native epoll) returns its variant with an
 * {@code unavailableReason()} such as {@code Epoll.unavailabilityCause().toString()}: its tests are reported as
 * skipped with that reason;</li>
 * <li>list the source's class name in
 * {@code src/test/resources/META-INF/services/dev.weft.compat.harness.BackendVariantSource}.</li>
 * </ol>
 * A source for a backend that is not on the class path, and an empty class path, each give an unavailable
 * variant, so their tests show up as skipped rather than disappearing.
 *
 * <h2>The guard</h2>
 * After every invocation the harness is closed: a reactor whose loop is still running (a
 * {@link dev.weft.compat.harness.LoopThread} still alive, or a reactor that still answers {@code callFromThread})
 * fails the test, is crashed, and every reactor is passed to
 * {@link dev.weft.compat.harness.BackendVariant#cleanup(dev.weft.reactor.Reactor)}.
 */
package dev.weft.compat.harness;
