#!/usr/bin/env bash
# The whole benchmark suite (not part of the test command): runs every harness, keeps each one's output in
# target/bench-results/<name>.txt, and writes the summary table at the top of docs/BENCHMARKS.md (machine, JDK, load
# average, command, median and p99 of every figure); bench/start.sh writes its own "Start-up" table.
# Usage: bench/run.sh            full counts (about 25 min on 2 cores)
#        QUICK=1 bench/run.sh    small counts (a few minutes), for a quick look; figures are noisier
# Env: ONLY="prompt concurrency …" runs a subset of the steps (names below); OFFLINE=-o keeps Maven offline;
#      WRITE=0 prints the summary instead of writing the doc; JDK17/JDK25/BUILD are passed on to bench/start.sh,
#      START_RUNS_OVERRIDE sets its number of runs per variant (5, QUICK 1); SUMMARY_ONLY=1 runs nothing and writes
#      the summary from the outputs already in target/bench-results (e.g. after running steps one by one).
set -uo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  PROMPT=(100 10) CONCURRENCY=(100 200 10) LISTING=(1000) LOOP=(30 10) STORE=(50 1000) START_RUNS=1
else
  PROMPT=(1000 40) CONCURRENCY=(100 200 30) LISTING=(10000) LOOP=(200 40) STORE=(300 10000) START_RUNS=5
fi
START_RUNS=${START_RUNS_OVERRIDE:-$START_RUNS}
STEPS=${ONLY:-prompt concurrency listing loop store events start}
OUT=target/bench-results
DOC=docs/BENCHMARKS.md
mkdir -p "$OUT"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u +'%Y-%m-%d %H:%M UTC')
SUMMARY_ONLY=${SUMMARY_ONLY:-0}
[ "$SUMMARY_ONLY" = 1 ] || harness_build package || exit 1

FAILED=()
# step <name> <command…>: runs it, output to the terminal and to $OUT/<name>.txt
step() {
  local name=$1; shift
  case " $STEPS " in *" $name "*) ;; *) return 0 ;; esac
  [ "$SUMMARY_ONLY" = 1 ] && return 0
  echo "== $name: $*" >&2
  if ! "$@" 2>&1 | tee "$OUT/$name.txt"; then FAILED+=("$name"); fi
}
step prompt harness_run dev.tether.bench.PromptBench "${PROMPT[@]}"
step concurrency harness_run dev.tether.bench.ConcurrencyBench "${CONCURRENCY[@]}"
step listing harness_run dev.tether.bench.ListingBench "${LISTING[@]}"
step loop harness_run dev.tether.bench.LoopOverheadBench "${LOOP[@]}"
step store harness_run dev.tether.session.store.StoreBenchmark "${STORE[@]}"
step events ./mvnw -B $OFFLINE -q test -Dtest=SessionBusFanOutBench -Dsurefire.failIfNoSpecifiedTests=false
# last: it rebuilds target/quarkus-app (the aot-jar) for its variants
step start env WRITE="${WRITE:-1}" bench/start.sh "$START_RUNS"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

SECTION=$(mktemp)
{
  echo "<!-- bench/run.sh writes from here -->"
  if [ "$SUMMARY_ONLY" = 1 ]; then
    echo "Gathered by \`SUMMARY_ONLY=1 bench/run.sh\` (${STARTED}) from the outputs of steps run before; each figure's"
    echo "load average is the one at its measurement."
  else
    echo "Command: \`$( [ "$QUICK" = 1 ] && echo "QUICK=1 ")bench/run.sh\` (${STARTED}; steps: $STEPS)."
  fi
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
  echo "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, shared with other engineers' builds:"
  if [ "$SUMMARY_ONLY" = 1 ]; then
    echo "the load average at each figure is in its row; every figure is an upper bound under that load."
  else
    echo "load average $LOAD_BEFORE before, $LOAD_AFTER after; every figure is an upper bound under that load."
  fi
  echo "JDK (harnesses and the app): $(java -version 2>&1 | head -1); app JVM options: \`-Xmx384m\`."
  echo "Percentiles are nearest-rank; p99 of fewer than 100 samples is close to the maximum. Raw output: \`$OUT/\`."
  echo
  echo "| figure | n | median | p99 | unit | target | load (1 min) | step |"
  echo "|---|---:|---:|---:|---|---|---:|---|"
  for f in "$OUT"/*.txt; do
    name=$(basename "$f" .txt)
    case " $STEPS " in *" $name "*) ;; *) continue ;; esac
    grep -h '^FIGURE |' "$f" | sed "s/^FIGURE | //; s/\$/ | $name |/; s/^/| /"
  done
  if [ ${#FAILED[@]} -gt 0 ]; then echo; echo "Failed steps (see their output): ${FAILED[*]}."; fi
  echo "<!-- bench/run.sh writes up to here -->"
} >"$SECTION"
cat "$SECTION"
if [ "${WRITE:-1}" = 1 ]; then write_block run.sh "$SECTION" "$DOC" Summary; fi
rm -f "$SECTION"
[ ${#FAILED[@]} -eq 0 ]
