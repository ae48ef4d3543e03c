#!/usr/bin/env bash
# Usage: bash scripts/test.sh [pytest args...]
# The one test command (CI runs it via .ci/run): setup, ruff, mypy,
# import-linter, then pytest with Qt offscreen inside a throwaway gnome-keyring
# Secret Service and a throwaway PostgreSQL, then `python -m bench --quick`.
# Every stage runs; the exit status is non-zero if any failed (pytest's "no
# tests collected" counts as failure).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
start=$SECONDS

header() { printf '\n==> %s\n' "$*"; }

header "setup"
bash scripts/setup.sh

export VIRTUAL_ENV=$ROOT/.venv
export PATH=$VIRTUAL_ENV/bin:$PATH
# Tool caches live in .venv so the work tree stays clean.
export RUFF_CACHE_DIR=$VIRTUAL_ENV/.cache/ruff
export MYPY_CACHE_DIR=$VIRTUAL_ENV/.cache/mypy
export PYTHONPYCACHEPREFIX=$VIRTUAL_ENV/.cache/pycache
# The harness provides the Secret Service, PostgreSQL and oathtool, so tests
# that need them must fail rather than skip.
export DESK_REQUIRE_INTEGRATION=1

failed=()
stage() {
    local name=$1 rc=0 t0=$SECONDS
    shift
    header "$name"
    "$@" || rc=$?
    if ((rc == 0)); then
        echo "--- $name: ok ($((SECONDS - t0))s)"
    else
        ((rc == 5)) && [[ $name == pytest ]] && echo "test: pytest collected no tests" >&2
        echo "--- $name: FAILED, exit $rc ($((SECONDS - t0))s)"
        failed+=("$name (exit $rc)")
    fi
}

stage "ruff check" ruff check .
stage "ruff format --check" ruff format --check .
stage "mypy" mypy
stage "lint-imports" lint-imports --no-logo --cache-dir "$VIRTUAL_ENV/.cache/import-linter"
# The same tests must pass on any day and on both databases: while the suite runs on SQLite,
# the domain, services, command-line and import tests run beside it with the machine's clock a
# year ahead (tests/test_time_guard.py explains why) and every test's desk on the PostgreSQL
# server (tests/backend.py). Only wall-clock time moves: faketime's monotonic clock would break
# every timeout. The subprocess tests run on the real clock throughout, and faketime's sleep
# fails in subprocess's timed wait. The two runs go side by side (each with its own keyring and
# server) so that CI stays under its 30 minutes; to even them out, the background one first
# runs the domain and import tests on today's clock, which the foreground run then leaves out.
# Side by side, the machine is loaded: tests wait for outcomes, never for a fixed time.
side_dir=$(mktemp -d "${TMPDIR:-/tmp}/desk-side.XXXXXX")
side_pid=
main_args=("$@")
if (($# == 0)); then
    header "pytest: domain and import tests, then a year ahead on PostgreSQL (beside the next stage)"
    main_args=(--ignore=tests/core --ignore=tests/ingest)
    (
        run_side() {
            local name=$1 rc=0 t0=$SECONDS
            shift
            "$@" >"$side_dir/$name.log" 2>&1 || rc=$?
            echo "(took $((SECONDS - t0))s)" >>"$side_dir/$name.log"
            echo "$rc" >"$side_dir/$name.rc"
        }
        run_side today scripts/with-keyring.sh \
            env QT_QPA_PLATFORM=offscreen python -m pytest -p no:cacheprovider -q tests/core tests/ingest
        run_side ahead scripts/with-keyring.sh scripts/with-postgres.sh \
            env QT_QPA_PLATFORM=offscreen FAKETIME_DONT_FAKE_MONOTONIC=1 DESK_TEST_BACKEND=postgresql \
            faketime -f +366d python -m pytest -p no:cacheprovider -q \
            --ignore=tests/cli/test_subprocess.py --ignore=tests/cli/test_demo_script.py \
            tests/core tests/services tests/cli tests/ingest tests/test_time_guard.py
    ) &
    side_pid=$!
fi
stage pytest scripts/with-keyring.sh scripts/with-postgres.sh \
    env QT_QPA_PLATFORM=offscreen python -m pytest -p no:cacheprovider "${main_args[@]}"
if [[ -n $side_pid ]]; then
    wait "$side_pid" || true
    # each run's output, and its exit status (none recorded: it did not finish)
    show='cat "$1.log" 2>/dev/null; exit "$(cat "$1.rc" 2>/dev/null || echo 1)"'
    stage "pytest, domain and import tests" bash -c "$show" _ "$side_dir/today"
    stage "pytest, a year ahead on PostgreSQL" bash -c "$show" _ "$side_dir/ahead"
fi
rm -rf "$side_dir"
# The benchmarks at 10,000 items (docs/performance.md), so that they never rot: they print
# their figures and assert no times; the stage fails only if the benchmark itself fails.
stage "bench --quick" scripts/with-postgres.sh env QT_QPA_PLATFORM=offscreen python -m bench --quick

header "summary ($((SECONDS - start))s)"
if ((${#failed[@]})); then
    printf 'FAILED: %s\n' "${failed[@]}"
    exit 1
fi
echo "all stages passed"
