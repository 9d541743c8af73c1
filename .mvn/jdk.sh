# Sourced by ./mvnw and .ci/run: selects a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is >= 21, else /usr/lib/jvm/temurin-25-jdk-amd64, else a clear error.
phyxius_jdk_feature() {
  # Prints the feature release (17, 21, 25, ...) of the JDK at $1, or nothing.
  if [ -r "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
  fi
}
phyxius_select_jdk() {
  for candidate in "${JAVA_HOME-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    feature=$(phyxius_jdk_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge 21 ]; then
      JAVA_HOME=$candidate
      export JAVA_HOME
      return 0
    fi
  done
  echo "Phyxius needs a JDK 21 or newer: set JAVA_HOME to one" \
    "(JAVA_HOME='${JAVA_HOME-}' is not >= 21 and /usr/lib/jvm/temurin-25-jdk-amd64 is absent)." >&2
  return 1
}
phyxius_select_jdk || exit 1
