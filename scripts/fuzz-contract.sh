#!/usr/bin/env bash
# Fuzzes a running server against its own OpenAPI contract with schemathesis (PyPI), signed in as
# several roles in turn: no server errors, status codes, content types, headers and response bodies
# as the contract says. Usage: [FUZZ_ROLES="street dept"] scripts/fuzz-contract.sh [EXAMPLES_PER_OPERATION] (default 15).
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-15}
bin=${LINLI_BIN:-.build/debug/linli}
command -v st >/dev/null || pip install -q schemathesis
dir=$(mktemp -d /tmp/linli-fuzz.XXXXXX)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$dir"' EXIT
export LINLI_DATA_DIR="$dir" LOG_LEVEL=warning
"$bin" demo --load-only --residents 2000 --seed 3 >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

# Known passwords for the demo accounts; officers and administrators also get a fresh TOTP secret.
declare -A secrets
for user in ${FUZZ_ROLES:-worker grid street district dept secadmin auditor}; do
    out=$(echo "Fuzz-Run-Pass-2026" | "$bin" user reset-password --username "$user" --password-stdin)
    secrets[$user]=$(echo "$out" | sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p')
done
"$bin" serve --port "$port" >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "$base/livez" >/dev/null && break; sleep 0.2; done

status=0
for user in ${FUZZ_ROLES:-worker grid street district dept secadmin auditor}; do
    totp=""
    [ -n "${secrets[$user]}" ] && totp=$(python3 Benchmarks/totp.py "${secrets[$user]}")
    token=$(curl -fs -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$user\",\"password\":\"Fuzz-Run-Pass-2026\",\"totp\":\"$totp\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    echo "== schemathesis as $user"
    # Signing out or changing passwords would end the run's own sessions; they have their own tests.
    st run "$base/api/openapi.yaml" -H "Authorization: Bearer $token" --max-examples "$examples" --workers 1 \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,unsupported_method \
        --exclude-path-regex '^/api/v1/(auth/(logout|password|token)|accounts/\{id\}(/password)?)$' \
        --generation-deterministic || status=1
done
grep -i '"level":"error"\|\[ ERROR \]' "$dir/serve.log" && status=1
exit $status
