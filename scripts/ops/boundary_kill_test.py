#!/usr/bin/env python3
"""A boundary change (区划调整) killed in the middle of its one transaction leaves the district as it was.

A demo district on SQLite; `linli boundary bench` drafts, approves and previews a merge of two communities of 城东街道
effective today, then applies it, holding its open transaction for a minute after the residents have moved
(`--hold-after residents`); the process is killed with SIGKILL there. Then:
  - the database passes its integrity check and the audit chain verifies;
  - every record is where it was (residents, households, buildings, care files, open requests by community; the live
    and retired divisions; the division history), and the order is still approved, not applied;
  - `linli boundary apply-due` applies it: the two communities are retired with one successor, which holds all
    their residents and households.
Usage: scripts/ops/boundary_kill_test.py [RESIDENTS] (default 2000). Needs a debug build (LINLI_BIN to change)."""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, check, demo_folder, linli  # noqa: E402

SOURCES = ["321271003001", "321271003002"]


def fingerprint(db_file):
    db = sqlite3.connect(db_file)
    try:
        rows = {}
        for table in ["residents", "households", "buildings", "care_status"]:
            rows[table] = db.execute(f"SELECT SUBSTR(grid_code, 1, 12), COUNT(*) FROM {table} GROUP BY 1 ORDER BY 1").fetchall()
        rows["requests"] = db.execute("SELECT community_code, status, COUNT(*) FROM requests GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
        rows["divisions"] = db.execute("SELECT code, retired_on, successor_code FROM divisions ORDER BY code").fetchall()
        rows["history"] = db.execute("SELECT COUNT(*) FROM division_history").fetchall()
        rows["accounts"] = db.execute("SELECT username, division_code FROM accounts ORDER BY username").fetchall()
        return rows
    finally:
        db.close()


def main():
    residents = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    started = time.time()
    data = demo_folder(residents=residents, seed=17)
    db_file = os.path.join(data, "linli.sqlite")
    try:
        before = fingerprint(db_file)
        moving = sum(n for c, n in before["residents"] if c in SOURCES)
        check(moving > 0, "the two communities have no residents")
        env = dict(os.environ, LINLI_DATA_DIR=data, LOG_LEVEL="warning")
        proc = subprocess.Popen([BIN, "boundary", "bench", "--sources", ",".join(SOURCES), "--rounds", "1", "--hold-after", "residents"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        line = proc.stderr.readline()
        check("事务进行中" in line, f"the apply did not reach its hold: {line!r} {proc.stderr.read()[-500:] if not line else ''}")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check(proc.returncode == -signal.SIGKILL, f"the bench ended with {proc.returncode}, not killed")

        db = sqlite3.connect(db_file)
        check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity check failed after the kill")
        states = db.execute("SELECT state FROM boundary_orders WHERE document_title = '区划调整性能测试'").fetchall()
        db.close()
        check(states == [("approved",)], f"the killed order is {states}, not approved")
        after = fingerprint(db_file)
        diff = [k for k in before if before[k] != after[k]]
        check(not diff, f"the killed change left traces in {diff}")
        r = linli(data, "audit", "verify", check=False)
        check(r.returncode == 0, f"audit chain broken after the kill: {r.stdout}{r.stderr}")

        r = linli(data, "boundary", "apply-due")
        check("已实施" in r.stdout, f"apply-due did not apply the order: {r.stdout}{r.stderr}")
        done = fingerprint(db_file)
        retired = {c: s for c, retired_on, s in done["divisions"] if c in SOURCES and retired_on}
        check(set(retired) == set(SOURCES) and len(set(retired.values())) == 1, f"not retired with one successor: {retired}")
        successor = next(iter(retired.values()))
        check(dict(done["residents"]).get(successor) == moving, f"{successor} holds {dict(done['residents']).get(successor)} residents, not {moving}")
        check(not any(c in SOURCES for c, _ in done["residents"] + done["households"]), "records left under a retired code")
        print(f"boundary kill: SIGKILL inside the apply (after the residents moved) left the district unchanged, integrity and "
              f"audit chain ok; apply-due then merged {', '.join(SOURCES)} into {successor} ({moving} residents) "
              f"({time.time() - started:.1f} s in all)")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
