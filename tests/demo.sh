#!/usr/bin/env bash
# README's demo: sets up this machine, builds perfrunner, starts the Docker engine and the bundled miniature
# rideshare stack (tests/stack), and runs `perfrunner run` against it with the short demo config
# (config/demo.json: a run of about 8 minutes, plus 1-2 for the chart PNGs). Results land in
# results/<YYYYmmdd_HHMMSS>/. Extra arguments go to `perfrunner run` (e.g. --scenarios baseline,stress).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash tests/stack/setup.sh
cmake --preset default
# Only what the demo runs: perfrunner and the two stand-in binaries its images wrap (not the test suite).
cmake --build --preset default --target perfrunner perfrunner-standin-simulation perfrunner-standin-kafka
timeout 10 docker info >/dev/null 2>&1 || bash tests/stack/dockerd.sh start
STACK_BIN_DIR="$ROOT/build/tests/stack" bash tests/stack/build-images.sh
bash tests/stack/up.sh
exec build/perfrunner run --config config/demo.json "$@"
