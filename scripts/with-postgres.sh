#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
# Starts a throwaway PostgreSQL server (data in a temp dir, listening only on
# 127.0.0.1 on a free port, trust auth), creates database desk_test, runs CMD
# with DESK_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/desk_test,
# then stops the server and deletes everything. Exits with CMD's exit code.
set -euo pipefail

if (($# == 0)); then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

# Binaries: $PG_BINDIR, else PostgreSQL 15 (Debian 12), else the newest installed.
bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
if [[ ! -x $bindir/initdb ]]; then
    for d in /usr/lib/postgresql/*/bin; do [[ -x $d/initdb ]] && bindir=$d; done
fi
if [[ ! -x $bindir/initdb || ! -x $bindir/pg_ctl ]]; then
    echo "with-postgres: PostgreSQL server binaries not found (looked in ${PG_BINDIR:-/usr/lib/postgresql/15/bin})." >&2
    echo "with-postgres: run scripts/setup.sh (Debian: apt-get install postgresql) or set PG_BINDIR." >&2
    exit 1
fi

# initdb refuses to run as root: then the server runs as the postgres user.
as_pg=()
if ((EUID == 0)); then
    if ! id postgres >/dev/null 2>&1; then
        echo "with-postgres: running as root but there is no 'postgres' user to run the server as" >&2
        exit 1
    fi
    as_pg=(runuser -u postgres --)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/desk-pg.XXXXXX")
data=$tmp/data
log=$tmp/postgres.log
((EUID == 0)) && chown postgres: "$tmp"
pg() { (cd "$tmp" && "${as_pg[@]}" "$@"); }

started=0
# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
    if ((started)); then
        pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Unicode-aware collation when the C.UTF-8 locale exists (glibc >= 2.35 has it).
locale_opt=(--no-locale)
locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' && locale_opt=(--locale=C.UTF-8)
pg "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 "${locale_opt[@]}" \
    --no-sync --no-instructions >"$tmp/initdb.log" 2>&1 || {
    cat "$tmp/initdb.log" >&2
    echo "with-postgres: initdb failed" >&2
    exit 1
}

# Pick a port nobody answers on, start; retry with another port if the start fails.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    # Durability off: the data is thrown away anyway, and tests run faster.
    if pg "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 30 -o "-c listen_addresses=127.0.0.1 \
            -c port=$port -c unix_socket_directories=$tmp -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
        started=1
        break
    fi
    echo "with-postgres: start on port $port failed (attempt $attempt)" >&2
done
if ((!started)); then
    cat "$log" >&2 || true
    echo "with-postgres: could not start PostgreSQL" >&2
    exit 1
fi

"$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres desk_test
export DESK_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/desk_test"
echo "with-postgres: PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port, DESK_TEST_PG_URL=$DESK_TEST_PG_URL" >&2

rc=0
"$@" || rc=$?
exit "$rc"
