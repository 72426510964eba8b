#!/usr/bin/env python3
"""What hostile input costs the server before it is refused, by shape: each request sent REPEAT times to
a real `linli serve` (release build for the figures in docs/performance.md; CI runs it on the debug build
with a looser bound), the worst wall time seen and the server's CPU time per request (utime + stime from
/proc, divided over the repeats). No sign-in is used: these are the requests anyone can send.

Usage: Benchmarks/flood.py [--bin PATH] [--repeat N] [--max-cpu-ms MS]
  --max-cpu-ms: exit non-zero if any shape costs more CPU per request than this (CI: the debug build)."""
import argparse
import http.client
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts", "ops"))
import harness  # noqa: E402

FORM = "application/x-www-form-urlencoded"


def shapes():
    repeated = lambda n: ("a=1&" * n).encode()  # noqa: E731
    boundary = "floodboundary"
    parts = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" for _ in range(1000))
    multipart = (parts + f"--{boundary}--\r\n").encode()
    return [
        ("baseline GET /livez", "GET", "/livez", None, {}),
        ("POST /track, a=1& x 64,000 (250 KB)", "POST", "/track", repeated(64_000), {"Content-Type": FORM}),
        ("POST /track, a=1& x 15,000 (60 KB, under the size limit)", "POST", "/track", repeated(15_000), {"Content-Type": FORM}),
        ("POST /login, a=1& x 64,000 (250 KB)", "POST", "/login", repeated(64_000), {"Content-Type": FORM}),
        ("POST /report, 1 MB form, chunked", "POST", "/report", None, {"Content-Type": FORM, "chunked": repeated(250_000)}),
        ("POST /open311/v2/requests.json, a=1& x 64,000", "POST", "/open311/v2/requests.json", repeated(64_000), {"Content-Type": FORM}),
        ("GET /open311/v2/requests.json?a=1&... (80 KB query)", "GET", "/open311/v2/requests.json?" + "a=1&" * 20_000, None, {}),
        ("GET /api/v1/divisions?a=1&... (8 KB query, 2,000 parameters)", "GET", "/api/v1/divisions?" + "a=1&" * 2_000, None, {}),
        ("POST /report, multipart, 1,000 parts (64 KB)", "POST", "/report", multipart, {"Content-Type": f"multipart/form-data; boundary={boundary}"}),
        ("POST /api/v1/auth/token, JSON nested 100,000 deep", "POST", "/api/v1/auth/token", b"[" * 100_000 + b"]" * 100_000,
         {"Content-Type": "application/json"}),
        ("POST /api/v1/auth/token, JSON nested 10,000 deep (20 KB)", "POST", "/api/v1/auth/token", b"[" * 10_000 + b"]" * 10_000,
         {"Content-Type": "application/json"}),
        ("POST /api/v1/auth/token, JSON 1 MB of plain text", "POST", "/api/v1/auth/token",
         b'{"username":"' + b"x" * 1_000_000 + b'"}', {"Content-Type": "application/json"}),
        ("POST /api/v1/auth/token, JSON 60 KB of \\u0001 escapes", "POST", "/api/v1/auth/token",
         b'{"username":"' + b"\\u0001" * 10_000 + b'"}', {"Content-Type": "application/json"}),
        ("POST /api/v1/auth/token, JSON 60 KB of \\u4e2d escapes", "POST", "/api/v1/auth/token",
         b'{"username":"' + b"\\u4e2d" * 10_000 + b'"}', {"Content-Type": "application/json"}),
        ("POST /api/v1/auth/token, JSON with 5,000 keys (60 KB)", "POST", "/api/v1/auth/token",
         b"{" + b",".join(b'"k%d":1' % i for i in range(5_000)) + b"}", {"Content-Type": "application/json"}),
        ("POST /api/v1/auth/token, JSON with 1,000 keys (no password: refused before bcrypt)", "POST", "/api/v1/auth/token",
         b"{" + b",".join(b'"k%d":1' % i for i in range(998)) + b',"username":"x"}', {"Content-Type": "application/json"}),
    ]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def send(port, method, path, body, headers):
    headers = dict(headers)
    chunked = headers.pop("chunked", None)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        if chunked is not None:
            conn.putrequest(method, path)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            try:
                for i in range(0, len(chunked), 16_384):
                    piece = chunked[i:i + 16_384]
                    conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
                conn.send(b"0\r\n\r\n")
            except OSError:
                pass  # refused and closed before the whole body was sent
        else:
            conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        r.read()
        return r.status
    except (ConnectionError, http.client.HTTPException):
        return "closed"
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default=os.environ.get("LINLI_BIN", ".build/release/linli"))
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--max-cpu-ms", type=float, default=None)
    a = p.parse_args()
    harness.BIN = a.bin
    data = tempfile.mkdtemp(prefix="linli-flood-")
    harness.linli(data, "migrate")
    server = harness.Server(data, env={"LOG_LEVEL": "warning"})
    server.start()
    worst = 0.0
    rows = []
    try:
        for label, method, path, body, headers in shapes():
            send(server.port, method, path, body, headers)  # warm-up
            before = cpu_seconds(server.proc.pid)
            walls, statuses = [], set()
            for _ in range(a.repeat):
                t0 = time.monotonic()
                statuses.add(send(server.port, method, path, body, headers))
                walls.append((time.monotonic() - t0) * 1000)
            cpu_ms = (cpu_seconds(server.proc.pid) - before) * 1000 / a.repeat
            harness.check(server.proc.poll() is None, f"the server died on {label}")
            if not label.startswith("baseline"):
                worst = max(worst, cpu_ms)
                harness.check(all(s == "closed" or 400 <= s < 500 for s in statuses), f"{label}: answered {statuses}")
            rows.append((label, sorted(map(str, statuses)), max(walls), cpu_ms))
    finally:
        server.stop()
    size = max(len(r[0]) for r in rows)
    print(f"{'shape':<{size}}  answer      worst wall   CPU per request ({a.repeat} each, {os.path.basename(a.bin)} at {a.bin})")
    for label, statuses, wall, cpu in rows:
        print(f"{label:<{size}}  {','.join(statuses):<10}  {wall:8.2f} ms  {cpu:8.2f} ms")
    print(f"worst CPU per refused request: {worst:.2f} ms")
    if a.max_cpu_ms is not None and worst > a.max_cpu_ms:
        print(f"FAILED: over {a.max_cpu_ms} ms")
        sys.exit(1)


if __name__ == "__main__":
    main()
