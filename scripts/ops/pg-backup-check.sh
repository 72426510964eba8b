#!/usr/bin/env bash
# PostgreSQL backup and restore: `linli backup` (pg_dump, custom format) while the server serves,
# `linli restore` (pg_restore, one transaction) into an empty database, then the registry, the
# history and the audit chain must be identical, and a restore into a database with tables refused.
# Usage: scripts/ops/pg-backup-check.sh POSTGRES_URL (any database of a local test cluster; two more are made).
set -euo pipefail
cd "$(dirname "$0")/../.."
url=${1:?usage: pg-backup-check.sh POSTGRES_URL}
base=${url%/*}
bin=${LINLI_BIN:-.build/debug/linli}
dir=$(mktemp -d /tmp/linli-pgbk.XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null
    psql -q "$url" -c 'DROP DATABASE IF EXISTS linli_bk_src WITH (FORCE)' -c 'DROP DATABASE IF EXISTS linli_bk_dst WITH (FORCE)' || true
    rm -rf "$dir"
}
trap cleanup EXIT
psql -q "$url" -c 'DROP DATABASE IF EXISTS linli_bk_src WITH (FORCE)' -c 'DROP DATABASE IF EXISTS linli_bk_dst WITH (FORCE)' \
    -c 'CREATE DATABASE linli_bk_src' -c 'CREATE DATABASE linli_bk_dst'
src="$base/linli_bk_src" dst="$base/linli_bk_dst"
export LINLI_DATA_DIR="$dir" LOG_LEVEL=warning
DATABASE_URL="$src" "$bin" demo --load-only --residents 2000 --seed 4 >/dev/null
echo 'Pg-Backup-Pass-2026' | DATABASE_URL="$src" "$bin" user create --username pgbk --role community_worker \
    --scope 321271002001 --password-stdin >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATABASE_URL="$src" "$bin" serve --port "$port" >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/livez" >/dev/null && break; sleep 0.2; done
token=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d '{"username":"pgbk","password":"Pg-Backup-Pass-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
fingerprint() {
    psql -At "$1" -c "SELECT md5(string_agg(id::text || ':' || version || ':' || name || ':' || grid_code, ',' ORDER BY id)) FROM residents" \
        -c "SELECT md5(string_agg(id::text || ':' || kind || ':' || occurred_on, ',' ORDER BY id)) FROM resident_events" \
        -c "SELECT count(*) || ':' || md5(string_agg(seq || ':' || hash, ',' ORDER BY seq)) FROM audit_log"
}
before=$(fingerprint "$src")
# The server keeps answering while the dump is taken.
( for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/residents?per_page=20" -H "Authorization: Bearer $token" || exit 1; done ) &
reads=$!
DATABASE_URL="$src" "$bin" backup --out "$dir/linli.dump"
wait $reads || { echo "reads failed during the backup"; exit 1; }
kill "$server"; wait "$server" 2>/dev/null || true; server=""
DATABASE_URL="$dst" "$bin" restore "$dir/linli.dump"
after=$(fingerprint "$dst")
echo "source:   $(echo $before)"
echo "restored: $(echo $after)"
[ "$before" = "$after" ] || { echo "the restored database differs from the source"; exit 1; }
DATABASE_URL="$dst" "$bin" audit verify
[ "$(DATABASE_URL="$dst" "$bin" stats --json)" = "$(DATABASE_URL="$src" "$bin" stats --json)" ]
if DATABASE_URL="$src" "$bin" restore "$dir/linli.dump" 2>/dev/null; then echo "a restore over a database with tables was accepted"; exit 1; fi
echo "PostgreSQL backup → restore: registry, history and audit chain identical; restore over data refused"
