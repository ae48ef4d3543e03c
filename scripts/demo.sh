#!/usr/bin/env bash
# Usage: bash scripts/demo.sh [desk args...]
# Sets the machine up, then runs `desk --demo`. Without a display it starts a
# virtual one (Xvfb); without a Secret Service on the session bus it runs
# through scripts/with-keyring.sh (a throwaway keyring, like the demo profile).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

bash scripts/setup.sh
desk=$ROOT/.venv/bin/desk
if [[ ! -x $desk ]]; then
    echo "demo: $desk is missing; setup did not install the desk package" >&2
    exit 1
fi

xvfb_pid=
xtmp=
# Desk's own pid, written by the command that becomes Desk (it runs under with-keyring's
# D-Bus session, so it is not this script's child).
run=$(mktemp -d "${TMPDIR:-/tmp}/desk-demo-script.XXXXXX")
desk_pid() {
    local pid
    pid=$(cat "$run/desk.pid" 2>/dev/null) || return 1
    # still Desk (not a pid reused since)?
    [[ -n $pid ]] || return 1
    [[ -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- '--demo' || return 1
    printf '%s\n' "$pid"
}
# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
    # Desk first: it removes its demo profile, and it needs its X server until it has ended.
    local pid
    if pid=$(desk_pid); then
        for _ in $(seq 200); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "demo: Desk has not stopped after 20s; stopping it and its screen" >&2
            kill -TERM "$pid" 2>/dev/null || true
        fi
    fi
    if [[ -n $xvfb_pid ]]; then
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true # let it remove its lock file
    fi
    if [[ -n $xtmp ]]; then rm -rf "$xtmp"; fi
    rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# No display: start Xvfb on a free display (it picks one and reports it on fd 3).
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
    xtmp=$(mktemp -d "${TMPDIR:-/tmp}/desk-xvfb.XXXXXX")
    # In its own session and process group (setsid): Ctrl-C in the terminal goes to Desk, which
    # cleans up (the demo profile, the throwaway keyring) while its X server is still there;
    # Xvfb is stopped afterwards by cleanup. (A script's background job is not a group
    # leader, so setsid execs Xvfb itself and $! is Xvfb's pid.)
    setsid Xvfb -displayfd 3 -screen 0 1440x900x24 -nolisten tcp 3>"$xtmp/display" >"$xtmp/log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 100); do
        [[ -s $xtmp/display ]] && break
        if ! kill -0 "$xvfb_pid" 2>/dev/null; then
            cat "$xtmp/log" >&2
            echo "demo: Xvfb failed to start" >&2
            exit 1
        fi
        sleep 0.1
    done
    if [[ ! -s $xtmp/display ]]; then
        echo "demo: Xvfb did not report a display within 10s" >&2
        exit 1
    fi
    DISPLAY=:$(tr -d '[:space:]' <"$xtmp/display")
    export DISPLAY
    echo "demo: no display here, so Desk runs on a virtual screen, DISPLAY=$DISPLAY (1440x900)."
    echo "demo: screenshot it from another shell with:  DISPLAY=$DISPLAY import -window root shot.png"
    echo "demo:   (or: DISPLAY=$DISPLAY xwd -root -silent >shot.xwd, with x11-apps installed). Ctrl-C stops the demo."
fi

# Use the desktop's Secret Service if it has an unlocked default collection;
# otherwise (no bus, nothing running, or only D-Bus activation of a keyring
# that would need a prompt) a throwaway one.
have_secret_service() {
    [[ -n ${DBUS_SESSION_BUS_ADDRESS:-} ]] && timeout 10 "$ROOT/.venv/bin/python" -c '
import secretstorage, keyring.backends.SecretService as s
assert s.Keyring.priority > 0
assert not secretstorage.Collection(secretstorage.dbus_init()).is_locked()
' >/dev/null 2>&1
}
wrap=()
if ! have_secret_service; then
    echo "demo: no Secret Service on the session bus; using a throwaway gnome-keyring (scripts/with-keyring.sh)"
    wrap=("$ROOT/scripts/with-keyring.sh")
fi

# Desk runs in the background so that a signal reaches this script at once: Ctrl-C (or a
# TERM) is passed to Desk, which ends the demo as cleanly as closing its window, and this
# script waits for it (and for the keyring wrapper after it) before stopping the screen.
stopping=
# shellcheck disable=SC2317 # invoked by the trap
stop_desk() {
    stopping=$1
    local pid
    if pid=$(desk_pid); then kill -"$1" "$pid" 2>/dev/null || true; fi
}
"${wrap[@]}" sh -c 'echo "$$" >"$0"; exec "$@"' "$run/desk.pid" "$desk" --demo "$@" &
app=$!
trap 'stop_desk INT' INT
trap 'stop_desk TERM' TERM
rc=0
while :; do
    if wait "$app"; then rc=0; else rc=$?; fi
    kill -0 "$app" 2>/dev/null || break # ended; else a signal came and we wait on
done
case $stopping in
INT) exit 130 ;;
TERM) exit 143 ;;
esac
exit "$rc"
