#!/usr/bin/env bash
# tests/stack/build-images.sh — build the stack's images locally, without any registry:
#   perfrunner/busybox:local             busybox-static rootfs (the "redis" service; base of the others)
#   perfrunner/standin-simulation:local  busybox + perfrunner-standin-simulation + its ldd closure
#   perfrunner/standin-kafka:local       busybox + perfrunner-standin-kafka + its ldd closure
#   perfrunner/cadvisor:local            busybox + cAdvisor 0.38.7 + its ldd closure (skipped if not fetched)
#   perfrunner/prometheus:local          busybox + Debian's prometheus + its ldd closure + prometheus-entrypoint.sh
#                                        (skipped if the prometheus package is not installed)
# Each image carries a label with the SHA-256 of its inputs; an image is rebuilt only when that changes.
# Binaries: $STACK_BIN_DIR if set, else the standalone build in $REPO/build-stack (configured and built here).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

docker_ok || { echo "docker engine not reachable: run tests/stack/dockerd.sh start" >&2; exit 1; }
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] || { echo "busybox not installed: run tests/stack/setup.sh" >&2; exit 1; }

if [ -z "${STACK_BIN_DIR:-}" ]; then
  B="$REPO_DIR/build-stack"
  if [ ! -f "$B/CMakeCache.txt" ]; then cmake -S "$STACK_DIR" -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null; fi
  cmake --build "$B" -j"$(nproc)" --target perfrunner-standin-simulation perfrunner-standin-kafka >/dev/null
  STACK_BIN_DIR=$B
fi
SIM_BIN="$STACK_BIN_DIR/perfrunner-standin-simulation"
KAFKA_BIN="$STACK_BIN_DIR/perfrunner-standin-kafka"
for f in "$SIM_BIN" "$KAFKA_BIN"; do [ -x "$f" ] || { echo "missing binary $f" >&2; exit 1; }; done

SELF_SHA=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)

# ldd closure of a binary: resolved library paths plus the dynamic loader
closure() { ldd "$1" | awk '/=> \//{print $3} /^[ \t]*\/[^ ]+ \(/{print $1}' | sort -u; }

# inputs_sha <files...>: hash of the contents of every input file + this script
inputs_sha() { { echo "$SELF_SHA"; for f in "$@"; do sha256sum "$(readlink -f "$f")" | cut -d' ' -f1; done; } | sha256sum | cut -d' ' -f1; }

image_sha() { docker image inspect -f '{{index .Config.Labels "perfrunner.inputs"}}' "$1" 2>/dev/null || true; }

# make_rootfs <dir>: busybox-static rootfs skeleton
make_rootfs() {
  local R=$1 a
  mkdir -p "$R"/bin "$R"/tmp "$R"/proc "$R"/sys "$R"/dev "$R"/etc "$R"/www "$R"/usr/local/bin "$R"/var/run "$R"/rootfs
  chmod 1777 "$R/tmp"
  cp "$BUSYBOX" "$R/bin/busybox"
  for a in sh ls cat echo sleep head dd yes wget nc httpd top free ps true false grep awk seq kill env; do ln -sf busybox "$R/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$R/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
  printf 'hosts: files\n' >"$R/etc/nsswitch.conf"
  printf '127.0.0.1 localhost\n' >"$R/etc/hosts"
  printf 'PONG\n' >"$R/www/index.html"
}

# add_binary <rootfs> <binary> <dest>: binary + its shared libraries at their own absolute paths
add_binary() {
  local R=$1 bin=$2 dest=$3 lib
  install -D -m 0755 "$bin" "$R$dest"
  for lib in $(closure "$bin"); do
    mkdir -p "$R$(dirname "$lib")"
    cp -L "$lib" "$R$lib"
  done
}

# build <image> <inputs-sha> <docker import -c changes...> ; rootfs prepared by the caller in $ROOT
import_image() {
  local name=$1 sha=$2; shift 2
  local old; old=$(docker image inspect -f '{{.Id}}' "$name" 2>/dev/null || true)
  local args=(-c "LABEL perfrunner.inputs=$sha" -c "LABEL perfrunner.stack=1" -c "ENV PATH=/usr/local/bin:/bin")
  local c; for c in "$@"; do args+=(-c "$c"); done
  tar -C "$ROOT" --numeric-owner -c . | docker import "${args[@]}" - "$name" >/dev/null
  local new; new=$(docker image inspect -f '{{.Id}}' "$name")
  if [ -n "$old" ] && [ "$old" != "$new" ]; then docker rmi "$old" >/dev/null 2>&1 || true; fi
  stack_log "built $name ($(docker image inspect -f '{{.Size}}' "$name" | awk '{printf "%.1f MB", $1/1048576}'))"
}

# EXTRA_FILES=("<file>:<dest>" ...): more files copied into the image (and hashed as inputs); reset after each build.
EXTRA_FILES=()
build_one() {   # build_one <image> <binary-or-empty> <dest> <docker import changes...>
  local name=$1 bin=$2 dest=$3; shift 3
  local inputs=("$BUSYBOX") extra
  if [ -n "$bin" ]; then inputs+=("$bin"); mapfile -t -O ${#inputs[@]} inputs < <(closure "$bin"); fi
  for extra in "${EXTRA_FILES[@]}"; do inputs+=("${extra%%:*}"); done
  local sha; sha=$(inputs_sha "${inputs[@]}")
  if [ "$(image_sha "$name")" = "$sha" ]; then stack_log "$name up to date"; EXTRA_FILES=(); return 0; fi
  ROOT=$(mktemp -d)
  make_rootfs "$ROOT"
  [ -z "$bin" ] || add_binary "$ROOT" "$bin" "$dest"
  for extra in "${EXTRA_FILES[@]}"; do install -D -m 0755 "${extra%%:*}" "$ROOT${extra#*:}"; done
  EXTRA_FILES=()
  import_image "$name" "$sha" "$@"
  rm -rf "$ROOT"
}

T0=$(now_s)
build_one perfrunner/busybox:local "" "" 'CMD ["sh"]'
build_one perfrunner/standin-simulation:local "$SIM_BIN" /usr/local/bin/perfrunner-standin-simulation \
  'ENTRYPOINT ["/usr/local/bin/perfrunner-standin-simulation"]'
build_one perfrunner/standin-kafka:local "$KAFKA_BIN" /usr/local/bin/perfrunner-standin-kafka \
  'ENTRYPOINT ["/usr/local/bin/perfrunner-standin-kafka"]'
if [ -x "$CADVISOR_BIN" ]; then
  build_one perfrunner/cadvisor:local "$CADVISOR_BIN" /usr/local/bin/cadvisor 'ENTRYPOINT ["/usr/local/bin/cadvisor"]'
else
  stack_log "cAdvisor binary not found at $CADVISOR_BIN (tests/stack/setup.sh could not fetch it): no perfrunner/cadvisor:local image; the monitoring profile and cAdvisor tests are skipped"
fi
if [ -x "$PROMETHEUS_BIN" ]; then
  EXTRA_FILES=("$STACK_DIR/prometheus-entrypoint.sh:/usr/local/bin/prometheus-entrypoint")
  build_one perfrunner/prometheus:local "$PROMETHEUS_BIN" /usr/local/bin/prometheus \
    'ENTRYPOINT ["/usr/local/bin/prometheus-entrypoint"]'
else
  stack_log "prometheus not installed at $PROMETHEUS_BIN (tests/stack/setup.sh installs it): no perfrunner/prometheus:local image; the stack runs without Prometheus and its tests skip"
fi
stack_log "images ready in $(elapsed "$T0") s"
