#!/usr/bin/env python3
"""Data key rotation under load, killed half-way: a demo district (3,000 residents by default) on SQLite,
`linli keys prepare` (new data.key, the old one kept as data.key.previous), a server started with both
keys, and `linli keys rotate` with small batches, killed with SIGKILL once part of the residents are done.
All the while a client looks residents up by exact ID number and opens their full view: every answer
must be 200 with the numbers unchanged. Then:
  - `linli keys verify` fails (rows still under the old key) and names them;
  - a second `linli keys rotate` resumes where the first stopped (its output says so) and finishes;
  - `linli keys verify` passes; the audit log has the starts and the end, and its chain verifies;
  - the server restarted with the new key alone (data.key.previous removed) finds the same residents by
    exact ID number and shows the same full numbers.
Usage: scripts/ops/key_rotation_test.py [RESIDENTS] (default 3000). Needs a debug build (LINLI_BIN to change)."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, PASSWORD, WORKER_SCOPE, Server, call, check, linli, sign_in  # noqa: E402


def snapshot(server, token, n=25):
    """(id, ID number, phone) of n residents of the worker's community, read through the full view."""
    status, _, body = call(server, "GET", f"/api/v1/residents?division={WORKER_SCOPE}&per_page={n}", token=token)
    check(status == 200, f"list: {status} {body[:200]}")
    out = []
    for item in json.loads(body)["items"][:n]:
        status, _, full = call(server, "GET", f"/api/v1/residents/{item['id']}/full", token=token)
        check(status == 200, f"full view: {status} {full[:200]}")
        f = json.loads(full)
        out.append((item["id"], f["id_number"], f.get("phone")))
    check(len(out) == n, f"only {len(out)} residents in the community")
    return out


def check_reads(server, token, people):
    """Each resident found by exact ID number, and its full view unchanged."""
    for rid, number, phone in people:
        status, _, body = call(server, "GET", "/api/v1/residents?q=" + urllib.parse.quote(number), token=token)
        check(status == 200, f"lookup by ID number: {status} {body[:200]}")
        items = json.loads(body)["items"]
        check([i["id"] for i in items] == [rid], f"lookup by ID number found {items} instead of {rid}")
        status, _, body = call(server, "GET", f"/api/v1/residents/{rid}/full", token=token)
        check(status == 200, f"full view during the rotation: {status} {body[:200]}")
        f = json.loads(body)
        check((f["id_number"], f.get("phone")) == (number, phone), f"full view changed for {rid}")


def progress(db):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as c:
        return dict(c.execute("SELECT table_name, rows_done FROM key_rotation_progress").fetchall())


def main():
    residents = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    started = time.monotonic()
    d = tempfile.mkdtemp(prefix="linli-keys-")
    server = None
    try:
        t = time.monotonic()
        linli(d, "demo", "--load-only", "--residents", str(residents), "--seed", "11")
        linli(d, "user", "create", "--username", "tester", "--role", "community_worker", "--scope", WORKER_SCOPE,
              "--password-stdin", stdin=PASSWORD + "\n")
        print(f"demo district of {residents} residents loaded in {time.monotonic() - t:.1f} s")
        db = os.path.join(d, "linli.sqlite")
        server = Server(d)
        server.start()
        token = sign_in(server)
        people = snapshot(server, token)
        server.stop()

        old_key = open(os.path.join(d, "data.key")).read()
        linli(d, "keys", "prepare")
        check(open(os.path.join(d, "data.key.previous")).read() == old_key, "the old key is kept as data.key.previous")
        check(open(os.path.join(d, "data.key")).read() != old_key, "a new data.key was written")
        check(os.stat(os.path.join(d, "data.key")).st_mode & 0o777 == 0o600, "the new data.key is 0600")

        server = Server(d)
        server.start()
        token = sign_in(server)
        check_reads(server, token, people)

        stop, failures, rounds = threading.Event(), [], [0]

        def reader():
            while not stop.is_set():
                try:
                    check_reads(server, token, people)
                    rounds[0] += 1
                except Exception as e:  # noqa: BLE001 - reported below
                    failures.append(repr(e))
                    return

        thread = threading.Thread(target=reader)
        thread.start()
        env = dict(os.environ, LINLI_DATA_DIR=d, LOG_LEVEL="warning")
        t = time.monotonic()
        rotate = subprocess.Popen([BIN, "keys", "rotate", "--batch", "20"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        done = {}
        while rotate.poll() is None and time.monotonic() - t < 120:
            try:
                done = progress(db)
            except sqlite3.Error:
                done = {}
            if done.get("residents", 0) >= residents // 3:
                break
            time.sleep(0.02)
        if rotate.poll() is not None:
            raise AssertionError(f"rotate ended before it could be killed: {rotate.communicate()}")
        rotate.send_signal(signal.SIGKILL)
        rotate.wait()
        during = rounds[0]
        killed_at = progress(db).get("residents", 0)
        print(f"rotate killed after {time.monotonic() - t:.1f} s with {killed_at} of {residents} residents done"
              f" ({during} rounds of reads answered before the kill)")
        check(0 < killed_at < residents, f"killed half-way ({killed_at})")
        time.sleep(1)
        check(not failures, f"reads failed during the rotation: {failures[:3]}")

        half = linli(d, "keys", "verify", check=False)
        check(half.returncode == 1 and "不能用当前密钥解密" in half.stdout + half.stderr, f"verify after the kill: {half.returncode} {half.stderr[-500:]}")

        t = time.monotonic()
        again = linli(d, "keys", "rotate", "--batch", "20")
        print(f"second rotate (resumed) took {time.monotonic() - t:.1f} s: {again.stdout.strip().splitlines()[0]}")
        check("接续" in again.stdout, f"the second run resumes: {again.stdout}")
        stop.set()
        thread.join()
        check(not failures, f"reads failed during the rotation: {failures[:3]}")
        check(rounds[0] > 0, "the reader ran")
        print(f"{rounds[0]} rounds of {len(people)} lookups and full views answered during the rotation")

        verified = linli(d, "keys", "verify")
        print(verified.stdout.strip())
        server.stop()

        os.remove(os.path.join(d, "data.key.previous"))
        server = Server(d)
        server.start()
        token = sign_in(server)
        check_reads(server, token, people)
        server.stop()
        linli(d, "audit", "verify")
        with sqlite3.connect(db) as c:
            actions = [a for (a,) in c.execute("SELECT action FROM audit_log WHERE action LIKE 'data_key.%' ORDER BY seq")]
        check(actions == ["data_key.rotate_start", "data_key.rotate_start", "data_key.rotate_finish"], f"audit: {actions}")
        print(f"key rotation: ok ({time.monotonic() - started:.1f} s in all)")
    finally:
        if server:
            try:
                server.stop()
            except Exception:  # noqa: BLE001
                pass
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
