#!/usr/bin/env bash
# Makes the upgrade drill's fixture: the databases of a landed release of Linli, for `upgrade-check.sh` to migrate
# with today's code. Run it with the release's own binary, built from its commit, when a release lands:
#   git worktree add /tmp/linli-release <commit> && (cd /tmp/linli-release && swift build --product linli)
#   scripts/ops/upgrade-fixture.sh /tmp/linli-release/.build/debug/linli <commit> POSTGRES_URL
# Writes Tests/fixtures/upgrade/: the SQLite file (as `linli backup` writes it, as SQL text) and a plain pg_dump, each
# compressed with xz,
# the data key of each, a fingerprint of every table (upgrade_fingerprint.py) and the release's commit.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:?usage: upgrade-fixture.sh LINLI_BINARY COMMIT POSTGRES_URL}
commit=${2:?usage: upgrade-fixture.sh LINLI_BINARY COMMIT POSTGRES_URL}
url=${3:?usage: upgrade-fixture.sh LINLI_BINARY COMMIT POSTGRES_URL}
out=Tests/fixtures/upgrade
base=${url%/*}
db=linli_upgrade_fixture
work=$(mktemp -d /tmp/linli-upgrade-fixture.XXXXXX)
trap 'rm -rf "$work"; psql -X -q "$url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
export LOG_LEVEL=warning
# A small district with every capability's demo data, and an account with a known password to sign in with after.
demo() {
    "$bin" demo --load-only --residents 300 --requests 200 --seed 11 >/dev/null
    echo 'Drill-Pass-Linli-2026' | "$bin" user create --username upgrade --role community_worker --scope 321271002001 \
        --password-stdin >/dev/null
}
mkdir -p "$work/sqlite" "$work/pg" "$out"
LINLI_DATA_DIR="$work/sqlite" demo
LINLI_DATA_DIR="$work/sqlite" "$bin" backup --out "$work/linli.sqlite" >/dev/null
python3 scripts/ops/upgrade_fingerprint.py sqlite "$work/linli.sqlite" > "$out/sqlite.json"
# The file's SQL text compresses to two thirds of the file; upgrade-check.sh makes the file again from it.
python3 -c 'import sqlite3, sys; print("\n".join(sqlite3.connect(sys.argv[1]).iterdump()))' "$work/linli.sqlite" \
    | xz -9e > "$out/linli-sqlite.sql.xz"
cp "$work/sqlite/data.key" "$out/sqlite-data.key"

psql -X -q "$url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
DATABASE_URL="$base/$db" LINLI_DATA_DIR="$work/pg" demo
python3 scripts/ops/upgrade_fingerprint.py postgres "$base/$db" > "$out/postgres.json"
pg_dump --no-owner --no-privileges "$base/$db" | xz -9e > "$out/linli-postgres.sql.xz"
cp "$work/pg/data.key" "$out/postgres-data.key"
echo "$commit" > "$out/RELEASE"
du -h "$out"/*
