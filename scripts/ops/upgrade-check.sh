#!/usr/bin/env bash
# The upgrade drill: the databases a landed release of Linli made (Tests/fixtures/upgrade/, see upgrade-fixture.sh)
# are migrated by this build's `linli migrate`, on SQLite and on PostgreSQL; then every row of every table they had
# must still be there with its values, the audit chain must verify, every encrypted value must decrypt, and the
# server must start on it and let the release's account sign in and list residents.
# Usage: scripts/ops/upgrade-check.sh POSTGRES_URL (any database of a local test cluster; one more is made).
set -euo pipefail
cd "$(dirname "$0")/../.."
url=${1:?usage: upgrade-check.sh POSTGRES_URL}
base=${url%/*}
bin=${LINLI_BIN:-.build/debug/linli}
fixture=Tests/fixtures/upgrade
db=linli_upgrade_drill
work=$(mktemp -d /tmp/linli-upgrade.XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null
    psql -X -q "$url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
export LOG_LEVEL=warning
command -v xz >/dev/null || { apt-get update -qq && apt-get install -y -qq xz-utils; }
echo "upgrading the databases of release $(cat $fixture/RELEASE) with this build"

# The server on the upgraded database: the release's account signs in, and the registry lists.
serves() {
    local port token total
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$bin" serve --port "$port" >"$work/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 150); do curl -fs "http://127.0.0.1:$port/livez" >/dev/null && break; sleep 0.2; done
    token=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
        -d '{"username":"upgrade","password":"Drill-Pass-Linli-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    total=$(curl -fs "http://127.0.0.1:$port/api/v1/residents?per_page=5" -H "Authorization: Bearer $token" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    [ "$total" -gt 0 ] || { echo "the upgraded database lists no residents for the release's account"; exit 1; }
    echo "$1: the server starts on it; the release's community worker signs in and lists $total residents"
}

# SQLite: the release's data folder (its database file and key) left in place, as an upgrade does, then migrated.
mkdir -p -m 700 "$work/sqlite"
# Kept as the file's SQL text (3.0 MB compressed, the file itself 4.6 MB), made into the file again here.
xz -dc "$fixture/linli-sqlite.sql.xz" | python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).executescript(sys.stdin.read())' "$work/sqlite/linli.sqlite"
cp "$fixture/sqlite-data.key" "$work/sqlite/data.key"; chmod 600 "$work/sqlite/data.key" "$work/sqlite/linli.sqlite"
export LINLI_DATA_DIR="$work/sqlite"
"$bin" migrate
python3 scripts/ops/upgrade_fingerprint.py sqlite "$work/sqlite/linli.sqlite" --check "$fixture/sqlite.json"
"$bin" audit verify
"$bin" keys verify
serves SQLite

# PostgreSQL: the release's plain dump into an empty database, then migrated.
mkdir -p "$work/pg"
psql -X -q "$url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
xz -dc "$fixture/linli-postgres.sql.xz" | psql -X -q -v ON_ERROR_STOP=1 "$base/$db" >/dev/null
cp "$fixture/postgres-data.key" "$work/pg/data.key"; chmod 600 "$work/pg/data.key"
export LINLI_DATA_DIR="$work/pg" DATABASE_URL="$base/$db"
"$bin" migrate
python3 scripts/ops/upgrade_fingerprint.py postgres "$base/$db" --check "$fixture/postgres.json"
"$bin" audit verify
"$bin" keys verify
serves PostgreSQL
echo "upgrade drill: release $(cut -c1-7 $fixture/RELEASE) → this build, on SQLite and PostgreSQL, nothing lost"
