#!/usr/bin/env python3
"""Group benchmark: big membership PATCHes and member-free group reads, each beside a baseline measured in
the same run, against a running local stack (deploy/local/stack start).

  A. PATCH adding N members (default 10,000) to a group in one request, end to end (gateway -> Kafka ->
     group-sync-service -> PostgreSQL -> outcome -> answer), beside a PATCH adding one member.
     The first big PATCH of a run also meets users group-sync has not seen yet (it asks membership-service).
  B. GET /Groups?excludedAttributes=members with ten groups of M members (default 20,000), beside
     GET /Users?count=10, interleaved request by request.

Users are seeded straight into membership-service's database (creating 20,000 users through SCIM would
take minutes and measure something else). Needs: the stack's embedded PostgreSQL on STACK_POSTGRES_PORT
(default 15432) and psql.
  Usage: bench/groups.py [--members 10000] [--group-size 20000] [--groups 10] [--runs 5] [--reads 300]
                         [--warmup 100]
"""
import argparse
import json
import os
import statistics
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


def stack_env():
    data = Path(os.environ.get("STACK_DATA_DIR", ROOT / ".stack"))
    env = {}
    for line in (data / "stack.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key.strip()] = value.strip().strip('"')
    return env


def call(method, url, token, body=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/scim+json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        payload = answer.read()
        elapsed = time.perf_counter() - started
        return answer.status, (json.loads(payload) if payload else None), elapsed


def psql(sql):
    port = os.environ.get("STACK_POSTGRES_PORT", "15432")
    return subprocess.run(["psql", "-qAt", "-h", "localhost", "-p", port, "-U", "postgres", "-d", "membership",
                           "-c", sql], check=True, capture_output=True, text=True,
                          env={**os.environ, "PGPASSWORD": "postgres"}).stdout.split()


def add_members_body(ids):
    return json.dumps({"schemas": [PATCH_OP], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": i} for i in ids]}]}).encode()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--group-size", type=int, default=20000)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()
    env = stack_env()
    scim, admin, admin_token = env["SCIM_BASE_URL"], env["ADMIN_BASE_URL"], env["ADMIN_TOKEN"]

    org = "bench-" + uuid.uuid4().hex[:8]
    call("POST", admin + "/organizations", admin_token, {"name": org})
    _, connection, _ = call("POST", admin + "/connections", admin_token, {
        "name": org + "-sso", "organizations": [org], "defaultOrganization": org, "scimEnabled": True})
    _, issued, _ = call("POST", admin + "/connections/" + org + "-sso/scim-tokens", admin_token)
    token = issued["token"]
    users = max(args.members, args.group_size)
    psql("insert into account (id, connection_id, user_name, active, source, attributes, version, created_at, "
         "updated_at) select gen_random_uuid(), '%s', 'bench' || n || '@%s.test', true, 'scim', '{}', 1, now(), now() "
         "from generate_series(1, %d) n" % (connection["id"], org, users))
    ids = psql("select id from account where connection_id = '%s' order by user_name" % connection["id"])
    print("tenant %s: %d users seeded" % (org, len(ids)))

    def new_group(name):
        _, group, _ = call("POST", scim + "/Groups", token, {"schemas": [CORE_GROUP], "displayName": name})
        return group["id"]

    # A: big PATCH beside a one-member PATCH, alternating, each on a fresh group.
    big, small = [], []
    body = add_members_body(ids[:args.members])
    one = add_members_body(ids[:1])
    for run in range(args.runs + 1):
        status, _, seconds = call("PATCH", scim + "/Groups/" + new_group("%s:big-%d" % (org, run)), token, body)
        assert status == 204, status
        if run == 0:
            print("first %d-member PATCH (users new to group-sync): %.3f s" % (args.members, seconds))
            continue
        big.append(seconds)
        status, _, seconds = call("PATCH", scim + "/Groups/" + new_group("%s:one-%d" % (org, run)), token, one)
        assert status == 204, status
        small.append(seconds)
    print("\nA. PATCH adding members, %d runs each" % args.runs)
    print("%-22s %9s %9s %9s" % ("request", "min s", "median s", "max s"))
    print("%-22s %9.3f %9.3f %9.3f" % ("%d members" % args.members, min(big), statistics.median(big), max(big)))
    print("%-22s %9.3f %9.3f %9.3f" % ("1 member", min(small), statistics.median(small), max(small)))
    print("ratio (median): %.1fx; target: %d members <= 2 s -> %s" % (
        statistics.median(big) / statistics.median(small), args.members,
        "met" if max(big) <= 2.0 else "NOT met"))

    # B: list groups without members, beside a page of users.
    big_body = add_members_body(ids[:args.group_size])
    for n in range(args.groups):
        status, _, _ = call("PATCH", scim + "/Groups/" + new_group("%s:large-%d" % (org, n)), token, big_body)
        assert status == 204, status
    _, page, _ = call("GET", scim + "/Groups?excludedAttributes=members&count=100", token)
    assert page["totalResults"] == 2 * args.runs + 1 + args.groups, page["totalResults"]
    assert all("members" not in g for g in page["Resources"])
    groups_url = scim + "/Groups?excludedAttributes=members&filter=" + urllib.request.quote(
        'displayName sw "%s:large-"' % org)
    users_url = scim + "/Users?count=10"
    # Unmeasured warm-up: the p99 is of a warmed-up service, not of its JIT compiler.
    for _ in range(args.warmup):
        call("GET", groups_url, token)
        call("GET", users_url, token)
    groups_times, users_times = [], []
    for _ in range(args.reads):
        groups_times.append(call("GET", groups_url, token)[2])
        users_times.append(call("GET", users_url, token)[2])
    print("\nB. %d reads each, interleaved; %d groups of %d members" % (args.reads, args.groups, args.group_size))
    print("%-44s %8s %8s %8s" % ("request", "p50 ms", "p99 ms", "max ms"))
    for name, times in (("GET /Groups?excludedAttributes=members", groups_times), ("GET /Users?count=10", users_times)):
        print("%-44s %8.1f %8.1f %8.1f" % (name, 1000 * percentile(times, 50), 1000 * percentile(times, 99),
                                          1000 * max(times)))
    p99 = percentile(groups_times, 99)
    print("ratio (p99 groups / p99 users): %.2f; target p99 <= 50 ms -> %s" % (
        p99 / percentile(users_times, 99), "met" if p99 <= 0.050 else "NOT met"))


if __name__ == "__main__":
    main()
