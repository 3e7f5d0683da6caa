#!/usr/bin/env bash
# What one request costs the machine, by what it crosses: CPU per request of every process of the stack (and of
# the load generator) for requests the gateway answers alone, a userName lookup that finds nobody (the gateway,
# membership-service and PostgreSQL), one that finds a user (group-sync-service too), and - from bench/load's
# sync in the same run - an IdP's create: its lookup and the POST, through Kafka, the batched write, the outbox
# and the consumers of the command, its outcome and its events. Side by side, each also as a multiple of the first.
#   Needs: a running local stack (deploy/local/stack) with a raised rate limit (SCIM_RATE_LIMIT_RPS=100000
#          SCIM_RATE_LIMIT_BURST=100000), warmed up (e.g. bench/load/run --users 4000 --phases sync first),
#          ab (Debian: apache2-utils) and python3.
#   Usage: bench/request-costs.sh [requests] [concurrency] [creates]        (default: 20000 16 4000)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${STACK_DATA_DIR:-$root/.stack}"
set -a; . "$data/stack.env"; set +a
requests="${1:-20000}"; concurrency="${2:-16}"; creates="${3:-4000}"
command -v ab > /dev/null || { echo "ab not found (Debian: apt-get install apache2-utils)" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
gateway="${SCIM_BASE_URL%/scim/v2}"
auth="Authorization: Bearer $SCIM_TOKEN"

# CPU ticks (1/100 s) of every process of the stack, by process, as JSON.
ticks() {
  python3 - <<'PY'
import json, os, re
groups = {}
for pid in filter(str.isdigit, os.listdir('/proc')):
    try:
        args = open(f'/proc/{pid}/cmdline', 'rb').read().replace(b'\0', b' ').decode(errors='replace')
        stat = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    except OSError:
        continue
    service = re.search(r'(scim-gateway|membership-service|group-sync-service|audit-service)/target/quarkus-app', args)
    name = service.group(1) if service else 'kafka' if 'kafka.Kafka' in args else \
        'postgresql' if args.startswith('postgres') or '/bin/postgres ' in args else None
    if name:
        groups[name] = groups.get(name, 0) + int(stat[11]) + int(stat[12])
print(json.dumps(groups))
PY
}

# measure LABEL URL [ab options]: a warm-up round, then the measured one.
measure() {
  local label=$1 url=$2; shift 2
  ab -q -k -c "$concurrency" -n "$((requests / 4))" "$@" "$url" > /dev/null 2>&1
  local before after
  before=$(ticks)
  /usr/bin/time -f "%U %S" -o "$work/time" ab -q -k -c "$concurrency" -n "$requests" "$@" "$url" > "$work/ab" 2>&1
  after=$(ticks)
  python3 - "$label" "$before" "$after" "$work/ab" "$work/time" >> "$work/rows" <<'PY'
import json, re, sys
label, before, after, ab, times = sys.argv[1:]
before, after, text = json.loads(before), json.loads(after), open(ab).read()
done = int(re.search(r'Complete requests:\s+(\d+)', text).group(1))
failed = int(re.search(r'Failed requests:\s+(\d+)', text).group(1))
non2xx = re.search(r'Non-2xx responses:\s+(\d+)', text)
if failed or non2xx:
    sys.exit(f'{label}: {failed} failed, {non2xx.group(1) if non2xx else 0} non-2xx answers - not measured')
user, system = map(float, open(times).read().split()[-2:])
per = {name: (after[name] - before.get(name, 0)) * 10.0 / done for name in after}
per['load generator'] = (user + system) * 1000 / done
rate = float(re.search(r'Requests per second:\s+([\d.]+)', text).group(1))
p99 = re.search(r'\s99%\s+(\d+)', text).group(1)
print(json.dumps({'label': label, 'rate': rate, 'p99': p99, 'per': per}))
PY
}

measure "GET /q/health/live (no token)" "$gateway/q/health/live"
measure "GET /ServiceProviderConfig (token checked, the gateway alone)" "$SCIM_BASE_URL/ServiceProviderConfig" -H "$auth"
measure "GET /Users?filter=userName eq (nobody found)" \
  "$SCIM_BASE_URL/Users?filter=userName%20eq%20%22nobody-$RANDOM%40request-costs.test%22" -H "$auth"
found="found-$RANDOM-$$@request-costs.test"
curl -sf -o /dev/null -X POST -H "$auth" -H "Content-Type: application/scim+json" "$SCIM_BASE_URL/Users" -d \
  "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"$found\",\"active\":true,\"name\":{\"givenName\":\"Request\",\"familyName\":\"Costs\"},\"emails\":[{\"value\":\"$found\",\"primary\":true}]}"
measure "GET /Users?filter=userName eq (one user found)" \
  "$SCIM_BASE_URL/Users?filter=userName%20eq%20%22${found/@/%40}%22" -H "$auth"

# The create: bench/load's sync (lookup, then POST, as Okta does), its CPU table read per process.
STACK_DATA_DIR="$data" "$root/bench/load/run" --users "$creates" --connections 20 --clients "$concurrency" \
  --phases sync > "$work/sync" 2>&1 || { cat "$work/sync" >&2; exit 1; }
python3 - "$work/sync" >> "$work/rows" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
rate = float(re.search(r'\*\*(\d+) durable creates/s\*\*', text).group(1))
p99 = re.search(r'^\| lookup \+ create \| \d+ \| [\d.]+ \| [\d.]+ \| ([\d.]+) \|', text, re.M).group(1)
per = {}
for name, key in [('scim-gateway', 'scim-gateway'), ('membership-service', 'membership-service'),
                  ('group-sync-service', 'group-sync-service'), ('audit-service', 'audit-service'),
                  ('kafka', 'kafka'), ('postgresql', 'postgresql'), ('load generator (this JVM)', 'load generator')]:
    row = re.search(r'^\| ' + re.escape(name) + r' \|[^|\n]*\|[^|\n]*\| ([\d.]+) \|', text, re.M)
    per[key] = float(row.group(1)) if row else 0.0
print(json.dumps({'label': 'GET /Users?filter=userName eq, then POST /Users (bench/load sync, creates/s)',
                  'rate': rate, 'p99': p99, 'per': per}))
PY

python3 - "$work/rows" "$requests" "$concurrency" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
names = ['scim-gateway', 'membership-service', 'group-sync-service', 'audit-service', 'kafka', 'postgresql',
         'load generator']
print(f"{sys.argv[2]} requests per kind (ab), {sys.argv[3]} concurrent keep-alive connections (the create: as many"
      " clients); CPU ms per request")
print('| request | per second | p99 ms | ' + ' | '.join(names) + ' | all | x the first |')
print('|---' * (len(names) + 5) + '|')
first = sum(rows[0]['per'].values())
for row in rows:
    total = sum(row['per'].values())
    print(f"| {row['label']} | {row['rate']:.0f} | {row['p99']} | "
          + ' | '.join(f"{row['per'].get(n, 0):.3f}" for n in names) + f" | {total:.3f} | {total / first:.1f} |")
PY
