/**
 * Framing receivers (Twisted's {@code twisted.protocols.basic}): protocols that turn a byte stream into messages,
 * written over {@link dev.weft.protocol.Transport} only, so they run on any backend and on the test doubles:
 * {@link dev.weft.protocol.basic.LineReceiver}, the length-prefixed
 * {@link dev.weft.protocol.basic.Int8StringReceiver}, {@link dev.weft.protocol.basic.Int16StringReceiver} and
 * {@link dev.weft.protocol.basic.Int32StringReceiver}, and {@link dev.weft.protocol.basic.NetstringReceiver}.
 *
 * <p>Each makes the same callbacks, with the same arguments, in the same order, as Twisted 22.4's class of the same
 * name, for every sequence of chunks and every handler (a test runs real Twisted against them), and holds at most its
 * maximum length plus the chunk being parsed whatever the peer sends (each class says where it departs from Twisted
 * to keep that bound). Callbacks run on the reactor thread.
 */
package dev.weft.protocol.basic;
