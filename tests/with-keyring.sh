#!/bin/sh
# shellcheck disable=SC2317 # cleanup() and alive() run from traps
# Usage: with-keyring.sh PROGRAM [ARGS...]
#
# Runs PROGRAM in a private D-Bus session with a fresh HOME and an unlocked
# gnome-keyring, so libsecret talks to a real keyring and never prompts.
#
# How: dbus-run-session starts a private session bus and re-runs this script
# inside it. There, HOME and the XDG dirs point into a new temporary
# directory, and `gnome-keyring-daemon --unlock` reads a password on stdin:
# since no "login" keyring exists yet, the daemon creates it with that
# password, unlocked, and "login" becomes the "default" alias (what
# SECRET_COLLECTION_DEFAULT means). gnome-keyring refuses an *empty* unlock
# password (it would then need a prompt to create the default collection, and
# there is no display), so a fixed throw-away test password is used. The
# keyring file on disk is therefore encrypted, like a user's.
#
# Before running PROGRAM the script waits until org.freedesktop.secrets is
# owned on the bus (so libsecret never D-Bus-activates a second daemon) and
# checks that the default collection exists and is unlocked. When the
# program ends, the daemon is stopped and the directory removed; the exit
# status is the program's. Exit 77 (meson's "skipped") when
# dbus-run-session or gnome-keyring-daemon is not installed.
#
# WR_TEST_WRAPPER, when set, is a command line that runs PROGRAM (valgrind).
#
# Inside PROGRAM's environment: DBUS_SESSION_BUS_ADDRESS (private bus), HOME,
# XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_RUNTIME_DIR (all under
# the temporary dir) and WR_KEYRING_HOME (= HOME, so tests can inspect what
# was written to disk).
set -eu

if [ "$#" -lt 1 ]; then
  echo "usage: $0 PROGRAM [ARGS...]" >&2
  exit 2
fi

for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring.sh: $tool not found; skipping (install dbus and gnome-keyring)" >&2
    exit 77
  fi
done

if [ "$1" != "--wr-keyring-inner" ]; then
  exec dbus-run-session -- "$0" --wr-keyring-inner "$@"
fi
shift

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wr-keyring.XXXXXX")
daemon_pid=""

alive () {
  # A killed daemon's parent is init, which may reap it late: a zombie
  # counts as gone.
  kill -0 "$1" 2>/dev/null || return 1
  if [ -r "/proc/$1/stat" ]; then
    state=$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null || echo Z)
    [ "$state" != Z ] && [ "$state" != X ]
  fi
}

cleanup () {
  if [ -n "$daemon_pid" ]; then
    kill "$daemon_pid" 2>/dev/null || true
    # Let it go before its files are removed (at most ~2 s).
    i=0
    while [ "$i" -lt 20 ] && alive "$daemon_pid"; do
      sleep 0.1
      i=$((i + 1))
    done
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

export HOME="$tmp/home"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_CACHE_HOME="$HOME/.cache"
export XDG_RUNTIME_DIR="$tmp/run"
export WR_KEYRING_HOME="$HOME"
# A desktop session's keyring variables would point at its daemon. DISPLAY
# is kept (GUI tests run this under Xvfb); the keyring here never needs a
# prompt, and tests that provoke one set DISPLAY to "" themselves.
unset GNOME_KEYRING_CONTROL GNOME_KEYRING_PID SSH_AUTH_SOCK 2>/dev/null || true
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$tmp" "$XDG_RUNTIME_DIR"

bus_call () {
  # bus_call DEST PATH METHOD [ARGS...]
  dest=$1 path=$2 method=$3
  shift 3
  dbus-send --session --print-reply --reply-timeout=2000 \
    --dest="$dest" "$path" "$method" "$@" 2>/dev/null
}

# The daemon forks; the parent returns once the daemon is set up. Its output
# (environment assignments) is not needed: everything goes over the bus.
printf '%s' 'workroom-test-keyring' \
  | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>"$tmp/daemon.log" || {
    echo "with-keyring.sh: gnome-keyring-daemon --unlock failed:" >&2
    cat "$tmp/daemon.log" >&2
    exit 1
  }

# Wait for the Secret Service name (at most ~5 s), without activating it.
i=0
until bus_call org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets \
      | grep -q 'boolean true'; do
  i=$((i + 1))
  if [ "$i" -ge 50 ]; then
    echo "with-keyring.sh: gnome-keyring never appeared on the session bus" >&2
    cat "$tmp/daemon.log" >&2
    exit 1
  fi
  sleep 0.1
done

daemon_pid=$(bus_call org.freedesktop.DBus /org/freedesktop/DBus \
               org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets \
             | sed -n 's/^ *uint32 \([0-9]*\).*/\1/p')

# The default collection must exist and be unlocked, or libsecret would try
# to prompt (and fail without a display).
collection=$(bus_call org.freedesktop.secrets /org/freedesktop/secrets \
               org.freedesktop.Secret.Service.ReadAlias string:default \
             | sed -n 's/^ *object path "\(.*\)"/\1/p')
if [ -z "$collection" ] || [ "$collection" = "/" ]; then
  echo "with-keyring.sh: gnome-keyring has no default collection" >&2
  cat "$tmp/daemon.log" >&2
  exit 1
fi
if ! bus_call org.freedesktop.secrets "$collection" \
       org.freedesktop.DBus.Properties.Get \
       string:org.freedesktop.Secret.Collection string:Locked \
     | grep -q 'boolean false'; then
  echo "with-keyring.sh: the default collection $collection is locked" >&2
  exit 1
fi

# Not exec: the trap must stop the daemon and remove $tmp afterwards.
# WR_TEST_WRAPPER (e.g. "valgrind --error-exitcode=1 ...", split at spaces)
# wraps only PROGRAM, not this script, dbus or the keyring daemon.
status=0
# shellcheck disable=SC2086 # the wrapper is a command line: split it
${WR_TEST_WRAPPER:+$WR_TEST_WRAPPER} "$@" || status=$?
exit "$status"
