# Sourced by the bench scripts. harness_build [package]: compiles the test classes (packages the app with "package")
# and writes the test classpath to target/bench.classpath; harness_run <class> [args…]: runs a plain-Java harness
# from src/test/java on that classpath; APP_OPTS adds JVM options to the packaged app the end-to-end harnesses start,
# HARNESS_OPTS to the harness's own JVM (split on spaces). Maven may download what is missing (a clean machine lacks at
# least the dependency plugin); OFFLINE=-o keeps it offline once everything is cached.
OFFLINE=${OFFLINE-}

harness_build() {
  if [ "${1:-}" = package ]; then
    ./mvnw -B $OFFLINE -q package -DskipTests
  else
    ./mvnw -B $OFFLINE -q test-compile
  fi
  ./mvnw -B $OFFLINE -q org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
}

harness_run() {
  local class=$1; shift
  # shellcheck disable=SC2086
  java ${HARNESS_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dbench.app.options="${APP_OPTS:-}" "$class" "$@"
}

# write_block <name> <section file> <doc> <heading>: replaces the block between "<!-- bench/<name> writes from here -->"
# and "<!-- bench/<name> writes up to here -->" in <doc> by the section file (which holds both markers); without the
# block, appends it under "## <heading>". Text around the block stays.
write_block() {
  local name=$1 section=$2 doc=$3 heading=$4
  awk -v sec="$section" -v from="<!-- bench/$name writes from here -->" -v to="<!-- bench/$name writes up to here -->" \
    -v heading="$heading" '
    BEGIN { while ((getline l < sec) > 0) body = body l "\n" }
    $0 == from { printf "%s", body; skip = 1; done = 1; next }
    skip { if ($0 == to) skip = 0; next }
    { print }
    END { if (!done) printf "\n## %s\n\n%s", heading, body }' "$doc" >"$doc.tmp"
  mv "$doc.tmp" "$doc"
}
