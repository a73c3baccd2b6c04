#!/usr/bin/env bash
# The long fuzz run (the bench script): every libFuzzer target in turn, SECONDS each (default 600), at the
# lowest CPU priority so builds and tests beside it keep the machine. Prints one line per target and a
# markdown table (target | seconds | executions | exec/s | crashes | corpus) for tests/fuzz/RESULTS.md.
# Usage: tests/fuzz/long.sh [SECONDS] [TARGET...]
#   PERFRUNNER_FUZZ_BUILD  the sanitize preset's build folder (default <repo>/build-sanitize)
#   PERFRUNNER_FUZZ_WORK   corpus and artifacts (default <build>/tests/fuzz/long); the corpus grows across runs
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${PERFRUNNER_FUZZ_BUILD:-$ROOT/build-sanitize}
WORK=${PERFRUNNER_FUZZ_WORK:-$BUILD/tests/fuzz/long}
SECS=${1:-600}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(results_reader journal config cadvisor simulation docker prometheus)

rows=()
failed=0
for t in "${TARGETS[@]}"; do
  bin=$BUILD/tests/fuzz/fuzz_$t
  if [ ! -x "$bin" ]; then
    echo "long.sh: $bin missing (cmake --preset sanitize -B $BUILD && cmake --build $BUILD --target fuzz_$t)" >&2
    exit 2
  fi
  started=$(date +%s)
  line=$(nice -n 19 bash "$HERE/run.sh" "$bin" "$t" "$SECS" "$WORK") || failed=1
  took=$(($(date +%s) - started))
  echo "$line (wall $took s)"
  # "fuzz <t>: <execs> executions in <s> s, <crashes> crashes (corpus <n> inputs)"
  read -r execs crashes corpus < <(sed -E 's/.*: ([0-9]+) executions in [0-9]+ s, ([0-9]+) crashes \(corpus ([0-9]+) inputs\).*/\1 \2 \3/' <<<"$line")
  rows+=("| $t | $SECS | $execs | $((execs / (SECS > 0 ? SECS : 1))) | $crashes | $corpus |")
done
echo
echo "| target | seconds | executions | exec/s | crashes | corpus (inputs) |"
echo "|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
exit $failed
