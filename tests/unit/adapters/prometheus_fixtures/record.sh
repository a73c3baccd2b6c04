#!/usr/bin/env bash
# Records the Prometheus answers the unit tests replay (tests/unit/adapters/prometheus_*_test.cpp), from the
# bundled stack's real Prometheus 2.42 scraping the real cAdvisor 0.38.7 every 1 s. Run by hand, under the stack
# lock, with the stack up:  flock /work/.stack.lock tests/unit/adapters/prometheus_fixtures/record.sh <tick-query-file>
# <tick-query-file> holds the PromQL of one tick (window 4 s, host label "host", compose project perfrunner-stack),
# as adapters::prometheus::tick_query() writes it. Restarts rideshare-kafka and stops/starts rideshare-redis.
set -euo pipefail
DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
P=http://127.0.0.1:19090
SIM=http://127.0.0.1:18000
KEY=dev-api-key-change-in-production
Q=$(cat "$1")
get() { curl -s -G "$P$1" "${@:2}"; }
api() { curl -s -X "$1" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' "$SIM$2" ${3:+-d "$3"} >/dev/null; }

api POST /simulation/reset
api PUT /simulation/speed '{"multiplier":4}'
api POST /simulation/start
api POST '/agents/drivers?mode=immediate' '{"count":40}'
api POST '/agents/riders?mode=immediate' '{"count":40}'
sleep 25
get /api/v1/query --data-urlencode "query=$Q" >"$DIR/tick_under_load.json"
NOW=$(date +%s)
get /api/v1/query_range --data-urlencode "query=$Q" --data-urlencode "start=$((NOW - 20))" \
  --data-urlencode "end=$NOW" --data-urlencode "step=2" >"$DIR/range_20s_step2.json"
get /api/v1/targets --data-urlencode state=active >"$DIR/targets.json"
docker restart -t 1 rideshare-kafka >/dev/null
sleep 3
get /api/v1/query --data-urlencode "query=$Q" >"$DIR/tick_after_kafka_restart.json"
docker stop -t 1 rideshare-redis >/dev/null
sleep 12
get /api/v1/query --data-urlencode "query=$Q" >"$DIR/tick_redis_stopped_12s.json"
docker start rideshare-redis >/dev/null
api POST /simulation/reset
api PUT /simulation/speed '{"multiplier":1}'
# error answers
curl -s -o "$DIR/error_bad_data.json" -w '%{http_code}\n' -G "$P/api/v1/query" --data-urlencode 'query=container_memory_rss{'
curl -s -o "$DIR/error_too_many_points.json" -w '%{http_code}\n' -G "$P/api/v1/query_range" \
  --data-urlencode 'query=up' --data-urlencode "start=$((NOW - 3600))" --data-urlencode "end=$NOW" --data-urlencode step=0.1
ls -la "$DIR"
