#!/usr/bin/env bash
# The coroutine figures of BENCHMARKS.md ("Coroutines") in one command, from anywhere in the repository (about 13
# minutes on 2 cores, plus the build):
#
#   bash reactor-benchmarks/coroutines.sh             # 3 interleaved rounds; prints the table
#   bash reactor-benchmarks/coroutines.sh --quick     # 1 round with short JMH settings, about 3 minutes
#   bash reactor-benchmarks/coroutines.sh --rounds 5  # more rounds
#
# Each round runs, on JDK 17 and on JDK 25 (the order alternating from round to round):
#   1. JMH CoroutineAwaitBenchmark: await() of a fired Deferred in a running body, addCallback on a fired Deferred,
#      and the start of an empty body;
#   2. JMH CoroutineRoundTripBenchmark, one JMH run per target, the targets in rotating order: a coroutine awaiting
#      a Deferred that its reactor fires from a callLater(0) (untwisted, netty-nio, netty-epoll, netty-attached-nio),
#      the hand-off alone with no loop (weft-handoff), two bare threads passing a turn with park/unpark (jdk-pingpong,
#      the floor of any hand-off between threads), and Vert.x 5's Future.await in a virtual-thread verticle
#      (vertx-context, vertx-eventloop; JDK 21+ only: reported as not applicable on 17).
# Then the table (medians over the rounds, ratios taken round by round), and SuspendedCoroutines: the heap of
# 100,000 suspended coroutines on JDK 25 (10,000 on JDK 17, whose platform threads do not go to 100,000 here).
# Output: reactor-benchmarks/target/coroutines/REPORT.txt, with each JMH run's CSV and log beside it.
# JAVA (or JAVA_HOME) picks the JDK 17 side (java on PATH otherwise), JAVA25 the JDK 25 side; MVN the Maven command.
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

quick=
rounds=3
while [[ $# -gt 0 ]]; do
    case $1 in
        --quick) quick=1; rounds=1 ;;
        --rounds)
            [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "coroutines.sh: --rounds needs a positive number" >&2; exit 2; }
            rounds=$2; shift ;;
        -h|--help) sed -n '2,21p' "$root/reactor-benchmarks/coroutines.sh" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "coroutines.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

java17=$java
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
for j in "$java17" "$java25"; do
    command -v "$j" > /dev/null || { echo "coroutines.sh: no JVM at $j (set JAVA and JAVA25)" >&2; exit 2; }
done

feature() {
    "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'
}

jar=reactor-benchmarks/target/weft-benchmarks.jar
if stale "$jar" reactor-api reactor-untwisted reactor-netty reactor-benchmarks; then
    echo "coroutines.sh: building $jar" >&2
    "$mvn" -B -q -pl reactor-benchmarks -am package -DskipTests >&2
fi

out=reactor-benchmarks/target/coroutines
rm -rf "$out"
mkdir -p "$out"
if [[ -n $quick ]]; then
    jmh=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
else
    jmh=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
fi
targets=(untwisted netty-nio netty-epoll netty-attached-nio weft-handoff jdk-pingpong vertx-context vertx-eventloop)
start=$(date +%s)

step() {
    echo "coroutines.sh: $*  ($(( $(date +%s) - start )) s)" >&2
}

# run-jmh JAVA FEATURE ROUND NAME JMH-ARGS...: one JMH run, its CSV in $out/jdk<F>-r<R>-<NAME>.csv
run_jmh() {
    local j=$1 f=$2 r=$3 name=$4
    shift 4
    if ! "$j" -jar "$jar" "$@" "${jmh[@]}" -rf csv -rff "$out/jdk$f-r$r-$name.csv" > "$out/jdk$f-r$r-$name.log" 2>&1
    then
        echo "coroutines.sh: JMH failed, see $out/jdk$f-r$r-$name.log" >&2
    fi
}

{
    echo "reactor-benchmarks/coroutines.sh${quick:+ --quick} --rounds $rounds"
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');" \
         "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "JDKs: $("$java17" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')" \
         "and $("$java25" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')"
    echo "JMH: ${jmh[*]}, the JDKs alternating and the round-trip targets rotating from round to round"
} > "$out/REPORT.txt"

for (( r = 1; r <= rounds; r++ )); do
    if (( r % 2 )); then jvms=("$java17" "$java25"); else jvms=("$java25" "$java17"); fi
    for j in "${jvms[@]}"; do
        f=$(feature "$j")
        step "round $r/$rounds, JDK $f: await"
        run_jmh "$j" "$f" "$r" await CoroutineAwaitBenchmark
        n=${#targets[@]}
        for (( k = 0; k < n; k++ )); do
            t=${targets[$(( (k + r - 1) % n ))]}
            if [[ $t == vertx-* ]] && (( f < 21 )); then
                continue # not applicable: Vert.x virtual-thread verticles need JDK 21+ (the table says so)
            fi
            step "round $r/$rounds, JDK $f: round trip $t"
            run_jmh "$j" "$f" "$r" "rt-$t" CoroutineRoundTripBenchmark -p "target=$t"
        done
    done
done

step "table"
"$java17" -cp "$jar" dev.weft.bench.jmh.CoroutineTable "$out" >> "$out/REPORT.txt"

step "suspended coroutines"
{
    echo
    echo "Suspended coroutines (SuspendedCoroutines, -Xmx1g; heap used after System.gc(), MemoryMXBean):"
    "$java25" -Xmx1g -cp "$jar" dev.weft.bench.scale.SuspendedCoroutines --count 100000 2>&1 | grep -v '^RESULT' \
        || echo "FAILED: not every coroutine completed (JDK 25)"
    echo
    "$java17" -Xmx1g -cp "$jar" dev.weft.bench.scale.SuspendedCoroutines --count 10000 2>&1 | grep -v '^RESULT' \
        || echo "FAILED: not every coroutine completed (JDK 17)"
    echo
    echo "took $(( $(date +%s) - start )) s; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$out/REPORT.txt"
step "done: $out/REPORT.txt"
cat "$out/REPORT.txt"
