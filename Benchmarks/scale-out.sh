#!/usr/bin/env bash
# Rounds for a cohort: `rounds serve --accounts` instances behind nginx (round robin) on one PostgreSQL
# server, under a scripted workload of virtual learners (Benchmarks/loadgen.py), all on loopback.
#
#   1. sign up LEARNERS learners (bcrypt at cost 12: the slow part of the setting-up);
#   2. capacity: SATURATION learners with no think time for SATURATION_SECONDS, through one instance
#      and then three: the most the machine serves, and the ratio of three instances to one;
#   3. the cohort: all LEARNERS learners, with think time, for DURATION seconds through one instance,
#   4. then through three: the same learners in the same run;
#   5. then three again with faults: SIGKILL one instance a third of the way in, restart PostgreSQL
#      two thirds of the way in, with no instance restarted;
#   6. every answer and hand-in the server confirmed during the runs is looked for in its learner's
#      export.
#
# Prints per-route p50/p99, throughput, errors by status, resident memory of each instance at the
# start and end of each run, the fault windows, and the check; the whole report is also written as
# JSON to OUT (default scale-out.json in the work folder, whose path is printed).
#
# Usage: Benchmarks/scale-out.sh [path/to/rounds]
#   LEARNERS (1000), DURATION (300 seconds per run), THINK_MIN/THINK_MAX (10 and 30 seconds between a
#   learner's steps: reading a page, typing an answer), SATURATION (100), SATURATION_SECONDS (60), OUT. Needs nginx and PostgreSQL's server binaries (Debian: apt-get install
#   nginx-light postgresql), python3, curl; run as root (PostgreSQL then runs as the postgres user) or
#   as a user who may run initdb. Build first: swift build -c release --product rounds
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="$(realpath "${1:-.build/release/rounds}")"
learners="${LEARNERS:-1000}"
duration="${DURATION:-300}"
think_min="${THINK_MIN:-10}"
think_max="${THINK_MAX:-30}"
saturation="${SATURATION:-100}"
saturation_seconds="${SATURATION_SECONDS:-60}"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
[ -x "$rounds" ] || { echo "no Rounds binary at $rounds: swift build -c release --product rounds" >&2; exit 1; }
[ -x "$nginx_bin" ] || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }
[ -n "$pgbin" ] || { echo "PostgreSQL's server is missing: apt-get install postgresql" >&2; exit 1; }

work="$(mktemp -d /tmp/rounds-scale.XXXXXX)"
chmod 755 "$work"
out="${OUT:-$work/scale-out.json}"
pg_port=55440
proxy_port=18180
ports=(18181 18182 18183)
declare -A pids
ulimit -n 65536 2>/dev/null || ulimit -n 16384 2>/dev/null || true

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 2
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    as_pg "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
log() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }

log "PostgreSQL on port $pg_port, data in $work/pg"
mkdir -p "$work/pg" && { [ "$(id -u)" != 0 ] || chown postgres "$work/pg"; }
as_pg "$pgbin/initdb" -D "$work/pg" -A trust -U rounds >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/pg" -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200" \
    -l "$work/pg/server.log" -w start >/dev/null
psql -h 127.0.0.1 -p "$pg_port" -U rounds -d postgres -qc "CREATE DATABASE rounds"
db="postgres://rounds@127.0.0.1:$pg_port/rounds?sslmode=disable"
"$rounds" db migrate --db "$db" >/dev/null

log "The SQL labs' databases, built once and shared by the instances"
ROUNDS_EHR_DIR="$work/ehr" "$rounds" ehr prepare >/dev/null

start_instance() {
    local n="$1"
    # nginx is a trusted proxy: the learner's address comes from X-Forwarded-For (each virtual
    # learner sends one of its own, as if the cohort were on many machines).
    HTTP_TRUSTED_PROXIES=127.0.0.1 LOG_LEVEL=warning EHR_PATH="$work/ehr" \
        ROUNDS_EHR_DIR="$work/ehr" "$rounds" serve --accounts --port "${ports[$n]}" --db "$db" \
        >>"$work/instance$n.log" 2>&1 &
    pids[$n]=$!
    for _ in $(seq 1 150); do
        curl -sf "http://127.0.0.1:${ports[$n]}/readyz" >/dev/null 2>&1 && return
        sleep 0.2
    done
    echo "instance $n did not become ready; see $work/instance$n.log" >&2
    exit 1
}

proxy_to() {
    local servers=""
    for n in "$@"; do servers+="        server 127.0.0.1:${ports[$n]} max_fails=1 fail_timeout=5s;"$'\n'; done
    cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $work/nginx-body;
    proxy_temp_path $work/nginx-proxy;
    upstream rounds {
$servers        keepalive 64;
    }
    server {
        listen 127.0.0.1:$proxy_port;
        location / {
            proxy_pass http://rounds;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_next_upstream error timeout;
            proxy_read_timeout 120s;
        }
    }
}
CONF
    if [ -f "$work/nginx.pid" ] && kill -0 "$(cat "$work/nginx.pid")" 2>/dev/null; then
        "$nginx_bin" -p "$work" -c "$work/nginx.conf" -s reload
        sleep 1
    else
        "$nginx_bin" -p "$work" -c "$work/nginx.conf"
        sleep 0.5
    fi
}

rss() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' ' || echo 0; }
memory() {
    local list=""
    for n in "$@"; do list+="\"instance$((n + 1))\": $(rss "${pids[$n]}"),"; done
    echo "{${list%,}}"
}
url="http://127.0.0.1:$proxy_port"
loadgen() { python3 Benchmarks/loadgen.py "$@"; }

