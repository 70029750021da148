"""The three browser engines the site supports, behind one small interface, so that one test body
runs on each: Chromium (Debian's, through Playwright), Firefox (Debian's Firefox ESR, through
WebDriver BiDi) and WebKit, Safari's engine (Debian's WebKitGTK MiniBrowser, through its
WebDriver).

Playwright's own Firefox and WebKit builds cannot be downloaded here, and the stock browsers do
not speak Playwright's protocols, so each engine is driven through the standard protocol it
speaks. A test sees only `Tab`:

    tab.goto(url); tab.reload()
    tab.js("expression")        the value of a JavaScript expression (awaited), through JSON
    tab.wait("expression")      until the expression is truthy, or fail with what it was
    tab.screenshot(path)
    tab.new_tab()               this page closed, a new tab of the same browser and profile
                                opened in its place: a reader's second visit (caches kept)

Everything a test does to a page goes through the page's own JavaScript (clicking a button,
typing into an editor by the browser's editing commands), which all three engines run alike.

An engine's features may be switched off to test the site's fallbacks, the way a reader's browser
lacks them: `open_tab(features_off={"wasm-simd", ...})` (see FEATURE_SWITCHES).

A fresh tab's profile, and so what a second visit through `new_tab()` keeps, differs by engine
(each engine class's PROFILE says it): Chromium's is in memory unless `open_tab(on_disk=True)`
asks for an empty profile folder, as a reader's browser keeps one; Firefox's is always a new
profile folder; WebKit's is the ephemeral (in-memory) data store that WebKitGTK gives every
automation session.
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ENGINES = ("chromium", "firefox", "webkit")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
#: What a fresh machine installs for each engine (Debian packages); .ci/run and the Makefile too.
PACKAGES = {
    "chromium": ["chromium"],
    "firefox": ["firefox-esr"],
    "webkit": ["webkit2gtk-driver", "xvfb"],
}
WINDOW = (1280, 900)

#: How an engine's own switches take something away, as a reader's browser may lack it (where
#: the engine has such a switch; the site's own switch, ?nndl-without=, works in every engine).
#: Chromium: command-line flags of V8 and Blink; Firefox: preferences.
FEATURE_SWITCHES = {
    # WebAssembly memory of 1 GB at most (16384 pages of 64 KiB), as on a phone, not 4 GB.
    "low-memory": {"chromium": {"args": ["--js-flags=--wasm-max-mem-pages=16384"]}},
    # localStorage refused (site data blocked): window.localStorage is null.
    "local-storage": {"firefox": {"prefs": {"dom.storage.enabled": False}}},
    # No service workers and no Cache Storage, as in a private window.
    "service-worker": {
        "firefox": {"prefs": {"dom.serviceWorkers.enabled": False, "dom.caches.enabled": False}},
    },
}


class EngineError(AssertionError):
    pass


class Tab:
    """One page in one fresh browser profile (own cache, storage and service workers)."""

    engine = None
    #: Parts of error messages the test expects the page to report (allow_errors).
    allowed = ()

    def allow_errors(self, *parts):
        """Errors the test provokes on purpose (a damaged file makes the browser say so)."""
        self.allowed = (*self.allowed, *parts)

    #: Whether only errors raised in the site's own scripts (site/assets/nndl/) count: Material's
    #: scripts, for one, fail when the browser refuses them localStorage.
    only_ours = False

    def allow_errors_of_others(self):
        self.only_ours = True

    def unexpected_errors(self):
        """Uncaught errors the page reported, and requests it made to any host but this
        machine's test servers (where the engine's protocol reports requests)."""
        foreign = [
            f"a request to another host: {url}"
            for url in self.requests
            if not url.startswith(("data:", "blob:", "about:")) and urlsplit(url).hostname != "127.0.0.1"
        ]
        errors = [e for e in self.errors if not any(part in e for part in self.allowed)]
        if self.only_ours:
            errors = [e for e in errors if "/assets/nndl/" in e]
        return errors + foreign

    #: Addresses the page and its workers requested, where the engine's protocol reports them.
    requests = ()

    def js(self, expression):
        """The value of the expression, awaited if it is a promise; JSON types only."""
        wrapped = (
            "(async () => { const value = await (" + expression + ");"
            " return JSON.stringify(value === undefined ? null : value); })()"
        )
        return json.loads(self._evaluate(wrapped))

    def wait(self, expression, timeout=60, message=None, interval=0.1):
        """Poll until the expression is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise EngineError(
                    f"{self.engine}: after {timeout} s, still not true: {message or expression}"
                )
            time.sleep(interval)

    def goto(self, url):
        raise NotImplementedError

    def reload(self):
        raise NotImplementedError

    def new_tab(self):
        """Close this page and open a new tab of the same browser in its place (same profile:
        HTTP cache, compiled code, storage, service workers); later calls go to the new tab."""
        raise NotImplementedError

    def screenshot(self, path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(self._png())

    def close(self):
        raise NotImplementedError


# ---- Chromium, through Playwright -----------------------------------------------------------


class ChromiumTab(Tab):
    engine = "chromium"

    def __init__(self, browser, features_off, context=None):
        self.browser = browser
        self.context = context or browser.new_context(
            viewport={"width": WINDOW[0], "height": WINDOW[1]}
        )
        self.errors = []
        self.requests = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self._watch(self.context.pages[0] if self.context.pages else self.context.new_page())

    def _watch(self, page):
        self.page = page
        self.page.on("pageerror", lambda error: self.errors.append(error.stack or str(error)))

    def new_tab(self):
        old = self.page
        self._watch(self.context.new_page())
        old.close()

    def _evaluate(self, source):
        return self.page.evaluate(source)

    def goto(self, url):
        self.page.goto(url)

    def reload(self):
        self.page.reload()

    def _png(self):
        return self.page.screenshot()

    def close(self):
        self.context.close()
        if self.browser is not None and getattr(self, "owns_browser", False):
            self.browser.close()
        if getattr(self, "profile", None):
            shutil.rmtree(self.profile, ignore_errors=True)


class Chromium:
    name = "chromium"
    PROFILE = ("a fresh profile folder on disk (HTTP cache with the code compiled from scripts"
               " and WebAssembly, storage, service workers)")

    def __init__(self, playwright):
        self.playwright = playwright
        self.shared = None

    def open_tab(self, features_off=(), on_disk=False):
        """A tab in a fresh profile: in memory, or in an empty profile folder (on_disk), which
        keeps what a reader's browser keeps between visits, such as compiled code."""
        args = list(CHROMIUM_ARGS)
        for feature in features_off:
            args += switches(feature, "chromium").get("args", [])
        if on_disk:
            folder = tempfile.mkdtemp(prefix="nndl-chromium-")
            context = self.playwright.chromium.launch_persistent_context(
                folder, executable_path=CHROMIUM, args=args,
                viewport={"width": WINDOW[0], "height": WINDOW[1]},
            )
            tab = ChromiumTab(None, features_off, context=context)
            tab.profile = folder
            return tab
        if features_off:  # a browser of its own, launched with the switches
            browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=args)
            tab = ChromiumTab(browser, features_off)
            tab.owns_browser = True
            return tab
        if self.shared is None:
            self.shared = self.playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        return ChromiumTab(self.shared, features_off)

    def version(self):
        if self.shared is None:
            self.open_tab().close()
        return f"Chromium {self.shared.version}"

    def close(self):
        if self.shared is not None:
            self.shared.close()


