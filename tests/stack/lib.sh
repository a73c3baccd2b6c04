# tests/stack/lib.sh — sourced by the stack scripts. Paths, the compose command (v2 plugin, else v1), names.
# shellcheck shell=bash
STACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$STACK_DIR/../.." && pwd)
COMPOSE_FILE="$STACK_DIR/compose.yml"
# compose reads COMPOSE_PROJECT_NAME from tests/stack/.env (v1 and v2); keep them in sync
STACK_PROJECT=perfrunner-stack
STACK_CONTAINERS_CORE=(rideshare-simulation rideshare-kafka rideshare-redis)
STACK_SERVICES_CORE=(simulation kafka redis)
STACK_CONTAINER_CADVISOR=rideshare-cadvisor
CACHE=${PERFRUNNER_CACHE:-/var/cache/perfrunner}
CADVISOR_BIN=${CADVISOR_BIN:-$CACHE/cadvisor-0.38.7/cadvisor}
PROMETHEUS_BIN=${PROMETHEUS_BIN:-/usr/bin/prometheus}
STACK_CONTAINER_PROMETHEUS=rideshare-prometheus

stack_log() { printf '[stack] %s\n' "$*"; }

# compose_cmd: prints the compose command prefix ("docker compose" or "docker-compose")
compose_cmd() {
  if [ -n "${PERFRUNNER_COMPOSE:-}" ]; then echo "$PERFRUNNER_COMPOSE"; return; fi
  if docker compose version >/dev/null 2>&1; then echo "docker compose"
  elif command -v docker-compose >/dev/null 2>&1; then echo "docker-compose"
  else echo "neither 'docker compose' nor 'docker-compose' is installed: run tests/stack/setup.sh" >&2; return 1
  fi
}
compose() {
  local c
  c=$(compose_cmd) || return 1
  # shellcheck disable=SC2086
  $c -p "$STACK_PROJECT" -f "$COMPOSE_FILE" "$@"
}
docker_ok() { timeout 10 docker info >/dev/null 2>&1; }
cadvisor_available() { docker image inspect perfrunner/cadvisor:local >/dev/null 2>&1; }
prometheus_available() { docker image inspect perfrunner/prometheus:local >/dev/null 2>&1; }
now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
