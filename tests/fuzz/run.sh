#!/usr/bin/env bash
# Runs one libFuzzer target for a while and prints what it did:
#   fuzz <target>: <executions> executions in <seconds> s, <crashes> crashes (corpus <n> inputs)
# Usage: run.sh FUZZ_BINARY TARGET SECONDS WORK_DIR
# ctest runs every target briefly (label "fuzz", PERFRUNNER_FUZZ_SECONDS); tests/fuzz/long.sh runs them long.
# The corpus starts from tests/fuzz/seeds/<target>/ (trimmed copies of the shared samples among them) and the
# shared samples small enough to be mutated whole (PERFRUNNER_SHARED_DIR, default <repo>/../shared), plus the
# built-in config files for the config target. New inputs are kept in WORK_DIR/<target>/corpus between runs;
# a crashing input is saved in WORK_DIR/<target>/ and fails the run.
set -euo pipefail
BIN=$1 TARGET=$2 SECONDS_TO_RUN=$3 WORK=$4
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SHARED=${PERFRUNNER_SHARED_DIR:-$ROOT/../shared}
# libFuzzer reads at most -max_len bytes of each input: a longer seed would only be a cut (invalid) prefix,
# and mutating megabyte inputs slows a target down to a few executions per second. The shared samples above
# this size are in seeds/ as trimmed copies.
MAX_LEN=65536
DIR=$WORK/$TARGET
mkdir -p "$DIR/corpus" "$DIR/seeds"
rm -f "$DIR"/crash-* "$DIR"/leak-* "$DIR"/timeout-* "$DIR"/oom-*

cp "$HERE/seeds/$TARGET"/* "$DIR/seeds/"
copy_small() {  # copy_small FILE...: the files of at most MAX_LEN bytes
  local f
  for f in "$@"; do
    if [ -f "$f" ] && [ "$(stat -c %s "$f")" -le "$MAX_LEN" ]; then cp "$f" "$DIR/seeds/"; fi
  done
}
case $TARGET in
  results_reader) copy_small "$SHARED"/reference-results/*.json ;;
  cadvisor) copy_small "$SHARED"/cadvisor-samples/*.json "$SHARED"/cadvisor-samples/snippets/*.json ;;
  config)
    for f in "$ROOT"/config/*.json; do
      { printf 'sampling.interval_seconds=2\n'; cat "$f"; } >"$DIR/seeds/$(basename "$f")"
    done ;;
esac
chmod -R u+w "$DIR/seeds"

LOG=$DIR/fuzz.log
# Leaks count as failures (detect_leaks); the process stops at the first report of any sanitizer.
# PERFRUNNER_FUZZ_SEED: libFuzzer's -seed (0 = random; ctest sets 1 so that CI's short runs are repeatable).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
set +e
"$BIN" -seed="${PERFRUNNER_FUZZ_SEED:-0}" -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 -max_len=$MAX_LEN -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$DIR/" "$DIR/corpus" "$DIR/seeds" >"$LOG" 2>&1 &
pid=$!
wait "$pid"
rc=$?
set -e
# A target that writes a scratch file (config: /tmp/perfrunner-fuzz-<target>-<pid>.*) must remove it.
left=$(find /tmp -maxdepth 1 -name "perfrunner-fuzz-*-$pid.*" 2>/dev/null)
if [ -n "$left" ]; then
  echo "fuzz $TARGET: FAILED, left behind: $left" >&2
  rm -f $left
  exit 1
fi
execs=$(awk '/stat::number_of_executed_units:/ {print $NF}' "$LOG" | tail -1)
crashes=$(find "$DIR" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
echo "fuzz $TARGET: ${execs:-0} executions in $SECONDS_TO_RUN s, $crashes crashes (corpus $(find "$DIR/corpus" -type f | wc -l) inputs)"
if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
  grep -E -A12 "ERROR|SUMMARY|runtime error|uncaught exception|deadly signal" "$LOG" | head -60 >&2 || true
  echo "fuzz $TARGET: FAILED (exit $rc); inputs saved in $DIR" >&2
  exit 1
fi
