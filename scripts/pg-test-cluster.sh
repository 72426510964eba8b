#!/usr/bin/env bash
# A private PostgreSQL cluster on 127.0.0.1 for the test suite: `start` prints the URL to use as
# LINLI_TEST_DATABASE_URL; `stop DIR` stops and removes it. Installs Debian's postgresql if missing.
set -euo pipefail

pg_bin() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] && echo "$d"
}

case "${1:-}" in
start)
    if [ -z "$(pg_bin)" ]; then
        echo "installing postgresql from Debian's packages…" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
    fi
    bin=$(pg_bin)
    # A free port, so that a second cluster (another checkout, a developer's) never collides.
    port=${PGPORT_TEST:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    # In memory where the machine has it (/dev/shm): the suite creates a database per test, which on a disk is
    # mostly waiting for writes.
    base=/tmp
    if [ -w /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 4000000 ]; then base=/dev/shm; fi
    dir=$(mktemp -d "$base/linli-pg.XXXXXX")
    # initdb refuses to run as root; the cluster belongs to the postgres user (or to us when not root).
    run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    run "$bin/initdb" -D "$dir/data" -U linli -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" start >&2
    run "$bin/createdb" -h 127.0.0.1 -p "$port" -U linli linli_test
    echo "$dir postgres://linli@127.0.0.1:$port/linli_test"
    ;;
stop)
    dir=${2:?usage: pg-test-cluster.sh stop DIR}
    bin=$(pg_bin)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    else "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true; fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
