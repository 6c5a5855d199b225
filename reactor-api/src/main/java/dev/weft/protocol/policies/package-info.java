/**
 * Twisted's protocol policies ({@code twisted.protocols.policies}), usable with any protocol class, framing
 * receivers included, without changing its base class: a {@link dev.weft.protocol.policies.WrappingFactory} wraps a
 * factory and puts a {@link dev.weft.protocol.policies.ProtocolWrapper} between each protocol and its transport;
 * {@link dev.weft.protocol.policies.TimeoutFactory}, {@link dev.weft.protocol.policies.ThrottlingFactory} and
 * {@link dev.weft.protocol.policies.LimitTotalConnectionsFactory} are such wrappers; and
 * {@link dev.weft.protocol.policies.IdleTimeout} is Twisted's {@code TimeoutMixin} as an object a protocol holds.
 *
 * <p>Time comes from a {@link dev.weft.reactor.ReactorTime} given to each policy: the reactor in production,
 * a {@link dev.weft.task.Clock} in tests. Threading: everything here runs on the reactor thread, like the protocols
 * it wraps.
 */
package dev.weft.protocol.policies;
