#!/usr/bin/env bash
# The Weft load harness, in one command, from anywhere in the repository:
#
#   bash reactor-benchmarks/load.sh --quick                  # a smoke run, about a minute
#   bash reactor-benchmarks/load.sh --out LOAD-full.md       # the full table, a few minutes
#   bash reactor-benchmarks/load.sh --help                   # every option
#
# It builds what is missing (mvn -B -q -DskipTests package, when weft-examples.jar or the harness classes are
# absent or older than their sources), writes the class path of the raw servers, installs redis-server when it
# is missing and apt-get can (the redis-server row is skipped otherwise), then runs dev.weft.bench.load.LoadHarness,
# which starts each server in turn, loads it with redis-benchmark and EchoLoad, and prints one table.
# JAVA (or JAVA_HOME) picks the JVM of the harness and of every server; MVN the Maven command.
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

for a in "$@"; do
    if [[ $a == --help || $a == -h ]]; then
        help=1
    fi
done

examples_jar=reactor-examples/target/weft-examples.jar
classes=reactor-benchmarks/target/classes
harness=$classes/dev/weft/bench/load/LoadHarness.class
cpfile=reactor-benchmarks/target/load-classpath.txt

modules=(reactor-api reactor-untwisted reactor-netty reactor-examples reactor-benchmarks)
if stale "$examples_jar" "${modules[@]}" || stale "$harness" "${modules[@]}"; then
    echo "load.sh: building: $mvn -B -q -DskipTests package" >&2
    "$mvn" -B -q -DskipTests package >&2
fi

if [[ ! -s $cpfile || reactor-benchmarks/pom.xml -nt $cpfile || pom.xml -nt $cpfile ]]; then
    echo "load.sh: writing the class path of the raw servers to $cpfile" >&2
    # Offline first; online when a plugin dependency is missing from the local repository. The Weft modules are
    # built in the same invocation (-am ... package): Maven resolves them from this build, so nothing needs to be
    # installed in the local repository first (a plain -pl reactor-benchmarks could not resolve them on a fresh one).
    cp_args=(-B -q -pl reactor-benchmarks -am -DskipTests package dependency:build-classpath
        -Dmdep.outputFile=target/load-classpath.txt -DincludeScope=runtime -DexcludeGroupIds=dev.weft)
    if ! "$mvn" -o "${cp_args[@]}" >/dev/null 2>&1; then
        "$mvn" "${cp_args[@]}" >&2
    fi
fi

install_redis() {
    # redis-server, and redis-tools for redis-benchmark; apt-get update first when the package lists are stale
    local sudo=()
    if [[ $(id -u) != 0 ]]; then
        sudo=(sudo -n)
    fi
    echo "load.sh: installing redis-server and redis-tools (apt-get install -y)" >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server redis-tools >/dev/null 2>&1 || {
        "${sudo[@]}" apt-get update -q >/dev/null 2>&1 &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server redis-tools >/dev/null 2>&1
    }
}

if [[ -z ${help:-} ]] && ! { command -v redis-server && command -v redis-benchmark; } >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && { [[ $(id -u) == 0 ]] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; }; then
        if ! install_redis; then
            echo "load.sh: could not install redis-server and redis-tools; the redis row and the RESP load are skipped" >&2
        fi
    else
        echo "load.sh: redis-server or redis-benchmark is missing and cannot be installed here; the redis row, and without redis-benchmark the RESP load, are skipped" >&2
    fi
    # apt may start the service: the harness starts its own redis-server on a free port, so that is harmless.
fi

exec "$java" -Xms256m -Xmx256m -cp "$classes:$(cat "$cpfile")" dev.weft.bench.load.LoadHarness "$@"
