#!/usr/bin/env bash
# The registry's benchmarks, in one run on a release build (figures go to docs/performance.md):
#   1. demo district load of 161k residents (time, peak memory)
#   2. resident search p50/p99 by name, pinyin initials, full pinyin and ID number at 161k
#   3. GET /api/v1/residents/{id} under wrk next to the bare route /livez of the same server
#   4. the same search at 1,000,000 residents
#   5. requests: the supervision board and per-area counts with 1,000,000 requests (Benchmarks/requests.sh)
#   6. the web console's pages as three roles at 161k (Benchmarks/pages.py); `run.sh OUT pages` runs only this
#   7. the largest street's monthly assistance payment roll, generated and exported at 161k; `run.sh OUT payroll` runs only this
#   8. report-once: one form's automatic fields for every community at 161k and 1M; `run.sh OUT measures` runs only this
# Usage: Benchmarks/run.sh [OUT_DIR] (default bench-out/). Needs wrk (apt-get install wrk). LINLI_BENCH_SCRATCH=DIR builds there.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-out}
only=${2:-all}
mkdir -p "$out"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
# LINLI_BENCH_SCRATCH: a build folder of its own (so a release build does not wait on, or stop, a debug one).
scratch=${LINLI_BENCH_SCRATCH:-$PWD/.build}
swift build -c release --product linli --scratch-path "$scratch"
bin=$scratch/release/linli
export LOG_LEVEL=warning
port=8123

load() { # load N DIR
    rm -rf "$2"
    /usr/bin/time -f "peak memory %M KB, wall %e s" env LINLI_DATA_DIR="$2" "$bin" demo --load-only --residents "$1" 2>&1 \
        | grep -E "演示区已载入|peak memory"
}

