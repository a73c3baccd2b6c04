#!/usr/bin/env bash
# tests/stack/setup.sh — install every system dependency of perfrunner (build, unit tests,
# stack tests, charts) on a fresh Debian 12 machine, as root, without systemd.
# Idempotent: each step is skipped when its result is already present (second run: ~1 s).
#
# What it installs / fetches:
#   * apt: C++ toolchain + libraries, clang 14 + compiler-rt (sanitizers, libFuzzer), docker.io containerd runc, docker-compose (v1),
#          busybox-static, debootstrap, chromium, prometheus (2.42, not started by its postinst)
#   * Compose v2 2.26.1 CLI plugin (trixie .deb, private apt state)   -> /usr/local/lib/docker/cli-plugins/docker-compose
#   * cAdvisor 0.38.7 (bullseye .deb, private apt state)              -> /var/cache/perfrunner/cadvisor-0.38.7/cadvisor
#   * plotly.js-dist-min 4.1.2 (npm pack, SHA-256 verified)           -> /var/cache/perfrunner/plotly.js-dist-min-4.1.2/plotly.min.js
# The Debian mirror is read from /etc/apt/sources.list.d/debian.sources (never hard-coded).
set -euo pipefail

CACHE=${PERFRUNNER_CACHE:-/var/cache/perfrunner}
COMPOSE_V2_VERSION=2.26.1-4
COMPOSE_PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
CADVISOR_DIR="$CACHE/cadvisor-0.38.7"
PLOTLY_VERSION=4.1.2
PLOTLY_DIR="$CACHE/plotly.js-dist-min-$PLOTLY_VERSION"
# Recorded once (npm pack plotly.js-dist-min@4.1.2, 1,663,865-byte tarball; plotly.min.js 4,834,409 bytes).
PLOTLY_TGZ_SHA256=4d4a67f627e33fa3b5296134210d5ba51e5312d7d287436fcc29eb533018e1b8
PLOTLY_JS_SHA256=2f645d1bade8182fce161b7f10f89402f8b315805250ff4a94672a28d23c390a

APT_PACKAGES=(
  # C++ build + libraries
  libcli11-dev libcurl4-openssl-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libcpp-httplib-dev libsimdjson-dev pkg-config cmake g++ ccache
  clang-format clang-tidy
  # sanitizer preset (ASan + UBSan unit suite) and libFuzzer targets: clang 14, its runtimes, llvm-symbolizer
  clang clang-14 libclang-rt-14-dev llvm-14
  # real components
  docker.io containerd runc docker-compose busybox-static debootstrap chromium prometheus
  # tools used by the scripts
  ca-certificates curl tar gzip coreutils util-linux procps
)

