package dev.weft.compat.harness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a contract test that watches an arbitrary {@link java.nio.channels.SelectableChannel} with
 * {@code addReader}/{@code addWriter}. On a variant whose backend documents that it cannot
 * ({@link BackendVariant#channelWatchUnsupportedReason()}; no variant of this repository does: Netty's native loops
 * watch such channels through a helper selector), the test is reported as skipped with that written reason; it runs
 * unchanged on every other variant.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WatchesChannels {
}
