#!/usr/bin/env bash
# tests/stack/down.sh — take the stack down (down -v -t 1, both profiles, orphans) and remove any test container
# the stack tests left (label perfrunner.stack.test=1). Nothing of the stack remains. Works from any cwd.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

T0=$(now_s)
docker_ok || { echo "docker engine not reachable: nothing to take down" >&2; exit 0; }
compose --profile core --profile monitoring down -v -t 1 --remove-orphans
left=$(docker ps -aq --filter label=perfrunner.stack.test=1)
if [ -n "$left" ]; then docker rm -f -v $left >/dev/null; fi
# containers of the project that compose did not know about (e.g. started under another profile set)
left=$(docker ps -aq --filter label=com.docker.compose.project="$STACK_PROJECT")
if [ -n "$left" ]; then docker rm -f -v $left >/dev/null; fi
stack_log "down in $(elapsed "$T0") s"