serve() { # serve DIR [ENV...]: starts the server in the background, sets $server
    env LINLI_DATA_DIR="$1" "${@:2}" "$bin" serve --port $port >"$out/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/livez" >/dev/null && break; sleep 0.2; done
}
token() { # token USER PASSWORD [TOTP]
    curl -fs -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$2\",\"totp\":\"${3:-}\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
trap '[ -n "${server:-}" ] && kill $server 2>/dev/null || true' EXIT

mixed() {
    echo "== 5. mixed load at 161,000: 50 % profile by id, 20 % search by initials, 15 % list pages, 5 % request queue, 5 % edits, 5 % requests reported (wrk -t2 -c64 -d30s)"
    [ -f "$out/d161k/linli.sqlite" ] || load 161000 "$out/d161k"
    [ -f "$out/ids.txt" ] || LINLI_DATA_DIR="$out/d161k" "$bin" bench ids --out "$out/ids.txt" --queries 20000
    local password="Bench-$(date +%s)-Pass!" secret
    secret=$(echo "$password" | LINLI_DATA_DIR="$out/d161k" "$bin" user create --username mixedr$$ --role district_officer \
        --scope 321271000000 --password-stdin | sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p')
    echo "$password" | LINLI_DATA_DIR="$out/d161k" "$bin" user create --username mixedw$$ --role community_worker \
        --scope 321271002001 --password-stdin >/dev/null
    serve "$out/d161k"
    export LINLI_BENCH_TOKEN=$(token mixedr$$ "$password" "$(python3 Benchmarks/totp.py "$secret")")
    export LINLI_BENCH_WRITER_TOKEN=$(token mixedw$$ "$password")
    export LINLI_BENCH_BUILDING=$(curl -fs "http://127.0.0.1:$port/api/v1/buildings?per_page=1" -H "Authorization: Bearer $LINLI_BENCH_WRITER_TOKEN" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
    # The writer's community: every resident with the version to edit it with.
    writable() {
        : >"$out/writes.txt"
        for page in $(seq 1 40); do
            curl -fs "http://127.0.0.1:$port/api/v1/residents?per_page=100&page=$page" -H "Authorization: Bearer $LINLI_BENCH_WRITER_TOKEN" \
                | python3 -c 'import json,sys; [print(r["id"], r["version"]) for r in json.load(sys.stdin)["items"]]' >>"$out/writes.txt"
        done
    }
    writable
    echo "$(wc -l <"$out/writes.txt") residents to edit"
    wrk -t2 -c64 -d10s -s Benchmarks/mixed.lua "http://127.0.0.1:$port" -- "$out/ids.txt" "$out/writes.txt" 2 >/dev/null   # warm-up
    writable   # the warm-up's edits moved the versions on
    metrics_before=$(curl -fs "http://127.0.0.1:$port/metrics" | grep -E '^linli_http_request(s_total|_duration_seconds_(sum|count))' || true)
    wrk -t2 -c64 -d30s --latency -s Benchmarks/mixed.lua "http://127.0.0.1:$port" -- "$out/ids.txt" "$out/writes.txt" 2
    echo "-- requests by route and status during the run, and the server's mean time per route (from /metrics)"
    curl -fs "http://127.0.0.1:$port/metrics" | grep -E '^linli_http_request(s_total|_duration_seconds_(sum|count))' | python3 -c '
import sys
before = {l.rsplit(" ", 1)[0]: float(l.rsplit(" ", 1)[1]) for l in sys.argv[1].splitlines() if l}
delta = {}
for line in sys.stdin:
    key, n = line.rsplit(" ", 1)
    d = float(n) - before.get(key, 0)
    if d: delta[key] = d
for key, d in delta.items():
    if key.startswith("linli_http_requests_total"): print(f"{key} {d:.0f}")
for key, d in delta.items():
    if key.startswith("linli_http_request_duration_seconds_sum"):
        labels = key[key.index("{"):]
        n = delta.get("linli_http_request_duration_seconds_count" + labels, 0)
        if n: print(f"mean time {labels}: {d / n * 1000:.1f} ms over {n:.0f}")' "$metrics_before"
    kill $server; wait $server 2>/dev/null || true
    LINLI_DATA_DIR="$out/d161k" "$bin" audit verify
}
pages() {
    echo "== 6. the web console's pages at 161,000 residents, as a community worker, a street officer and a district officer (p50/p99 of 50 GETs each)"
    [ -f "$out/d161k/linli.sqlite" ] || load 161000 "$out/d161k"
    local password="Bench-$(date +%s)-Pass!" street district
    echo "$password" | LINLI_DATA_DIR="$out/d161k" "$bin" user create --username pagesw$$ --role community_worker \
        --scope 321271002001 --password-stdin >/dev/null
    street=$(echo "$password" | LINLI_DATA_DIR="$out/d161k" "$bin" user create --username pagess$$ --role street_officer \
        --scope 321271002000 --password-stdin | sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p')
    district=$(echo "$password" | LINLI_DATA_DIR="$out/d161k" "$bin" user create --username pagesd$$ --role district_officer \
        --scope 321271000000 --password-stdin | sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p')
    serve "$out/d161k"
    python3 Benchmarks/pages.py "http://127.0.0.1:$port" 50 "worker=$(token pagesw$$ "$password")" \
        "street=$(token pagess$$ "$password" "$(python3 Benchmarks/totp.py "$street")")" \
        "district=$(token pagesd$$ "$password" "$(python3 Benchmarks/totp.py "$district")")"
    kill $server; wait $server 2>/dev/null || true; server=
}

payroll() {
    echo "== 7. the largest street's monthly assistance payment roll at 161,000: generated and exported for the bank (10 runs)"
    [ -f "$out/d161k/linli.sqlite" ] || load 161000 "$out/d161k"
    LINLI_DATA_DIR="$out/d161k" "$bin" bench payroll --queries 10
}

measures() {
    echo "== 8. report-once: the elderly survey's 12 automatic fields for every community at 161,000 and 1,000,000 (30 and 10 runs)"
    [ -f "$out/d161k/linli.sqlite" ] || load 161000 "$out/d161k"
    LINLI_DATA_DIR="$out/d161k" "$bin" bench measures --queries 30
    [ -f "$out/d1m/linli.sqlite" ] || load 1000000 "$out/d1m"
    LINLI_DATA_DIR="$out/d1m" "$bin" bench measures --queries 10
}

if [ "$only" = mixed ]; then mixed; exit 0; fi
if [ "$only" = measures ]; then measures; exit 0; fi
if [ "$only" = payroll ]; then payroll; exit 0; fi
if [ "$only" = pages ]; then pages; exit 0; fi

echo "== 1. demo load, 161,000 residents (3 runs)"
for i in 1 2 3; do load 161000 "$out/d161k"; done

echo "== 2. search at 161,000"
LINLI_DATA_DIR="$out/d161k" "$bin" bench search --queries 2000

echo "== 3. HTTP: by-id read next to the bare route (wrk -t2 -c64 -d15s)"
LINLI_DATA_DIR="$out/d161k" "$bin" bench ids --out "$out/ids.txt" --queries 20000
# A district officer (sees the whole district; signs in with a one-time code).
password="Bench-$(date +%s)-Pass!"
secret=$(echo "$password" | LINLI_DATA_DIR="$out/d161k" "$bin" user create --username bench$$ --role district_officer \
    --scope 321271000000 --password-stdin | sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p')
LINLI_DATA_DIR="$out/d161k" "$bin" serve --port $port >"$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/livez" >/dev/null && break; sleep 0.2; done
token=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench$$\",\"password\":\"$password\",\"totp\":\"$(python3 Benchmarks/totp.py "$secret")\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
export LINLI_BENCH_TOKEN=$token
wrk -t2 -c64 -d5s "http://127.0.0.1:$port/livez" >/dev/null   # warm-up
echo "-- bare route /livez (plain wrk)"
wrk -t2 -c64 -d15s --latency "http://127.0.0.1:$port/livez"
echo "-- bare route /livez, requests built by the same Lua client as the by-id run"
wrk -t2 -c64 -d15s --latency -s Benchmarks/bare.lua "http://127.0.0.1:$port"
wrk -t2 -c64 -d10s -s Benchmarks/by-id.lua "http://127.0.0.1:$port" -- "$out/ids.txt" >/dev/null   # warm-up (fills the read cache)
echo "-- GET /api/v1/residents/{id} (read cache warm)"
wrk -t2 -c64 -d15s --latency -s Benchmarks/by-id.lua "http://127.0.0.1:$port" -- "$out/ids.txt"
kill $server; wait $server 2>/dev/null || true
echo "-- GET /api/v1/residents/{id} with the read cache off (every read goes to SQLite)"
LINLI_READ_CACHE_SECONDS=0 LINLI_DATA_DIR="$out/d161k" "$bin" serve --port $port >"$out/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/livez" >/dev/null && break; sleep 0.2; done
sleep 31   # the next one-time code: a code is accepted once
export LINLI_BENCH_TOKEN=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench$$\",\"password\":\"$password\",\"totp\":\"$(python3 Benchmarks/totp.py "$secret")\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
wrk -t2 -c64 -d5s -s Benchmarks/by-id.lua "http://127.0.0.1:$port" -- "$out/ids.txt" >/dev/null
wrk -t2 -c64 -d15s --latency -s Benchmarks/by-id.lua "http://127.0.0.1:$port" -- "$out/ids.txt"
kill $server; wait $server 2>/dev/null || true

mixed
pages
payroll
measures

echo "== 4. search at 1,000,000"
load 1000000 "$out/d1m"
LINLI_DATA_DIR="$out/d1m" "$bin" bench search --queries 2000

echo "== 5. requests at 1,000,000"
Benchmarks/requests.sh "$out"
