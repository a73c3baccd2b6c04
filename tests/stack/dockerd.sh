#!/usr/bin/env bash
# tests/stack/dockerd.sh start|stop|status|restart — run Debian's dockerd by hand (no systemd) with flags that
# create no bridge, no NAT and no iptables rules, on the DEFAULT socket /var/run/docker.sock so that a plain
# `docker` works for everybody without DOCKER_HOST.  Idempotent: `start` when running is a no-op.
#
#   PERFRUNNER_DOCKERD_LOG   log file      (default /var/log/perfrunner-dockerd.log)
#   PERFRUNNER_DOCKERD_WAIT  start timeout (default 30 s)
#   PERFRUNNER_DOCKER_CPU_SHARES  cpu.shares of the parent cgroup of all containers (cgroup v1 /docker, default 8192;
#                            0 = leave it). With the default 1024, ALL containers together weigh as much as ONE
#                            host process, so a parallel build on the host starves the stack and its CPU figures.
set -euo pipefail

PIDFILE=/var/run/docker.pid
SOCK=/var/run/docker.sock
EXEC_ROOT=/var/run/docker
LOG=${PERFRUNNER_DOCKERD_LOG:-/var/log/perfrunner-dockerd.log}
WAIT_S=${PERFRUNNER_DOCKERD_WAIT:-30}
export DOCKER_HOST="unix://$SOCK"

log() { printf '[dockerd.sh] %s\n' "$*"; }
pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
our_pid() {   # PID from the pidfile if that process is a live dockerd
  local p
  [ -s "$PIDFILE" ] || return 1
  p=$(cat "$PIDFILE" 2>/dev/null || true)
  pid_alive "$p" || return 1
  [ "$(cat "/proc/$p/comm" 2>/dev/null || true)" = "dockerd" ] || return 1
  echo "$p"
}
answers() { timeout 10 docker info >/dev/null 2>&1; }

tune_cgroup() {
  local shares=${PERFRUNNER_DOCKER_CPU_SHARES:-8192} g=/sys/fs/cgroup/cpu/docker
  [ "$shares" != 0 ] || return 0
  [ -d /sys/fs/cgroup/cpu ] || return 0          # cgroup v1 only (the team's machines)
  mkdir -p "$g" 2>/dev/null || return 0
  if [ "$(cat "$g/cpu.shares" 2>/dev/null)" != "$shares" ]; then
    echo "$shares" >"$g/cpu.shares" 2>/dev/null && log "cgroup $g cpu.shares = $shares" || true
  fi
}

unmount_leftovers() {   # netns bind mounts and any other mount left under the exec root (/var/run -> /run)
  local m root
  root=$(readlink -f "$EXEC_ROOT" 2>/dev/null || echo "$EXEC_ROOT")
  for m in $(awk -v a="$root/" -v b="$EXEC_ROOT/" 'index($2, a)==1 || index($2, b)==1 {print $2}' /proc/self/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}
remove_exec_root() {   # only once nothing is mounted below it any more
  local root
  root=$(readlink -f "$EXEC_ROOT" 2>/dev/null || echo "$EXEC_ROOT")
  if ! awk -v a="$root/" 'index($2, a)==1 {f=1} END{exit !f}' /proc/self/mounts; then rm -rf "$root"; fi
}

cmd_status() {
  local p
  if p=$(our_pid); then
    if answers; then
      log "running (pid $p), server $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')"
    else
      log "process $p alive but docker info does not answer"
    fi
    return 0
  elif answers; then
    log "a docker daemon not started by this script answers on $SOCK"; return 0
  fi
  log "not running"; return 3
}

cmd_start() {
  local p
  if p=$(our_pid) && answers; then log "already running (pid $p)"; tune_cgroup; return 0; fi
  if ! our_pid >/dev/null && answers; then log "a docker daemon already answers on $SOCK: nothing to do"; tune_cgroup; return 0; fi
  if p=$(our_pid); then
    log "dockerd pid $p alive but not answering: waiting"
  else
    command -v dockerd >/dev/null || { echo "dockerd not installed: run tests/stack/setup.sh" >&2; return 1; }
    rm -f "$PIDFILE"
    [ -S "$SOCK" ] && rm -f "$SOCK"
    unmount_leftovers
    mkdir -p "$(dirname "$LOG")"
    # setsid: own session, survives the calling shell; stdin from /dev/null. Descriptors 3-9 are closed: started
    # under `flock /work/.stack.lock …`, the daemon (and containerd) would otherwise inherit the lock's descriptor
    # and hold the lock for as long as they live.
    setsid dockerd --iptables=false --ip-masq=false --bridge=none \
      --pidfile "$PIDFILE" -H "unix://$SOCK" </dev/null >>"$LOG" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    p=$!
    log "started dockerd (pid $p), log $LOG"
  fi
  local i n=$((WAIT_S * 5))
  for ((i = 0; i < n; i++)); do
    if answers; then log "docker info answers after $(awk -v i="$i" 'BEGIN{printf "%.1f", i/5}') s"; tune_cgroup; return 0; fi
    if ! pid_alive "$p"; then p=$(our_pid) || break; fi
    sleep 0.2
  done
  echo "[dockerd.sh] dockerd did not answer within ${WAIT_S} s; log tail:" >&2
  tail -n 30 "$LOG" >&2 || true
  if pid_alive "$p"; then kill -TERM "$p" 2>/dev/null || true; fi
  return 1
}

cmd_stop() {
  local p i
  if ! p=$(our_pid); then
    if answers; then log "the daemon on $SOCK was not started by this script (no live $PIDFILE): not stopping it"; return 0; fi
    log "not running"; rm -f "$PIDFILE"; unmount_leftovers; return 0
  fi
  log "stopping dockerd (pid $p)"
  kill -TERM "$p" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do pid_alive "$p" || break; sleep 0.1; done
  if pid_alive "$p"; then log "still alive after 15 s: SIGKILL"; kill -KILL "$p" 2>/dev/null || true; sleep 0.5; fi
  unmount_leftovers
  remove_exec_root
  rm -f "$PIDFILE"
  [ -S "$SOCK" ] && rm -f "$SOCK"
  log "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
