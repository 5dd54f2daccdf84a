#!/usr/bin/env bash
# Store benchmark: append cost against history size, load of a 10,000-message session, listing 10,000 sessions
# (docs/BENCHMARKS.md, "Store"). Usage: bench/store.sh [appends-per-size (300)] [sessions-to-list (10000)]
# Builds the test classes, writes the test classpath once, then runs the plain-Java harness
# dev.tether.session.store.StoreBenchmark (src/test/java) on real files under target/bench-store.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
harness_build
harness_run dev.tether.session.store.StoreBenchmark "$@"
