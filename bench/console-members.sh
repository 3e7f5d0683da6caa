#!/usr/bin/env bash
# How the console pages through a large organization: seeds N members (default 100,000) into a new
# organization of the running local stack, then times, side by side in one run, the admin API and the
# console page for the first page, a page in the middle, the last page, a name search and a role filter.
# Usage: deploy/local/stack (in another terminal), then bench/console-members.sh [members] [runs]
# Needs psql and curl. Seeding writes straight to the database with triggers off (no events for 100k
# synthetic members); the organization is named console-bench-<random> so it never mixes with real ones.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
members="${1:-100000}"
runs="${2:-20}"
set -a; . "$root/.stack/stack.env"; set +a
base="${ADMIN_BASE_URL%/admin/v1}"
pg_port="${STACK_POSTGRES_PORT:-15432}"
org="console-bench-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
psql_membership() { PGPASSWORD=postgres psql -q -h localhost -p "$pg_port" -U postgres -d membership -v ON_ERROR_STOP=1 "$@"; }

curl -sf -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\":\"$org\"}" "$ADMIN_BASE_URL/organizations" > /dev/null
echo "seeding $members members into $org ..."
psql_membership <<SQL
set session_replication_role = replica;
insert into account (id, connection_id, user_name, active, attributes, version, created_at, updated_at, source)
select md5('$org' || i)::uuid, null, 'user' || i || '@$org.test', true,
       jsonb_build_object('name', jsonb_build_object('givenName', 'Given' || i, 'familyName', 'Family' || i)),
       1, now() - (i || ' seconds')::interval, now(), 'manual'
from generate_series(1, $members) i;
insert into member (account_id, organization_id, role, state, source, created_at)
select md5('$org' || i)::uuid, (select id from organization where name = '$org'),
       case when i % 50 = 0 then 'owner' when i % 7 = 0 then 'editor' else 'member' end,
       case when i % 20 = 0 then 'deactivated' else 'active' end, 'manual', now() - (i || ' seconds')::interval
from generate_series(1, $members) i;
analyze account; analyze member;
SQL

# A console session, signed in the way a browser does.
jar="$(mktemp)"; trap 'rm -f "$jar"' EXIT
form="$(curl -s -c "$jar" -b "$jar" "$base/console/sign-in" | grep -o 'name="form" value="[^"]*"' | sed 's/.*value="//;s/"$//')"
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "form=$form" --data-urlencode "token=$ADMIN_TOKEN" "$base/console/sign-in"

last_page=$(( (members + 49) / 50 ))
middle_page=$(( last_page / 2 ))
# Median and worst of $runs timed requests (seconds -> ms).
timed() {
  local url="$1"; shift
  for _ in $(seq "$runs"); do curl -s -o /dev/null -w '%{time_total}\n' "$@" "$url"; done | sort -n |
    awk '{ t[NR] = $1 * 1000 } END { printf "%.1f %.1f", t[int((NR + 1) / 2)], t[NR] }'
}
printf '%-28s %18s %18s %8s\n' "members: $members" "admin API p50/max" "console p50/max" "ratio"
row() {
  local label="$1" api="$2" page="$3" a c
  a="$(timed "$ADMIN_BASE_URL/$api" -H "Authorization: Bearer $ADMIN_TOKEN")"
  c="$(timed "$base/console/$page" -b "$jar")"
  printf '%-28s %18s %18s %8s\n' "$label" "$a ms" "$c ms" \
    "$(awk -v a="${a%% *}" -v c="${c%% *}" 'BEGIN { printf "%.2f", c / a }')"
}
row "first page" "organizations/$org/members?count=50" "organizations/$org/members"
row "middle page ($middle_page)" "organizations/$org/members?count=50&startIndex=$(( (middle_page - 1) * 50 + 1 ))" \
  "organizations/$org/members?page=$middle_page"
row "last page ($last_page)" "organizations/$org/members?count=50&startIndex=$(( (last_page - 1) * 50 + 1 ))" \
  "organizations/$org/members?page=$last_page"
row "search 'family4242'" "organizations/$org/members?count=50&q=family4242" "organizations/$org/members?q=family4242"
row "role=owner" "organizations/$org/members?count=50&role=owner" "organizations/$org/members?role=owner"
