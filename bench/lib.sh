# Sourced by the bench scripts. harness_build [package]: compiles the test classes (packages the app with "package")
# and writes the test classpath to target/bench.classpath; harness_run <class> [args…]: runs a plain-Java harness
# from src/test/java on that classpath; APP_OPTS adds JVM options to the packaged app the end-to-end harnesses start,
# HARNESS_OPTS to the harness's own JVM (split on spaces). OFFLINE= lets Maven download what is missing (default: offline).
OFFLINE=${OFFLINE--o}

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
