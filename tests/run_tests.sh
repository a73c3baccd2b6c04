#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (as root): installs what is missing, builds, starts the
# Docker engine and the bundled stack's images, runs every test (unit, real stack, end-to-end) with ctest, and
# cleans up after itself. Exit code = ctest's (1 when a lint gate, tests/lint.sh, fails first).
#
#   PERFRUNNER_BUILD_DIR  build directory (default <repo>/build)
#   CTEST_ARGS            extra ctest arguments, e.g. "-L unit"
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
# shellcheck disable=SC2086
ctest --test-dir "$BUILD" --output-on-failure ${CTEST_ARGS:-}
