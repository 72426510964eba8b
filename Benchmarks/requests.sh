#!/usr/bin/env bash
# Requests at scale, on a release build: the demo district (161k residents) with 1,000,000 historical
# requests over three years, then the supervision board, per-area counts and the open queue for the
# district, a street and a community (p50/p99 of 500 runs each, after a warm-up).
# Usage: Benchmarks/requests.sh [OUT_DIR] (default bench-out/). Figures go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-out}
mkdir -p "$out"
[ -x .build/release/linli ] || swift build -c release --product linli
bin=$PWD/.build/release/linli
export LOG_LEVEL=warning
rm -rf "$out/r1m"
echo "== requests: load 161,000 residents and 1,000,000 requests"
/usr/bin/time -f "peak memory %M KB, wall %e s" env LINLI_DATA_DIR="$out/r1m" "$bin" demo --load-only --residents 161000 \
    --requests 1000000 2>&1 | grep -E "载入|peak memory" | grep -v "░"
echo "== requests: supervision board, per-area counts, open queue"
LINLI_DATA_DIR="$out/r1m" "$bin" bench requests --queries 500
