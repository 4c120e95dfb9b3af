#!/usr/bin/env bash
# Throughput and tail latency of `rounds serve` beside nginx serving a static file, in the same run on
# the same machine: the question page and /api/v1/questions from Rounds, the same page's HTML as a
# static file from nginx. Prints requests per second, p99 latency, and Rounds' ratio to nginx.
#
# Usage: Benchmarks/web.sh [path/to/rounds] [seconds per run]
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light). Build Rounds first with
# `swift build -c release --product rounds`.
set -euo pipefail
rounds="${1:-.build/release/rounds}"
seconds="${2:-10}"
question="ransomware-attack-hospital-response"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$nginx_bin" ] || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }
[ -x "$rounds" ] || { echo "no Rounds binary at $rounds; run: swift build -c release --product rounds" >&2; exit 1; }

work="$(mktemp -d)"
chmod 755 "$work"  # nginx workers run as another user and must read the page
rounds_port=18080
nginx_port=18081
cleanup() {
    [ -n "${rounds_pid:-}" ] && kill "$rounds_pid" 2>/dev/null || true
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Request logging off in both, so neither pays for writing a line per request.
LOG_LEVEL=warning "$rounds" serve --port "$rounds_port" --db "$work/bench.sqlite" >"$work/rounds.log" 2>&1 &
rounds_pid=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$rounds_port/api/openapi.yaml" >/dev/null 2>&1 && break
    sleep 0.2
done

mkdir -p "$work/www"
curl -sf "http://127.0.0.1:$rounds_port/questions/$question" >"$work/www/question.html"
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/www;
        location / { default_type text/html; }
    }
}
CONF
"$nginx_bin" -c "$work/nginx.conf" -p "$work"
sleep 0.5

# Prints "requests-per-second p99-milliseconds" for one wrk run.
measure() {
    local url="$1" connections="$2"
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url" >"$work/wrk.txt"
    local rps p99 errors
    rps="$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.txt")"
    p99="$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$work/wrk.txt")"
    errors="$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk.txt" | tr '\n' ' ')"
    [ -n "$errors" ] && echo "  note: $errors" >&2
    echo "$rps $p99"
}

echo "Rounds web benchmark: $(nproc) cores, ${seconds}s per run, wrk -t2, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "page size: $(wc -c <"$work/www/question.html") bytes"
printf '\n%-32s %6s %12s %10s %14s\n' "target" "conns" "req/s" "p99 ms" "vs nginx req/s"
for connections in 64 256; do
    read -r base_rps base_p99 < <(measure "http://127.0.0.1:$nginx_port/question.html" "$connections")
    printf '%-32s %6d %12.0f %10.2f %14s\n' "nginx static question.html" "$connections" "$base_rps" "$base_p99" "1.00×"
    for target in "/questions/$question" "/api/v1/questions"; do
        read -r rps p99 < <(measure "http://127.0.0.1:$rounds_port$target" "$connections")
        ratio="$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f×", a / b }')"
        printf '%-32s %6d %12.0f %10.2f %14s\n' "rounds $target" "$connections" "$rps" "$p99" "$ratio"
    done
done
