#!/bin/sh
# Usage: run-gui-test.sh SCRIPT.py [ARGS...]
#
# Runs a dogtail GUI test under a virtual X display (Xvfb), in a private
# D-Bus session with an unlocked throw-away keyring (tests/with-keyring.sh),
# with the accessibility bridge enabled so AT-SPI sees the app.
# Exit 77 (skipped) when Xvfb or dogtail is missing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)

if [ "${1:-}" = "--wr-gui-inner" ]; then
  shift
  # with-keyring.sh unsets DISPLAY (no keyring prompts); keep ours for the app.
  export WR_GUI_DISPLAY="$DISPLAY"
  exec "$here/../with-keyring.sh" "$python" "$@"
fi

for tool in xvfb-run Xvfb dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-gui-test.sh: $tool not found; skipping (install xvfb and dbus)" >&2
    exit 77
  fi
done
if ! "$python" -c 'import dogtail, pyatspi' >/dev/null 2>&1; then
  echo "run-gui-test.sh: python3-dogtail or python3-pyatspi not installed; skipping" >&2
  exit 77
fi

# The test environment turns accessibility off for the other suites.
unset NO_AT_BRIDGE GTK_A11Y 2>/dev/null || true
export GTK_USE_PORTAL=0
export GDK_BACKEND=x11
# No compositor here: skip GL so rendering is the same on every machine.
export GSK_RENDERER=cairo
export LIBGL_ALWAYS_SOFTWARE=1

exec timeout --kill-after=5 470 \
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0" --wr-gui-inner "$@"
