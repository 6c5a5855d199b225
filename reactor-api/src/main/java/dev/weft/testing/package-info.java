/**
 * Test doubles for protocol code, with no sockets and no real time (Twisted's {@code twisted.internet.testing}
 * and {@code iosim}): {@link dev.weft.testing.StringTransport} records what a protocol writes;
 * {@link dev.weft.testing.MemoryReactor} and {@link dev.weft.testing.MemoryReactorClock} record listens and
 * connects and let the test decide each outcome; {@link dev.weft.testing.IOPump} connects a client protocol to a
 * server protocol in memory and moves their bytes when told to; {@link dev.weft.testing.TestCertificates} makes a
 * throwaway self-signed TLS key and certificate (with the JDK's keytool) for TLS tests.
 *
 * <p>Everything runs on the test's thread; nothing here is thread-safe.
 */
package dev.weft.testing;
