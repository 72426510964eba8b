"""Shared helpers for the operations checks: a real `linli serve` process on a temporary data folder,
plain HTTP calls, accounts and valid ID numbers. Python standard library only; loopback only."""
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import tempfile
import time

BIN = os.environ.get("LINLI_BIN", ".build/debug/linli")
PASSWORD = "Ops-Check-Pass-2026"
WORKER_SCOPE = "321271002001"  # a community of the demo district


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def linli(data_dir, *args, stdin=None, env=None, check=True):
    full = dict(os.environ, LINLI_DATA_DIR=data_dir, LOG_LEVEL="warning", **(env or {}))
    r = subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, env=full)
    if check and r.returncode != 0:
        raise RuntimeError(f"linli {' '.join(args)} failed ({r.returncode}): {r.stderr[-2000:]}")
    return r


def demo_folder(residents=400, seed=11, parent=None):
    """A data folder with the demo district and a community worker `tester` (password PASSWORD)."""
    d = tempfile.mkdtemp(prefix="linli-ops-", dir=parent)
    linli(d, "demo", "--load-only", "--residents", str(residents), "--seed", str(seed))
    linli(d, "user", "create", "--username", "tester", "--role", "community_worker", "--scope", WORKER_SCOPE,
          "--password-stdin", stdin=PASSWORD + "\n")
    return d


class Server:
    """`linli serve` on a free loopback port, its output in `log`."""

    def __init__(self, data_dir, env=None, log_name="serve.log"):
        self.data_dir, self.port = data_dir, free_port()
        self.env = dict(os.environ, LINLI_DATA_DIR=data_dir, **(env or {}))
        self.log_path = os.path.join(data_dir, log_name)
        self.proc = None

    def start(self, timeout=60):
        log = open(self.log_path, "ab")
        started = time.monotonic()
        self.proc = subprocess.Popen([BIN, "serve", "--port", str(self.port)], stdout=log, stderr=log, env=self.env)
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if call(self, "GET", "/livez", timeout=1)[0] == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not answer /livez in time")

    def kill(self, sig=signal.SIGKILL):
        self.proc.send_signal(sig)

    def stop(self, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError("server did not stop within %ss of SIGTERM" % timeout)
        return self.proc.returncode if self.proc else None

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def log_lines(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()


def call(server, method, path, body=None, token=None, headers=None, timeout=15):
    """(status, headers as a dict with lower-case names, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def sign_in(server, username="tester"):
    status, _, body = call(server, "POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})
    assert status == 200, (status, body)
    return json.loads(body)["token"]


def citizen_id(serial, birth="19800101", region="321203"):
    """A valid GB 11643 number: region, birth date, three-digit sequence and the check character."""
    body = f"{region}{birth}{serial % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(body, weights))
    return body + "10X98765432"[total % 11]


def unique_id(n):
    """The n-th of many distinct valid ID numbers (birth dates walk through 1950–2005)."""
    day = n // 1000
    year, rest = 1950 + day // 336, day % 336
    return citizen_id(n, f"{year}{rest // 28 + 1:02d}{rest % 28 + 1:02d}")


HAN = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星"


def han_name(prefix, n):
    """A valid Chinese name from a prefix and a number (three more characters)."""
    k = len(HAN)
    return prefix + HAN[n % k] + HAN[(n // k) % k] + HAN[(n // (k * k)) % k]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def problem(status, headers, body):
    return headers.get("content-type", "").startswith("application/problem+json") and json.loads(body).get("status") == status
