#!/usr/bin/env bash
# The Weft soak, in one command, from anywhere in the repository:
#
#   bash reactor-benchmarks/soak.sh                                   # 60 s on each backend, about 3.5 minutes
#   bash reactor-benchmarks/soak.sh --seconds 10                      # a shorter run
#   bash reactor-benchmarks/soak.sh --backends untwisted,netty --out soak.txt
#
# It builds reactor-benchmarks/target/weft-benchmarks.jar when it is missing or older than a source or pom of the
# modules it is built from (mvn -B -q -pl reactor-benchmarks -am package -DskipTests), then runs
# dev.weft.bench.soak.Soak once per backend, one after the other, each in a JVM of its own (-Xms64m -Xmx256m):
# untwisted, netty (Netty's NIO transport) and netty-epoll (NettyReactor.create(config, "epoll"); skipped with a note
# where Netty's native epoll does not load). Each run prints a progress line every 10 s and then its report: heap
# after GC, RSS and open file descriptors at the start and at the end, the counts, the errors, and its checks. The
# reports are also written to --out (default reactor-benchmarks/target/soak-report.txt, replaced at each run).
#
# Options: --seconds N (default 60), --backends a,b (default untwisted,netty,netty-epoll), --out FILE,
# --seed N (default 1). JAVA (or JAVA_HOME) picks the JVM; MVN the Maven command (e.g. MVN="mvn -o" offline).
# Exit status: 0 when every run passed its checks, 1 when one failed or could not run, 2 on a bad option.
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=60
backends=untwisted,netty,netty-epoll
out=reactor-benchmarks/target/soak-report.txt
seed=1
usage="usage: bash reactor-benchmarks/soak.sh [--seconds N] [--backends untwisted,netty,netty-epoll] [--out FILE] [--seed N]"
while [[ $# -gt 0 ]]; do
    case $1 in
        --seconds) seconds=${2:?--seconds needs a value}; shift 2 ;;
        --backends) backends=${2:?--backends needs a value}; shift 2 ;;
        --out) out=${2:?--out needs a value}; shift 2 ;;
        --seed) seed=${2:?--seed needs a value}; shift 2 ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "soak.sh: unknown option '$1'" >&2; echo "$usage" >&2; exit 2 ;;
    esac
done

jar=reactor-benchmarks/target/weft-benchmarks.jar
if stale "$jar" reactor-api reactor-untwisted reactor-netty reactor-benchmarks; then
    echo "soak.sh: building $jar: $mvn -B -q -pl reactor-benchmarks -am package -DskipTests" >&2
    # shellcheck disable=SC2086 # MVN may carry options, e.g. "mvn -o"
    $mvn -B -q -pl reactor-benchmarks -am package -DskipTests >&2
fi

mkdir -p "$(dirname "$out")"
: > "$out"
{
    echo "# soak.sh --seconds $seconds --backends $backends --seed $seed"
    echo "# $(date -u '+%Y-%m-%dT%H:%M:%SZ'), $(uname -sr), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "# $("$java" -version 2>&1 | head -1)"
} >> "$out"

status=0
summary=()
IFS=',' read -r -a list <<< "$backends"
for b in "${list[@]}"; do
    echo "soak.sh: $b for $seconds s" >&2
    set +e
    "$java" -Xms64m -Xmx256m -cp "$jar" dev.weft.bench.soak.Soak --backend "$b" --seconds "$seconds" \
        --seed "$seed" --out "$out"
    rc=$?
    set -e
    case $rc in
        0) summary+=("$b PASS") ;;
        3) summary+=("$b SKIPPED (Netty's native epoll does not load here)")
           echo "SOAK backend $b skipped: Netty's native epoll does not load here" >> "$out" ;;
        *) summary+=("$b FAIL (exit $rc)"); status=1 ;;
    esac
done

for line in "${summary[@]}"; do
    echo "soak.sh: $line" >&2
done
echo "soak.sh: the reports are in $out" >&2
exit $status
