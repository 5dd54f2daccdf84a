#!/usr/bin/env bash
# Agent loop benchmark: the loop's own overhead per step against an instant fake model (docs/BENCHMARKS.md,
# "Agent loop"). Usage: bench/loop.sh [prompts with 1 round trip (200)] [prompts with 10 round trips (40)]
# Packages the application, builds the test classes, writes the test classpath once, then runs the plain-Java harness
# dev.tether.bench.LoopOverheadBench (src/test/java), which starts target/quarkus-app/quarkus-run.jar as a child
# process against a fake LLM on 127.0.0.1. Scratch data goes to target/bench-loop and is deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
harness_build package
harness_run dev.tether.bench.LoopOverheadBench "$@"
