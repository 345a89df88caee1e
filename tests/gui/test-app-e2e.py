#!/usr/bin/python3
"""End-to-end GUI test of the Workroom app, driven through AT-SPI (dogtail).

Each scenario launches the built `workroom` with a private data folder
against the mock OpenAI server (tests/mock), and saves screenshots in
--artifacts:

  main        an environment provider; create a project with the "New
              Project" button, send a message, see the streamed markdown
              answer; rename, delete and undo the project.
  onboarding  no provider and a mock that requires an API key: the welcome
              page's "Add a Provider" form (name, base URL, key), a project,
              a message and its echo; then workroom-cli (--cli) on the same
              data folder says the key is set, and no file in the data folder
              contains it (it is in the keyring).
  ollama      first start with a local "Ollama" (the mock, probed through
              WORKROOM_OLLAMA_PROBE_HOST): the welcome page offers it, "Use
              Ollama" adds it; then Stop a long answer, see it marked
              stopped, Retry it and stop it again.
  ollama-dark the same welcome page in the dark style, for its screenshot.
  models      the project pages with 5 welcome credits: pick "mock-markdown"
              in the chat header's model selector and see it named under
              the answer; write an instruction template, use it in the
              project (workroom-cli lists it) and chat with it; rewrite a
              text in the "Caring" tone on Humanize and see it in the
              history; on Usage see the calls, add 10 credits (balance
              15.00) and find the top-up and the welcome credits in Credit
              History; see the default "gpt-4o" chain on Preferences'
              Failover page, switch to the dark style and take the pages
              again.
  knowledge   F3 through the app: a Markdown note and a CSV imported with
              workroom-cli; Knowledge search finds the note; a chat with
              "Use Project Knowledge" answers (mock-cite) with a numbered
              source that opens the passage in the source viewer; the answer
              is saved as a report; Data shows the CSV and charts it;
              Artifacts lists the table and the report, and F2 there
              renames the report (not the project); light and dark.

Run through run-gui-test.sh (Xvfb + private D-Bus + keyring). Exit status:
0 passed, 1 failed, 77 skipped. --scenario NAME runs one scenario.
"""

import argparse
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

if os.environ.get("WR_GUI_DISPLAY"):
    os.environ["DISPLAY"] = os.environ["WR_GUI_DISPLAY"]

try:
    import pyatspi  # noqa: F401  (dogtail needs it; imported to skip early)
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
# Onboarding: a provider that needs this key; mock-echo answers "Echo: …".
API_KEY = "sk-test-e2e-KEY"
PROVIDER_NAME = "Mock Cloud"
ONBOARDING_MESSAGE = "Hello from onboarding"
ECHO_ANSWER = "Echo: " + ONBOARDING_MESSAGE
# mock-long: WR_MOCK_LONG_CHUNKS (60) lines, one per ~50 ms.
LONG_LINE = "Line {} of a long answer."
OLLAMA_OFFER = "Ollama is running on this computer"
STOPPED = "Stopped — partial answer"
APP_NAMES = ("workroom", "Workroom", "io.github.workroom.Workroom")
# Variables of the caller that would add providers or change behaviour.
SCRUBBED_ENV = ("NO_AT_BRIDGE", "GTK_A11Y", "GDK_DEBUG", "OLLAMA_HOST", "OPENAI_API_KEY",
                "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
                "GOOGLE_API_KEY", "GOOGLE_BASE_URL", "WORKROOM_DEFAULT_MODEL",
                "WORKROOM_NO_OLLAMA_DETECT", "WORKROOM_OLLAMA_PROBE_HOST",
                "ADW_DEBUG_COLOR_SCHEME")


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
        except AppExited:
            raise
        except Exception as error:  # AT-SPI objects vanish while the UI changes
            last_error = error
        time.sleep(interval)
    raise Failure(f"timed out after {timeout:.0f} s waiting for {what}"
                  + (f" (last error: {last_error})" if last_error else ""))


class AppExited(Failure):
    pass


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


def find_button(node, label, sensitive=True):
    """A push button labelled label (by default only a sensitive one). GTK
    4.8 names text buttons "<label> <label>" (and keeps the mnemonic
    underscore), so compare the first words with underscores removed."""
    for found in node.findChildren(GenericPredicate(roleName="push button"), showingOnly=False):
        name = (found.name or "").replace("_", "")
        if (name == label or name.startswith(label + " ")) and (found.sensitive or not sensitive):
            return found
    return None


def find_app(pid):
    for app in tree.root.applications():
        try:
            if app.name in APP_NAMES and app.get_process_id() == pid:
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


def contains_text(node, needle):
    return any(needle in text for text in all_text(node))


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


def screenshot(args, name):
    path = os.path.join(args.artifacts, name)
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


class Cleanup(list):
    """What a scenario started, stopped in reverse order after it ends (and
    after the failure screenshot)."""

    def run(self):
        while self:
            try:
                self.pop()()
            except Exception:
                traceback.print_exc()