# ---- Firefox, through WebDriver BiDi ---------------------------------------------------------


class BiDi:
    """A WebDriver BiDi session over a WebSocket: commands answered by id, events collected."""

    def __init__(self, url):
        import websocket  # websocket-client

        self.socket = websocket.create_connection(url, timeout=300, suppress_origin=True)
        self.next_id = 0
        self.events = []
        self.lock = threading.Lock()

    def send(self, method, **params):
        with self.lock:
            self.next_id += 1
            command_id = self.next_id
            self.socket.send(json.dumps({"id": command_id, "method": method, "params": params}))
            while True:
                message = json.loads(self.socket.recv())
                if message.get("type") == "event":
                    self.events.append(message)
                    continue
                if message.get("id") != command_id:
                    continue
                if message.get("type") == "error":
                    raise EngineError(f"firefox: {method}: {message['error']}: {message['message']}")
                return message["result"]

    def close(self):
        self.socket.close()


class FirefoxTab(Tab):
    engine = "firefox"

    def __init__(self, features_off):
        self.profile = Path(tempfile.mkdtemp(prefix="nndl-firefox-"))
        prefs = {
            "browser.shell.checkDefaultBrowser": False,
            "datareporting.policy.dataSubmissionEnabled": False,
            "toolkit.telemetry.reportingpolicy.firstRun": False,
            "app.update.disabledForTesting": True,
            "browser.startup.homepage_override.mstone": "ignore",
            "network.captive-portal-service.enabled": False,
            "network.connectivity-service.enabled": False,
            "extensions.update.enabled": False,
            "browser.safebrowsing.update.enabled": False,
            "remote.prefs.recommended": True,
        }
        for feature in features_off:
            prefs.update(switches(feature, "firefox").get("prefs", {}))
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items())
        )
        env = {**os.environ, "MOZ_HEADLESS_WIDTH": str(WINDOW[0]), "MOZ_HEADLESS_HEIGHT": str(WINDOW[1])}
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", str(self.profile),
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
        )
        url = None
        deadline = time.monotonic() + 60
        for line in self.process.stderr:
            if "WebDriver BiDi listening on " in line:
                url = line.split("listening on ", 1)[1].strip()
                break
            if time.monotonic() > deadline:
                break
        if url is None:
            self.process.kill()
            raise EngineError("firefox: no WebDriver BiDi endpoint was announced")
        threading.Thread(target=self._drain, daemon=True).start()
        self.bidi = BiDi(url.rstrip("/") + "/session")
        self.bidi.send("session.new", capabilities={"alwaysMatch": {"acceptInsecureCerts": True}})
        self.bidi.send("session.subscribe", events=["log.entryAdded", "network.beforeRequestSent"])
        contexts = self.bidi.send("browsingContext.getTree")["contexts"]
        self._use(contexts[0]["context"])

    def _use(self, context):
        self.context = context
        self.bidi.send(
            "browsingContext.setViewport", context=self.context,
            viewport={"width": WINDOW[0], "height": WINDOW[1]},
        )

    def new_tab(self):
        old = self.context
        self._use(self.bidi.send("browsingContext.create", type="tab")["context"])
        self.bidi.send("browsingContext.close", context=old)

    def _drain(self):
        try:
            self.process.stderr.read()
        except (OSError, ValueError):
            pass

    @property
    def requests(self):
        return [
            event["params"]["request"]["url"]
            for event in self.bidi.events
            if event.get("method") == "network.beforeRequestSent"
        ]

    @property
    def errors(self):
        return [
            " ".join([event["params"].get("text", ""), "at", *(
                frame.get("url", "") for frame in event["params"].get("stackTrace", {}).get("callFrames", [])
            )])
            for event in self.bidi.events
            if event.get("method") == "log.entryAdded" and event["params"].get("level") == "error"
        ]

    def _evaluate(self, source):
        result = self.bidi.send(
            "script.evaluate", expression=source, target={"context": self.context},
            awaitPromise=True, resultOwnership="none",
        )
        if result["type"] == "exception":
            details = result["exceptionDetails"]
            raise EngineError(f"firefox: {details.get('text')}")
        return result["result"]["value"]

    def goto(self, url):
        self.bidi.send("browsingContext.navigate", context=self.context, url=url, wait="complete")

    def reload(self):
        self.bidi.send("browsingContext.reload", context=self.context, wait="complete")

    def _png(self):
        data = self.bidi.send("browsingContext.captureScreenshot", context=self.context)["data"]
        return base64.b64decode(data)

    def close(self):
        try:
            self.bidi.send("session.end")
            self.bidi.close()
        except Exception:
            pass
        stop(self.process)
        self.process.stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class Firefox:
    name = "firefox"
    PROFILE = "a fresh profile folder on disk (HTTP cache, storage, service workers)"

    def open_tab(self, features_off=(), on_disk=False):
        """A tab in a fresh profile folder (always on disk: on_disk changes nothing)."""
        return FirefoxTab(features_off)

    def version(self):
        out = subprocess.run([FIREFOX, "--version"], capture_output=True, text=True).stdout
        return out.strip()

    def close(self):
        pass


