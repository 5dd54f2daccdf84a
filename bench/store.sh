#!/usr/bin/env bash
# Store benchmark: append cost against history size, load of a large session, listing 10,000 sessions
# (docs/BENCHMARKS.md, "Store").
# Usage: bench/store.sh [file|postgres (file)] [appends-per-size (300)] [sessions-to-list (10000)]
# postgres: the test server (127.0.0.1:5432, database test, user postgres; TETHER_TEST_PG_URL / TETHER_TEST_PG_USER),
# in a schema of its own that is dropped afterwards.
# Builds the test classes, writes the test classpath once, then runs the plain-Java harness
# dev.tether.session.store.StoreBenchmark (src/test/java) on real files under target/bench-store.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
harness_build
harness_run dev.tether.session.store.StoreBenchmark "$@"