def start_mock(cleanup, path, *extra):
    mock = subprocess.Popen([path, *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    ready, _, _ = select.select([mock.stdout], [], [], 10)
    if not ready:
        mock.kill()
        raise Failure("the mock server printed no URL within 10 s")
    url = mock.stdout.readline().strip()
    if not url.startswith("http"):
        mock.kill()
        raise Failure(f"the mock server printed {url!r} instead of its URL")
    cleanup.append(lambda: stop(mock))
    log(f"mock server at {url}" + (f" ({' '.join(extra)})" if extra else ""))
    return url


def stop(process):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class App:
    """One run of the app: its process, its AT-SPI node, its output log."""

    def __init__(self, cleanup, args, name, data_dir, extra_env):
        self.args = args
        self.name = name
        self.data_dir = data_dir
        self.env = dict(os.environ)
        for variable in SCRUBBED_ENV:
            self.env.pop(variable, None)
        self.env.update({
            "WORKROOM_DATA_DIR": data_dir,
            "WORKROOM_NO_OLLAMA_DETECT": "1",
            "GSETTINGS_BACKEND": "memory",
            "GSETTINGS_SCHEMA_DIR": args.schema_dir,
            "LC_ALL": "C.UTF-8",
            "LANGUAGE": "",
        })
        for variable, value in extra_env.items():
            if value is None:
                self.env.pop(variable, None)
            else:
                self.env[variable] = value
        # GTK and fontconfig keep caches until exit; LeakSanitizer would
        # report them. Memory errors are still fatal under ASan.
        if "detect_leaks" not in self.env.get("ASAN_OPTIONS", ""):
            self.env["ASAN_OPTIONS"] = ":".join(filter(None, [self.env.get("ASAN_OPTIONS"),
                                                              "detect_leaks=0"]))
        self.log_path = os.path.join(args.artifacts, f"workroom-{name}.log")
        self.log_file = open(self.log_path, "w")
        self.process = subprocess.Popen([args.workroom], env=self.env,
                                        stdout=self.log_file, stderr=subprocess.STDOUT)
        cleanup.append(self.close)
        log(f"[{name}] started workroom (pid {self.process.pid})")
        self.node = wait_for("the app on the accessibility bus",
                             lambda: self.alive() and find_app(self.process.pid), timeout=30)

    def alive(self):
        if self.process.poll() is not None:
            raise AppExited(f"workroom exited with status {self.process.returncode}")
        return True

    def wait(self, what, probe, timeout=20.0, interval=0.2):
        return wait_for(what, lambda: self.alive() and probe(), timeout, interval)

    def quit(self):
        """Ctrl+Q, so shutdown and dispose run too."""
        rawinput.keyCombo("<Control>q")
        try:
            status = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            raise Failure("workroom did not quit within 15 s of Ctrl+Q")
        if status != 0:
            raise Failure(f"workroom exited with status {status} after Ctrl+Q")
        self.check_log()
        log(f"[{self.name}] quit cleanly")

    def close(self):
        stop(self.process)
        self.log_file.close()

    def check_log(self):
        """After a clean quit: criticals and warnings are bugs even when the
        app survives them."""
        self.log_file.flush()
        with open(self.log_path) as app_log:
            output = app_log.read()
        if "-CRITICAL **" in output or "-WARNING **" in output:
            raise Failure(f"workroom printed warnings:\n{output.strip()}")


def fill_field(app, name, keys, text, secret=False):
    """Types text into the form field (an AdwEntryRow) called name, reached
    through its mnemonic keys; checks that the field then holds exactly
    text. GTK 4.8 reports no focus for the entry inside the row, so the
    text arriving is the proof."""
    node = app.wait(f"the “{name}” field", lambda: find(app.node, name, "text"), timeout=10)
    rawinput.keyCombo(keys)
    time.sleep(0.2)
    rawinput.keyCombo("<Control>a")
    rawinput.typeText(text)
    if secret:
        # The row's own text (what AT-SPI exposes on GTK 4.8) must have the
        # key's length, whether shown as bullets or not.
        app.wait(f"the typed {name}", lambda: any(len(t) == len(text) for t in all_text(node)
                                                   if t != name), timeout=5)
    else:
        app.wait(f"the typed {name}", lambda: text in all_text(node), timeout=5)
    return node


def create_project(app, name):
    new_project = app.wait("the “New Project” button",
                           lambda: find_button(app.node, "New Project"), timeout=30)
    click(new_project)
    entry = app.wait("the project name field", lambda: find(app.node, "Project Name", "text"), timeout=10)
    # The dialog focuses its entry itself.
    app.wait("the focused project name field", lambda: entry.focused, timeout=5)
    rawinput.typeText(name)
    app.wait("the typed project name", lambda: any(name in t for t in all_text(entry)), timeout=5)
    rawinput.pressKey("Return")
    app.wait(f"the project “{name}” in the sidebar", lambda: find(app.node, name, "label"), timeout=10)
    log(f"[{app.name}] created project {name!r}")


def send_message(app, text):
    composer = app.wait("the message composer", lambda: find(app.node, "Message"), timeout=15)
    focus(composer, "<Control>l")
    app.wait("the focused composer", lambda: composer.focused, timeout=5)
    rawinput.typeText(text)
    app.wait("the typed message", lambda: any(text in t for t in all_text(composer)), timeout=5)
    send = find_button(app.node, "Send")
    if send is not None:
        click(send)
        log(f"[{app.name}] clicked Send")
    else:
        rawinput.pressKey("Return")
        log(f"[{app.name}] pressed Enter")


def messages_list(app):
    return app.wait("the message list", lambda: find(app.node, "Messages", "list"), timeout=10)


# Scenarios -----------------------------------------------------------------

def scenario_main(cleanup, args, data_dir):
    url = start_mock(cleanup, args.mock_server)
    app = App(cleanup, args, "main", data_dir, {
        "OPENAI_API_KEY": "test-key",
        "OPENAI_BASE_URL": url,
        "WORKROOM_DEFAULT_MODEL": "mock-markdown",
    })
    app.wait("the “New Project” button", lambda: find_button(app.node, "New Project"), timeout=30)
    screenshot(args, "app-e2e-start.png")
    create_project(app, PROJECT_NAME)
    send_message(app, MESSAGE)

    app.wait("the streamed answer", lambda: contains_text(app.node, ANSWER_HEADING)
             and contains_text(app.node, ANSWER_TAIL), timeout=30, interval=0.5)
    log("answer shown")
    if not contains_text(app.node, MESSAGE):
        raise Failure("the sent message is not shown")
    time.sleep(0.5)  # let the last frame paint
    screenshot(args, "app-e2e.png")

    # Rename (F2), then delete and undo through the window's actions.
    frame = app.wait("the main window", lambda: find(app.node, "Workroom", "frame"), timeout=5)
    rawinput.pressKey("F2")
    entry = app.wait("the rename field", lambda: find(app.node, "Project Name", "text"), timeout=10)
    app.wait("the focused rename field", lambda: entry.focused, timeout=5)
    rawinput.typeText(RENAMED)  # replaces the selected old name
    rawinput.pressKey("Return")
    app.wait(f"the renamed project “{RENAMED}”",
             lambda: find(app.node, RENAMED, "label") and not find(app.node, PROJECT_NAME, "label"),
             timeout=10)
    log("renamed project")

    frame.doActionNamed("win.delete-project")
    undo = app.wait("the Undo button of the deletion toast",
                    lambda: find_button(app.node, "Undo"), timeout=10)
    app.wait("the project to leave the sidebar", lambda: not find(app.node, RENAMED, "label"), timeout=10)
    log("deleted project")
    click(undo)
    app.wait("the restored project", lambda: find(app.node, RENAMED, "label"), timeout=10)
    log("restored project")
    app.quit()


def run_cli(args, app, *cli_args):
    result = subprocess.run([args.cli, "--json", *cli_args], env=app.env,
                            capture_output=True, text=True, timeout=20)
    if result.returncode != 0:
        raise Failure(f"workroom-cli {' '.join(cli_args)} failed ({result.returncode}): {result.stderr}")
    return json.loads(result.stdout)


def files_containing(directory, needle):
    needle = needle.encode()
    found = []
    for parent, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(parent, name)
            try:
                with open(path, "rb") as file:
                    if needle in file.read():
                        found.append(path)
            except OSError:
                continue
    return found


def scenario_onboarding(cleanup, args, data_dir):
    url = start_mock(cleanup, args.mock_server, "--api-key", API_KEY)
    app = App(cleanup, args, "onboarding", data_dir, {"WORKROOM_DEFAULT_MODEL": "mock-echo"})
    add = app.wait("the welcome page's “Add a Provider” button",
                   lambda: find_button(app.node, "Add a Provider"), timeout=30)
    time.sleep(0.3)
    screenshot(args, "onboarding-welcome.png")
    click(add)
    log("[onboarding] opened the Add Provider form")

    fill_field(app, "Name", "<Alt>n", PROVIDER_NAME)
    fill_field(app, "Base URL", "<Alt>b", url)
    fill_field(app, "API Key", "<Alt>k", API_KEY, secret=True)
    time.sleep(0.3)
    screenshot(args, "onboarding-add-provider.png")
    rawinput.pressKey("Return")  # the key row's activation adds
    log("[onboarding] submitted the provider")

    app.wait(f"the provider “{PROVIDER_NAME}” in Preferences",
             lambda: find(app.node, PROVIDER_NAME, "list item"), timeout=15)
    app.wait("the “added” toast", lambda: contains_text(app.node, f"“{PROVIDER_NAME}” added"), timeout=10)
    screenshot(args, "onboarding-preferences.png")
    preferences = app.wait("the Preferences window", lambda: next(
        (window for window in app.node.children if find(window, "Default Model", "label")), None), timeout=5)
    click(app.wait("the Preferences window's Close button",
                   lambda: find_button(preferences, "Close"), timeout=5))
    app.wait("Preferences to close", lambda: not any(find(window, "Default Model", "label")
                                                     for window in app.node.children), timeout=10)

    create_project(app, PROJECT_NAME)
    send_message(app, ONBOARDING_MESSAGE)
    messages = messages_list(app)
    app.wait("the echoed answer", lambda: contains_text(messages, ECHO_ANSWER), timeout=30, interval=0.4)
    log("[onboarding] echo answer shown")
    time.sleep(0.5)
    screenshot(args, "onboarding-chat.png")
    app.quit()

    providers = run_cli(args, app, "provider", "list")
    stored = [p for p in providers if p.get("name") == PROVIDER_NAME]
    if len(stored) != 1:
        raise Failure(f"workroom-cli lists {providers!r}, not one “{PROVIDER_NAME}”")
    if stored[0].get("source") != "stored" or stored[0].get("has_api_key") is not True:
        raise Failure(f"the saved provider has no key in the keyring: {stored[0]!r}")
    if stored[0].get("base_url") != url:
        raise Failure(f"the saved base URL is {stored[0].get('base_url')!r}, not {url!r}")
    leaks = files_containing(data_dir, API_KEY)
    if leaks:
        raise Failure(f"the API key is stored in plain text in {leaks}")
    log("[onboarding] key is in the keyring, not in the data folder")


def count_models(url):
    with urllib.request.urlopen(url + "/models", timeout=5) as response:
        return len(json.load(response)["data"])


def ollama_env(url, **extra):
    env = {
        # The probe runs only when detection is not switched off.
        "WORKROOM_NO_OLLAMA_DETECT": None,
        "WORKROOM_OLLAMA_PROBE_HOST": url,
    }
    env.update(extra)
    return env


def wait_for_offer(app, n_models):
    count = f"{n_models} models, ready to use"
    app.wait("the Ollama offer on the welcome page",
             lambda: find(app.node, OLLAMA_OFFER, "label") and find(app.node, count, "label")
             and find_button(app.node, "Use Ollama"), timeout=20)
    log(f"[{app.name}] welcome page offers Ollama ({n_models} models)")
    time.sleep(0.5)  # the crossfade and the last frame


def scenario_ollama(cleanup, args, data_dir):
    url = start_mock(cleanup, args.mock_server)
    n_models = count_models(url)
    app = App(cleanup, args, "ollama", data_dir, ollama_env(url, WORKROOM_DEFAULT_MODEL="mock-long"))
    wait_for_offer(app, n_models)
    screenshot(args, "ollama-welcome-light.png")

    click(find_button(app.node, "Use Ollama"))
    app.wait("the “Ollama added” toast", lambda: contains_text(app.node, "Ollama added"), timeout=15)
    log("[ollama] added Ollama")
    app.wait("the empty project page", lambda: find_button(app.node, "Create a Project"), timeout=10)

    create_project(app, PROJECT_NAME)
    stop_button = app.wait("the Stop button", lambda: find_button(app.node, "Stop", sensitive=False),
                           timeout=10)
    send_message(app, "Write a long answer")
    messages = messages_list(app)

    def stop_after_some_text(round_name):
        app.wait(f"streaming to start ({round_name})", lambda: stop_button.sensitive, timeout=15,
                 interval=0.05)
        app.wait(f"the first lines ({round_name})",
                 lambda: contains_text(messages, LONG_LINE.format(2)), timeout=10, interval=0.1)
        click(stop_button)
        log(f"[ollama] clicked Stop ({round_name})")
        app.wait(f"the stopped marker ({round_name})", lambda: contains_text(messages, STOPPED),
                 timeout=10)
        app.wait("Stop to be disabled", lambda: not stop_button.sensitive, timeout=5)
        if contains_text(messages, LONG_LINE.format(60)):
            raise Failure("the whole long answer arrived: Stop did not stop it")
        log(f"[ollama] answer marked stopped ({round_name})")

    stop_after_some_text("first")
    time.sleep(0.3)
    screenshot(args, "ollama-stopped.png")

    retry = app.wait("the Retry button", lambda: find_button(app.node, "Retry"), timeout=10)
    click(retry)
    log("[ollama] clicked Retry")
    stop_after_some_text("retry")
    time.sleep(0.3)
    screenshot(args, "ollama-retry-stopped.png")

    # Remove the provider again from Preferences (the async remove).
    rawinput.keyCombo("<Control>comma")
    remove = app.wait("the Remove button of the Ollama row",
                      lambda: find_button(app.node, "Remove Ollama"), timeout=10)
    click(remove)
    dialog = app.wait("the removal dialog", lambda: next(
        (window for window in app.node.children if find(window, "Remove “Ollama”?", "label")), None),
        timeout=10)
    click(app.wait("the dialog's Remove button", lambda: find_button(dialog, "Remove"), timeout=5))
    app.wait("the provider to leave Preferences",
             lambda: find(app.node, "No Providers", "list item")
             and not find(app.node, "Remove Ollama", "push button")
             and not find_button(app.node, "Remove Ollama"), timeout=10)
    log("[ollama] removed Ollama in Preferences")
    app.quit()

    providers = run_cli(args, app, "provider", "list")
    if providers != []:
        raise Failure(f"after removing Ollama, workroom-cli still lists {providers!r}")


def scenario_ollama_dark(cleanup, args, data_dir):
    url = start_mock(cleanup, args.mock_server)
    app = App(cleanup, args, "ollama-dark", data_dir, ollama_env(url, ADW_DEBUG_COLOR_SCHEME="prefer-dark"))
    wait_for_offer(app, count_models(url))
    screenshot(args, "ollama-welcome-dark.png")
    app.quit()


# models: the project pages (model selector, Instructions, Humanize, Usage)
TEMPLATE_NAME = "Friendly Tutor"
TEMPLATE_TEXT = "Explain things simply and kindly."
TEMPLATE_MESSAGE = "Hello with instructions"
HUMANIZE_TEXT = "Your package is late again."


def find_named(node, label, role):
    """Like find, for widgets GTK 4.8 names "<label> <label>" (switches,
    check buttons with an accessible label)."""
    for found in node.findChildren(GenericPredicate(roleName=role), showingOnly=False):
        name = found.name or ""
        if (name == label or name.startswith(label + " ")) and found.sensitive:
            return found
    return None


def window_named(app, title):
    return next((window for window in app.node.children if window.name == title), None)


def show_page(app, title):
    """Clicks the view switcher's tab of a project page."""
    click(app.wait(f"the “{title}” page tab", lambda: find(app.node, title, "page tab"), timeout=10))
    log(f"[{app.name}] {title} page")


def page_node(app, type_name):
    """A page's own node, to search less of the tree: GTK 4.8 names widgets
    without a label by their type; elsewhere the whole app."""
    return find(app.node, type_name) or app.node


def model_selector(chat, label):
    """The chat header's model button once it shows label. The menu button's
    inner toggle has the click action."""
    outer = find(chat, "Model", "push button")
    inner = find(outer, "Model", "push button") if outer is not None else None
    return inner if inner is not None and label in all_text(inner) else None


def focused_item(list_node):
    return next((item for item in list_node.children if item.focused), None)


def focused_list_item(node):
    """The focused list item anywhere under node."""
    found = []

    def walk(accessible, depth):
        try:
            if accessible.roleName == "list item" and accessible.focused:
                found.append(accessible)
                return
            if depth < 60:
                for child in accessible.children:
                    walk(child, depth + 1)
        except Exception:  # AT-SPI objects vanish while the UI changes
            pass

    walk(node, 0)
    return found[0] if found else None


def choose_item(app, list_node, label):
    """Moves the keyboard focus down list_node to the item showing label
    and activates it with Enter: GTK 4.8 gives list items no action."""
    for _ in range(list_node.childCount + 1):
        item = focused_item(list_node)
        if item is None:
            raise Failure(f"no item of the list has the focus on the way to “{label}”")
        texts = all_text(item)
        if label in texts:
            rawinput.pressKey("Return")
            return
        rawinput.pressKey("Down")
        app.wait(f"the focus to move on from {texts[:2]}",
                 lambda: focused_item(list_node) is not None
                 and all_text(focused_item(list_node)) != texts, timeout=3, interval=0.05)
    raise Failure(f"“{label}” is not in the list")


def total_calls(totals):
    for cell in totals.children:
        texts = all_text(cell)
        if "Calls" in texts:
            return next((int(t.replace(",", "")) for t in texts if t.replace(",", "").isdigit()), None)
    return None


def scenario_models(cleanup, args, data_dir):
    url = start_mock(cleanup, args.mock_server)
    app = App(cleanup, args, "models", data_dir, {
        "OPENAI_API_KEY": "test-key",
        "OPENAI_BASE_URL": url,
        "WORKROOM_DEFAULT_MODEL": "mock-echo",
        # A new profile's 5 welcome credits (the test environment sets 0).
        "WORKROOM_WELCOME_CREDITS": None,
    })
    create_project(app, PROJECT_NAME)
    chat = page_node(app, "WrChatView")

    # 1. Chat: another model for this chat, from the header's selector.
    click(app.wait("the “New Chat” button", lambda: find_button(chat, "New Chat"), timeout=10))
    selector = app.wait("the model selector of the new chat",
                        lambda: model_selector(chat, "Default (mock-echo)"), timeout=10)
    click(selector)
    models = app.wait("mock-markdown in the selector's model list",
                      lambda: next((found for found in [find(chat, "Models", "list")]
                                    if found is not None and contains_text(found, "mock-markdown")), None),
                      timeout=15)
    time.sleep(0.3)  # the catalogue's refresh on opening
    for _ in range(4):  # Refresh, the default model, the list
        if focused_item(models) is not None:
            break
        rawinput.pressKey("Tab")
        time.sleep(0.2)
    choose_item(app, models, "mock-markdown")
    app.wait("the selector to show mock-markdown", lambda: model_selector(chat, "mock-markdown"), timeout=10)
    log("[models] chose mock-markdown in the chat header")

    send_message(app, MESSAGE)
    messages = messages_list(app)
    app.wait("the markdown answer", lambda: contains_text(messages, ANSWER_HEADING)
             and contains_text(messages, ANSWER_TAIL), timeout=20, interval=0.4)
    caption = app.wait("the answer's caption naming its model", lambda: next(
        (text for text in all_text(messages) if text.startswith("mock-markdown · ")), None), timeout=10)
    log(f"[models] answer from mock-markdown ({caption})")
    # No tooltip over the chat: the pointer to the empty sidebar (it must
    # stay on the window, which gets the keys only while under the pointer).
    rawinput.absoluteMotion(120, 600)
    time.sleep(0.3)
    screenshot(args, "models-chat.png")

    # 2. Instructions: a template, used by the project's new chats.
    show_page(app, "Instructions")
    instructions = page_node(app, "WrTemplatesView")
    click(app.wait("the “New Template” button", lambda: find_button(instructions, "New Template"), timeout=10))
    name_field = app.wait("the focused template name field", lambda: next(
        (found for found in [find(instructions, "Template Name", "text")] if found is not None and found.focused),
        None), timeout=10)
    rawinput.typeText(TEMPLATE_NAME)
    app.wait("the typed template name", lambda: TEMPLATE_NAME in all_text(name_field), timeout=5)
    rawinput.pressKey("Return")  # on to the instructions
    text_field = app.wait("the focused instructions field", lambda: next(
        (found for found in [find(instructions, "Instructions", "text")] if found is not None and found.focused),
        None), timeout=5)
    rawinput.typeText(TEMPLATE_TEXT)
    app.wait("the typed instructions", lambda: TEMPLATE_TEXT in all_text(text_field), timeout=5)
    click(app.wait("the Save button", lambda: find_button(instructions, "Save"), timeout=5))
    templates = app.wait("the saved template in the list", lambda: next(
        (found for found in [find(instructions, "Templates", "list")]
         if found is not None and contains_text(found, TEMPLATE_NAME)), None), timeout=10)
    use = app.wait("the “Use in This Project” switch",
                   lambda: find_named(instructions, "Use in This Project", "check box"), timeout=10)
    app.wait("the saved template to be usable", lambda: contains_text(
        instructions, f"New chats in “{PROJECT_NAME}” start without instructions."), timeout=10)
    use.doActionNamed("toggle")
    app.wait("the project to use the template",
             lambda: use.checked and find(instructions, f"“{PROJECT_NAME}” uses “{TEMPLATE_NAME}”.", "label"),
             timeout=10)
    log("[models] saved a template and turned on “Use in This Project”")
    if not contains_text(templates, TEMPLATE_TEXT):
        raise Failure("the template list does not show the template's text")
    time.sleep(0.3)
    screenshot(args, "models-instructions.png")
    stored = [t for t in run_cli(args, app, "template", "list") if t.get("name") == TEMPLATE_NAME]
    if len(stored) != 1 or stored[0].get("content") != TEMPLATE_TEXT:
        raise Failure(f"workroom-cli lists {stored!r}, not one “{TEMPLATE_NAME}” with its text")

    show_page(app, "Chat")
    click(app.wait("the “New Chat” button", lambda: find_button(chat, "New Chat"), timeout=10))
    app.wait("the new chat", lambda: model_selector(chat, "Default (mock-echo)"), timeout=10)
    send_message(app, TEMPLATE_MESSAGE)
    app.wait("the echoed answer", lambda: contains_text(messages_list(app), "Echo: " + TEMPLATE_MESSAGE),
             timeout=20, interval=0.4)
    log("[models] a new chat with the project's instructions answered")

    # 3. Humanize: a rewrite in the Caring tone (mock-echo, the default model).
    show_page(app, "Humanize")
    humanize = page_node(app, "WrHumanizeView")
    tone = app.wait("the Tone row", lambda: find(humanize, "Tone", "combo box"), timeout=10)
    rawinput.keyCombo("<Alt>t")  # the row's mnemonic opens its list
    tones = app.wait("the open tone list", lambda: focused_list_item(humanize), timeout=5).parent
    choose_item(app, tones, "Caring")
    app.wait("the Caring tone", lambda: "Caring" in all_text(tone) and "Professional" not in all_text(tone),
             timeout=5)
    rawinput.keyCombo("<Shift>Tab")  # back to the text, above the row
    text_view = app.wait("the focused text to rewrite", lambda: next(
        (found for found in [find(humanize, "Text to Rewrite", "text")] if found is not None and found.focused),
        None), timeout=5)
    rawinput.typeText(HUMANIZE_TEXT)
    app.wait("the typed text", lambda: HUMANIZE_TEXT in all_text(text_view), timeout=5)
    click(app.wait("the Rewrite button", lambda: find_button(humanize, "Rewrite"), timeout=5))
    output = find(humanize, "Rewritten Text", "text")
    app.wait("the rewrite", lambda: "Echo: " + HUMANIZE_TEXT in all_text(output), timeout=20, interval=0.4)
    app.wait("the rewrite's tone and model", lambda: any(
        t.startswith("Caring · ") and t.endswith(" · mock-echo") for t in all_text(humanize)), timeout=5)
    history = app.wait("the rewrite in Recent Rewrites", lambda: next(
        (found for found in [find(humanize, "Recent Rewrites", "list")]
         if found is not None and contains_text(found, "Echo: " + HUMANIZE_TEXT)), None), timeout=10)
    if not any(t.startswith("Caring · ") for t in all_text(history)):
        raise Failure("the history does not name the rewrite's tone")
    log("[models] rewrote a text in the Caring tone")
    time.sleep(0.3)
    screenshot(args, "models-humanize.png")

    # 4. Usage: the calls, a top-up, the credit history.
    show_page(app, "Usage")
    usage = page_node(app, "WrUsageView")
    totals = app.wait("the usage totals", lambda: find(usage, "Totals", "table"), timeout=10)
    calls = app.wait("at least 3 calls in the totals",
                     lambda: next((n for n in [total_calls(totals)] if n is not None and n >= 3), None),
                     timeout=10)
    balance = app.wait("the balance row", lambda: find(usage, "Balance", "list item"), timeout=10)
    app.wait("the 5 welcome credits", lambda: "5.00 credits" in all_text(balance), timeout=10)
    log(f"[models] Usage shows {calls} calls and 5.00 credits")
    time.sleep(0.3)
    screenshot(args, "models-usage.png")

    click(app.wait("the “Add Credits…” button", lambda: find_button(usage, "Add Credits…"), timeout=5))
    dialog = app.wait("the Add Credits dialog", lambda: window_named(app, "Add Credits"), timeout=10)
    # A preset fills and focuses the amount; then type over it.
    click(app.wait("the “5 credits” button", lambda: find_button(dialog, "5 credits"), timeout=5))
    amount = app.wait("the amount field", lambda: find(dialog, "Amount in credits", "text"), timeout=5)
    app.wait("the preset amount", lambda: "5" in all_text(amount), timeout=5)
    rawinput.keyCombo("<Control>a")
    rawinput.typeText("10")
    app.wait("the typed amount", lambda: "10" in all_text(amount), timeout=5)
    rawinput.pressKey("Return")
    app.wait("the dialog to close", lambda: window_named(app, "Add Credits") is None, timeout=10)
    app.wait("the new balance", lambda: "15.00 credits" in all_text(balance), timeout=10)
    log("[models] added 10 credits: 15.00")

    rawinput.keyCombo("<Alt>h")  # the Credit History row's mnemonic
    ledger = app.wait("the Credit History dialog", lambda: window_named(app, "Credit History"), timeout=10)
    app.wait("the top-up and the welcome credits", lambda: next(
        (found for found in [find(ledger, "Credit movements, newest first", "list")]
         if found is not None and all(text in all_text(found)
                                      for text in ("Top-up", "+10.00", "Welcome credits", "+5.00"))),
        None), timeout=10)
    log("[models] Credit History lists the top-up and the welcome credits")
    time.sleep(0.3)
    screenshot(args, "models-credit-history.png")
    click(app.wait("the dialog's Close button", lambda: find_button(ledger, "Close"), timeout=5))
    app.wait("the dialog to close", lambda: window_named(app, "Credit History") is None, timeout=10)

    # 5. Preferences: the default failover chains; then the dark style.
    rawinput.keyCombo("<Control>comma")
    preferences = app.wait("the Preferences window", lambda: window_named(app, "Preferences"), timeout=10)
    click(app.wait("the Failover page tab", lambda: find(preferences, "Failover", "page tab"), timeout=5))
    app.wait("the default “gpt-4o” chain", lambda: next(
        (found for found in [find(preferences, "Failover Chains", "list")]
         if found is not None and find(found, "gpt-4o", "list item")), None), timeout=10)
    log("[models] the Failover page lists the gpt-4o chain")
    time.sleep(0.3)
    screenshot(args, "models-failover.png")

    click(app.wait("the Appearance page tab", lambda: find(preferences, "Appearance", "page tab"), timeout=5))
    dark = app.wait("the Dark style", lambda: find_named(preferences, "Dark", "check box"), timeout=5)
    rawinput.keyCombo("<Alt>d")
    app.wait("the dark style to be chosen", lambda: dark.checked, timeout=5)
    click(app.wait("the Preferences window's Close button", lambda: find_button(preferences, "Close"),
                   timeout=5))
    app.wait("Preferences to close", lambda: window_named(app, "Preferences") is None, timeout=10)
    for page in ("Usage", "Chat", "Humanize", "Instructions"):
        show_page(app, page)
        time.sleep(0.4)
        screenshot(args, f"models-{page.lower()}-dark.png")

    # 6. Quit; the balance is kept.
    app.quit()
    credits = run_cli(args, app, "credits", "balance")
    if credits.get("balance") != "15.00":
        raise Failure(f"workroom-cli says the balance is {credits!r}, not 15.00")

KNOWLEDGE_NOTE = """# Orion launch

## Launch plan

The Orion launch is set for March 14 in Lisbon, with the whole team.

## Budget

Catering and travel come to 12,400 euros.
"""
KNOWLEDGE_CSV = "region,month,sales\nNorth,Jan,120\nSouth,Jan,80\nNorth,Feb,150\nSouth,Feb,95\n"
KNOWLEDGE_QUESTION = "When is the Orion launch?"


def menu_item(app, label):
    """An item of the open popover menu, by its label (GTK 4.8 exposes
    them as menu items or check menu items)."""
    for role in ("check menu item", "menu item", "radio menu item", "push button"):
        found = find_named(app.node, label, role)
        if found is not None:
            return found
    return None


def scenario_knowledge(cleanup, args, data_dir):
    url = start_mock(cleanup, args.mock_server)
    app = App(cleanup, args, "knowledge", data_dir, {
        "OPENAI_API_KEY": "test-key",
        "OPENAI_BASE_URL": url,
        "WORKROOM_DEFAULT_MODEL": "mock-cite",
    })
    create_project(app, PROJECT_NAME)
    project = next((p for p in run_cli(args, app, "project", "list") if p.get("name") == PROJECT_NAME), None)
    if project is None:
        raise Failure("workroom-cli does not list the new project")
    files = os.path.join(data_dir, "files")
    os.makedirs(files, exist_ok=True)
    note, table = os.path.join(files, "orion.md"), os.path.join(files, "sales.csv")
    with open(note, "w") as out:
        out.write(KNOWLEDGE_NOTE)
    with open(table, "w") as out:
        out.write(KNOWLEDGE_CSV)
    for path in (note, table):
        run_cli(args, app, "import", path, "--project", project["id"])
    log("[knowledge] imported orion.md and sales.csv with workroom-cli")

    # 1. Knowledge: search finds the note's passage.
    show_page(app, "Knowledge")
    knowledge = page_node(app, "WrKnowledgeView")
    app.wait("orion.md in the documents", lambda: contains_text(knowledge, "orion.md"), timeout=15)
    search = app.wait("the search field", lambda: find(knowledge, "Search documents"), timeout=10)
    rawinput.keyCombo("<Control>f")  # the window's Ctrl+F: the shown page's search
    time.sleep(0.3)
    rawinput.typeText("Lisbon")
    app.wait("a search hit in orion.md", lambda: contains_text(knowledge, "Launch plan"), timeout=15)
    time.sleep(0.4)
    screenshot(args, "knowledge-search.png")

    # 2. Chat with knowledge: a numbered source that opens the passage.
    show_page(app, "Chat")
    chat = page_node(app, "WrChatView")
    click(app.wait("the “New Chat” button", lambda: find_button(chat, "New Chat"), timeout=10))
    menu = app.wait("the chat menu", lambda: find_named(app.node, "Chat Menu", "toggle button")
                    or find_named(app.node, "Chat Menu", "push button"), timeout=10)
    click(find_named(menu, "Chat Menu", "push button") or find_named(menu, "Chat Menu", "toggle button") or menu)
    click(app.wait("“Use Project Knowledge”", lambda: menu_item(app, "Use Project Knowledge"), timeout=10))
    app.wait("the Knowledge pill", lambda: find(chat, "Answers use project knowledge", "label")
             or find(chat, "Knowledge", "label"), timeout=10)
    log("[knowledge] the chat uses project knowledge")
    send_message(app, KNOWLEDGE_QUESTION)
    messages = messages_list(app)
    app.wait("the cited answer", lambda: contains_text(messages, "According to [1]"), timeout=20, interval=0.4)
    source = app.wait("the answer's source button", lambda: next(
        (b for b in messages.findChildren(GenericPredicate(roleName="push button"), showingOnly=False)
         if (b.name or "").startswith("Source 1: orion.md")), None), timeout=10)
    rawinput.absoluteMotion(120, 600)
    time.sleep(0.4)
    screenshot(args, "knowledge-chat.png")
    click(source)
    viewer = app.wait("the source viewer", lambda: window_named(app, "Source")
                      or next((w for w in app.node.children if "orion.md" in (w.name or "")), None), timeout=10)
    app.wait("the cited passage in the viewer", lambda: contains_text(viewer, "Lisbon"), timeout=10)
    log("[knowledge] source 1 opens the passage about Lisbon")
    time.sleep(0.4)
    screenshot(args, "knowledge-source.png")
    rawinput.pressKey("Escape")
    app.wait("the viewer to close", lambda: window_named(app, "Source") is None, timeout=10)

    # 3. Save the answer as a report.
    save = app.wait("the answer's Save as Artifact button", lambda: find_named(messages, "Save as Artifact", "toggle button")
                    or find_named(messages, "Save as Artifact", "push button"), timeout=10)
    click(find_named(save, "Save as Artifact", "push button")
          or find_named(save, "Save as Artifact", "toggle button") or save)  # the menu button's inner button
    click(app.wait("“Save as Report”", lambda: menu_item(app, "Save as Report"), timeout=10))
    app.wait("the saved toast", lambda: contains_text(app.node, "Saved to Artifacts"), timeout=10)
    log("[knowledge] saved the answer as a report")

    # 4. Data: the CSV, charted.
    show_page(app, "Data")
    data = page_node(app, "WrDataView")
    app.wait("sales.csv on the Data page", lambda: contains_text(data, "sales.csv"), timeout=15)
    app.wait("the rows of sales.csv", lambda: contains_text(data, "North"), timeout=15)
    click(app.wait("the Chart button", lambda: find_named(data, "Chart", "toggle button")
                   or find_button(data, "Chart"), timeout=10))
    app.wait("the chart of sales.csv", lambda: next(
        (n for n in data.findChildren(GenericPredicate(roleName="image"), showingOnly=False)
         if "Chart" in (n.name or "") or "chart" in (n.description or "")), None), timeout=15)
    log("[knowledge] Data charts sales.csv")
    time.sleep(0.6)
    screenshot(args, "knowledge-data.png")

    # 5. Artifacts: the table the import made and the report.
    show_page(app, "Artifacts")
    artifacts = page_node(app, "WrArtifactsView")
    app.wait("the table and the report", lambda: contains_text(artifacts, "sales.csv")
             and len(run_cli(args, app, "artifact", "list", "--project", project["id"])) >= 2, timeout=15)
    kinds = sorted(a.get("kind") for a in run_cli(args, app, "artifact", "list", "--project", project["id"]))
    if kinds != ["report", "table"]:
        raise Failure(f"workroom-cli lists artifacts of kinds {kinds}, not a report and a table")
    time.sleep(0.4)
    screenshot(args, "knowledge-artifacts.png")

    # F2 on Artifacts renames the artifact, not the project.
    # The newest, the report, is selected.
    rawinput.keyCombo("<Control>f")  # the focus into the page: its search field
    time.sleep(0.3)
    rawinput.pressKey("F2")
    name = app.wait("the Rename Artifact dialog's name field", lambda: next(
        (w for w in app.node.children if contains_text(w, "Rename Artifact")), None) and find(app.node, "Name", "text"),
        timeout=10)
    rawinput.keyCombo("<Control>a")
    rawinput.typeText("Orion launch date")
    app.wait("the typed artifact name", lambda: "Orion launch date" in all_text(name), timeout=5)
    rawinput.pressKey("Return")
    app.wait("the renamed report", lambda: any(a.get("name") == "Orion launch date" for a in
                                               run_cli(args, app, "artifact", "list", "--project", project["id"])),
             timeout=10)
    if not any(p.get("name") == PROJECT_NAME for p in run_cli(args, app, "project", "list")):
        raise Failure("F2 on the Artifacts page renamed the project")
    log("[knowledge] F2 renamed the report, not the project")

    rawinput.keyCombo("<Control>comma")
    preferences = app.wait("the Preferences window", lambda: window_named(app, "Preferences"), timeout=10)
    click(app.wait("the Appearance page tab", lambda: find(preferences, "Appearance", "page tab"), timeout=5))
    dark = app.wait("the Dark style", lambda: find_named(preferences, "Dark", "check box"), timeout=5)
    rawinput.keyCombo("<Alt>d")
    app.wait("the dark style to be chosen", lambda: dark.checked, timeout=5)
    click(app.wait("the Preferences window's Close button", lambda: find_button(preferences, "Close"),
                   timeout=5))
    app.wait("Preferences to close", lambda: window_named(app, "Preferences") is None, timeout=10)
    for page in ("Artifacts", "Data", "Knowledge", "Chat"):
        show_page(app, page)
        time.sleep(0.5)
        screenshot(args, f"knowledge-{page.lower()}-dark.png")
    app.quit()


SCENARIOS = {
    "main": scenario_main,
    "onboarding": scenario_onboarding,
    "ollama": scenario_ollama,
    "ollama-dark": scenario_ollama_dark,
    "models": scenario_models,
    "knowledge": scenario_knowledge,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workroom", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--mock-server", required=True)
    parser.add_argument("--schema-dir", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append")
    args = parser.parse_args()

    if not os.environ.get("DISPLAY"):
        print("no DISPLAY: run through run-gui-test.sh; skipping", file=sys.stderr)
        return 77

    os.makedirs(args.artifacts, exist_ok=True)
    bus = start_a11y_bus()
    failed = []
    try:
        for name in args.scenario or SCENARIOS:
            data_dir = tempfile.mkdtemp(prefix=f"wr-gui-{name}-")
            log(f"=== {name}")
            cleanup = Cleanup()
            try:
                SCENARIOS[name](cleanup, args, data_dir)
                log(f"=== {name}: passed")
            except Failure as error:
                log(f"FAIL [{name}]: {error}")
                screenshot(args, f"{name}-failure.png")
                failed.append(name)
            except Exception:
                traceback.print_exc()
                screenshot(args, f"{name}-failure.png")
                failed.append(name)
            finally:
                cleanup.run()
                shutil.rmtree(data_dir, ignore_errors=True)
    finally:
        stop(bus)

    for name in failed:
        path = os.path.join(args.artifacts, f"workroom-{name}.log")
        if os.path.exists(path):
            with open(path) as app_log:
                output = app_log.read().strip()
            if output:
                print(f"--- workroom output ({name}) ---\n{output}")
    log(f"{len(failed)} of {len(args.scenario or SCENARIOS)} scenarios failed: {failed}" if failed
        else "all scenarios passed")
    return 1 if failed else 0


START = time.monotonic()

if __name__ == "__main__":
    sys.exit(main())
