#!/bin/sh
# Entry point of perfrunner/prometheus:local (busybox sh): writes the scrape configuration from the environment,
# then runs Debian's Prometheus on 127.0.0.1 only. Each target carries a `host` label naming the Docker engine
# it belongs to, so one Prometheus can scrape the cAdvisors of several engines and keep their containers apart.
#
#   PROMETHEUS_PORT                listen port (default 19090)
#   PROMETHEUS_SCRAPE_INTERVAL     scrape interval and timeout (default 1s; keep it <= perfrunner's sampling interval)
#   PROMETHEUS_RETENTION           TSDB retention (default 6h)
#   PROMETHEUS_CADVISOR_TARGETS    "host=address ..." (default "local=127.0.0.1:$CADVISOR_PORT")
#   PROMETHEUS_SIMULATION_TARGETS  "host=address ..." (default "local=127.0.0.1:$SIM_PORT"), scraped at /metrics
set -eu
PORT=${PROMETHEUS_PORT:-19090}
INTERVAL=${PROMETHEUS_SCRAPE_INTERVAL:-1s}
CADVISOR_TARGETS=${PROMETHEUS_CADVISOR_TARGETS:-local=127.0.0.1:${CADVISOR_PORT:-18089}}
SIMULATION_TARGETS=${PROMETHEUS_SIMULATION_TARGETS:-local=127.0.0.1:${SIM_PORT:-18000}}
CONFIG=/tmp/prometheus.yml

# static_configs entries, one per "host=address" pair
static_configs() {
  for pair in $1; do
    host=${pair%%=*}
    address=${pair#*=}
    case "$address" in 127.0.0.1:*) ;; *) echo "prometheus-entrypoint: target $address is not on 127.0.0.1" >&2; exit 2 ;; esac
    printf "      - targets: ['%s']\n        labels: {host: '%s'}\n" "$address" "$host"
  done
}

{
  printf 'global:\n  scrape_interval: %s\n  scrape_timeout: %s\n  evaluation_interval: 15s\n' "$INTERVAL" "$INTERVAL"
  printf 'scrape_configs:\n'
  printf '  - job_name: cadvisor\n    static_configs:\n'
  static_configs "$CADVISOR_TARGETS"
  printf '  - job_name: simulation\n    metrics_path: /metrics\n    static_configs:\n'
  static_configs "$SIMULATION_TARGETS"
} >"$CONFIG"
echo "prometheus-entrypoint: scrape every $INTERVAL: cadvisor [$CADVISOR_TARGETS] simulation [$SIMULATION_TARGETS]" >&2

exec /usr/local/bin/prometheus --config.file="$CONFIG" --storage.tsdb.path=/tmp/prometheus-data \
  --storage.tsdb.retention.time="${PROMETHEUS_RETENTION:-6h}" --web.listen-address="127.0.0.1:$PORT" "$@"
