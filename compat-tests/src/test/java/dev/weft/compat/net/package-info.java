/**
 * Helpers of the networking contract tests: {@link dev.weft.compat.net.Net} (run calls on the reactor thread, wait
 * for conditions with a bounded, descriptive timeout, stop the reactor after the test), recording protocols and
 * factories ({@link dev.weft.compat.net.Recorder}, {@link dev.weft.compat.net.HalfCloseRecorder},
 * {@link dev.weft.compat.net.RecordingFactory}, {@link dev.weft.compat.net.RecordingClientFactory},
 * {@link dev.weft.compat.net.UdpRecorder}), test data ({@link dev.weft.compat.net.Bytes}), reason checks
 * ({@link dev.weft.compat.net.Reasons}) and TLS contexts from a certificate made at test time
 * ({@link dev.weft.compat.net.Tls}, {@link dev.weft.compat.net.Certificates}). Loopback addresses only.
 */
package dev.weft.compat.net;
