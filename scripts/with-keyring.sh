#!/usr/bin/env bash
# Usage: scripts/with-keyring.sh CMD [ARGS...]
# Runs CMD like on a Linux desktop: in a private D-Bus session bus with an
# unlocked gnome-keyring Secret Service whose "login" collection is the default.
# HOME and the XDG dirs point into a temp dir that is removed afterwards, so
# nothing touches the real keyring. Works as root and without a display.
# Exits with CMD's exit code.
set -euo pipefail

if (($# == 0)); then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null; then
        echo "with-keyring: '$tool' not found; run scripts/setup.sh (Debian: gnome-keyring dbus-x11)" >&2
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/desk-keyring.XXXXXX")
# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
    # A daemon that had not reached the bus when the bus went away would
    # linger forever, so stop ours by its pid (checking it is still ours).
    local pid
    pid=$(cat "$tmp/keyring.pid" 2>/dev/null || true)
    if [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null) == gnome-keyring-d* ]]; then
        kill "$pid" 2>/dev/null || true
        local _ state
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            # Gone, or a zombie waiting for init to reap it: done.
            state=Z
            read -r _ _ state _ <"/proc/$pid/stat" 2>/dev/null || true
            [[ $state == Z ]] && break
            sleep 0.1
        done
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Keep a real desktop session reachable once HOME and XDG_RUNTIME_DIR move.
if [[ -n ${DISPLAY:-} && -z ${XAUTHORITY:-} && -f $HOME/.Xauthority ]]; then
    export XAUTHORITY=$HOME/.Xauthority
fi
if [[ -n ${WAYLAND_DISPLAY:-} && $WAYLAND_DISPLAY != /* && -n ${XDG_RUNTIME_DIR:-} ]]; then
    export WAYLAND_DISPLAY=$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY
fi

mkdir -m 700 "$tmp/run" "$tmp/data" "$tmp/config"
export HOME=$tmp XDG_RUNTIME_DIR=$tmp/run XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config
unset GNOME_KEYRING_CONTROL

# Throwaway unlock password. --unlock creates the "login" keyring with it on
# first start, and gnome-keyring uses "login" as the default collection.
DESK_KEYRING_PW=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
export DESK_KEYRING_PW DESK_KEYRING_PIDFILE=$tmp/keyring.pid

# Inside the bus: start the daemon in the foreground (so we know its pid), wait
# until it owns org.freedesktop.secrets (a plain `--unlock` returns before
# that), then exec CMD.
rc=0
# shellcheck disable=SC2016 # expanded by the inner sh
dbus-run-session -- sh -c '
    printf %s "$DESK_KEYRING_PW" |
        gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
    daemon=$!
    echo "$daemon" >"$DESK_KEYRING_PIDFILE"
    unset DESK_KEYRING_PW DESK_KEYRING_PIDFILE
    i=0
    until dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
            /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
            string:org.freedesktop.secrets 2>/dev/null | grep -q true; do
        i=$((i + 1))
        if [ "$i" -gt 200 ] || ! kill -0 "$daemon" 2>/dev/null; then
            echo "with-keyring: gnome-keyring-daemon did not come up on the session bus" >&2
            exit 1
        fi
        sleep 0.05
    done
    exec "$@"
' with-keyring "$@" || rc=$?
exit "$rc"
