#!/usr/bin/env python3
"""The web console in a real browser: headless Chromium driven by Selenium, against a server of its own
(a temp data folder with a small demo district, on a free port).

    python3 Tests/browser/run.py [--binary .build/debug/linli] [--keep] [--only NAME ...] [--jobs N]

Builds nothing: give it the `linli` binary. `--jobs 2` runs the tests in two halves (whole files) side by side, each
against a server of its own (a test waits on the browser and the server most of its time, so two halves share two cores well). Screenshots go to Tests/browser/screenshots/ (desktop
1280 px wide and phone 360 px wide; FAIL-… for a failed test). Exits non-zero on any failure.
Needs Debian's chromium, chromium-driver and fonts-noto-cjk, and Selenium from PyPI (.ci/run installs them).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def prerequisites() -> list[str]:
    missing = []
    for tool in ("chromium", "chromedriver"):
        if not shutil.which(tool):
            missing.append(f"{tool} (apt-get install chromium chromium-driver)")
    try:
        zh = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        zh = ""
    if "Noto Sans CJK" not in zh:
        missing.append("a Chinese font: Noto Sans CJK (apt-get install fonts-noto-cjk), else screenshots show boxes")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install selenium)")
    return missing


def main() -> int:
    root = HERE.parent.parent
    ap = argparse.ArgumentParser(description="Browser tests of the web console")
    ap.add_argument("--binary", default=str(root / ".build/debug/linli"), help="the linli binary (default .build/debug/linli)")
    ap.add_argument("--keep", action="store_true", help="keep the temp data folder and the server's log")
    ap.add_argument("--only", nargs="*", default=[], help="run only the tests whose names contain one of these")
    ap.add_argument("--residents", type=int, default=3000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=1, help="run the tests in this many parts side by side")
    ap.add_argument("--shard", default="", help=argparse.SUPPRESS)  # K/N: the Kth of N parts (set by --jobs)
    args = ap.parse_args()
    if args.jobs > 1 and not args.shard:
        return run_parts(args)

    missing = prerequisites()
    if missing:
        print("browser tests cannot run, missing:\n  " + "\n  ".join(missing))
        return 2
    if not os.access(args.binary, os.X_OK):
        print(f"no linli binary at {args.binary} (swift build first, or --binary PATH)")
        return 2

    import harness
    import console_tests  # noqa: F401  (registers its tests)
    import flow_tests  # noqa: F401
    import assistance_tests  # noqa: F401
    import employment_tests  # noqa: F401
    import disability_tests  # noqa: F401
    import training_tests  # noqa: F401
    import donations_tests  # noqa: F401
    import organizations_tests  # noqa: F401
    import supermarket_tests  # noqa: F401
    import volunteers_tests  # noqa: F401
    import elections_tests  # noqa: F401
    import deliberation_tests  # noqa: F401
    import disclosure_tests  # noqa: F401
    import admission_tests  # noqa: F401
    import reports_tests  # noqa: F401
    import workers_tests  # noqa: F401
    import life_tests  # noqa: F401
    import facilities_tests  # noqa: F401
    import rosters_tests  # noqa: F401
    import housing_tests  # noqa: F401
    import patrols_tests  # noqa: F401
    import party_tests  # noqa: F401
    import property_tests  # noqa: F401
    import boundary_tests  # noqa: F401

    tests = [(n, f) for n, f in harness.TESTS if not args.only or any(o in n for o in args.only)]
    todos = [(n, r) for n, r in harness.TODOS if not args.only or any(o in n for o in args.only)]
    if args.shard:
        # Whole files to a part, since a file's tests may build on each other (a request filed, then handled, then
        # rated); the largest file first, each to the part with the fewest tests so far.
        k, n = (int(x) for x in args.shard.split("/"))
        sizes: dict[str, int] = {}
        for _, f in tests:
            sizes[f.__module__] = sizes.get(f.__module__, 0) + 1
        load, part = [0] * n, {}
        for module in sorted(sizes, key=lambda m: -sizes[m]):
            part[module] = load.index(min(load))
            load[part[module]] += sizes[module]
        tests = [(name, f) for name, f in tests if part[f.__module__] == k - 1]
        todos = todos if k == 1 else []
    else:
        for old in harness.SCREENSHOTS.glob("FAIL-*.png"):
            old.unlink()

    started = time.time()
    server = harness.Linli(args.binary, residents=args.residents, requests=args.requests, keep=args.keep)
    passed, failed = [], []
    try:
        try:
            server.start()
        except Exception as e:
            print(f"the server under test did not start: {e}")
            return 2
        harness.set_server(server)
        print(f"server {server.base} ready in {time.time() - started:.1f} s (demo district: {args.residents} residents, "
              f"{args.requests} requests; accounts: {', '.join(server.accounts)})", flush=True)
        for name, fn in tests:
            t0 = time.time()
            try:
                fn()
                passed.append(name)
                print(f"PASS {name} ({time.time() - t0:.1f} s)", flush=True)
            except Exception as e:
                failed.append(name)
                for i, d in enumerate(list(harness._drivers)):
                    try:
                        d.save_screenshot(str(harness.SCREENSHOTS / f"FAIL-{name}-{i}-{d.linli_kind}.png"))
                    except Exception:
                        pass
                where = traceback.extract_tb(e.__traceback__)
                line = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(where) if "_tests" in f.filename), "")
                print(f"FAIL {name} ({time.time() - t0:.1f} s) {line}\n     {type(e).__name__}: {str(e).strip()[:1500]}", flush=True)
            finally:
                harness.quit_drivers()
                harness.remove_uploads()
    finally:
        harness.quit_drivers()
        if failed:
            print("-- the server's log, last lines:\n" + server.log_tail(15))
        server.stop()

    for name, reason in todos:
        print(f"TODO {name}: {reason} (not run, not counted as passed)")
    print(f"{len(tests)} tests in {time.time() - started:.0f} s; screenshots in {harness.SCREENSHOTS}")
    if failed:
        print("failed: " + ", ".join(failed))
    print(f"browser: {len(passed)} passed, {len(failed)} failed" + (f", {len(todos)} skipped" if todos else ""))
    return 1 if failed else 0


def run_parts(args) -> int:
    """Runs this script once per part, side by side; their lines are printed as they come, marked [K/N]."""
    for old in (HERE / "screenshots").glob("FAIL-*.png"):
        old.unlink()
    started = time.time()
    base = [sys.executable, __file__, "--binary", args.binary, "--residents", str(args.residents),
            "--requests", str(args.requests)] + (["--keep"] if args.keep else []) + (["--only", *args.only] if args.only else [])
    parts = [subprocess.Popen(base + ["--shard", f"{k}/{args.jobs}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, bufsize=1) for k in range(1, args.jobs + 1)]
    lock = threading.Lock()
    tallies: list[str] = []

    def relay(k: int, p: subprocess.Popen):
        for line in p.stdout:
            with lock:
                if line.startswith("browser: "):
                    tallies.append(line.strip())
                print(f"[{k}/{args.jobs}] {line}", end="", flush=True)

    threads = [threading.Thread(target=relay, args=(k, p)) for k, p in enumerate(parts, 1)]
    for t in threads:
        t.start()
    codes = [p.wait() for p in parts]
    for t in threads:
        t.join()
    passed = sum(int(t.split()[1]) for t in tallies)
    failed = sum(int(t.split()[3]) for t in tallies)
    print(f"all parts in {time.time() - started:.0f} s")
    print(f"browser: {passed} passed, {failed} failed (in {args.jobs} parts)")
    return max(codes) if len(tallies) == args.jobs else (max(codes) or 2)


if __name__ == "__main__":
    sys.exit(main())
