/**
 * The soak: a mixed load on one Weft reactor for a fixed time (an echo server with client connections opening and
 * closing, timers, {@code callFromThread} from two threads, {@code deferToThread}), with the heap after GC, the RSS
 * and the open file descriptors measured before and after, and checks that nothing leaked. Run it with
 * {@code reactor-benchmarks/soak.sh}, or {@code java -cp weft-benchmarks.jar dev.weft.bench.soak.Soak}.
 */
package dev.weft.bench.soak;
