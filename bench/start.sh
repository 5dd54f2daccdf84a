#!/usr/bin/env bash
# Start-up benchmark (docs/BENCHMARKS.md, "Start-up"): time from process launch until GET /q/health/ready answers 200,
# the CPU time the process used until then (user + system: robust against a loaded machine, unlike the wall time),
# Quarkus' own "started in", and resident memory (VmRSS) at ready and after 2 s idle; median, min and max of N runs
# (default 5) for JDK 17, JDK 17 + AppCDS (with and without the small-service options), JDK 25 (also with compact object
# headers), JDK 25 + Leyden AOT cache (with and without the small-service options), and the native runner when
# target/*-runner exists, and JDK 17 + AppCDS + small-service options again on SESSIONS (default 10000) sessions already
# on disk. The AppCDS archive
# (fast-jar/app-cds.jsa) is a dynamic archive of the classes loaded until ready, written by one training start with
# -XX:ArchiveClassesAtExit.
# Usage: bench/start.sh [runs]
# Env: JDK17, JDK25 (JDK homes), BUILD=0 to reuse target/bench-start/{fast-jar,aot-jar} from an earlier run,
#      OFFLINE=-o to keep Maven offline, AOT_ITS (the @QuarkusIntegrationTest classes that train the cache),
#      JAVA_OPTS (extra JVM flags for every JVM variant), WRITE=0 to print the section without editing the doc,
#      SESSIONS=0 to leave out the variant with sessions on disk.
# Each run gets a fresh data dir and workspace root, a free port on 127.0.0.1, and is stopped with SIGTERM. Readiness
# needs a configured provider: a placeholder OpenAI key is passed (nothing calls the model here).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${1:-5}
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
AOT_ITS=${AOT_ITS:-AotTrainingSmokeIT}
JAVA_OPTS=${JAVA_OPTS:-}
OUT=target/bench-start
DOC=docs/BENCHMARKS.md

if [ "${BUILD:-1}" = 1 ]; then
  rm -rf "$OUT" && mkdir -p "$OUT"
  echo "building the fast-jar with JDK 17" >&2
  JAVA_HOME=$JDK17 ./mvnw -B $OFFLINE -q package -DskipTests
  cp -a target/quarkus-app "$OUT/fast-jar"
  echo "building the aot-jar and training its AOT cache with JDK 25 ($AOT_ITS)" >&2
  JAVA_HOME=$JDK25 ./mvnw -B $OFFLINE -q verify -Paot -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test="$AOT_ITS"
  # cp -a keeps the jars' timestamps, which the AOT cache checks
  cp -a target/quarkus-app "$OUT/aot-jar"
