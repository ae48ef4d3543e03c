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
stage pytest scripts/with-keyring.sh scripts/with-postgres.sh \
    env QT_QPA_PLATFORM=offscreen python -m pytest -p no:cacheprovider "$@"
# The same tests must pass on any day and on both databases: the domain, services,
# command-line and import tests run again with the machine's clock a year ahead
# (tests/test_time_guard.py explains why) and every test's desk on the PostgreSQL server
# (tests/backend.py). Only wall-clock time moves: faketime's monotonic clock would break every
# timeout. The subprocess tests run on the real clock throughout, and faketime's sleep fails in
# subprocess's timed wait. (Run beside the first stage, the load made the demo's Ctrl-C test
# and a layout check fail: the stages run one after the other.)
if (($# == 0)); then
    stage "pytest, a year ahead on PostgreSQL" scripts/with-keyring.sh scripts/with-postgres.sh \
        env QT_QPA_PLATFORM=offscreen FAKETIME_DONT_FAKE_MONOTONIC=1 DESK_TEST_BACKEND=postgresql \
        faketime -f +366d python -m pytest -p no:cacheprovider -q \
        --ignore=tests/cli/test_subprocess.py --ignore=tests/cli/test_demo_script.py \
        tests/core tests/services tests/cli tests/ingest tests/test_time_guard.py
fi
# The benchmarks at 10,000 items (docs/performance.md), so that they never rot: they print
# their figures and assert no times; the stage fails only if the benchmark itself fails.
stage "bench --quick" scripts/with-postgres.sh env QT_QPA_PLATFORM=offscreen python -m bench --quick

header "summary ($((SECONDS - start))s)"
if ((${#failed[@]})); then
    printf 'FAILED: %s\n' "${failed[@]}"
    exit 1
fi
echo "all stages passed"
