#!/usr/bin/env bash
# workroom.sh — the two commands a newcomer needs:
#   ./workroom.sh run    install what is missing, build, launch the app
#   ./workroom.sh test   install what is missing, build, run every test
# and a few for developers:
#   ./workroom.sh test --asan   the same under AddressSanitizer + UBSan
#   ./workroom.sh test --valgrind  unit + integration suites under valgrind memcheck
#   ./workroom.sh bench         build and run the benchmark programs
#   ./workroom.sh cli ARGS      build and run workroom-cli
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

# Debian/Ubuntu packages: building, running, and testing (Xvfb, keyring,
# AT-SPI for the GUI test).
apt_build=(meson ninja-build pkg-config gcc gettext libglib2.0-dev libglib2.0-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev
  libsecret-1-dev libcmark-dev libxml2-dev libzip-dev libcsv-dev libpoppler-glib-dev
  libtesseract-dev libgtksourceview-5-dev desktop-file-utils appstream)
apt_test=(gnome-keyring dbus dbus-x11 xvfb xauth python3 python3-gi python3-dogtail
  at-spi2-core gir1.2-atspi-2.0 libxml2-utils imagemagick tesseract-ocr-eng)
dnf_build=(meson ninja-build pkgconf-pkg-config gcc gettext glib2-devel gtk4-devel
  libadwaita-devel libsoup3-devel json-glib-devel sqlite-devel libsecret-devel
  cmark-devel libxml2-devel libzip-devel libcsv-devel poppler-glib-devel tesseract-devel gtksourceview5-devel
  desktop-file-utils appstream)
dnf_test=(gnome-keyring dbus-daemon dbus-x11 xorg-x11-server-Xvfb xorg-x11-xauth python3
  python3-gobject python3-dogtail at-spi2-core libxml2 ImageMagick tesseract-langpack-eng)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    log "Installing packages needs administrator rights: sudo $*"
    sudo "$@"
  else
    log "Please run as root: $*"
    exit 1
  fi
}

install_deps() {
  local want=("$@") missing=()
  if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    for p in "${want[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      log "Installing: ${missing[*]}"
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  elif command -v dnf >/dev/null 2>&1; then
    for p in "${want[@]}"; do
      rpm -q "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      log "Installing: ${missing[*]}"
      as_root dnf install -y -q "${missing[@]}"
    fi
  else
    log "Neither apt nor dnf found: install GTK 4, libadwaita, libsoup 3, json-glib, SQLite, libsecret, cmark and meson yourself."
  fi
}

deps_for() {
  if command -v apt-get >/dev/null 2>&1; then
    if [ "$1" = test ]; then echo "${apt_build[@]} ${apt_test[@]}"; else echo "${apt_build[@]}"; fi
  else
    if [ "$1" = test ]; then echo "${dnf_build[@]} ${dnf_test[@]}"; else echo "${dnf_build[@]}"; fi
  fi
}

build() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    log "Configuring $dir"
    meson setup "$dir" "$@" >/dev/null
  fi
  log "Building $dir"
  ninja -C "$dir" >/dev/null || ninja -C "$dir"
}

# Prints "N passed, N failed" from meson's test log and fails if any failed.
summarize() {
  local dir=$1 json="$1/meson-logs/testlog.json"
  python3 - "$json" <<'EOF'
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    res = r.get("result")
    if res in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif res == "SKIP":
        skipped += 1
    else:
        failed += 1
        print(f"FAILED: {r.get('name')} ({res})", file=sys.stderr)
extra = f", {skipped} skipped" if skipped else ""
print(f"{passed} passed, {failed} failed{extra}")
sys.exit(1 if failed else 0)
EOF
}

run_tests() {
  local dir=$1; shift
  local status=0
  # Tests talk only to their own mock servers; nothing from the user's
  # environment may leak in.
  unset OPENAI_API_KEY OPENAI_BASE_URL OLLAMA_HOST ANTHROPIC_API_KEY ANTHROPIC_BASE_URL \
    GOOGLE_API_KEY GOOGLE_BASE_URL WORKROOM_DATA_DIR WORKROOM_DEFAULT_MODEL || true
  log "Testing ($dir)"
  local display=()
  # Widget tests need a display; give them a private Xvfb when there is none.
  if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
    display=(xvfb-run -a -s "-screen 0 1280x800x24")
  fi
  "${display[@]}" meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" >"$dir/test-output.txt" 2>&1 || status=$?
  grep -E "^ *[0-9]+/[0-9]+ " "$dir/test-output.txt" | sed 's/^ *//' >&2 || true
  if [ $status -ne 0 ]; then
    tail -n 80 "$dir/test-output.txt" >&2
  fi
  summarize "$dir"
}

cmd=${1:-}
shift || true

case "$cmd" in
  run)
    install_deps $(deps_for run)
    build _build
    log "Starting Workroom"
    export GSETTINGS_SCHEMA_DIR="$here/_build/data"
    exec "$here/_build/src/gui/workroom" "$@"
    ;;
  test)
    install_deps $(deps_for test)
    if [ "${1:-}" = "--asan" ]; then
      shift
      build _build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
      export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:${ASAN_OPTIONS:-}"
      export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
      run_tests _build-asan "$@"
    elif [ "${1:-}" = "--valgrind" ]; then
      shift
      # Memcheck over the unit and integration suites (the GUI suite runs
      # Xvfb, AT-SPI and Python: too slow and too noisy under valgrind; the
      # data suite runs external validators, not our code).
      # The wrapper runs each test program under valgrind; with-keyring.sh
      # hands WR_TEST_WRAPPER to the program it starts, so dbus and the
      # keyring daemon run natively.
      command -v valgrind >/dev/null 2>&1 || install_deps valgrind
      build _build-vg -Dbuildtype=debug -Db_sanitize=none
      vg="valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite"
      vg="$vg --show-leak-kinds=definite --num-callers=30 --suppressions=$here/tests/valgrind.supp"
      export WR_TEST_WRAPPER="$vg" G_SLICE=always-malloc
      # With --wrapper meson names its log after the wrapper.
      mkdir -p _build-vg/meson-logs
      ln -sf testlog-valgrind.json _build-vg/meson-logs/testlog.json
      run_tests _build-vg --suite unit --suite integration --no-suite data --timeout-multiplier 10 \
        --wrapper "$vg" "$@"
    else
      build _build
      run_tests _build "$@"
    fi
    ;;
  bench)
    install_deps $(deps_for test)
    build _build
    for b in _build/bench/bench-*; do
      [ -f "$b" ] && [ -x "$b" ] || continue
      log "$(basename "$b")"
      case "$b" in
        */bench-startup)
          # Same harness for the app and GNOME Text Editor: Xvfb, no
          # accessibility bus, the cairo renderer.
          dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
            "$b" "$here/_build/src/gui/workroom" 2>/dev/null ;;
        */bench-chat-open)
          xvfb-run -a -s "-screen 0 1280x800x24" env GSK_RENDERER=cairo "$b" 2>/dev/null ;;
        *) "$b" ;;
      esac
    done
    ;;
  cli)
    install_deps $(deps_for run)
    build _build
    exec "$here/_build/src/cli/workroom-cli" "$@"
    ;;
  *)
    echo "Usage: ./workroom.sh run | test [--asan|--valgrind] | bench | cli ARGS" >&2
    exit 2
    ;;
esac
