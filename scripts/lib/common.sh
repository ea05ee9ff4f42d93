# Shared by scripts/ikr, scripts/test and .ci/run. Sourced, not executed.

IKR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# The major version of the JDK at $1, or nothing if it is not a JDK.
ikr_jdk_major() {
  local home="$1" version
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
  if [ -z "$version" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  fi
  echo "$version"
}

# Exports JAVA_HOME (and PATH) for a JDK 21 or newer: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
ikr_use_jdk() {
  local best="" best_major=0 home major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(ikr_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      best="$JAVA_HOME"; best_major=$major
    fi
  fi
  if [ -z "$best" ]; then
    for home in /usr/lib/jvm/*; do
      [ -L "$home" ] && continue
      major=$(ikr_jdk_major "$home")
      if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
        best="$home"; best_major=$major
      fi
    done
  fi
  if [ -z "$best" ]; then
    echo "ikr: IKR needs a JDK 21 or newer; none found in JAVA_HOME or /usr/lib/jvm (install e.g. temurin-21-jdk)." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven on a new JDK warns about its own use of sun.misc.Unsafe; the warning is Maven's, not ours.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  [ "$best_major" -lt 24 ] && export MAVEN_OPTS="${MAVEN_OPTS/--sun-misc-unsafe-memory-access=allow/}"
  return 0
}

# Builds the project (without running tests) when the CLI jar is missing or older than any source.
ikr_build_if_needed() {
  local jar="$IKR_ROOT/cli/target/ikr-cli.jar"
  if [ -f "$jar" ] && [ -z "$(find "$IKR_ROOT" -path "$IKR_ROOT/.git" -prune -o -path '*/target' -prune -o \
        \( -name 'pom.xml' -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  echo "ikr: building (first use or sources changed)..." >&2
  (cd "$IKR_ROOT" && mvn -B -q -DskipTests package 1>&2) || {
    echo "ikr: the build failed; run 'mvn -DskipTests package' in $IKR_ROOT to see why." >&2
    return 1
  }
}
