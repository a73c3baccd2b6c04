#!/usr/bin/env bash
# tests/stack/up.sh — build the images if needed and bring the stack up, waiting until every container is healthy.
# Works from any cwd. Profiles: core (simulation, kafka, redis) + monitoring (cAdvisor and Prometheus, each when its
# image exists).
#   STACK_UP_TIMEOUT  seconds to wait for healthy (default 90)
#   STACK_BIN_DIR     take the stand-in binaries from there (default: build them in <repo>/build-stack)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

T0=$(now_s)
docker_ok || { echo "docker engine not reachable: run tests/stack/dockerd.sh start (after tests/stack/setup.sh)" >&2; exit 1; }
"$STACK_DIR/build-images.sh"
T1=$(now_s)

profiles=(--profile core)
names=("${STACK_CONTAINERS_CORE[@]}")
services=()   # empty: every service of the profiles; else only these (a monitoring image is missing)
monitoring=()
if cadvisor_available; then
  monitoring+=(cadvisor); names+=("$STACK_CONTAINER_CADVISOR")
else
  stack_log "cAdvisor image not available: starting without it (cAdvisor tests will skip)"
fi
if prometheus_available; then
  monitoring+=(prometheus); names+=("$STACK_CONTAINER_PROMETHEUS")
else
  stack_log "Prometheus image not available: starting without it (Prometheus tests will skip)"
fi
if [ ${#monitoring[@]} -eq 2 ]; then
  profiles+=(--profile monitoring)
elif [ ${#monitoring[@]} -eq 1 ]; then
  services=("${STACK_SERVICES_CORE[@]}" "${monitoring[@]}")
fi
stack_log "compose: $(compose_cmd) -p $STACK_PROJECT -f $COMPOSE_FILE ${profiles[*]} up -d ${services[*]}"
compose "${profiles[@]}" up -d "${services[@]}"

TIMEOUT=${STACK_UP_TIMEOUT:-90}
while :; do
  pending=()
  for n in "${names[@]}"; do
    h=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$n" 2>/dev/null || echo missing)
    [ "$h" = healthy ] || pending+=("$n=$h")
  done
  [ ${#pending[@]} -eq 0 ] && break
  if awk -v a="$T1" -v b="$(now_s)" -v t="$TIMEOUT" 'BEGIN{exit !(b-a>t)}'; then
    echo "[stack] not healthy after ${TIMEOUT} s: ${pending[*]}" >&2
    for p in "${pending[@]}"; do n=${p%%=*}; echo "--- docker logs $n (tail)" >&2; docker logs --tail 20 "$n" >&2 2>&1 || true; done
    exit 1
  fi
  sleep 0.5
done
stack_log "stack healthy: ${names[*]}"
stack_log "up in $(elapsed "$T0") s (images $(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.1f", b-a}') s, compose up + healthy $(elapsed "$T1") s)"
