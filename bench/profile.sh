#!/usr/bin/env bash
# Profile evidence (docs/BENCHMARKS.md, "Profile"): JFR recordings of the packaged app, summarised by bench/jfr-top.py.
# Usage: bench/profile.sh [prompts (300)]
#   prompt  the app records (jcmd JFR.start/stop) only while dev.tether.bench.PromptBench runs <prompts> one-tool
#           prompts (after its warm-up and session creation); target/bench-results/prompt.jfr is summarised by
#           bench/jfr-top.py, and PromptBench prints the app's CPU per prompt by thread (JIT and GC included).
#   start   the app (default JDK) records from launch until ready: target/bench-results/start.jfr
# Env: PACKAGE=0 skips packaging, JFR_SETTINGS (default profile with method-profiling=max: a Java sample every ms),
#      ONLY="prompt" or "start", APP_OPTS (JVM options of the app, e.g. to profile -XX:TieredStopAtLevel=1).
# Re-run after merging branches to compare ("before"/"after" in docs/BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
PROMPTS=${1:-300}
OUT=target/bench-results
mkdir -p "$OUT"
SETTINGS=${JFR_SETTINGS:-settings=profile,method-profiling=max}
STEPS=${ONLY:-prompt start}
if [ "${PACKAGE:-1}" = 1 ]; then harness_build package; fi
if [[ " $STEPS " == *" prompt "* ]]; then
  rm -f "$OUT/prompt.jfr"
  HARNESS_OPTS="-Dbench.jfr=$OUT/prompt.jfr -Dbench.jfr.settings=$SETTINGS" \
    harness_run dev.tether.bench.PromptBench "$PROMPTS" 0 | tee "$OUT/profile-prompt.txt"
  bench/jfr-top.py "$OUT/prompt.jfr" 30 | tee "$OUT/profile-prompt-top.txt"
fi
if [[ " $STEPS " == *" start "* ]]; then
  rm -f "$OUT/start.jfr"
  tmp=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  (cd target/quarkus-app && exec java "-XX:StartFlightRecording=filename=$PWD/../../$OUT/start.jfr,dumponexit=true,$SETTINGS" \
    -Dquarkus.http.port="$port" -Dtether.data-dir="$tmp/data" -Dtether.workspace.root="$tmp" \
    -Dtether.providers.openai.api-key=bench-placeholder-not-a-key -jar quarkus-run.jar >"$tmp/log" 2>&1) &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready")" = 200 ]; do
    kill -0 "$pid" || { cat "$tmp/log"; exit 1; }
    sleep 0.01
  done
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$tmp"
  bench/jfr-top.py "$OUT/start.jfr" 30 | tee "$OUT/profile-start-top.txt"
fi
