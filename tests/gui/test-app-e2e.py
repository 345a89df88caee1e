#!/usr/bin/python3
"""End-to-end GUI test of the Workroom app, driven through AT-SPI (dogtail).

Starts the mock OpenAI server, launches the built `workroom` with a private
data folder and the mock as its provider, creates a project with the "New
Project" button, sends a message from the composer, waits until the streamed
markdown answer is shown, and saves screenshots in --artifacts.

Run through run-gui-test.sh (Xvfb + private D-Bus + keyring). Exit status:
0 passed, 1 failed, 77 skipped.
"""

import argparse
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

if os.environ.get("WR_GUI_DISPLAY"):
    os.environ["DISPLAY"] = os.environ["WR_GUI_DISPLAY"]

try:
    import pyatspi
    from dogtail.config import config
    config.checkForA11y = False
    config.logDebugToFile = False
    config.logDebugToStdOut = False
    config.typingDelay = 0.02
    config.actionDelay = 0.2
    config.searchCutoffCount = 1
    config.defaultDelay = 0.2
    from dogtail import rawinput, tree
    from dogtail.predicate import GenericPredicate
except ImportError as error:  # pragma: no cover
    print(f"dogtail is not available ({error}); skipping", file=sys.stderr)
    sys.exit(77)

PROJECT_NAME = "Research Notes"
RENAMED = "Field Research"
MESSAGE = "Show me some markdown"
# From WR_MOCK_MARKDOWN_TEXT in tests/mock/wr-mock-server.h.
ANSWER_HEADING = "Mock heading"
ANSWER_TAIL = "third item"
APP_NAMES = ("workroom", "Workroom", "io.github.workroom.Workroom")


class Failure(Exception):
    pass


def log(message):
    print(f"[{time.monotonic() - START:6.2f}s] {message}", flush=True)


def wait_for(what, probe, timeout=20.0, interval=0.2):
    """Polls probe() until it returns something true; fails after timeout."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = probe()
            if result:
                return result
        except Exception as error:  # AT-SPI objects vanish while the UI changes
            last_error = error
        time.sleep(interval)
    raise Failure(f"timed out after {timeout:.0f} s waiting for {what}"
                  + (f" (last error: {last_error})" if last_error else ""))


def find(node, name=None, role=None):
    """The first sensitive descendant with this name and role.

    GTK 4.8 does not keep AT-SPI's "showing" state up to date (widgets in an
    AdwLeaflet never get it), so hidden widgets are searched too; the names
    used here are unique in the window."""
    predicate = GenericPredicate(name=name, roleName=role)
    for found in node.findChildren(predicate, showingOnly=False):
        if found.sensitive:
            return found
    return None


def find_button(node, label):
    """A sensitive push button labelled label. GTK 4.8 names text buttons
    "<label> <label>" (and keeps the mnemonic underscore), so compare the
    first words with underscores removed."""
    for found in node.findChildren(GenericPredicate(roleName="push button"), showingOnly=False):
        name = (found.name or "").replace("_", "")
        if (name == label or name.startswith(label + " ")) and found.sensitive:
            return found
    return None


def find_app():
    for app in tree.root.applications():
        try:
            if app.name in APP_NAMES:
                return app
        except Exception:
            continue
    return None


def all_text(accessible, depth=0, out=None):
    """Names and Text-interface contents of every descendant."""
    if out is None:
        out = []
    if accessible is None or depth > 60:
        return out
    try:
        if accessible.name:
            out.append(accessible.name)
        try:
            text = accessible.queryText()
            out.append(text.getText(0, text.characterCount))
        except NotImplementedError:
            pass
        for i in range(accessible.childCount):
            all_text(accessible.getChildAtIndex(i), depth + 1, out)
    except Exception:
        pass
    return out


def app_contains_text(app, needle):
    return any(needle in text for text in all_text(app))


def click(node):
    """Activates a widget through its AT-SPI action (no pointer needed)."""
    for action in ("click", "activate", "press"):
        try:
            node.doActionNamed(action)
            return
        except Exception:
            continue
    node.click()


def focus(node, fallback_keys=None):
    """Moves keyboard focus to node: AT-SPI grabFocus where the toolkit
    supports it (GTK 4.8 does not), else the app's own shortcut."""
    try:
        if node.queryComponent().grabFocus():
            return
    except Exception:
        pass
    if fallback_keys:
        rawinput.keyCombo(fallback_keys)


