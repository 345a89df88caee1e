#!/bin/sh
# Usage: with-keyring.sh PROGRAM [ARGS...]
# Runs PROGRAM in a private D-Bus session with a fresh HOME and an unlocked
# gnome-keyring (empty password), so libsecret talks to a real keyring.
set -eu
if [ -z "${WR_KEYRING_INNER:-}" ]; then
  export WR_KEYRING_INNER=1
  exec dbus-run-session -- "$0" "$@"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wr-keyring.XXXXXX")
trap 'kill "${GNOME_KEYRING_PID:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/.local/share" \
       XDG_CONFIG_HOME="$tmp/home/.config" XDG_CACHE_HOME="$tmp/home/.cache" \
       XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf '' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL GNOME_KEYRING_PID 2>/dev/null || true
"$@"
