#!/usr/bin/env python3
"""Crash safety: a real server on a SQLite data folder, several clients writing residents and their
events and reporting and accepting requests over HTTP, SIGKILL at a random moment, many rounds.
After every kill:
  - PRAGMA integrity_check is ok;
  - every write the server acknowledged is there (nothing acknowledged is lost);
  - every write is whole or absent: each resident this test created has its registration event and its
    audit entry, and version = number of its events = number of its audited writes; no audit entry names
    a resident that is not there; each request has as many steps and audit entries as its version, and
    the request tallies equal a recount of the requests;
  - `linli audit verify` passes, and the server starts again (the next round starts it).
Then the bulk load (`linli demo --load-only`) and the import of a residents' file (`linli import
residents FILE --yes`) are killed at random moments: each time the database is intact and holds the
whole district or file or nothing of it (then a rerun loads it).
Usage: scripts/ops/crash_test.py [ROUNDS [LOAD_ROUNDS]] (default 20 and 3). Needs a debug build
(LINLI_BIN to change)."""
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, Server, call, check, demo_folder, han_name, linli, sign_in, unique_id  # noqa: E402

WRITE_ACTIONS = ("resident.create", "resident.update", "resident.move")
MARK = "崩"  # every name this test writes starts with it (no surname of the demo district does)


class Ledger:
    """What the server acknowledged, across rounds."""

    def __init__(self):
        self.lock = threading.Lock()
        self.created = {}   # id -> name at creation
        self.version = {}   # id -> highest acknowledged version
        self.serial = 0
        self.errors = []
        self.busy = 0  # writes refused with 503 (nothing written; counted, not failed)
        self.requests = {}  # request id -> highest acknowledged version

    def next_serial(self):
        with self.lock:
            self.serial += 1
            return self.serial


def report_or_accept(server, token, buildings, ledger, rng, reported):
    """A grid event reported at a building of the community, or one of them accepted: the request, its
    step, its tally and its audit entry are one transaction."""
    if reported and rng.random() < 0.4:
        entry = reported.pop(rng.randrange(len(reported)))
        status, _, body = call(server, "POST", f"/api/v1/requests/{entry[0]}/actions", token=token, timeout=10,
                               body={"action": "accept", "version": entry[1]})
    else:
        status, _, body = call(server, "POST", "/api/v1/requests", token=token, timeout=10, body={
            "category_code": "SJ0101", "description": f"{MARK}{ledger.next_serial()} 垃圾堆放", "building_id": rng.choice(buildings)})
    if status in (200, 201):
        r = json.loads(body)
        with ledger.lock:
            ledger.requests[r["id"]] = max(ledger.requests.get(r["id"], 0), r["version"])
        if r["status"] == "reported":
            reported.append([r["id"], r["version"]])
    elif status == 503:
        ledger.busy += 1
    else:
        raise AssertionError(f"request answered {status}: {body[:300]!r}")


def writer(server, token, households, buildings, ledger, rng, stop):
    mine = []  # (id, version) of residents this writer created
    reported = []  # (id, version) of requests this writer reported and has not accepted
    while not stop.is_set():
        try:
            op = rng.random()
            if op >= 0.9:
                report_or_accept(server, token, buildings, ledger, rng, reported)
            elif op < 0.45 or not mine:
                n = ledger.next_serial()
                name = han_name(MARK, n)
                status, _, body = call(server, "POST", "/api/v1/residents", token=token, timeout=10, body={
                    "name": name, "id_number": unique_id(n), "household_id": rng.choice(households), "relation": "other"})
                if status == 201:
                    r = json.loads(body)
                    with ledger.lock:
                        ledger.created[r["id"]] = name
                        ledger.version[r["id"]] = r["version"]
                    mine.append([r["id"], r["version"]])
                elif status == 503:  # the write lock not had within the busy timeout: refused whole
                    ledger.busy += 1
                elif status != 409:  # 409: the number is taken by someone of the demo district
                    raise AssertionError(f"creation answered {status}: {body[:300]!r}")
            else:
                entry = rng.choice(mine)
                if op < 0.75:
                    status, _, body = call(server, "PATCH", f"/api/v1/residents/{entry[0]}", token=token, timeout=10,
                                           body={"name": han_name(MARK, ledger.next_serial()), "version": entry[1]})
                else:
                    status, _, body = call(server, "POST", f"/api/v1/residents/{entry[0]}/events", token=token, timeout=10,
                                           body={"kind": "move", "to_household_id": rng.choice(households),
                                                 "relation": "other", "version": entry[1]})
                if status in (200, 201):
                    entry[1] = json.loads(body)["version"]
                    with ledger.lock:
                        ledger.version[entry[0]] = max(ledger.version[entry[0]], entry[1])
                elif status == 409:
                    s, _, b = call(server, "GET", f"/api/v1/residents/{entry[0]}", token=token, timeout=10)
                    if s == 200:
                        entry[1] = json.loads(b)["version"]
                elif status == 503:
                    ledger.busy += 1
                elif status != 422:  # a move into the household it is in
                    raise AssertionError(f"unexpected {status}: {body[:300]!r}")
        except (OSError, http.client.HTTPException):
            return  # the server is gone
        except Exception as e:  # a wrong answer, or a fault of this script: either fails the run
            ledger.errors.append(repr(e))
            return


