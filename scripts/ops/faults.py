#!/usr/bin/env python3
"""Operations checks against a real `linli serve` (debug build by default; LINLI_BIN to change):
  logs       JSON lines with the request id, route pattern, status, duration; no personal data
  shutdown   SIGTERM while a request is in flight: the response still arrives, exit status 0
  slow       slow and idle clients: others are still served; an idle connection is closed
  hostile    huge headers, huge, truncated and malformed bodies: a clear refusal, the server stays up,
             memory bounded over repeated barrages
  readonly   the database file made immutable: writes 503 problem with Retry-After, reads 200
  diskfull   a data folder on a small tmpfs filled up: writes 503 problem with Retry-After, reads 200,
             writes again once space is back, integrity and audit chain intact (needs root for mount)
Usage: scripts/ops/faults.py [CHECK ...] (default: all; readonly and diskfull need root)."""
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import (PASSWORD, Server, call, check, demo_folder, han_name, linli, problem, sign_in,  # noqa: E402
                     unique_id)


def first_household(server, token):
    s, _, body = call(server, "GET", "/api/v1/households?per_page=5", token=token)
    check(s == 200, f"households: {s}")
    return [h["id"] for h in json.loads(body)["items"]]


def create(server, token, household, n):
    return call(server, "POST", "/api/v1/residents", token=token, body={
        "name": han_name("运", n), "id_number": unique_id(900_000 + n), "household_id": household, "relation": "other"})


def check_logs(data):
    server = Server(data, env={"LINLI_LOG_FORMAT": "json", "LOG_LEVEL": "info"}, log_name="json.log")
    server.start()
    try:
        token = sign_in(server)
        household = first_household(server, token)[0]
        s, _, body = create(server, token, household, 1)
        check(s == 201, f"create: {s} {body!r}")
        number = unique_id(900_001)
        s, headers, _ = call(server, "GET", f"/api/v1/residents?q={number}", token=token, headers={"X-Request-Id": "ops-check-1"})
        check(s == 200 and headers.get("x-request-id") == "ops-check-1", f"search: {s} {headers}")
        s, headers, _ = call(server, "GET", "/api/v1/residents/" + json.loads(body)["id"], token=token)
        generated = headers.get("x-request-id", "")
        check(len(generated) == 36, f"no generated request id: {headers}")
    finally:
        server.stop()
    lines = server.log_lines()
    parsed = [json.loads(line) for line in lines if line.strip()]  # every line is one JSON object
    requests = [p for p in parsed if p.get("msg") == "request"]
    search = [p for p in requests if p.get("request_id") == "ops-check-1"]
    check(len(search) == 1, f"one line for the search request, got {len(search)}")
    line = search[0]
    check(line["route"] == "/api/v1/residents" and line["method"] == "GET" and line["status"] == 200, f"line: {line}")
    check(isinstance(line["duration_ms"], (int, float)) and line["level"] == "info" and line["ts"].endswith("Z"), f"line: {line}")
    check(any(p.get("request_id") == generated and p["route"] == "/api/v1/residents/:id" for p in requests), "generated id not logged")
    text = "\n".join(lines)
    check(number not in text and number[:6] + "********" not in text, "an ID number reached the log")
    check("运" not in text, "a resident's name reached the log")
    print(f"logs: {len(parsed)} lines, all JSON; {len(requests)} request lines with id, route pattern, status, duration; no personal data")