log "Three instances on ports ${ports[*]}, nginx on $proxy_port"
for n in 0 1 2; do start_instance "$n"; done
proxy_to 0 1 2

log "Signing up $learners learners"
loadgen signup --url "$url" --learners "$learners" --state "$work/learners.json" | tee "$work/signup.json"

# run NAME LEARNERS SECONDS THINK_MIN THINK_MAX INSTANCE...
run() {
    local name="$1" count="$2" seconds="$3" tmin="$4" tmax="$5"
    shift 5
    local before after
    before="$(memory "$@")"
    loadgen run --url "$url" --state "$work/learners.json" --limit "$count" --seconds "$seconds" --think-min "$tmin" \
        --think-max "$tmax" --out "$work/$name.json" --events "$work/$name-events.json" >/dev/null
    after="$(memory "$@")"
    echo "{\"before\": $before, \"after\": $after}" >"$work/$name-memory.json"
}

log "Capacity, one instance: $saturation learners with no think time for $saturation_seconds s"
proxy_to 0
run saturation-one "$saturation" "$saturation_seconds" 0 0 0
log "Capacity, three instances"
proxy_to 0 1 2
run saturation-three "$saturation" "$saturation_seconds" 0 0 0 1 2

log "One instance: $learners learners for $duration s"
proxy_to 0
run one "$learners" "$duration" "$think_min" "$think_max" 0

log "Three instances: the same learners for $duration s"
proxy_to 0 1 2
run three "$learners" "$duration" "$think_min" "$think_max" 0 1 2

log "Three instances with faults: SIGKILL instance 2 at $((duration / 3)) s, PostgreSQL restarted at $((2 * duration / 3)) s"
(
    sleep $((duration / 3))
    date +%s.%N >"$work/killed-at"
    kill -9 "${pids[1]}"
    sleep $((duration / 3))
    date +%s.%N >"$work/pg-restart-at"
    as_pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w restart \
        -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null
    date +%s.%N >"$work/pg-back-at"
) &
faults=$!
date +%s.%N >"$work/faults-started-at"
run faults "$learners" "$duration" "$think_min" "$think_max" 0 1 2
wait "$faults"

log "Every confirmed answer and hand-in, in its learner's export"
loadgen verify --url "$url" --state "$work/learners.json" \
    --committed "$work"/saturation-one.json "$work"/saturation-three.json "$work/one.json" "$work/three.json" \
    "$work/faults.json" | tee "$work/verify.json" || true

python3 - "$work" "$out" "$learners" "$duration" "$think_min" "$think_max" <<'PY'
import json, sys
work, out, learners, duration, tmin, tmax = sys.argv[1:]
def load(name):
    with open(f"{work}/{name}") as f:
        return json.load(f)
def stamp(name):
    with open(f"{work}/{name}") as f:
        return float(f.read())
report = {"learners": int(learners), "seconds_per_run": float(duration), "think_seconds": [float(tmin), float(tmax)],
          "signup": load("signup.json"), "verify": load("verify.json")}
runs = ("saturation-one", "saturation-three", "one", "three", "faults")
for run in runs:
    report[run] = load(f"{run}.json")["summary"]
    report[run]["memory_kb"] = load(f"{run}-memory.json")
start = stamp("faults-started-at")
kill, restart, back = stamp("killed-at") - start, stamp("pg-restart-at") - start, stamp("pg-back-at") - start
# Events carry the wall-clock time each request ended; make them relative to the same start.
events = [[e[0] - start] + e[1:] for e in load("faults-events.json")]
def failures(a, b):
    window = [e for e in events if a <= e[0] < b]
    bad = [e for e in window if e[2] not in (200, 303)]
    kinds = {}
    for e in bad:
        key = f"{e[2]} {e[3]}" if e[2] and e[3] else str(e[2]) if e[2] else e[3]
        kinds[key] = kinds.get(key, 0) + 1
    return {"requests": len(window), "failed": len(bad), "by_status": kinds,
            "last_failure_s": round(max((e[0] for e in bad), default=a) - a, 1)}
report["fault_windows"] = {
    "killed_at_s": round(kill, 1), "postgres_restarted_at_s": round(restart, 1),
    "postgres_back_after_s": round(back - restart, 1),
    "before_kill": failures(0, kill), "after_kill": failures(kill, restart),
    "after_postgres_restart": failures(restart, 1e9)}
def ratio(a, b):
    return round(report[b]["throughput_rps"] / report[a]["throughput_rps"], 2) if report[a]["throughput_rps"] else None
report["ratio_three_to_one"] = {"capacity": ratio("saturation-one", "saturation-three"),
                                "cohort": ratio("one", "three")}
with open(out, "w") as f:
    json.dump(report, f, indent=2)
print(f"\nLearners {learners}, {duration} s per run, think time {tmin}-{tmax} s; report: {out}")
print(f"Sign-up: {report['signup']}")
for run in runs:
    r = report[run]
    print(f"\n{run}: {r['throughput_rps']} requests/s, {r['requests']} requests, {r['errors']} errors, "
          f"{r['committed']} answers and hand-ins confirmed; resident memory (kB) {r['memory_kb']}")
    print(f"  {'route':<14}{'requests':>10}{'errors':>8}{'p50 ms':>10}{'p99 ms':>10}  statuses")
    for route, v in r["routes"].items():
        print(f"  {route:<14}{v['requests']:>10}{v['errors']:>8}{v['p50_ms']:>10}{v['p99_ms']:>10}  {v['statuses']}")
print(f"\nThree instances to one, throughput: {report['ratio_three_to_one']}")
print(f"Faults: {json.dumps(report['fault_windows'])}")
print(f"Check: {report['verify']}")
PY