def screenshot(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if shutil.which("import"):
        subprocess.run(["import", "-window", "root", path], check=False, timeout=20)
    elif shutil.which("xwd") and shutil.which("convert"):
        xwd = subprocess.run(["xwd", "-root", "-silent"], capture_output=True, timeout=20)
        subprocess.run(["convert", "xwd:-", path], input=xwd.stdout, check=False, timeout=20)
    if os.path.exists(path):
        log(f"screenshot: {path}")


def start_a11y_bus():
    launcher = "/usr/libexec/at-spi-bus-launcher"
    if not os.path.exists(launcher):
        return None  # rely on D-Bus activation of org.a11y.Bus
    return subprocess.Popen([launcher, "--launch-immediately"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_mock(path):
    mock = subprocess.Popen([path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    ready, _, _ = select.select([mock.stdout], [], [], 10)
    if not ready:
        mock.kill()
        raise Failure("the mock server printed no URL within 10 s")
    url = mock.stdout.readline().strip()
    if not url.startswith("http"):
        mock.kill()
        raise Failure(f"the mock server printed {url!r} instead of its URL")
    return mock, url


def stop(process):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run(args, data_dir):
    mock, url = start_mock(args.mock_server)
    log(f"mock server at {url}")
    app_process = None
    app_log = open(os.path.join(args.artifacts, "workroom.log"), "w")
    try:
        env = dict(os.environ)
        for name in ("NO_AT_BRIDGE", "GTK_A11Y", "OLLAMA_HOST", "GDK_DEBUG"):
            env.pop(name, None)
        env.update({
            "WORKROOM_DATA_DIR": data_dir,
            "OPENAI_API_KEY": "test-key",
            "OPENAI_BASE_URL": url,
            "WORKROOM_DEFAULT_MODEL": "mock-markdown",
            "WORKROOM_NO_OLLAMA_DETECT": "1",
            "GSETTINGS_BACKEND": "memory",
            "GSETTINGS_SCHEMA_DIR": args.schema_dir,
            "LC_ALL": "C.UTF-8",
            "LANGUAGE": "",
        })
        # GTK and fontconfig keep caches until exit; LeakSanitizer would
        # report them. Memory errors are still fatal under ASan.
        if "detect_leaks" not in env.get("ASAN_OPTIONS", ""):
            env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), "detect_leaks=0"]))
        app_process = subprocess.Popen([args.workroom], env=env,
                                       stdout=app_log, stderr=subprocess.STDOUT)
        log(f"started workroom (pid {app_process.pid})")

        def app_alive():
            if app_process.poll() is not None:
                raise SystemExit(f"FAIL: workroom exited with status {app_process.returncode}")
            return find_app()

        app = wait_for("the app on the accessibility bus", app_alive, timeout=30)
        log(f"found application {app.name!r}")

        new_project = wait_for("the “New Project” button",
                               lambda: app_alive() and find_button(app, "New Project"),
                               timeout=30)
        screenshot(os.path.join(args.artifacts, "app-e2e-start.png"))
        click(new_project)
        log("clicked New Project")

        entry = wait_for("the project name field",
                         lambda: find(app, "Project Name", "text"), timeout=10)
        # The dialog focuses its entry itself.
        wait_for("the focused project name field", lambda: entry.focused, timeout=5)
        rawinput.typeText(PROJECT_NAME)
        wait_for("the typed project name", lambda: any(PROJECT_NAME in text for text in all_text(entry)), timeout=5)
        rawinput.pressKey("Return")
        log("created project")

        wait_for(f"the project “{PROJECT_NAME}” in the sidebar",
                 lambda: app_alive() and find(app, PROJECT_NAME, "label"), timeout=10)

        composer = wait_for("the message composer",
                            lambda: app_alive() and find(app, "Message"), timeout=15)
        focus(composer, "<Control>l")
        wait_for("the focused composer", lambda: composer.focused, timeout=5)
        rawinput.typeText(MESSAGE)
        time.sleep(0.3)
        send = find_button(app, "Send")
        if send is not None and send.sensitive:
            click(send)
            log("clicked Send")
        else:
            rawinput.pressKey("Return")
            log("pressed Enter")

        wait_for("the streamed answer", lambda: app_alive() and
                 app_contains_text(app, ANSWER_HEADING) and app_contains_text(app, ANSWER_TAIL),
                 timeout=30, interval=0.5)
        log("answer shown")
        if not app_contains_text(app, MESSAGE):
            raise Failure("the sent message is not shown")

        time.sleep(0.5)  # let the last frame paint
        screenshot(os.path.join(args.artifacts, "app-e2e.png"))

        # Rename (F2), then delete and undo through the window's actions.
        frame = wait_for("the main window", lambda: find(app, "Workroom", "frame"), timeout=5)
        rawinput.pressKey("F2")
        entry = wait_for("the rename field", lambda: find(app, "Project Name", "text"), timeout=10)
        wait_for("the focused rename field", lambda: entry.focused, timeout=5)
        rawinput.typeText(RENAMED)  # replaces the selected old name
        rawinput.pressKey("Return")
        wait_for(f"the renamed project “{RENAMED}”",
                 lambda: find(app, RENAMED, "label") and not find(app, PROJECT_NAME, "label"),
                 timeout=10)
        log("renamed project")

        frame.doActionNamed("win.delete-project")
        undo = wait_for("the Undo button of the deletion toast",
                        lambda: find_button(app, "Undo"), timeout=10)
        wait_for("the project to leave the sidebar",
                 lambda: not find(app, RENAMED, "label"), timeout=10)
        log("deleted project")
        click(undo)
        wait_for("the restored project", lambda: find(app, RENAMED, "label"), timeout=10)
        log("restored project")

        # Quit through the app (Ctrl+Q) so shutdown and dispose run too.
        rawinput.keyCombo("<Control>q")
        try:
            status = app_process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            raise Failure("workroom did not quit within 15 s of Ctrl+Q")
        if status != 0:
            raise Failure(f"workroom exited with status {status} after Ctrl+Q")
        log("quit cleanly")
        return 0
    except Failure as error:
        log(f"FAIL: {error}")
        screenshot(os.path.join(args.artifacts, "app-e2e-failure.png"))
        return 1
    finally:
        stop(app_process)
        stop(mock)
        app_log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workroom", required=True)
    parser.add_argument("--mock-server", required=True)
    parser.add_argument("--schema-dir", required=True)
    parser.add_argument("--artifacts", required=True)
    args = parser.parse_args()

    if not os.environ.get("DISPLAY"):
        print("no DISPLAY: run through run-gui-test.sh; skipping", file=sys.stderr)
        return 77

    os.makedirs(args.artifacts, exist_ok=True)
    bus = start_a11y_bus()
    data_dir = tempfile.mkdtemp(prefix="wr-gui-test-")
    try:
        return run(args, data_dir)
    except SystemExit as error:
        log(str(error))
        screenshot(os.path.join(args.artifacts, "app-e2e-failure.png"))
        return 1
    except Exception:
        traceback.print_exc()
        screenshot(os.path.join(args.artifacts, "app-e2e-failure.png"))
        return 1
    finally:
        stop(bus)
        shutil.rmtree(data_dir, ignore_errors=True)
        with open(os.path.join(args.artifacts, "workroom.log")) as app_log:
            output = app_log.read().strip()
            if output:
                print("--- workroom output ---\n" + output)


START = time.monotonic()

if __name__ == "__main__":
    sys.exit(main())