def check_database(path, ledger, demo_residents):
    db = sqlite3.connect(path)
    try:
        check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check failed")
        rows = {r[0].lower(): (r[1], r[2]) for r in db.execute(
            f"SELECT lower(id), name, version FROM residents WHERE name LIKE '{MARK}%'")}
        ids = lambda q: {r[0].lower(): r[1] for r in db.execute(q)}  # noqa: E731
        events = ids("SELECT lower(resident_id), COUNT(*) FROM resident_events GROUP BY resident_id")
        audited = {}
        for target, action in db.execute("SELECT target, action FROM audit_log WHERE action IN (?, ?, ?)", WRITE_ACTIONS):
            rid = target.split(":", 1)[1].lower()
            audited.setdefault(rid, []).append(action)
        # Nothing acknowledged is lost.
        for rid, name in ledger.created.items():
            check(rid.lower() in rows, f"acknowledged resident {rid} ({name}) is missing")
            check(rows[rid.lower()][1] >= ledger.version[rid], f"resident {rid}: version {rows[rid.lower()][1]} < acknowledged {ledger.version[rid]}")
        # Every transaction whole or absent.
        for rid, (name, version) in rows.items():
            acts = audited.get(rid, [])
            check(acts.count("resident.create") == 1, f"resident {rid} has {acts.count('resident.create')} creation entries")
            check(events.get(rid, 0) == version, f"resident {rid}: version {version} but {events.get(rid, 0)} events")
            check(len(acts) == version, f"resident {rid}: version {version} but {len(acts)} audited writes")
        test_audit = {rid for rid, acts in audited.items() if "resident.create" in acts and rid not in rows}
        demo_ids = {r[0].lower() for r in db.execute(f"SELECT lower(id) FROM residents WHERE name NOT LIKE '{MARK}%'")}
        check(not (test_audit - demo_ids), f"audit entries for residents that are not there: {sorted(test_audit - demo_ids)[:3]}")
        total = db.execute("SELECT COUNT(*) FROM residents").fetchone()[0]
        check(total == demo_residents + len(rows), f"{total} residents, expected {demo_residents} + {len(rows)}")
        # Requests: each acknowledged one is there; each has as many steps and audit entries as its version;
        # the tallies the figures come from equal a recount of the requests.
        requests = {r[0].lower(): (r[1], r[2]) for r in db.execute(
            f"SELECT lower(id), seq, version FROM requests WHERE description LIKE '{MARK}%'")}
        for rid, version in ledger.requests.items():
            check(rid.lower() in requests, f"acknowledged request {rid} is missing")
            check(requests[rid.lower()][1] >= version, f"request {rid}: version below the acknowledged {version}")
        steps = ids("SELECT lower(request_id), COUNT(*) FROM request_steps GROUP BY request_id")
        audited_requests = {r[0]: r[1] for r in db.execute(
            "SELECT target, COUNT(*) FROM audit_log WHERE action LIKE 'request.%' GROUP BY target")}
        for rid, (seq, version) in requests.items():
            check(steps.get(rid, 0) == version, f"request {seq}: version {version} but {steps.get(rid, 0)} steps")
            check(audited_requests.get(f"request:{seq}", 0) == version, f"request {seq}: version {version} but "
                  f"{audited_requests.get(f'request:{seq}', 0)} audit entries")
        recount = set(db.execute("SELECT coalesce(community_code, ''), category_code, status, level, COUNT(*) FROM requests "
                                 "GROUP BY 1, 2, 3, 4"))
        tallies = set(db.execute("SELECT community_code, category_code, status, level, n FROM request_tallies WHERE n != 0"))
        check(recount == tallies, f"request tallies differ from a recount: {sorted(recount ^ tallies)[:3]}")
        return len(rows), sum(v for _, v in rows.values()), len(requests)
    finally:
        db.close()


