#!/usr/bin/env bash
# Every figure of BENCHMARKS.md in one command, from anywhere in the repository (about 6 minutes on 2 cores, plus the build):
#
#   bash reactor-benchmarks/bench.sh                 # writes reactor-benchmarks/target/bench/REPORT.md
#   bash reactor-benchmarks/bench.sh --quick         # a smoke run of the same steps, about 3 minutes
#
# Steps, one at a time (run it on a quiet machine: the figures are ratios taken side by side, but a second busy
# process still moves them):
#   1. load.sh: Weft RESP and echo servers on untwisted, netty-nio and netty-epoll against raw Netty, raw java.nio
#      and redis-server, and the coroutine echo server against the callback one and Vert.x's NetServer echo, server
#      CPU per request (builds what is missing);
#   2. PairedRatios: schedule+cancel of 1M and 10k timers and callFromThread from 2 producers, in one JVM, targets
#      in rotating order, ratios to raw Netty's event loop;
#   3. TimerAccuracy: timer lateness p50..max, 100,000 timers (dense) and 1,000 (sparse) over one second;
#   4. JMH: callFromThread round-trip latency and the Deferred chain (the other JMH benchmarks are covered by step
#      2; the full JMH run is `java -jar reactor-benchmarks/target/weft-benchmarks.jar`, about 40 minutes);
#   5. scale: 1,000,000 pending timers and 10,000 idle connections per backend.
# JAVA (or JAVA_HOME) picks the JVM; MVN the Maven command.
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

quick=
for a in "$@"; do
    case $a in
        --quick) quick=1 ;;
        -h|--help) sed -n '2,17p' "$root/reactor-benchmarks/bench.sh" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown option $a (try --help)" >&2; exit 2 ;;
    esac
done

export JAVA=$java

out=reactor-benchmarks/target/bench
mkdir -p "$out"
report=$out/REPORT.md
jar=reactor-benchmarks/target/weft-benchmarks.jar
start=$(date +%s)

step() {
    echo "bench.sh: $*  ($(( $(date +%s) - start )) s)" >&2
}

# The load harness builds the modules when they are missing or stale; the JMH jar comes from the same build.
step "1/5 load harness"
if [[ -n $quick ]]; then
    bash reactor-benchmarks/load.sh --quick --out "$out/load.md" > "$out/load.txt"
else
    bash reactor-benchmarks/load.sh --out "$out/load.md" > "$out/load.txt"
fi
if [[ ! -s $jar ]]; then
    "$mvn" -B -q -pl reactor-benchmarks -am package -DskipTests >&2
fi

step "2/5 paired ratios"
"$java" -cp "$jar" dev.weft.bench.jmh.PairedRatios ${quick:+--rounds 3} > "$out/paired.txt" 2>"$out/paired.err"

step "3/5 timer accuracy"
"$java" -cp "$jar" dev.weft.bench.jmh.TimerAccuracy ${quick:+--rounds 1} > "$out/accuracy.txt" 2>"$out/accuracy.err"

step "4/5 JMH latency and Deferred chain"
if [[ -n $quick ]]; then
    jmh=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
else
    jmh=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
fi
"$java" -jar "$jar" 'CallFromThreadLatencyBenchmark|DeferredChainBenchmark' "${jmh[@]}" \
    -rf text -rff "$out/jmh.txt" > "$out/jmh.log" 2>&1

step "5/5 scale"
"$java" -cp "$jar" dev.weft.bench.scale.PendingTimers > "$out/pending-timers.txt" 2>&1
"$java" -cp "$jar" dev.weft.bench.scale.IdleConnections > "$out/idle-connections.txt" 2>&1

{
    echo "# Weft benchmarks: one run of reactor-benchmarks/bench.sh${quick:+ --quick}"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
         "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); kernel $(uname -r)"
    echo "- JVM: $("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vm.name|java.runtime.version/ {printf "%s ", $2}')"
    echo "- took $(( $(date +%s) - start )) s"
    for part in "load.md:Load (server CPU per request)" "paired.txt:Timers and callFromThread, paired rounds" \
                "accuracy.txt:Timer accuracy" "jmh.txt:JMH: callFromThread round trip, Deferred chain" \
                "pending-timers.txt:Scale: 1,000,000 pending timers" "idle-connections.txt:Scale: idle connections"; do
        file=${part%%:*}
        echo
        echo "## ${part#*:}"
        echo
        if [[ $file == load.md ]]; then
            cat "$out/$file"
        else
            echo '```'
            cat "$out/$file"
            echo '```'
        fi
    done
} > "$report"
step "done: $report"