# ---- WebKit, through WebKitWebDriver (W3C WebDriver over HTTP) -------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: Under Xvfb there is no GPU, and WebKitGTK's accelerated compositing then draws with OpenGL
#: emulated on the processor (Mesa's llvmpipe). Over two cold and warm visits of the demo page,
#: llvmpipe's threads used 12% of this 2-core machine's time (`perf record -a`), nearly as much as
#: Python's worker (15%), and the first result came after 2.8 to 7.2 s. Safari composites on the
#: reader's GPU. So MiniBrowser runs without accelerated compositing, drawing the page on the
#: processor as WebKitGTK does where OpenGL is unavailable: llvmpipe is gone from the profile, and
#: the first result came after 2.2 to 3.5 s in the same runs.
WEBKIT_ENV = {"WEBKIT_DISABLE_COMPOSITING_MODE": "1"}


class WebKitTab(Tab):
    """A WebDriver session of WebKitWebDriver: one MiniBrowser process with its own ephemeral
    profile. The W3C WebDriver calls used are few (new session, navigate, refresh, execute,
    screenshot, delete), so they are made directly over HTTP."""

    engine = "webkit"

    #: How long MiniBrowser may take to start. Now and then, on a busy machine, it never
    #: answers the new session (the driver waits for ever): the tab is then started again once.
    SESSION_TIMEOUT = 120

    def __init__(self, features_off, display):
        env = {**os.environ, "DISPLAY": display, **WEBKIT_ENV}
        for feature in features_off:
            env.update(switches(feature, "webkit").get("env", {}))
        for attempt in (1, 2):
            try:
                self._start(env)
                break
            except EngineError:
                if attempt == 2:
                    raise
        self._call("POST", f"{self.session}/timeouts", {"script": 600_000, "pageLoad": 120_000})
        self._call("POST", f"{self.session}/window/rect", {"width": WINDOW[0], "height": WINDOW[1]})
        self.errors = []  # WebDriver classic reports no console messages

    def _start(self, env):
        """Start WebKitWebDriver and, through it, a MiniBrowser session."""
        self.port = free_port()
        self.driver = subprocess.Popen(
            [WEBKIT_DRIVER, f"--port={self.port}", "--host=127.0.0.1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                self._call("GET", "/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    self._stop_driver()
                    raise EngineError("webkit: WebKitWebDriver did not start")
                time.sleep(0.1)
        capabilities = {
            "browserName": "MiniBrowser",
            "webkitgtk:browserOptions": {"binary": MINIBROWSER, "args": ["--automation"]},
        }
        try:
            session = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}},
                                 timeout=self.SESSION_TIMEOUT)
        except (TimeoutError, urllib.error.URLError) as error:
            self._stop_driver()
            raise EngineError(f"webkit: MiniBrowser did not start ({error})") from None
        self.session = f"/session/{session['sessionId']}"

    def _stop_driver(self):
        stop(self.driver)

    def _call(self, method, path, body=None, timeout=900):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as error:
            value = json.loads(error.read() or b"{}").get("value", {})
            raise EngineError(f"webkit: {path}: {value.get('error')}: {value.get('message')}") from None

    def _evaluate(self, source):
        script = (
            "const done = arguments[arguments.length - 1];"
            f" ({source}).then(done, (error) => done({{error: String(error && error.stack || error)}}));"
        )
        value = self._call("POST", f"{self.session}/execute/async", {"script": script, "args": []})
        if isinstance(value, dict):
            raise EngineError(f"webkit: {value['error']}")
        return value

    def goto(self, url):
        self._call("POST", f"{self.session}/url", {"url": url})

    def new_tab(self):
        handle = self._call("POST", f"{self.session}/window/new", {"type": "tab"})["handle"]
        self._call("DELETE", f"{self.session}/window")
        self._call("POST", f"{self.session}/window", {"handle": handle})
        self._call("POST", f"{self.session}/window/rect", {"width": WINDOW[0], "height": WINDOW[1]})

    def reload(self):
        self._call("POST", f"{self.session}/refresh", {})

    def _png(self):
        return base64.b64decode(self._call("GET", f"{self.session}/screenshot"))

    def close(self):
        try:
            self._call("DELETE", self.session)
        except Exception:
            pass
        self._stop_driver()


