#!/usr/bin/env python3
"""Behind a real reverse proxy (nginx from Debian, on loopback, set up as docs/operations.md says):
with LINLI_TRUSTED_PROXIES naming the proxy, each client has its own sign-in budget and the audit log
records the client's address, whatever X-Forwarded-For the client sends itself; without it, every client
shares the proxy's budget and address (the safe default when no proxy is configured).

Clients are told apart by their source address on loopback (127.0.0.2, 127.0.0.3, …: Linux answers on
all of 127.0.0.0/8). Needs nginx (apt-get install nginx). Usage: scripts/ops/proxy_check.py"""
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server, check, free_port, linli  # noqa: E402

NGINX_CONF = """
user root;
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


def sign_in_from(source, port, username, forwarded=None):
    """A failed sign-in sent from the loopback address `source` through the proxy; the status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15, source_address=(source, 0))
    try:
        headers = {"Content-Type": "application/json"}
        if forwarded:
            headers["X-Forwarded-For"] = forwarded
        conn.request("POST", "/api/v1/auth/token", body=json.dumps({"username": username, "password": "Wrong-Pass-123"}),
                     headers=headers)
        r = conn.getresponse()
        r.read()
        return r.status
    finally:
        conn.close()


def audited_addresses(data):
    db = sqlite3.connect(os.path.join(data, "linli.sqlite"))
    try:
        return {row[0] for row in db.execute("SELECT DISTINCT ip FROM audit_log WHERE action LIKE 'auth.%'")}
    finally:
        db.close()


def main():
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    check(os.path.exists(nginx), "nginx is not installed (apt-get install nginx)")
    data = tempfile.mkdtemp(prefix="linli-proxy-")
    linli(data, "migrate")
    upstream_server = Server(data, env={"LOG_LEVEL": "warning", "LINLI_TRUSTED_PROXIES": "127.0.0.1"})
    port = free_port()
    conf = os.path.join(data, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(dir=data, port=port, upstream=upstream_server.port))
    proxy = subprocess.Popen([nginx, "-c", conf, "-p", data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        upstream_server.start()
        for _ in range(100):
            try:
                if sign_in_from("127.0.0.1", port, "warmup") in (401, 429):
                    break
            except OSError:
                time.sleep(0.1)
        # Trusted: 127.0.0.2 spends its own 20 attempts (the first went to warm-up from 127.0.0.1).
        answers = [sign_in_from("127.0.0.2", port, f"nobody{i}") for i in range(20)]
        check(answers == [401] * 20, f"the first 20 failures from 127.0.0.2 should be 401: {answers}")
        check(sign_in_from("127.0.0.2", port, "nobody20") == 429, "the 21st attempt from 127.0.0.2 was not limited")
        # A forged header cannot buy a new budget: nginx appends the real address, and that one counts.
        check(sign_in_from("127.0.0.2", port, "nobody21", forwarded="198.51.100.77") == 429,
              "a client's own X-Forwarded-For escaped the limit")
        check(sign_in_from("127.0.0.3", port, "nobody22") == 401, "another client behind the proxy shared 127.0.0.2's budget")
        seen = audited_addresses(data)
        check({"127.0.0.2", "127.0.0.3"} <= seen and "198.51.100.77" not in seen, f"audit log addresses: {seen}")
        upstream_server.stop()

        # Not trusted (the default): one budget and one address for everyone behind the proxy.
        upstream_server.env.pop("LINLI_TRUSTED_PROXIES")
        upstream_server.start()
        answers = [sign_in_from("127.0.0.4", port, f"someone{i}") for i in range(20)]
        check(answers == [401] * 20, f"untrusted: {answers}")
        check(sign_in_from("127.0.0.5", port, "someone20") == 429, "without a trusted proxy every client should share one budget")
        check("127.0.0.4" not in audited_addresses(data), "an untrusted X-Forwarded-For reached the audit log")
        upstream_server.stop()
        print("proxy: behind nginx with LINLI_TRUSTED_PROXIES=127.0.0.1 each client has its own sign-in budget "
              "(21st from 127.0.0.2 → 429, 127.0.0.3 → 401, a forged X-Forwarded-For ignored) and the audit log names "
              "127.0.0.2 and 127.0.0.3; without it, one budget and the proxy's address for all")
    finally:
        proxy.terminate()
        proxy.wait(10)
        if upstream_server.proc and upstream_server.proc.poll() is None:
            upstream_server.stop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
