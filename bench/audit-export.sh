#!/usr/bin/env bash
# Audit export memory benchmark: streams exports of growing size through the gateway and reports the
# audit-service's and the gateway's peak RSS for each, side by side in one run. Bounded memory means the
# peaks stay flat while the row count grows tenfold.
#   Needs: a running local stack (deploy/local/stack) with the embedded PostgreSQL, and psql.
#   Usage: bench/audit-export.sh [rows ...]        (default: 10000 100000)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${STACK_DATA_DIR:-$root/.stack}"
set -a; . "$data/stack.env"; set +a
pg_port="${STACK_POSTGRES_PORT:-15432}"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

pid_of() { pgrep -f "$1/target/quarkus-app/quarkus-run.jar" | head -n 1; }
audit_pid="$(pid_of audit-service)"; gateway_pid="$(pid_of scim-gateway)"
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

printf '%-8s %-9s %-14s %-14s %-12s\n' rows seconds audit_peak_MB gateway_peak_MB bytes
for rows in "${sizes[@]}"; do
  connection="bench-$rows-$RANDOM"
  PGPASSWORD=postgres psql -q -h localhost -p "$pg_port" -U postgres -d audit -c \
    "insert into audit_log (id, connection_id, seq, kind, message_id, action, payload, recorded_at, prev_hash, hash)
     select gen_random_uuid(), '$connection', n, 'command', '$connection-' || n, 'user.create',
            jsonb_build_object('userName', 'user' || n || '@example.com'), now() - make_interval(secs => n), 'p', 'h'
     from generate_series(1, $rows) n"
  audit_peak=0; gateway_peak=0
  start=$(date +%s.%N)
  curl -sf -H "Authorization: Bearer $ADMIN_TOKEN" \
    "$ADMIN_BASE_URL/audit/export?format=ndjson&connection=$connection" -o /tmp/audit-export.$$ &
  curl_pid=$!
  while kill -0 "$curl_pid" 2>/dev/null; do
    a=$(rss "$audit_pid"); g=$(rss "$gateway_pid")
    [ "$a" -gt "$audit_peak" ] && audit_peak=$a
    [ "$g" -gt "$gateway_peak" ] && gateway_peak=$g
    sleep 0.1
  done
  wait "$curl_pid"
  end=$(date +%s.%N)
  lines=$(wc -l < /tmp/audit-export.$$); bytes=$(wc -c < /tmp/audit-export.$$)
  [ "$lines" -eq "$rows" ] || { echo "expected $rows lines, got $lines" >&2; exit 1; }
  printf '%-8s %-9.1f %-14.0f %-14.0f %-12s\n' "$rows" "$(echo "$end - $start" | bc)" \
    "$(echo "$audit_peak / 1024" | bc)" "$(echo "$gateway_peak / 1024" | bc)" "$bytes"
  rm -f /tmp/audit-export.$$
done