class WebKit:
    """WebKitGTK needs a display: an Xvfb of its own unless DISPLAY is set."""

    name = "webkit"
    PROFILE = ("the ephemeral (in-memory) data store of a WebDriver session: one MiniBrowser"
               " process, whose HTTP cache and storage last as long as the session")

    def __init__(self):
        self.xvfb = None
        self.display = os.environ.get("DISPLAY")

    def open_tab(self, features_off=(), on_disk=False):
        """A tab in a new WebDriver session (its profile is in memory whatever on_disk asks:
        WebKitGTK's automation sessions are ephemeral)."""
        if not self.display:
            number = 90 + os.getpid() % 1000
            self.xvfb = subprocess.Popen(
                ["Xvfb", f":{number}", "-nolisten", "tcp", "-screen", "0", "1280x1024x24"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            self.display = f":{number}"
            deadline = time.monotonic() + 10
            while not Path(f"/tmp/.X11-unix/X{number}").exists():
                if time.monotonic() > deadline:
                    raise EngineError("webkit: Xvfb did not start")
                time.sleep(0.05)
        return WebKitTab(features_off, self.display)

    def version(self):
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libwebkit2gtk-4.1-0"],
                             capture_output=True, text=True).stdout
        return f"WebKitGTK {out.split('-')[0]}"

    def close(self):
        if self.xvfb is not None:
            stop(self.xvfb)


def stop(process):
    """End a browser, driver or display process: politely, then for good after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def switches(feature, engine):
    try:
        return FEATURE_SWITCHES[feature][engine]
    except KeyError:
        raise EngineError(f"{engine} has no switch for {feature!r}") from None


def has_switch(feature, engine):
    return engine in FEATURE_SWITCHES.get(feature, {})


def missing(engine):
    """What this machine lacks to run the engine, or None."""
    needed = {
        "chromium": [CHROMIUM],
        "firefox": [FIREFOX],
        "webkit": [WEBKIT_DRIVER, MINIBROWSER],
    }[engine]
    absent = [path for path in needed if not Path(path).exists()]
    if engine == "webkit" and not os.environ.get("DISPLAY") and not shutil.which("Xvfb"):
        absent.append("Xvfb")
    return absent or None