def check_shutdown(data):
    server = Server(data, env={"LOG_LEVEL": "warning"})
    server.start()
    token = sign_in(server)
    household = first_household(server, token)[0]
    body = json.dumps({"name": han_name("停", 7), "id_number": unique_id(910_007), "household_id": household,
                       "relation": "other"}).encode()
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall((f"POST /api/v1/residents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body[:20])
    time.sleep(0.5)
    server.kill(signal.SIGTERM)  # the request is in flight: its body is still coming
    time.sleep(1.0)
    check(server.proc.poll() is None, "the server exited with a request in flight")
    refused = False
    try:
        call(server, "GET", "/livez", timeout=2)
    except OSError:
        refused = True
    check(refused, "new connections are still accepted after SIGTERM")
    sock.sendall(body[20:])
    sock.settimeout(10)
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(65536)
        if not chunk:
            break
        answer += chunk
    sock.close()
    check(answer.startswith(b"HTTP/1.1 201"), f"in-flight request not answered: {answer[:200]!r}")
    code = server.proc.wait(30)
    check(code == 0, f"exit status {code} after SIGTERM")
    db = sqlite3.connect(os.path.join(data, "linli.sqlite"))
    check(db.execute("SELECT COUNT(*) FROM residents WHERE name = ?", (han_name("停", 7),)).fetchone()[0] == 1, "write lost")
    db.close()
    print("shutdown: SIGTERM with a request in flight: new connections refused, the request answered 201, exit 0")


def check_slow(data):
    server = Server(data, env={"LOG_LEVEL": "warning", "LINLI_HTTP_IDLE_TIMEOUT": "2"})
    server.start()
    try:
        slow = []
        for _ in range(200):  # slowloris: headers that never end, one byte at a time
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        worst = 0.0
        for i in range(300):
            for s in slow[i % 10::10][:20]:
                try:
                    s.sendall(b"X")
                except OSError:
                    pass
            t = time.monotonic()
            status, _, _ = call(server, "GET", "/livez", timeout=5)
            worst = max(worst, time.monotonic() - t)
            check(status == 200, f"/livez answered {status} during slowloris")
        check(worst < 1.0, f"slowest answer during slowloris {worst:.2f} s")
        idle = socket.create_connection(("127.0.0.1", server.port))
        idle.settimeout(10)
        t = time.monotonic()
        closed = idle.recv(1) == b""
        waited = time.monotonic() - t
        check(closed and 1.5 < waited < 6, f"idle connection closed={closed} after {waited:.1f} s (timeout 2 s)")
        for s in slow:
            s.close()
        print(f"slow: 300 requests answered beside 200 slowloris connections (slowest {worst * 1000:.0f} ms); "
              f"an idle connection closed after {waited:.1f} s")
    finally:
        server.stop()


def raw_exchange(port, data, timeout=5):
    """Sends bytes, returns what comes back until the server closes or stops talking."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(timeout)
    out = b""
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    finally:
        s.close()
    return out


def barrage(server, token, household):
    statuses = {}

    def note(kind, status):
        statuses.setdefault(kind, set()).add(status)

    big = json.dumps({"name": "张" * 1_000_000}).encode()
    for i in range(40):
        try:
            note("huge body", call(server, "POST", "/api/v1/residents", body=big, token=token)[0])
        except OSError:
            note("huge body", "closed")
        answer = raw_exchange(server.port, b"GET /api/v1/residents HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")
        note("huge header", answer.split(b" ", 2)[1].decode() if answer else "closed")
        answer = raw_exchange(server.port, b"GET /api/v1/residents HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n")
        note("40 KB header", answer.split(b" ", 2)[1].decode() if answer else "closed")
        answer = raw_exchange(server.port, b"GET /livez HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % n for n in range(4000)) + b"\r\n")
        note("4000 small headers", answer.split(b" ", 2)[1].decode() if answer else "closed")
        for body in [b'{"name": "\xe5\xbc', b'{"name": "\xff\xfe", "relation": "other"}', b"[" * 5000, b'{"a":' * 2000,
                     b"name=%E5&x=" + b"%" * 100]:
            s, h, b = call(server, "POST", "/api/v1/residents", body=body, token=token)
            note("malformed body", s)
            check(s in (400, 415) and h.get("content-type", "").startswith("application/problem+json"), f"malformed body: {s} {b[:200]!r}")
        s, _, _ = call(server, "GET", "/api/v1/residents?q=%FF%FE", token=token)
        note("invalid utf-8 query", s)
        # Truncated: the body announced is longer than the body sent.
        answer = raw_exchange(server.port, (f"POST /api/v1/residents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                                            "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n").encode() + b'{"name": "')
        note("truncated body", answer.split(b" ", 2)[1].decode() if answer else "closed")
        s, _, _ = call(server, "GET", "/api/v1/residents/..%2F..%2Fdata.key", token=token)
        note("path traversal", s)
        s, _, _ = call(server, "GET", "/api/v1/../../etc/passwd", token=token)
        note("path traversal", s)
    return statuses


def check_hostile(data):
    server = Server(data, env={"LOG_LEVEL": "warning"})
    server.start()
    try:
        token = sign_in(server)
        household = first_household(server, token)[0]
        for _ in range(200):
            call(server, "GET", "/api/v1/residents?per_page=20", token=token)
        rss = [server.rss_kb()]
        for _ in range(3):
            statuses = barrage(server, token, household)
            check(call(server, "GET", "/livez")[0] == 200, "the server stopped answering")
            rss.append(server.rss_kb())
        expected = {"huge body": {413, "closed"}, "huge header": {"400", "431", "closed"}, "40 KB header": {"431"}, "4000 small headers": {"431"},
                    "malformed body": {400, 415}, "invalid utf-8 query": {400}, "truncated body": {"closed", "400"},
                    "path traversal": {400, 404}}
        for kind, seen in statuses.items():
            check(seen <= expected[kind], f"{kind}: answered {seen}, expected some of {expected[kind]}")
        check(server.proc.poll() is None, "the server died")
        growth = (rss[-1] - rss[1]) / 1024
        check(growth < 32, f"memory keeps growing over barrages: {[r // 1024 for r in rss]} MB")
        print(f"hostile: {', '.join(f'{k} → {sorted(map(str, v))}' for k, v in statuses.items())}; "
              f"RSS {' → '.join(str(r // 1024) for r in rss)} MB over 3 barrages")
    finally:
        server.stop()


def check_read_only(data):
    """The database file made immutable (`chattr +i`: even root cannot write it) and the server restarted."""
    db_file = os.path.join(data, "linli.sqlite")
    server = Server(data, env={"LOG_LEVEL": "warning"}, log_name="readonly.log")
    server.start()
    token = sign_in(server)
    someone = json.loads(call(server, "GET", "/api/v1/residents?per_page=1", token=token)[2])["items"][0]
    server.stop()
    if subprocess.run(["chattr", "+i", db_file], capture_output=True).returncode != 0:
        print("readonly: SKIPPED (chattr +i is not possible here)")
        return
    try:
        server.start()
        for path in ["/api/v1/residents?per_page=5", f"/api/v1/residents/{someone['id']}", "/healthz"]:
            s, _, _ = call(server, "GET", path, token=token)
            check(s == 200, f"read {path} answered {s} with a read-only database")
        s, h, b = call(server, "PATCH", f"/api/v1/residents/{someone['id']}", token=token,
                       body={"name": "只读", "version": someone["version"]})
        check(problem(503, h, b) and h.get("retry-after") == "30" and "只读" in json.loads(b)["detail"], f"edit: {s} {h} {b[:300]!r}")
        s, h, b = call(server, "POST", "/api/v1/auth/token", body={"username": "tester", "password": PASSWORD})
        check(problem(503, h, b), f"sign-in on a read-only database answered {s}")
        check(server.stop() == 0, "the server did not stop cleanly")
    finally:
        subprocess.run(["chattr", "-i", db_file])
    db = sqlite3.connect(db_file)
    check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity check failed")
    check(db.execute("SELECT COUNT(*) FROM residents WHERE name = '只读'").fetchone()[0] == 0, "a refused edit was stored")
    db.close()
    print("readonly: database file immutable: reads 200, edits and sign-ins 503 problem with Retry-After, integrity ok")


def check_disk_full():
    if os.geteuid() != 0:
        print("diskfull: SKIPPED (needs root to mount a tmpfs)")
        return
    mount = tempfile.mkdtemp(prefix="linli-full-")
    # Room for the demo district of 300 (about 40 MB with a year of patrol rounds and bookings) and its write-ahead log
    # once the filler is gone; the filler then takes whatever is left.
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128m", "tmpfs", mount], capture_output=True, text=True)
    if mounted.returncode != 0:
        os.rmdir(mount)
        print(f"diskfull: SKIPPED (cannot mount a tmpfs: {mounted.stderr.strip()})")
        return
    server = None
    try:
        data = demo_folder(residents=300, seed=5, parent=mount)
        server = Server(data, env={"LOG_LEVEL": "warning"})
        server.start()
        token = sign_in(server)
        household = first_household(server, token)[0]
        s, _, body = create(server, token, household, 1)
        check(s == 201, f"write before the disk is full: {s}")
        someone = json.loads(body)["id"]
        filler = os.path.join(mount, "filler")
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
        refused = None
        for n in range(2, 400):
            s, h, b = create(server, token, household, n)
            check(s in (201, 503), f"write on a full disk answered {s}: {b[:300]!r}")
            if s == 503:
                refused = (h, json.loads(b))
                break
        check(refused is not None, "no write was refused on a full disk")
        h, p = refused
        check(h.get("content-type", "").startswith("application/problem+json") and p["status"] == 503, f"not a problem: {h} {p}")
        check("磁盘已满" in p["detail"] and h.get("retry-after") == "30", f"refusal: {p} {h}")
        for path in ["/api/v1/residents?per_page=5", f"/api/v1/residents/{someone}", "/api/v1/stats", "/healthz"]:
            s, _, _ = call(server, "GET", path, token=token)
            check(s == 200, f"read {path} answered {s} on a full disk")
        s, _, b = call(server, "PATCH", f"/api/v1/residents/{someone}", token=token, body={"name": "满盘", "version": 1})
        check(s == 503, f"an edit on a full disk answered {s}")
        metrics = call(server, "GET", "/metrics")[2].decode()
        check('linli_database_writes_refused_total{reason="unwritable"} 0' not in metrics, "refusals not counted")
        os.remove(filler)
        s, _, b = create(server, token, household, 999)
        check(s == 201, f"write after space came back answered {s}: {b[:300]!r}; log: {server.log_lines()[-5:]}")
        check(server.stop() == 0, "the server did not stop cleanly")
        db = sqlite3.connect(os.path.join(data, "linli.sqlite"))
        check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity check failed after the disk was full")
        check(db.execute("SELECT COUNT(*) FROM residents WHERE name = '满盘'").fetchone()[0] == 0, "a refused edit was stored")
        db.close()
        r = linli(data, "audit", "verify", check=False)
        check(r.returncode == 0, f"audit chain broken after the disk was full: {r.stdout}{r.stderr}")
        print(f"diskfull: write {n} refused with 503 problem (Retry-After 30, “{p['detail']}”), reads 200, "
              "writes resume when space is back, integrity ok, audit chain ok")
    finally:
        if server:
            server.stop()
        subprocess.run(["umount", mount])
        os.rmdir(mount)


def main():
    wanted = sys.argv[1:] or ["logs", "shutdown", "slow", "hostile", "readonly", "diskfull"]
    data = demo_folder(residents=300, seed=9)
    try:
        for name in wanted:
            {"logs": lambda: check_logs(data), "shutdown": lambda: check_shutdown(data), "slow": lambda: check_slow(data),
             "hostile": lambda: check_hostile(data), "readonly": lambda: check_read_only(data), "diskfull": check_disk_full}[name]()
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print("operations checks: all passed")


if __name__ == "__main__":
    main()
