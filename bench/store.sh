#!/usr/bin/env bash
# Store benchmark: append cost against history size, listing 10,000 sessions (docs/BENCHMARKS.md, "Store").
# Usage: bench/store.sh [appends-per-size (300)] [sessions-to-list (10000)]
# Builds the test classes, writes the test classpath once, then runs the plain-Java harness
# dev.tether.session.store.StoreBenchmark (src/test/java) on real files under target/bench-store.
set -euo pipefail
cd "$(dirname "$0")/.."
OFFLINE=${OFFLINE:--o}
./mvnw -B $OFFLINE -q test-compile
./mvnw -B $OFFLINE -q org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  dev.tether.session.store.StoreBenchmark "$@"
