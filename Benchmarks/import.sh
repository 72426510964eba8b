#!/usr/bin/env bash
# Import benchmark (issue 7): 161k residents from .csv and from .xlsx into an empty database, next to
# sqlite3's own `.import` of the same CSV, in one run on a release build. Prints rows/s, the ratio
# and peak memory (/usr/bin/time "Maximum resident set size"). Figures go to docs/performance.md.
# Usage: Benchmarks/import.sh [OUT_DIR] (default bench-out/). Needs sqlite3 (apt-get install sqlite3).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-out}/import
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
swift build -c release --product linli
bin=$PWD/.build/release/linli
export LOG_LEVEL=warning
rm -rf "$out"; mkdir -p "$out"
run() { LINLI_DATA_DIR="$out/$1" "$bin" "${@:2}"; }
timed() { # label, command…: wall seconds and peak memory
    /usr/bin/time -f "$1: wall %e s, peak memory %M KB" "${@:2}" 2>&1 >/dev/null | grep -E "wall|已导入|问题" || true
}

echo "== source: the demo district (161,000 residents), exported in full"
run src demo --load-only >/dev/null
run src export residents --full --out "$out/residents.csv" 2>/dev/null
run src export residents --full --out "$out/residents.xlsx" 2>/dev/null
run src export divisions --out "$out/divisions.geojson" 2>/dev/null
run src export buildings --out "$out/buildings.geojson" 2>/dev/null
rows=$(($(wc -l < "$out/residents.csv") - 1))
echo "rows: $rows; residents.csv $(du -k "$out/residents.csv" | cut -f1) KB, residents.xlsx $(du -k "$out/residents.xlsx" | cut -f1) KB"

for f in residents.csv residents.xlsx; do
    rm -rf "$out/dst"
    run dst import divisions "$out/divisions.geojson" >/dev/null
    run dst import buildings "$out/buildings.geojson" >/dev/null
    rm -rf "$out/empty"; cp -a "$out/dst" "$out/empty"  # the registry's schema with its areas, no people
    echo "== linli import residents $f --yes (validation + encryption + write, one transaction)"
    timed "linli $f" env LINLI_DATA_DIR="$out/dst" "$bin" import residents "$out/$f" --yes
    test "$(run dst stats --json)" = "$(run src stats --json)" && echo "same stats as the source: ok"
done

echo "== sqlite3 .import of the same CSV into a table of its 14 columns"
cols=$(head -1 "$out/residents.csv" | sed 's/^\xEF\xBB\xBF//; s/\r$//' | tr ',' '\n' | sed 's/.*/"&" TEXT/' | paste -sd, -)
rm -f "$out/plain.sqlite"
sqlite3 "$out/plain.sqlite" "PRAGMA journal_mode=WAL; CREATE TABLE r($cols);" >/dev/null
timed "sqlite3 .import, no index" sqlite3 "$out/plain.sqlite" ".import --csv --skip 1 $out/residents.csv r"
rm -f "$out/indexed.sqlite"
sqlite3 "$out/indexed.sqlite" "PRAGMA journal_mode=WAL; CREATE TABLE r($cols); CREATE UNIQUE INDEX r_id ON r(\"公民身份号码\");
  CREATE INDEX r_name ON r(\"姓名\"); CREATE INDEX r_grid ON r(\"网格编码\", \"姓名\"); CREATE INDEX r_household ON r(\"户号\");" >/dev/null
timed "sqlite3 .import, unique ID index + 3 indexes" sqlite3 "$out/indexed.sqlite" ".import --csv --skip 1 $out/residents.csv r"
echo "== sqlite3 .import of the rows linli wrote into the registry's own tables (same rows, same tables, same indexes)"
# The households, residents, tags and registration events linli's import stored (the two ciphertexts as hex
# text), loaded by sqlite3 into the registry's empty tables: the storage's own cost of what the import stores.
# Once into the tables as they are (every index kept up row by row), once the way linli loads (secondary
# indexes dropped first and built again after, in one transaction).
same="$out/same"; rm -rf "$same"; mkdir -p "$same"
tables="households residents resident_tags resident_events"
in_list="'${tables// /\',\'}'"
: > "$same/load.sql"
for t in $tables; do
    cols=$(sqlite3 "$out/dst/linli.sqlite" "SELECT group_concat(CASE WHEN type = 'BLOB' THEN 'hex(\"' || name || '\")' ELSE '\"' || name || '\"' END, ', ') FROM pragma_table_info('$t')")
    sqlite3 -csv "$out/dst/linli.sqlite" "SELECT $cols FROM $t" > "$same/$t.csv"
    echo ".import --csv $same/$t.csv $t" >> "$same/load.sql"
done
secondary="FROM sqlite_master WHERE type = 'index' AND tbl_name IN ($in_list) AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
{ sqlite3 "$out/empty/linli.sqlite" "SELECT 'DROP INDEX \"' || name || '\";' $secondary"
  cat "$same/load.sql"; echo "BEGIN;"; sqlite3 "$out/empty/linli.sqlite" "SELECT sql || ';' $secondary"; echo "COMMIT;"
} > "$same/rebuild.sql"
for how in load rebuild; do
    sqlite3 "$out/empty/linli.sqlite" ".backup $same/$how.sqlite"
    timed "sqlite3 .import into the registry's tables ($how)" sh -c "sqlite3 '$same/$how.sqlite' < '$same/$how.sql'"
    test "$(sqlite3 "$same/$how.sqlite" 'SELECT count(*) FROM residents')" = "$rows" || { echo "sqlite3 did not load every row"; exit 1; }
done
echo "rows/s = $rows / wall; ratio = linli wall / sqlite3 wall"
