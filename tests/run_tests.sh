#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (as root): installs what is missing, builds, starts the
# Docker engine and the bundled stack's images, runs every test (unit, real stack, end-to-end) with ctest, and
# cleans up after itself. Exit code = ctest's (1 when a lint gate, tests/lint.sh, fails first).
#
#   PERFRUNNER_BUILD_DIR     build directory (default <repo>/build)
#   PERFRUNNER_SANITIZE_DIR  build directory of the sanitize preset (default <repo>/build-sanitize)
#   PERFRUNNER_FUZZ_CI       0 skips the short fuzz runs (default 1)
#   PERFRUNNER_SANITIZE_UNIT 1 also runs the unit suite under ASan+UBSan (default 0: not yet verified green)
#   CTEST_ARGS               extra ctest arguments, e.g. "-L unit"
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${PERFRUNNER_BUILD_DIR:-$ROOT/build}
cd "$ROOT"

bash tests/stack/setup.sh
# Style gates first (warnings are errors): every C++ file matches .clang-format; clang-tidy over src/ once
# configured (files in tests/tidy-pending.txt excepted, with a count).
bash tests/lint.sh format
cmake --preset default -B "$BUILD"
bash tests/lint.sh tidy "$BUILD"
cmake --build "$BUILD" -j2

started_dockerd=0
if ! timeout 10 docker info >/dev/null 2>&1; then
  bash tests/stack/dockerd.sh start
  started_dockerd=1
fi
cleanup() {
  bash tests/stack/down.sh >/dev/null 2>&1 || true
  if [ "$started_dockerd" = 1 ]; then bash tests/stack/dockerd.sh stop || true; fi
}
trap cleanup EXIT INT TERM

STACK_BIN_DIR="$BUILD/tests/stack" bash tests/stack/build-images.sh
# Tests that need the real stack, docker or Chromium fail (not skip) when those are missing.
export PERFRUNNER_REQUIRE_STACK=1 PERFRUNNER_REQUIRE_CHROMIUM=1
rc=0
# shellcheck disable=SC2086
ctest --test-dir "$BUILD" --output-on-failure ${CTEST_ARGS:-} || rc=$?

# Sanitizers and fuzzing (issue 11), in the clang "sanitize" preset (ASan + UBSan on every object; a report
# ends the process: halt_on_error, abort_on_error; leaks are reports too):
#  - every libFuzzer target for PERFRUNNER_FUZZ_SECONDS (20 s) from its seeds, regression inputs included
#    (only the fuzz targets and the libraries under them are built; ccache keeps the rebuild short);
#  - with PERFRUNNER_SANITIZE_UNIT=1, the unit suite again (only the unit test targets built). Off by default
#    until a full run of it under the sanitizers is green; turn it on here then. So far: every unit test file
#    passes clang 14 -fsyntax-only with the project's -Werror flags; unit_adapters, _analysis, _check, _cli,
#    _config and _scenarios ran green under ASan+UBSan (one finding, in a test, fixed); unit_model and
#    unit_report not yet run under them.
# The long fuzz run is tests/fuzz/long.sh (figures in tests/fuzz/RESULTS.md).
if [ "${PERFRUNNER_FUZZ_CI:-1}" != 0 ] || [ "${PERFRUNNER_SANITIZE_UNIT:-0}" = 1 ]; then
  SAN=${PERFRUNNER_SANITIZE_DIR:-$ROOT/build-sanitize}
  cmake --preset sanitize -B "$SAN"
  export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  if [ "${PERFRUNNER_SANITIZE_UNIT:-0}" = 1 ]; then
    cmake --build "$SAN" -j2 --target unit_tests
    ctest --test-dir "$SAN" --output-on-failure -L unit -j2 || rc=$?
  fi
  if [ "${PERFRUNNER_FUZZ_CI:-1}" != 0 ]; then
    cmake --build "$SAN" -j2 --target fuzz_targets
    # -V: each target prints one line (executions, crashes, corpus); libFuzzer's own log stays in its work dir.
    ctest --test-dir "$SAN" --output-on-failure -V -L fuzz || rc=$?
  fi
fi
exit "$rc"
