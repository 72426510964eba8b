#!/usr/bin/env python3
"""Every record of a Linli database, summed up per table, to check an upgrade loses nothing.

    upgrade_fingerprint.py sqlite FILE                      # prints the fingerprint (JSON)
    upgrade_fingerprint.py postgres URL
    upgrade_fingerprint.py sqlite FILE --check MANIFEST     # compares with a fingerprint taken before the upgrade

A table's fingerprint is its row count and a SHA-256 of its rows (each row's values in a fixed text form, the rows
sorted), over the columns it had when the fingerprint was taken: a migration may add tables and columns, but every row
of every table that was there must still be there with the same values. The tables of applied migrations (Fluent's
and Linli's own) are compared by name: the ones applied before must all still be recorded. Exit code 1 when a table differs, naming it.
"""
import hashlib
import json
import sqlite3
import subprocess
import sys

MIGRATIONS = "_fluent_migrations"
# Tables that list applied migrations by name: an upgrade adds rows to them.
BY_NAME = (MIGRATIONS, "linli_migrations_applied")


def sqlite_tables(db):
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: [r[1] for r in db.execute(f'PRAGMA table_info("{t}")')] for t in names}


def sqlite_rows(db, table, columns):
    cols = ", ".join(f'"{c}"' for c in columns)
    return [repr(tuple(r)) for r in db.execute(f'SELECT {cols} FROM "{table}"')]


def psql(url, sql):
    return subprocess.run(["psql", "-X", "-q", "-At", url, "-c", sql], check=True, capture_output=True,
                          text=True).stdout


def pg_tables(url):
    out = psql(url, "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
                    "ORDER BY table_name, ordinal_position")
    tables = {}
    for line in out.splitlines():
        t, c = line.split("|", 1)
        tables.setdefault(t, []).append(c)
    return tables


def pg_rows(url, table, columns):
    cols = ", ".join(f'"{c}"' for c in columns)
    # COPY's text form: one line per row (newlines inside values escaped).
    return psql(url, f'COPY (SELECT {cols} FROM "{table}") TO STDOUT').splitlines()


def fingerprint(kind, target, only=None):
    if kind == "sqlite":
        db = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        tables, rows = sqlite_tables(db), lambda t, c: sqlite_rows(db, t, c)
    elif kind == "postgres":
        tables, rows = pg_tables(target), lambda t, c: pg_rows(target, t, c)
    else:
        sys.exit(f"unknown kind {kind!r} (sqlite or postgres)")
    result = {}
    for table, columns in sorted(tables.items()):
        if table in BY_NAME:
            result[table] = {"names": sorted(r.strip("()',\"") for r in rows(table, ["name"]))}
            continue
        if only is not None:
            if table not in only:
                continue
            missing = [c for c in only[table]["columns"] if c not in columns]
            if missing:
                result[table] = {"missing_columns": missing}
                continue
            columns = only[table]["columns"]
        lines = sorted(rows(table, columns))
        digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
        result[table] = {"columns": columns, "rows": len(lines), "sha256": digest}
    return result


def check(kind, target, manifest_path):
    before = json.load(open(manifest_path))
    after = fingerprint(kind, target, only={t: v for t, v in before.items() if t not in BY_NAME})
    problems = []
    for table, was in before.items():
        now = after.get(table)
        if now is None:
            problems.append(f"{table}: the table is gone")
        elif table in BY_NAME:
            lost = sorted(set(was["names"]) - set(now["names"]))
            if lost:
                problems.append(f"{table}: applied migrations no longer recorded: {lost}")
        elif "missing_columns" in now:
            problems.append(f"{table}: columns gone: {now['missing_columns']}")
        elif now["rows"] != was["rows"]:
            problems.append(f"{table}: {was['rows']} rows before, {now['rows']} after")
        elif now["sha256"] != was["sha256"]:
            problems.append(f"{table}: the same number of rows ({now['rows']}), but values changed")
    new_migrations = sorted(set(after[MIGRATIONS]["names"]) - set(before[MIGRATIONS]["names"]))
    rows = sum(v["rows"] for t, v in before.items() if t not in BY_NAME)
    print(f"{kind}: {len(before)} tables, {rows} rows before the upgrade; migrations applied by it: "
          f"{len(new_migrations)} ({', '.join(new_migrations) or 'none'})")
    for p in problems:
        print("  LOST " + p)
    if problems:
        return 1
    print(f"{kind}: every row of every table is there with its values")
    return 0


def main(argv):
    if len(argv) == 3:
        print(json.dumps(fingerprint(argv[1], argv[2]), indent=1, ensure_ascii=False, sort_keys=True))
        return 0
    if len(argv) == 5 and argv[3] == "--check":
        return check(argv[1], argv[2], argv[4])
    print(__doc__)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
