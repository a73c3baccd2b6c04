#!/usr/bin/env bash
# tests/stack/dockerd2.sh start|stop|status|socket [NAME] — a SECOND Docker engine on this machine, beside the
# default one (tests/stack/dockerd.sh), for multi-host tests on one machine (../shared/spec/prometheus.md):
# its own socket, data root, exec root, pidfile and containerd namespaces, no bridge / NAT / iptables. Images move
# over with `docker save | docker -H unix://<socket> load`. NAME (default "edge") names the engine and its folders:
#
#   socket     /var/run/perfrunner-docker-NAME/docker.sock (`dockerd2.sh socket NAME`; the /var/run form is also
#              its path inside containers that mount /var/run, e.g. cAdvisor's -docker=unix://<socket>)
#   exec root  /run/perfrunner-docker-NAME/exec          (its netns mount is unmounted on stop)
#   data root  /var/lib/perfrunner-docker-NAME           (removed on stop: nothing is kept between runs)
#   log        /var/log/perfrunner-dockerd-NAME.log
#
# Containers of both engines live under the same cgroup parent (/docker) unless PERFRUNNER_DOCKER2_CGROUP_PARENT
# is set; a cAdvisor started with -docker=unix://<socket> claims the containers of its own engine only (checked by
# the stack test SecondEngine.*). Stop ends only what this script started: the daemon's PID from its pidfile.
set -euo pipefail

NAME=${2:-edge}
case "$NAME" in *[!a-z0-9-]* | "") echo "engine name must be [a-z0-9-]+: $NAME" >&2; exit 2 ;; esac
RUN=/run/perfrunner-docker-$NAME
SOCK=$RUN/docker.sock
PIDFILE=$RUN/docker.pid
EXEC_ROOT=$RUN/exec
DATA_ROOT=/var/lib/perfrunner-docker-$NAME
LOG=/var/log/perfrunner-dockerd-$NAME.log
WAIT_S=${PERFRUNNER_DOCKERD_WAIT:-30}

log() { printf '[dockerd2.sh %s] %s\n' "$NAME" "$*"; }
answers() { timeout 10 docker -H "unix://$SOCK" info >/dev/null 2>&1; }
our_pid() {
  local p
  [ -s "$PIDFILE" ] || return 1
  p=$(cat "$PIDFILE" 2>/dev/null || true)
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 1
  [ "$(cat "/proc/$p/comm" 2>/dev/null || true)" = "dockerd" ] || return 1
  echo "$p"
}
unmount_leftovers() {
  local m
  for m in $(awk -v a="$RUN/" 'index($2, a)==1 {print $2}' /proc/self/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

cmd_start() {
  local p i
  if p=$(our_pid) && answers; then log "already running (pid $p), socket $SOCK"; return 0; fi
  command -v dockerd >/dev/null || { echo "dockerd not installed: run tests/stack/setup.sh" >&2; return 1; }
  mkdir -p "$RUN" "$EXEC_ROOT" "$DATA_ROOT" "$(dirname "$LOG")"
  rm -f "$PIDFILE" "$SOCK"
  local extra=()
  if [ -n "${PERFRUNNER_DOCKER2_CGROUP_PARENT:-}" ]; then extra+=(--cgroup-parent "$PERFRUNNER_DOCKER2_CGROUP_PARENT"); fi
  # Descriptors 3-9 closed: a caller's `flock` must not be held by the daemon (see dockerd.sh).
  setsid dockerd --iptables=false --ip-masq=false --bridge=none \
    --data-root "$DATA_ROOT" --exec-root "$EXEC_ROOT" --pidfile "$PIDFILE" -H "unix://$SOCK" \
    --containerd-namespace "perfrunner-$NAME" --containerd-plugins-namespace "perfrunner-$NAME-plugins" \
    "${extra[@]}" </dev/null >>"$LOG" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  p=$!
  log "started dockerd (pid $p), socket $SOCK, log $LOG"
  for ((i = 0; i < WAIT_S * 5; i++)); do
    if answers; then log "docker info answers after $(awk -v i="$i" 'BEGIN{printf "%.1f", i/5}') s"; return 0; fi
    kill -0 "$p" 2>/dev/null || break
    sleep 0.2
  done
  echo "[dockerd2.sh $NAME] dockerd did not answer within ${WAIT_S} s; log tail:" >&2
  tail -n 30 "$LOG" >&2 || true
  kill -TERM "$p" 2>/dev/null || true
  return 1
}

cmd_stop() {
  local p i ids
  if p=$(our_pid); then
    if answers; then
      ids=$(docker -H "unix://$SOCK" ps -aq)
      if [ -n "$ids" ]; then docker -H "unix://$SOCK" rm -f -v $ids >/dev/null 2>&1 || true; fi
    fi
    log "stopping dockerd (pid $p)"
    kill -TERM "$p" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$p" 2>/dev/null; then log "still alive after 15 s: SIGKILL"; kill -KILL "$p" 2>/dev/null || true; sleep 0.5; fi
  else
    log "not running"
  fi
  unmount_leftovers
  if awk -v a="$RUN/" 'index($2, a)==1 {f=1} END{exit !f}' /proc/self/mounts; then
    log "mounts left under $RUN: not removing it"; return 1
  fi
  rm -rf "$RUN" "$DATA_ROOT"
  log "stopped; $RUN and $DATA_ROOT removed"
}

cmd_status() {
  local p
  if p=$(our_pid) && answers; then
    log "running (pid $p), socket $SOCK, $(docker -H "unix://$SOCK" ps -q | wc -l) containers"; return 0
  fi
  log "not running"; return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  socket) echo "/var/run${SOCK#/run}" ;;
  *) echo "usage: $0 start|stop|status|socket [NAME]" >&2; exit 2 ;;
esac
