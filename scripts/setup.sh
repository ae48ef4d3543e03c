#!/usr/bin/env bash
# Prepare this machine for Desk: Debian packages (Qt runtime libraries, Xvfb,
# gnome-keyring, PostgreSQL, oathtool), then .venv with `pip install -e '.[test]'`.
# Idempotent and quick on a second run; needs no stdin (CI=true is fine).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=$ROOT/.venv
STAMP=$VENV/.desk-installed

# One setup at a time: several shells may share this checkout. (Children get
# fd 9 closed, so a daemon started by a package's postinst cannot keep the lock.)
exec 9<"$ROOT"
if command -v flock >/dev/null; then flock 9; fi

# Debian 12 packages. QtGui links libEGL/libGL/fontconfig; Qt's xcb platform
# plugin needs libxcb-cursor0/-icccm4/-keysyms1 and libxkbcommon-x11-0, and the
# other libxcb-* it links come in as their dependencies (and mesa's). dbus-x11
# satisfies gnome-keyring's session-bus dependency without pulling in systemd
# (dbus-user-session) and brings dbus-run-session. xauth (for xvfb-run),
# x11-utils (xdpyinfo) and imagemagick (import) go with Xvfb. faketime runs part of the
# suite with the clock a year ahead (scripts/test.sh).
PACKAGES=(
    xvfb xauth x11-utils imagemagick fonts-dejavu-core
    libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0
    libegl1 libgl1 libfontconfig1 libdbus-1-3
    gnome-keyring dbus-x11 oathtool postgresql poppler-utils desktop-file-utils faketime
)

step() { printf 'setup: %s\n' "$*"; }

# pip, quiet, minus the per-package "Location ... is ignored" warnings that
# this machine's extra (partly empty) local indexes produce.
pip_q() {
    "$VENV/bin/python" -m pip -q "$@" </dev/null 9<&- \
        2> >(grep -v "^WARNING: Location '.*' is ignored: it is neither a file nor a directory" >&2)
}

# --- 1. Debian packages -----------------------------------------------------
missing_packages() {
    # Print the packages from PACKAGES that are not fully installed.
    local installed
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null \
        | awk '$2 == "ii" { sub(/:.*/, "", $1); print $1 }' || true)
    local p
    for p in "${PACKAGES[@]}"; do
        grep -qxF "$p" <<<"$installed" || printf '%s\n' "$p"
    done
    # Debian's own python3 ships without venv/ensurepip.
    python3 -c 'import ensurepip, venv' 2>/dev/null || printf 'python3-venv\n'
}

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    step "apt: not a Debian system; install the equivalents of: ${PACKAGES[*]}"
else
    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} == 0)); then
        step "apt: all ${#PACKAGES[@]} packages already installed"
    else
        if ((EUID == 0)); then
            SUDO=()
        elif command -v sudo >/dev/null; then
            SUDO=(sudo)
        else
            echo "setup: missing Debian packages: ${missing[*]}" >&2
            echo "setup: run as root (no sudo here): apt-get install -y --no-install-recommends ${missing[*]}" >&2
            exit 1
        fi
        step "apt: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        aptlog=$(mktemp)
        trap 'rm -f "$aptlog"' EXIT
        # Another program (unattended-upgrades, a software centre, another apt) may hold the
        # package manager's lock: wait for it (up to DESK_APT_LOCK_WAIT seconds) rather than
        # fail. apt waits 10 s a try itself (DPkg::Lock::Timeout, for dpkg's lock); between
        # tries we say what we wait for, which also covers the package lists' lock.
        APT_LOCK_WAIT=${DESK_APT_LOCK_WAIT:-600}
        apt_q() { # quiet apt-get; its output is shown only if it fails
            local start=$SECONDS said=0 holder
            until "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=10 "$@" </dev/null >"$aptlog" 2>&1 9<&-; do
                if ! grep -qE 'Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock' "$aptlog"; then
                    cat "$aptlog" >&2
                    echo "setup: apt-get $1 failed" >&2
                    return 1
                fi
                if ((SECONDS - start >= APT_LOCK_WAIT)); then
                    cat "$aptlog" >&2
                    echo "setup: gave up after $((SECONDS - start))s waiting for the package manager's lock;" \
                        "run setup again once the other program has finished" >&2
                    return 1
                fi
                if ((said == 0)); then
                    holder=$(grep -oE 'held by process [0-9]+ \([^)]*\)' "$aptlog" | head -n 1 || true)
                    echo "setup: another program holds the package manager's lock${holder:+ ($holder)};" \
                        "waiting up to ${APT_LOCK_WAIT}s for it to finish (Ctrl-C stops setup)" >&2
                    said=1
                fi
                sleep 5
            done
            if ((said)); then echo "setup: the package manager is free again" >&2; fi
        }
        # A broken third-party source should not stop us: install says if it matters.
        apt_q update || echo "setup: warning: apt-get update failed, trying with the current lists" >&2
        # Drop names this distribution does not know (e.g. not Debian 12).
        available=()
        for p in "${missing[@]}"; do
            if apt-cache show --no-all-versions "$p" >/dev/null 2>&1; then
                available+=("$p")
            else
                echo "setup: warning: no Debian package '$p' here, skipping it" >&2
            fi
        done
        if ((${#available[@]})); then
            apt_q install -y --no-install-recommends "${available[@]}"
        fi
        step "apt: done"
    fi
fi

# --- 2. Virtual environment -------------------------------------------------
if [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    step "venv: reusing $VENV"
else
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    step "venv: created $VENV ($("$VENV/bin/python" --version))"
fi
# Keep the venv (and the tool caches test.sh puts in it) out of git.
[[ -e $VENV/.gitignore ]] || printf '*\n' >"$VENV/.gitignore"

# --- 3. pip install -e '.[test]' --------------------------------------------
# Reinstall only when pyproject.toml (or the interpreter) changed since the last success.
want=$({ cat pyproject.toml; "$VENV/bin/python" -VV; } | sha256sum | cut -d' ' -f1)
if [[ -f $STAMP && $(<"$STAMP") == "$want" ]]; then
    step "pip: '.[test]' up to date (pyproject.toml unchanged)"
else
    rm -f "$STAMP"
    step "pip: installing -e '.[test]' (quiet; takes a minute the first time)"
    pip_q install --upgrade pip
    pip_q install -e '.[test]'
    printf '%s\n' "$want" >"$STAMP"
    step "pip: done"
fi
