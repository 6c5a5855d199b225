/**
 * Framing receivers (Twisted's {@code twisted.protocols.basic}): protocols that turn a byte stream into messages,
 * written over {@link dev.weft.protocol.Transport} only, so they run on any backend and on the test doubles:
 * {@link dev.weft.protocol.basic.LineReceiver}, the length-prefixed
 * {@link dev.weft.protocol.basic.Int8StringReceiver}, {@link dev.weft.protocol.basic.Int16StringReceiver} and
 * {@link dev.weft.protocol.basic.Int32StringReceiver}, and {@link dev.weft.protocol.basic.NetstringReceiver}.
 *
 * <p>Each delivers the same messages however the input is split into chunks, holds at most its maximum length
 * (plus a few bytes) whatever the peer sends, and delivers nothing once its transport is disconnecting. Callbacks run
 * on the reactor thread.
 */
package dev.weft.protocol.basic;
