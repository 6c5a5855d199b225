# Sourced by load.sh, soak.sh and bench.sh: moves to the repository's root and picks the JVM and Maven.
# JAVA (or JAVA_HOME) picks the JVM (java on PATH otherwise); MVN the Maven command (mvn otherwise).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if [[ -n "${JAVA:-}" ]]; then
    java=$JAVA
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    java=$JAVA_HOME/bin/java
else
    java=java
fi
mvn=${MVN:-mvn}

# stale TARGET DIR...: true when TARGET is missing, or a source or pom in the root pom.xml or below a DIR is newer
stale() {
    local target=$1
    shift
    [[ -e $target ]] || return 0
    [[ -n $(find pom.xml "$@" \
        \( -path '*/target' -prune \) -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.xml' \) \
        -newer "$target" -print -quit 2>/dev/null) ]]
}