fi
test -f "$OUT/aot-jar/app.aot" || { echo "$OUT/aot-jar/app.aot is missing" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
CLK_TCK=$(getconf CLK_TCK)
# utime + stime (fields 14 and 15; the command name before them has no spaces here), in ms
cpu_ms() { awk -v hz="$CLK_TCK" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

# run_once [seed=<data dir to copy>] <dir> <kind: jar|native> <exe> [jvm flags…]: prints "ready_ms started_ms rss_ready_mb rss_idle_mb cpu_ms"
run_once() {
  local seed=""
  case $1 in seed=*) seed=${1#seed=}; shift ;; esac
  local dir=$1 kind=$2 exe=$3; shift 3
  local tmp port pid t0 t1 code started
  tmp=$(mktemp -d)
  mkdir -p "$tmp/data" "$tmp/ws"
  # a variant on sessions already on disk gets its own copy of them (outside the timing)
  if [ -n "$seed" ]; then cp -a "$seed/." "$tmp/data/"; fi
  port=$(free_port)
  local props=(-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -Dtether.data-dir="$tmp/data"
    -Dtether.workspace.root="$tmp/ws" -Dtether.providers.openai.api-key=bench-placeholder-not-a-key)
  t0=$(now_ms)
  if [ "$kind" = jar ]; then
    # shellcheck disable=SC2086
    (cd "$dir" && exec "$exe" $JAVA_OPTS "$@" "${props[@]}" -jar quarkus-run.jar >"$tmp/log" 2>&1) &
  else
    (cd "$dir" && exec "$exe" "${props[@]}" >"$tmp/log" 2>&1) &
  fi
  pid=$!
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/q/health/ready" || true)
    [ "$code" = 200 ] && break
    if ! kill -0 "$pid" 2>/dev/null; then echo "the app exited while starting:" >&2; cat "$tmp/log" >&2; exit 1; fi
    if [ $(( $(now_ms) - t0 )) -gt 60000 ]; then echo "not ready within 60 s" >&2; kill "$pid"; exit 1; fi
    sleep 0.005
  done
  t1=$(now_ms)
  local rss_ready rss_idle cpu
  cpu=$(cpu_ms "$pid")
  rss_ready=$(rss_mb "$pid")
  sleep 2
  rss_idle=$(rss_mb "$pid")
  kill -TERM "$pid"
  wait "$pid" || true
  started=$(grep -o 'started in [0-9.]*s' "$tmp/log" | head -1 | tr -dc '0-9.')
  # a JVM variant that should use the AOT cache must not have warned about it (-XX:AOTMode=on fails outright)
  if grep -q '\[aot\]' "$tmp/log"; then echo "AOT cache messages:" >&2; grep '\[aot\]' "$tmp/log" >&2; fi
  rm -rf "$tmp"
  echo "$(( t1 - t0 )) $(awk -v s="$started" 'BEGIN { printf "%.0f", s * 1000 }') $rss_ready $rss_idle $cpu"
}

# stats <values…>: "median (min–max)"
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
  m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%g (%g–%g)", m, v[1], v[NR] }'; }

if [ ! -f "$OUT/fast-jar/app-cds.jsa" ]; then
  echo "training the AppCDS archive: one start of the fast-jar on JDK 17 with -XX:ArchiveClassesAtExit" >&2
  run_once "$OUT/fast-jar" jar "$JDK17/bin/java" -XX:ArchiveClassesAtExit=app-cds.jsa >/dev/null
fi

# figure <name> <unit> <target> <values…>: the FIGURE line bench/run.sh gathers (median; p99 of a few runs = max)
figure() { local name=$1 unit=$2 target=$3; shift 3; printf '%s\n' "$@" | sort -n | awk -v n="$name" -v u="$unit" \
  -v t="$target" -v l="$(cut -d' ' -f1 /proc/loadavg)" '{ v[NR] = $1 } END {
  m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "FIGURE | %s | %d | %g | %g | %s | %s | %s\n", n, NR, m, v[NR], u, t, l }'; }

# Variants: label, command shown, run_once arguments (one string, split on spaces; paths have none), start target.
LABELS=() SHOWN=() ARGS=() TARGET_READY=()
variant() { LABELS+=("$1"); SHOWN+=("$2"); ARGS+=("$3"); TARGET_READY+=("${4:-}"); }
# the small-service options (README, "JVM options"): C1 only, Serial GC, a small initial heap that grows as needed
SMALL="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m"
variant "JDK 17" "java -jar quarkus-run.jar" "$OUT/fast-jar jar $JDK17/bin/java" "≤ 1500 ms"
variant "JDK 17 + AppCDS" "java -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar" \
  "$OUT/fast-jar jar $JDK17/bin/java -XX:SharedArchiveFile=app-cds.jsa" "≤ 1500 ms"
variant "JDK 17 + AppCDS, small-service options" "java -XX:SharedArchiveFile=app-cds.jsa $SMALL -jar quarkus-run.jar" \
  "$OUT/fast-jar jar $JDK17/bin/java -XX:SharedArchiveFile=app-cds.jsa $SMALL" "≤ 1500 ms"
variant "JDK 25" "java -jar quarkus-run.jar" "$OUT/fast-jar jar $JDK25/bin/java"
variant "JDK 25, compact object headers" "java -XX:+UseCompactObjectHeaders -jar quarkus-run.jar" \
  "$OUT/fast-jar jar $JDK25/bin/java -XX:+UseCompactObjectHeaders"
variant "JDK 25 + AOT cache" "java -XX:AOTMode=on -XX:AOTCache=app.aot -jar quarkus-run.jar" \
  "$OUT/aot-jar jar $JDK25/bin/java -XX:AOTMode=on -XX:AOTCache=app.aot" "≤ 800 ms"
# AOTMode=auto here: a cache trained under G1 may be refused with Serial GC; the JVM then says so ([aot] lines, shown)
variant "JDK 25 + AOT cache, small-service options" "java -XX:AOTCache=app.aot $SMALL -jar quarkus-run.jar" \
  "$OUT/aot-jar jar $JDK25/bin/java -XX:AOTCache=app.aot $SMALL" "≤ 800 ms"
# the same start on SESSIONS sessions already on disk (written once by the store itself, SessionsOnDisk): the store opens
# in the background 5 s after the HTTP server listens, so readiness should not depend on their number
SESSIONS=${SESSIONS:-10000}
if [ "$SESSIONS" -gt 0 ]; then
  SEED="$OUT/sessions-$SESSIONS"
  if [ ! -d "$SEED/sessions" ]; then
    echo "writing $SESSIONS sessions into $SEED" >&2
    [ -f target/bench.classpath ] || harness_build
    harness_run dev.tether.bench.SessionsOnDisk "$SESSIONS" "$SEED" >&2
  fi
  variant "JDK 17 + AppCDS, small-service options, $SESSIONS sessions on disk" \
    "java -XX:SharedArchiveFile=app-cds.jsa $SMALL -jar quarkus-run.jar" \
    "seed=$SEED $OUT/fast-jar jar $JDK17/bin/java -XX:SharedArchiveFile=app-cds.jsa $SMALL" "≤ 1500 ms"
fi
NATIVE_NOTE=""
runner=$(ls target/*-runner 2>/dev/null | head -1 || true)
if [ -n "$runner" ]; then
  variant "native" "./$(basename "$runner")" "$(dirname "$runner") native ./$(basename "$runner")"
else
  NATIVE_NOTE="Native: skipped, no \`target/*-runner\` was built on this machine (no GraalVM/Mandrel here; see README, \"Native build and deployment\")."
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# Round robin (one run of each variant per round), so that the changing load of a shared machine hits every variant alike.
declare -A READY STARTED RSS_READY RSS_IDLE CPU
for round in $(seq "$RUNS"); do
  for i in "${!LABELS[@]}"; do
    # shellcheck disable=SC2086
    line=$(run_once ${ARGS[$i]}) || exit 1
    read -r -a r <<<"$line"
    READY[$i]+="${r[0]} "; STARTED[$i]+="${r[1]} "; RSS_READY[$i]+="${r[2]} "; RSS_IDLE[$i]+="${r[3]} "; CPU[$i]+="${r[4]} "
    echo "round $round, ${LABELS[$i]}: ready ${r[0]} ms, CPU ${r[4]} ms, started in ${r[1]} ms, RSS ${r[2]} MB, idle ${r[3]} MB" >&2
  done
done
ROWS=()
for i in "${!LABELS[@]}"; do
  # shellcheck disable=SC2086
  figure "start → ready, ${LABELS[$i]}" ms "${TARGET_READY[$i]}" ${READY[$i]}
  # shellcheck disable=SC2086
  figure "RSS idle, ${LABELS[$i]}" MB "≤ 110 MB" ${RSS_IDLE[$i]}
  # shellcheck disable=SC2086
  figure "CPU time until ready, ${LABELS[$i]}" ms "" ${CPU[$i]}
  # shellcheck disable=SC2086
  ROWS+=("| ${LABELS[$i]} | \`${SHOWN[$i]}\` | $(stats ${READY[$i]}) | $(stats ${CPU[$i]}) | $(stats ${STARTED[$i]}) | $(stats ${RSS_READY[$i]}) | $(stats ${RSS_IDLE[$i]}) |")
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

SECTION=$(mktemp)
{
  echo "<!-- bench/start.sh writes from here -->"
  echo "Time from process launch until \`GET /q/health/ready\` answers 200 (polled with curl every ~5 ms), the CPU time"
  echo "(user + system) the process used until then, Quarkus' own \"started in\", and resident memory (VmRSS from \`/proc/<pid>/status\`) when ready and after 2 s idle; median"
  echo "(min–max) of $RUNS runs per variant, run round robin, each with a fresh data dir and workspace root, a free port on 127.0.0.1,"
  echo "empty store unless the variant says otherwise, default JVM ergonomics${JAVA_OPTS:+ plus \`$JAVA_OPTS\`}. The JVM variants run from the package directory"
  echo "(\`target/quarkus-app\`, copied with its timestamps to \`target/bench-start/\`)."
  echo
  echo "Command: \`bench/start.sh $RUNS\` (builds the fast-jar with JDK 17 and the aot-jar with \`-Paot\` on JDK 25, the cache"
  echo "trained by \`$AOT_ITS\`; the AppCDS archive \`app-cds.jsa\` is written by one start of the fast-jar on JDK 17 with"
  echo "\`-XX:ArchiveClassesAtExit=app-cds.jsa\`, stopped when ready). CPU until ready is the figure to compare on a loaded"
  echo "machine: the wall time there mostly measures the wait for a core."
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
  echo "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM; shared with other builds: load average $LOAD_BEFORE before, $LOAD_AFTER after."
  echo "JDK 17: $("$JDK17/bin/java" -version 2>&1 | head -1). JDK 25: $("$JDK25/bin/java" -version 2>&1 | sed -n 2p)."
  echo
  echo "| variant | command | start → ready, ms | CPU until ready, ms | \"started in\", ms | RSS at ready, MB | RSS idle (ready + 2 s), MB |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  if [ -n "$NATIVE_NOTE" ]; then echo; echo "$NATIVE_NOTE"; fi
  echo "<!-- bench/start.sh writes up to here -->"
} >"$SECTION"
cat "$SECTION"

if [ "${WRITE:-1}" = 1 ]; then write_block start.sh "$SECTION" "$DOC" Start-up; fi
rm -f "$SECTION"