def kill_imports(rounds, rng, residents=20000):
    """SIGKILL during `linli import residents FILE --yes`: the file's rows are all there or none of them,
    and the same import run again completes."""
    source = tempfile.mkdtemp(prefix="linli-import-src-")
    try:
        linli(source, "demo", "--load-only", "--residents", str(residents), "--seed", "5", "--requests", "0")
        for what, name in (("divisions", "d.geojson"), ("buildings", "b.geojson")):
            linli(source, "export", what, "--out", os.path.join(source, name))
        csv_path = os.path.join(source, "r.csv")
        linli(source, "export", "residents", "--full", "--out", csv_path)
        expected = sqlite3.connect(os.path.join(source, "linli.sqlite")).execute("SELECT COUNT(*) FROM residents").fetchone()[0]
        for n in range(1, rounds + 1):
            data = tempfile.mkdtemp(prefix="linli-import-")
            try:
                linli(data, "import", "divisions", os.path.join(source, "d.geojson"))
                linli(data, "import", "buildings", os.path.join(source, "b.geojson"))
                env = dict(os.environ, LINLI_DATA_DIR=data, LOG_LEVEL="warning")
                run = [BIN, "import", "residents", csv_path, "--yes"]
                p = subprocess.Popen(run, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                after = rng.uniform(1.0, 12.0)  # checking, then writing: the kill may land in either
                try:
                    p.wait(after)
                except subprocess.TimeoutExpired:
                    p.send_signal(signal.SIGKILL)
                    p.wait()
                db = sqlite3.connect(os.path.join(data, "linli.sqlite"))
                check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check failed after a killed import")
                people = db.execute("SELECT COUNT(*) FROM residents").fetchone()[0]
                db.close()
                check(people in (0, expected), f"a killed import left {people} of {expected} residents")
                r = linli(data, "audit", "verify", check=False)
                check(r.returncode == 0, f"audit verify failed after a killed import: {r.stdout}{r.stderr}")
                if people == 0:
                    linli(data, "import", "residents", csv_path, "--yes")
                    again = sqlite3.connect(os.path.join(data, "linli.sqlite")).execute("SELECT COUNT(*) FROM residents").fetchone()[0]
                    check(again == expected, f"import rerun: {again} of {expected} residents")
                state = "nothing (a rerun imported it)" if people == 0 else f"the whole file ({people} residents)"
                print(f"import {n}: killed after {after:.1f} s (exit {p.returncode}); intact, held {state}", flush=True)
            finally:
                shutil.rmtree(data, ignore_errors=True)
    finally:
        shutil.rmtree(source, ignore_errors=True)


def kill_migrations(rounds, rng):
    """SIGKILL while `linli migrate` makes the schema of a new data folder: each migration and the record that it ran
    are one transaction, so the same command run again finishes the schema."""
    for n in range(1, rounds + 1):
        data = tempfile.mkdtemp(prefix="linli-migrate-")
        try:
            env = dict(os.environ, LINLI_DATA_DIR=data, LOG_LEVEL="warning")
            load = [BIN, "migrate"]
            p = subprocess.Popen(load, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            after = rng.uniform(0.05, 0.6)
            try:
                p.wait(after)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGKILL)
                p.wait()
            rerun = subprocess.run(load, env=env, capture_output=True, text=True)
            check(rerun.returncode == 0, f"migrations killed after {after:.2f} s did not finish on a rerun: {rerun.stderr[-500:]}")
        finally:
            shutil.rmtree(data, ignore_errors=True)
    print(f"migrations: {rounds} SIGKILLs while the schema was being made, each finished by the next run", flush=True)


def kill_loads(rounds, rng, residents=20000):
    """SIGKILL during the demo district's bulk load."""
    for n in range(1, rounds + 1):
        data = tempfile.mkdtemp(prefix="linli-load-")
        try:
            env = dict(os.environ, LINLI_DATA_DIR=data, LOG_LEVEL="warning")
            load = [BIN, "demo", "--load-only", "--residents", str(residents), "--seed", "3"]
            p = subprocess.Popen(load, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            after = rng.uniform(0.5, 5.0)
            try:
                p.wait(after)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGKILL)
                p.wait()
            db = sqlite3.connect(os.path.join(data, "linli.sqlite"))
            check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check failed after a killed load")
            # Killed while the schema was being made: each migration is one transaction, so a table is
            # either there whole or not at all.
            migrated = db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'residents'").fetchone()[0]
            people = db.execute("SELECT COUNT(*) FROM residents").fetchone()[0] if migrated else 0
            divisions = db.execute("SELECT COUNT(*) FROM divisions").fetchone()[0] if people else 0
            db.close()
            check(people == 0 or people >= residents, f"a killed load left {people} of {residents} residents")
            r = linli(data, "audit", "verify", check=False) if migrated else None
            check(r is None or r.returncode == 0, f"audit verify failed after a killed load: {r and r.stdout}{r and r.stderr}")
            if people == 0:  # nothing was loaded: the same command loads it now
                rerun = subprocess.run(load, env=env, capture_output=True, text=True)
                check(rerun.returncode == 0, f"the load did not complete on a rerun after {after:.1f} s: {rerun.stderr[-500:]}")
                db = sqlite3.connect(os.path.join(data, "linli.sqlite"))
                again = db.execute("SELECT COUNT(*) FROM residents").fetchone()[0]
                db.close()
                check(again >= residents, f"rerun: {again} residents")
            state = "nothing (a rerun loaded it)" if people == 0 else f"the whole district ({people} residents, {divisions} divisions)"
            print(f"load {n}: killed after {after:.1f} s (exit {p.returncode}); intact, held {state}", flush=True)
        finally:
            shutil.rmtree(data, ignore_errors=True)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    load_rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rng = random.Random(int(os.environ.get("LINLI_CRASH_SEED", time.time())))
    data = demo_folder(residents=400, seed=11)
    db_path = os.path.join(data, "linli.sqlite")
    try:
        demo_residents = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM residents").fetchone()[0]
        ledger = Ledger()
        server = Server(data, env={"LOG_LEVEL": "warning"})
        for n in range(1, rounds + 1):
            up = server.start()
            token = sign_in(server)
            s, _, body = call(server, "GET", "/api/v1/households?per_page=100", token=token)
            households = [h["id"] for h in json.loads(body)["items"]]
            s, _, body = call(server, "GET", "/api/v1/buildings?per_page=100", token=token)
            buildings = [b["id"] for b in json.loads(body)["items"]]
            stop = threading.Event()
            threads = [threading.Thread(target=writer, args=(server, token, households, buildings, ledger, random.Random(rng.random()), stop))
                       for _ in range(6)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.3, 2.0))
            server.kill()
            server.proc.wait()
            stop.set()
            for t in threads:
                t.join(30)
            check(not any(t.is_alive() for t in threads), "a writer did not stop")
            check(not ledger.errors, f"a write was answered wrongly: {ledger.errors[:3]}")
            created, writes, requests = check_database(db_path, ledger, demo_residents)
            r = linli(data, "audit", "verify", check=False)
            check(r.returncode == 0, f"audit verify failed after round {n}: {r.stdout}{r.stderr}")
            print(f"round {n}: started in {up:.2f} s, killed; integrity ok, {created} test residents with {writes} writes whole, "
                  f"{len(ledger.created)} acknowledged creations present ({created - len(ledger.created)} more committed "
                  f"but cut off before their answer), {requests} test requests whole, tallies equal a recount, audit chain ok", flush=True)
        server.start()
        check(call(server, "GET", "/healthz")[0] == 200, "the server is not healthy after the last kill")
        server.stop()
        print(f"crash safety: {rounds} SIGKILLs during writes, nothing lost, nothing half-written "
              f"({ledger.busy} writes refused busy with 503)")
        kill_migrations(10 * load_rounds, rng)
        kill_loads(load_rounds, rng)
        kill_imports(load_rounds, rng)
    finally:
        if os.environ.get("LINLI_KEEP") != "1":
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