log()  { printf '[setup] %s\n' "$*"; }
warn() { printf '[setup] WARNING: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then echo "setup.sh must run as root" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
T0=$(date +%s.%N)

# ---------------------------------------------------------------- apt packages
missing=()
for p in "${APT_PACKAGES[@]}"; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$st" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get update; installing: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "apt packages: all ${#APT_PACKAGES[@]} present"
fi

# ---------------------------------------------------------------- private apt state fetch (environment.md §5)
MIRROR=${PERFRUNNER_DEBIAN_MIRROR:-$(awk '$1=="URIs:" {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
if [ -z "$MIRROR" ] && [ -f /etc/apt/sources.list ]; then
  MIRROR=$(awk '$1=="deb" {print $2; exit}' /etc/apt/sources.list)
fi

fetch_deb() {   # usage: fetch_deb <suite> <package[=version]> <outdir>; leaves /etc/apt and system lists untouched
  [ -n "$MIRROR" ] || { warn "no Debian mirror found in the apt sources"; return 1; }
  local S O rc=0
  S=$(mktemp -d); chmod 755 "$S"; mkdir -p "$S/lists/partial" "$S/cache/archives/partial"
  echo "deb $MIRROR $1 main" > "$S/sources.list"
  O=(-o "Dir::Etc::SourceList=$S/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$S/lists"
     -o "Dir::Cache=$S/cache" -o Dir::State::status=/var/lib/dpkg/status)
  if apt-get "${O[@]}" -q update >"$S/update.log" 2>&1 && (cd "$S" && apt-get "${O[@]}" -q download "$2" >"$S/download.log" 2>&1); then
    mkdir -p "$3"
    for f in "$S"/*.deb; do dpkg-deb -x "$f" "$3"; done
  else
    rc=1; tail -n 5 "$S"/*.log >&2 || true
  fi
  rm -rf "$S"
  return $rc
}

# ---------------------------------------------------------------- Compose v2 plugin (trixie)
if [ -x "$COMPOSE_PLUGIN_DIR/docker-compose" ] && "$COMPOSE_PLUGIN_DIR/docker-compose" version 2>/dev/null | grep -q "2.26.1"; then
  log "compose v2 plugin present: $("$COMPOSE_PLUGIN_DIR/docker-compose" version)"
else
  log "fetching docker-compose=$COMPOSE_V2_VERSION from trixie"
  X=$(mktemp -d)
  if fetch_deb trixie "docker-compose=$COMPOSE_V2_VERSION" "$X"; then
    mkdir -p "$COMPOSE_PLUGIN_DIR"
    install -m 0755 "$X/usr/libexec/docker/cli-plugins/docker-compose" "$COMPOSE_PLUGIN_DIR/docker-compose"
    log "installed $("$COMPOSE_PLUGIN_DIR/docker-compose" version)"
  else
    warn "could not fetch Compose v2 from trixie: scripts fall back to v1 'docker-compose'"
  fi
  rm -rf "$X"
fi

# ---------------------------------------------------------------- cAdvisor 0.38.7 (bullseye)
if [ -x "$CADVISOR_DIR/cadvisor" ] && "$CADVISOR_DIR/cadvisor" --version 2>&1 | grep -q "0.38.7"; then
  log "cAdvisor present: $CADVISOR_DIR/cadvisor"
else
  log "fetching cadvisor from bullseye"
  X=$(mktemp -d)
  if fetch_deb bullseye cadvisor "$X" && B=$(find "$X" -type f -name cadvisor -perm -u+x | head -n1) && [ -n "$B" ]; then
    mkdir -p "$CADVISOR_DIR"
    install -m 0755 "$B" "$CADVISOR_DIR/cadvisor"
    log "installed $("$CADVISOR_DIR/cadvisor" --version 2>&1 | head -n1)"
  else
    warn "================================================================"
    warn "cAdvisor 0.38.7 could not be fetched from the bullseye suite."
    warn "The stack starts without the 'monitoring' profile and the"
    warn "cAdvisor-dependent stack tests SKIP with a message."
    warn "================================================================"
  fi
  rm -rf "$X"
fi

# ---------------------------------------------------------------- plotly.js (npm pack, pinned + verified)
sha_of() { sha256sum "$1" | awk '{print $1}'; }
if [ -f "$PLOTLY_DIR/plotly.min.js" ] && [ "$(sha_of "$PLOTLY_DIR/plotly.min.js")" = "$PLOTLY_JS_SHA256" ]; then
  log "plotly.js $PLOTLY_VERSION present: $PLOTLY_DIR/plotly.min.js"
else
  command -v npm >/dev/null || { echo "npm is required to fetch plotly.js" >&2; exit 1; }
  log "npm pack plotly.js-dist-min@$PLOTLY_VERSION"
  X=$(mktemp -d)
  (cd "$X" && npm pack --silent "plotly.js-dist-min@$PLOTLY_VERSION" >/dev/null)
  TGZ="$X/plotly.js-dist-min-$PLOTLY_VERSION.tgz"
  got=$(sha_of "$TGZ")
  if [ "$got" != "$PLOTLY_TGZ_SHA256" ]; then
    rm -rf "$X"; echo "plotly.js tarball SHA-256 mismatch: got $got, want $PLOTLY_TGZ_SHA256" >&2; exit 1
  fi
  rm -rf "$PLOTLY_DIR"; mkdir -p "$PLOTLY_DIR"
  tar -xzf "$TGZ" -C "$PLOTLY_DIR" --strip-components=1 --no-same-owner
  cp "$TGZ" "$CACHE/"
  rm -rf "$X"
  [ "$(sha_of "$PLOTLY_DIR/plotly.min.js")" = "$PLOTLY_JS_SHA256" ] || { echo "plotly.min.js SHA-256 mismatch" >&2; exit 1; }
  log "installed $PLOTLY_DIR/plotly.min.js (sha256 verified)"
fi

T1=$(date +%s.%N)
log "done in $(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.1f", b-a}') s"
