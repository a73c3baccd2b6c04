#!/usr/bin/env bash
# ctest fixture of the stack tests: `up` brings the stack up (stack_up), `down <stack_tests>` takes it down and
# checks that nothing is left (stack_down). Without a docker engine both pass with a message (the stack tests
# then skip) unless PERFRUNNER_REQUIRE_STACK=1.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if ! docker_ok; then
  echo "[stack] docker engine not reachable (tests/stack/dockerd.sh start): stack tests will skip"
  [ "${PERFRUNNER_REQUIRE_STACK:-0}" = 1 ] && exit 1
  exit 0
fi
case "${1:-}" in
  up) exec "$STACK_DIR/up.sh" ;;
  down) PERFRUNNER_STACK_TEARDOWN_TEST=1 exec "$2" --gtest_filter='StackTeardown.*' ;;
  *) echo "usage: $0 up | down <stack_tests binary>" >&2; exit 2 ;;
esac
