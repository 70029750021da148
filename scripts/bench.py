"""The course's speed, in the browser and natively, side by side: `make bench`.

A benchmark, not a test: it prints two tables and writes the same figures to build/bench.json
(and the tables as Markdown to build/bench.md, for docs/performance.md). Every figure is the
median of --runs repetitions with its min–max, next to its reference, with the machine and its
load.

Browsers: the three engines the site supports, driven through site_tests/engines.py (Debian's
Chromium through Playwright, Firefox ESR through WebDriver BiDi, WebKitGTK's MiniBrowser through
WebKitWebDriver under Xvfb), on a private copy of the built site (so that a rebuild of site/
during the run cannot change what is measured) served under /nndl/ as GitHub Pages would.
Workloads run through real pages, as a reader runs them:

- startup, in every engine of --engines, each run measuring them in turn: a fresh browser
  profile opens the demo page, which presses Run on its first cell as soon as it is mounted and
  records when the result shows (performance.now(), from the start of navigation; the script
  doing so is written into the private copy's pages, see RECORD_FIRST_RESULT): the "cold" figure,
  with the bytes transferred in Chromium; a new tab of the same browser opens the page again
  ("warm", a second visit: what the engine keeps between the two is in WARM); then a link of the
  site's navigation leads to lesson 3 in the same visit, whose first cell is run the same way:
  time from the click to its result ("next page"). The reference, measured in the same way in a
  fresh profile of its own of the same engine: a bare page that loads Pyodide 0.27.7 and NumPy
  exactly as published and computes one NumPy result;
- lr, in every engine of --engines; deep, in Chromium: the course's two trainings on the sample
  images, typed into the first cell of the training lesson and run (logistic regression,
  α = 0.005, 2000 iterations; the L-layer network [12288, 20, 7, 5, 1], α = 0.0075, 2500
  iterations), timed inside Python around the training alone; the same code runs natively on
  CPython (.venv) in a subprocess, for the reference;
- dot, in Chromium: the vectorization lesson's own first cell (a loop against np.dot on 10⁶
  elements), run as it is; the same code natively.
- startup also records where each visit's seconds go: each stage's end (STAGES), from User
  Timing marks the page makes (runtime.js, for the worker) or the bare page makes itself;
- network, in Chromium: the demo page's cold first result, served gzip-compressed (as GitHub
  Pages serves) under Chromium's network emulation (NETWORK: 25 Mbit/s, 40 ms round trip), goal
  ≤ 4 s; and a browser saving data (navigator.connection.saveData), whose Python starts at the
  first Run: from that Run to its result, on this machine's network and under the emulation;
- lighthouse: npm's Lighthouse with Debian's Chromium, mobile defaults, on every page (--pages
  for some), served gzip-compressed: Performance, Accessibility, Best practices, SEO and total
  blocking time, against Performance ≥ 90, Accessibility 100, TBT ≤ 200 ms.

    .venv/bin/python scripts/bench.py [--only startup,network,lr,deep,dot,lighthouse]
                                      [--engines chromium,firefox,webkit] [--runs 3] [--site DIR]
                                      [--pages PATH,PATH]

The complete default run takes about 35–45 minutes on a 2-core machine (the deep training and
Lighthouse's 19 pages dominate).
"""

import argparse
import base64
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "site_tests"))
import engines  # noqa: E402  (site_tests/engines.py: the three engines behind one interface)
from reader import Reader  # noqa: E402

WORKLOADS = ("startup", "network", "lr", "deep", "dot", "lighthouse")
#: The workloads measured in every engine asked for; the others in Chromium only.
ALL_ENGINES_WORKLOADS = ("startup", "lr")
ENGINE_LABELS = {"chromium": "Chromium", "firefox": "Firefox", "webkit": "WebKit"}
#: What "warm" (the second visit) keeps, per engine (see engines.py's PROFILE of each).
WARM = {
    "chromium": "a new tab of the same browser, whose profile folder on disk keeps the HTTP "
                "cache with the code compiled from scripts and WebAssembly",
    "firefox": "a new tab (WebDriver BiDi browsingContext.create) of the same browser, whose "
               "profile folder on disk keeps the HTTP cache",
    "webkit": "a new tab of the same WebDriver session: the same MiniBrowser process and its "
              "ephemeral (in-memory) data store, which keeps the HTTP cache for the session's "
              "life; WebKitGTK gives automation no profile on disk",
}
STARTUP_TIMEOUT = 180  # s: a cold first result in WebKit on a busy 2-core machine

TRAINING_PAGE = "lessons/13-training-on-images/"
BARE_PAGE = "bench-bare/"  # the start-up reference, added to the private copy (add_bare_page)
DOT_PAGE = "lessons/05-vectorization/"
FIRST_PAGE = "demo/"
NEXT_PAGE = "lessons/03-computation-graph/"

# The trainings, as one program: the same text runs in a cell and in `python -c`. It prints one
# line "BENCH {json}" with the training's wall time (around the training alone, not the loading
# of the pictures) and the accuracies it reaches.
TRAINING_CODE = {
    "lr": """
import json, time
import numpy as np
from nndl import data, logistic

train_x_orig, train_y, test_x_orig, test_y, classes = data.load_sample_images()
train_x, test_x = data.flatten_images(train_x_orig), data.flatten_images(test_x_orig)
start = time.perf_counter()
w, b = logistic.initialize_with_zeros(train_x.shape[0])
params, grads, history = logistic.optimize(w, b, train_x, train_y, num_iterations=2000,
                                           learning_rate=0.005)
seconds = time.perf_counter() - start
w, b = params["w"], params["b"]
train_acc = 100 * np.mean(logistic.predict(w, b, train_x) == train_y)
test_acc = 100 * np.mean(logistic.predict(w, b, test_x) == test_y)
print("BENCH " + json.dumps({"seconds": seconds, "train_acc": float(train_acc),
                             "test_acc": float(test_acc), "cost": history.costs[-1]}))
""",
    "deep": """
import json, time
import numpy as np
from nndl import data, deep

train_x_orig, train_y, test_x_orig, test_y, classes = data.load_sample_images()
train_x, test_x = data.flatten_images(train_x_orig), data.flatten_images(test_x_orig)
start = time.perf_counter()
parameters, history = deep.train(train_x, train_y, [12288, 20, 7, 5, 1], learning_rate=0.0075,
                                 num_iterations=2500)
seconds = time.perf_counter() - start
train_acc = 100 * np.mean(deep.predict(train_x, parameters) == train_y)
test_acc = 100 * np.mean(deep.predict(test_x, parameters) == test_y)
print("BENCH " + json.dumps({"seconds": seconds, "train_acc": float(train_acc),
                             "test_acc": float(test_acc), "cost": history.costs[-1]}))
""",
}

# How the start-up figures are taken, the same way in every engine. The page itself presses Run on
# its first cell the moment that cell is mounted (editor built, buttons in place): a reader's
# quickest click, without the 50–100 ms a test driver takes to notice the cell and click. It
# records the moment (performance.now(), from the start of navigation) the cell shows its result;
# the driver reads that moment once it is there, so its own polling is not in the figure.
# `__skip` names a cell already measured (the previous page's, during instant navigation). The
# script is written into the private copy's pages (add_recorder), first in <head>, allowed by
# the page's Content-Security-Policy through its hash like the page's other inline scripts:
# WebDriver has no way to run a script before a page's own.
RECORD_FIRST_RESULT = """
new MutationObserver(() => {
  const cell = document.querySelector('.nndl-cell');
  if (!cell || cell === window.__skip) return;
  const run = cell.querySelector('.nndl-button--run');
  if (run && cell.dataset.mounted !== undefined && !cell.__pressed) {
    cell.__pressed = true;
    window.__runPressed = performance.now();
    run.click();
  }
  if (cell.dataset.state === 'done' && !window.__firstResult) window.__firstResult = performance.now();
}).observe(document, { subtree: true, childList: true, attributes: true });
"""


def add_recorder(site):
    """Write RECORD_FIRST_RESULT into the start-up pages of the private copy of the site, right
    after their Content-Security-Policy, which gets the script's sha256. (The service worker then
    keeps no offline copy of these two pages, whose bytes no longer match its manifest; online,
    it answers pages from the network anyway.)"""
    digest = base64.b64encode(hashlib.sha256(RECORD_FIRST_RESULT.encode()).digest()).decode()
    for path in (FIRST_PAGE, NEXT_PAGE):
        page = site / path / "index.html"
        html = page.read_text(encoding="utf-8")
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', html)
        if meta is None or "script-src 'self'" not in meta.group(0):
            sys.exit(f"bench: {page} has no Content-Security-Policy with script-src 'self'")
        allowed = meta.group(0).replace("script-src 'self'", f"script-src 'self' 'sha256-{digest}'")
        html = (html[: meta.start()] + allowed + f"<script>{RECORD_FIRST_RESULT}</script>"
                + html[meta.end():])
        page.write_text(html, encoding="utf-8")


# The start-up figures' reference: Pyodide and NumPy exactly as published, on a page of their own
# that computes one NumPy result as soon as it can. It records the same moment as the site's pages.
BARE_HTML = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Pyodide and NumPy, bare</title>
<script type="module">
const { loadPyodide } = await import("./pyodide/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", location.href).href });
performance.mark("nndl:interpreter");
await pyodide.loadPackage("numpy");
pyodide.runPython("import numpy");
performance.mark("nndl:numpy");
const ends = performance.getEntriesByType("resource").filter((e) => e.name.includes("/pyodide/"));
performance.mark("nndl:download", { startTime: Math.max(...ends.map((e) => e.responseEnd)) });
pyodide.runPython("import numpy; numpy.arange(3).sum()");
window.__firstResult = performance.now();
</script>
</html>
"""


def add_bare_page(site):
    """Put the reference page into the private copy of the site: Pyodide's core and official lock
    from the npm package, NumPy's official wheel (from the runtime build's download cache, checked
    against the official lock's sha256), none of the site's own files or changes."""
    npm = ROOT / "node_modules" / "pyodide"
    folder = site / BARE_PAGE / "pyodide"
    folder.mkdir(parents=True)
    for name in ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json"):
        shutil.copy2(npm / name, folder / name)
    entry = json.loads((npm / "pyodide-lock.json").read_text(encoding="utf-8"))["packages"]["numpy"]
    wheel = ROOT / ".cache" / "pyodide" / entry["file_name"]
    if not wheel.is_file() or hashlib.sha256(wheel.read_bytes()).hexdigest() != entry["sha256"]:
        sys.exit(f"bench: {wheel} is missing or not the official NumPy wheel: run `make site` first")
    shutil.copy2(wheel, folder / entry["file_name"])
    (site / BARE_PAGE / "index.html").write_text(BARE_HTML, encoding="utf-8")


# ---- The machine ------------------------------------------------------------------------------


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def chromium_version():
    try:
        return subprocess.run([engines.CHROMIUM, "--version"], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def engine_versions(engine_names):
    versions = {}
    for engine in engine_names:
        if engine == "chromium":
            versions[engine] = chromium_version()
        else:
            versions[engine] = {"firefox": engines.Firefox, "webkit": engines.WebKit}[engine]().version()
    return versions


def machine():
    import numpy

    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "chromium": chromium_version(),
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


class Series:
    """Repeated measurements of one figure, each with the machine's 1-minute load at the time."""

    def __init__(self):
        self.values = []
        self.loads = []

    def add(self, value):
        self.values.append(value)
        self.loads.append(round(os.getloadavg()[0], 2))
        return value

    @property
    def median(self):
        return statistics.median(self.values) if self.values else None

    def summary(self):
        if not self.values:
            return None
        return {"median": self.median, "min": min(self.values), "max": max(self.values),
                "runs": self.values, "load_1min": self.loads}


# ---- Native runs ------------------------------------------------------------------------------


def native(code, threads):
    """Run code with the project's CPython; returns the dict its BENCH line printed (or the text of
    its output, when the code prints no such line)."""
    env = dict(os.environ)
    if threads:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = str(threads)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, cwd=ROOT, check=True)
    return parse_bench(result.stdout)


def parse_bench(text):
    for line in text.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[len("BENCH "):])
    return text


# ---- Browser runs -----------------------------------------------------------------------------


def key(engine, figure):
    """A figure's name in the results: Chromium's under its own name (as before there were three
    engines), the others' prefixed with the engine."""
    return figure if engine == "chromium" else f"{engine}_{figure}"


class Browsers:
    """The engines of site_tests/engines.py, each started when first needed, and the server of
    the private copy of the site."""

    def __init__(self, site):
        from site_tests_conftest import SiteServer

        self.server = SiteServer(isolated=False, root=site)  # this private copy
        self.playwright = None
        self.drivers = {}
        self.tabs = []  # open tabs, closed at the end if a workload fails

    def driver(self, engine):
        if engine not in self.drivers:
            if engine == "chromium":
                from playwright.sync_api import sync_playwright

                self.playwright = sync_playwright().start()
                self.drivers[engine] = engines.Chromium(self.playwright)
            else:
                self.drivers[engine] = {"firefox": engines.Firefox, "webkit": engines.WebKit}[engine]()
        return self.drivers[engine]

    def fresh_profile(self, engine):
        """A tab in a fresh profile, kept on disk where the engine allows (engines.py)."""
        tab = self.driver(engine).open_tab(on_disk=True)
        self.tabs.append(tab)
        return tab

    def reader(self, engine, path):
        """A reader of path in a fresh profile (in memory), its cells mounted."""
        tab = self.driver(engine).open_tab()
        self.tabs.append(tab)
        reader = Reader(tab, self.server.url)
        reader.open(path)
        return reader

    def close_tab(self, tab):
        self.tabs.remove(tab)
        tab.close()

    def close(self):
        for tab in list(self.tabs):
            try:
                self.close_tab(tab)
            except Exception as error:  # already failing: say so, close the rest
                print(f"bench: closing a {tab.engine} tab: {error}", file=sys.stderr)
        for driver in self.drivers.values():
            driver.close()
        if self.playwright is not None:
            self.playwright.stop()
        self.server.close()

    def url(self, path):
        return self.server.url + path


def first_result_ms(tab, url):
    """Open url (the page presses Run on its first cell); ms from navigation to its result, as
    the page recorded it."""
    tab.goto(url)
    return tab.wait("window.__firstResult", timeout=STARTUP_TIMEOUT,
                    message="the first cell's result")


def next_page_result_ms(tab, path):
    """Follow the site's own link to path (instant navigation, same visit); the page runs its
    first cell; ms from the click to the result."""
    start = tab.js(
        "(() => {"
        " window.__skip = document.querySelector('.nndl-cell');"
        " window.__firstResult = null;"
        " const link = [...document.querySelectorAll('a[href]')]"
        f"   .find((a) => new URL(a.href).pathname.endsWith({json.dumps(path)}));"
        " const t = performance.now();"
        " link.click();"
        " return t; })()"
    )
    return tab.wait("window.__firstResult", timeout=STARTUP_TIMEOUT,
                    message="the next page's first result") - start


def transferred_bytes(request):
    sizes = request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


#: The stages of a start-up, in the order they end: the last byte of the runtime's downloads in;
#: the interpreter started (CPython and its standard library: Pyodide's loadPyodide returned);
#: NumPy (and, on the lesson, nndl) imported; Python ready for the cells (the worker's runner
#: installed: the lesson's page only, the bare page has none); the first cell's result. Each is the
#: page's User Timing mark "nndl:<stage>" (runtime.js marks the worker's, BARE_HTML its own), in
#: seconds from the start of navigation.
STAGES = ("download", "interpreter", "numpy", "python", "first_result")
STAGE_LABELS = {"download": "Downloads in", "interpreter": "Interpreter started",
                "numpy": "NumPy ready", "python": "Python ready", "first_result": "First result"}
READ_STAGES = ("Object.fromEntries(performance.getEntriesByType('mark')"
               ".filter((m) => m.name.startsWith('nndl:')).map((m) => [m.name.slice(5), m.startTime]))")


def stages_of(tab, first_ms):
    """The stages of the visit just measured, in seconds (a stage the page did not mark: None)."""
    marks = tab.js(READ_STAGES) or {}
    found = {stage: (marks[stage] / 1000 if marks.get(stage) is not None else None) for stage in STAGES}
    found["first_result"] = first_ms / 1000
    return found


def two_visits(browsers, engine, path, stages=None):
    """A fresh browser profile opens path, then a new tab of the same browser opens it again.
    Returns the first result's seconds and (Chromium only) the bytes transferred of the first
    visit, the seconds of the second, and the tab, still open. With a dict `stages`, puts the
    stages of each visit there, under "cold" and "warm"."""
    tab = browsers.fresh_profile(engine)
    loaded = []
    if engine == "chromium":  # Playwright sees every request's size; the others: not measured

        def count(request):
            loaded.append(transferred_bytes(request))

        tab.context.on("requestfinished", count)
    cold = first_result_ms(tab, browsers.url(path)) / 1000
    if stages is not None:
        stages["cold"] = stages_of(tab, cold * 1000)
    if engine == "chromium":
        tab.context.remove_listener("requestfinished", count)
    # A second visit: this tab closed, a new tab of the same browser (its HTTP and code caches).
    tab.new_tab()
    warm = first_result_ms(tab, browsers.url(path)) / 1000
    if stages is not None:
        stages["warm"] = stages_of(tab, warm * 1000)
    return cold, (sum(loaded) if loaded else None), warm, tab


STARTUP_FIGURES = ("cold_first_result", "cold_bytes", "warm_first_result",
                   "next_page_first_result", "bare_cold_first_result", "bare_cold_bytes",
                   "bare_warm_first_result")


def bench_startup(browsers, engine_names, runs, results):
    """Each run measures every engine in turn, so that the ratios compare engines under the same
    load."""
    for engine in engine_names:
        for figure in STARTUP_FIGURES:
            if engine == "chromium" or "bytes" not in figure:
                results[key(engine, figure)] = Series()
        for figure in stage_figures():
            results[key(engine, figure)] = Series()
    for run in range(runs):
        for engine in engine_names:
            r = lambda figure: results[key(engine, figure)]  # noqa: E731
            ours, bare = {}, {}
            cold, loaded, warm, tab = two_visits(browsers, engine, FIRST_PAGE, ours)
            r("cold_first_result").add(cold)
            r("warm_first_result").add(warm)
            r("next_page_first_result").add(next_page_result_ms(tab, NEXT_PAGE) / 1000)
            browsers.close_tab(tab)
            # The reference, in a fresh profile of its own: the same two visits of the bare page.
            bare_cold, bare_loaded, bare_warm, tab = two_visits(browsers, engine, BARE_PAGE, bare)
            browsers.close_tab(tab)
            for prefix, visits in (("", ours), ("bare_", bare)):
                for visit, found in visits.items():
                    for stage, seconds in found.items():
                        if seconds is not None:
                            r(f"{prefix}stage_{visit}_{stage}").add(seconds)
            r("bare_cold_first_result").add(bare_cold)
            r("bare_warm_first_result").add(bare_warm)
            bytes_text = bare_bytes_text = ""
            if engine == "chromium":
                r("cold_bytes").add(loaded)
                r("bare_cold_bytes").add(bare_loaded)
                bytes_text, bare_bytes_text = f", {loaded / 1e6:.1f} MB", f", {bare_loaded / 1e6:.1f} MB"
            print(f"  startup run {run + 1}, {engine}: cold {cold:.2f} s, warm {warm:.2f} s,"
                  f" next page {r('next_page_first_result').values[-1]:.2f} s{bytes_text};"
                  f" bare Pyodide page: cold {bare_cold:.2f} s, warm {bare_warm:.2f} s"
                  f"{bare_bytes_text}", flush=True)


def stage_figures():
    return [f"{prefix}stage_{visit}_{stage}" for prefix in ("", "bare_") for visit in ("cold", "warm")
            for stage in STAGES]


def run_cell(reader, code=None, timeout_s=3600):
    """Run the page's first cell (with code typed in, if given); returns its output text."""
    if code is not None:
        reader.type_code(1, code.strip() + "\n")
    state, text = reader.run_and_wait(1, timeout=timeout_s)
    if state == "error":
        raise RuntimeError(f"{reader.engine}: the cell failed:\n{text}")
    return text


def bench_training(browsers, name, engine_names, runs, threads, results):
    """The training in each engine (one page each, kept open), and natively, in turn. Results:
    lr_browser, lr_native, lr_test_acc_browser, ..., firefox_lr_browser, ..."""
    code = TRAINING_CODE[name]
    figures = ("browser", "test_acc_browser", "train_acc_browser")
    native_figures = ("native", "test_acc_native", "train_acc_native")
    for figure in native_figures:
        results[f"{name}_{figure}"] = Series()
    readers = {}
    for engine in engine_names:
        for figure in figures:
            results[key(engine, f"{name}_{figure}")] = Series()
        readers[engine] = browsers.reader(engine, TRAINING_PAGE)
    for run in range(runs):
        out = native(code, threads)
        for figure, field in zip(native_figures, ("seconds", "test_acc", "train_acc")):
            results[f"{name}_{figure}"].add(out[field])
        line = [f"native {out['seconds']:.2f} s ({out['train_acc']:.0f} % / {out['test_acc']:.0f} %)"]
        for engine, reader in readers.items():
            out = parse_bench(run_cell(reader, code))
            for figure, field in zip(figures, ("seconds", "test_acc", "train_acc")):
                results[key(engine, f"{name}_{figure}")].add(out[field])
            line.append(f"{engine} {out['seconds']:.2f} s ({out['train_acc']:.0f} % / "
                        f"{out['test_acc']:.0f} %)")
        print(f"  {name} run {run + 1}: " + ", ".join(line), flush=True)
    for reader in readers.values():
        browsers.close_tab(reader.tab)


def dot_cell_code():
    text = (ROOT / "docs" / DOT_PAGE.rstrip("/")).with_suffix(".md").read_text(encoding="utf-8")
    return re.search(r"```pycell\n(.*?)```", text, re.S).group(1)


def parse_dot(text):
    loop = float(re.search(r"loop:.*in\s+([\d.]+) ms", text).group(1))
    dot = float(re.search(r"np\.dot:.*in\s+([\d.]+) ms", text).group(1))
    return loop, dot


def bench_dot(browsers, runs, threads, results):
    b_ratio, n_ratio, b_loop, b_dot, n_loop, n_dot = (Series() for _ in range(6))
    code = dot_cell_code()
    reader = browsers.reader("chromium", DOT_PAGE)
    for run in range(runs):
        loop, dot = parse_dot(run_cell(reader))
        b_loop.add(loop / 1000)
        b_dot.add(dot / 1000)
        b_ratio.add(loop / dot)
        loop, dot = parse_dot(native(code, threads))
        n_loop.add(loop / 1000)
        n_dot.add(dot / 1000)
        n_ratio.add(loop / dot)
        print(f"  dot run {run + 1}: browser loop/np.dot = {b_ratio.values[-1]:.0f}, "
              f"native {n_ratio.values[-1]:.0f}", flush=True)
    browsers.close_tab(reader.tab)
    results.update(dot_loop_ratio_browser=b_ratio, dot_loop_ratio_native=n_ratio,
                   dot_loop_browser=b_loop, dot_np_browser=b_dot, dot_loop_native=n_loop,
                   dot_np_native=n_dot)


# ---- A real network: gzip as GitHub Pages serves, Chromium's network emulation ---------------

#: The network of a cold visit on a good mobile or home connection: 25 Mbit/s down and up, 40 ms
#: round trip (Chromium's emulation: each request waits the round trip, all share the bandwidth).
NETWORK = {"mbps": 25, "rtt_ms": 40}
#: What the server compresses, as GitHub Pages does (text, and WebAssembly by one report); zip
#: files and wheels are compressed already.
GZIP_SUFFIXES = {".html", ".js", ".mjs", ".css", ".json", ".svg", ".xml", ".txt", ".map", ".wasm",
                 ".py", ".ipynb", ".webmanifest"}


def gzip_server(site):
    """A server of the private copy like conftest's, which sends gzip-compressed bodies to a
    browser that accepts them."""
    import gzip
    from urllib.parse import unquote, urlsplit

    from site_tests_conftest import BASE_PATH, SiteHandler, SiteServer

    class GzipHandler(SiteHandler):
        compressed = {}

        def do_GET(self):
            path = unquote(urlsplit(self.path).path)
            file = self.root / path[len(BASE_PATH):] if path.startswith(BASE_PATH) else None
            if file is not None and file.is_dir():
                file = file / "index.html"
            if (file is None or "gzip" not in self.headers.get("Accept-Encoding", "")
                    or file.suffix not in GZIP_SUFFIXES or not file.is_file()):
                super().do_GET()
                return
            self.requests.append(path)
            body = self.compressed.get(file)
            if body is None:
                body = self.compressed[file] = gzip.compress(file.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(file)))
            # What GitHub Pages sends: a validator and ten minutes of freshness.
            self.send_header("Last-Modified", self.date_time_string(int(file.stat().st_mtime)))
            self.send_header("Cache-Control", "max-age=600")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            self.wfile.write(body)

    server = SiteServer(isolated=False, root=site)
    server.httpd.RequestHandlerClass = type("Handler", (GzipHandler,), {
        "root": Path(site), "isolated": False, "requests": server.requests})
    return server


def emulate_network(tab):
    """Chromium's network emulation on the tab's page (and its workers' requests)."""
    session = tab.context.new_cdp_session(tab.page)
    session.send("Network.enable")
    rate = NETWORK["mbps"] * 1e6 / 8  # bytes per second
    session.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": NETWORK["rtt_ms"], "downloadThroughput": rate,
        "uploadThroughput": rate})
    return session


SAVE_DATA_SCRIPT = ("Object.defineProperty(Navigator.prototype, 'connection', { configurable: true,"
                    " get: () => ({ saveData: true, effectiveType: '4g' }) });")


def bench_network(browsers, runs, results):
    """Chromium, a fresh profile each: the demo page's cold first result served gzip-compressed
    under NETWORK's emulation; and a browser saving data (Python starts at the first Run), from
    the Run to the result, on this machine's network and under the emulation."""
    server = gzip_server(browsers.server.httpd.RequestHandlerClass.root)
    figures = ("network_cold_first_result", "network_cold_bytes", "network_stage_download",
               "savedata_cold_run_to_result", "savedata_network_cold_run_to_result")
    for figure in figures:
        results[figure] = Series()
    try:
        for run in range(runs):
            line = []
            for figure, save_data, emulated in (
                ("network_cold_first_result", False, True),
                ("savedata_cold_run_to_result", True, False),
                ("savedata_network_cold_run_to_result", True, True),
            ):
                tab = browsers.fresh_profile("chromium")
                if save_data:
                    tab.context.add_init_script(SAVE_DATA_SCRIPT)
                if emulated:
                    emulate_network(tab)
                loaded = []

                def count(request):
                    try:
                        loaded.append((request.url, transferred_bytes(request)))
                    except Exception:  # noqa: BLE001  (a request still finishing as the tab closes)
                        pass

                tab.context.on("requestfinished", count)
                first = first_result_ms(tab, server.url + FIRST_PAGE)
                tab.context.remove_listener("requestfinished", count)
                if save_data:
                    seconds = (first - tab.js("window.__runPressed")) / 1000
                else:
                    seconds = first / 1000
                    results["network_cold_bytes"].add(sum(size for _, size in loaded))
                    largest = sorted(loaded, key=lambda item: -item[1])[:6]
                    print("    largest transfers: " + ", ".join(
                        f"{url.rsplit('/', 1)[-1]} {size / 1e6:.2f} MB" for url, size in largest), flush=True)
                    download = stages_of(tab, first)["download"]
                    if download is not None:
                        results["network_stage_download"].add(download)
                results[figure].add(seconds)
                line.append(f"{figure} {seconds:.2f} s")
                browsers.close_tab(tab)
            print(f"  network run {run + 1}: " + ", ".join(line)
                  + f"; {results['network_cold_bytes'].values[-1] / 1e6:.1f} MB transferred", flush=True)
    finally:
        server.close()


# ---- Lighthouse: every page, mobile defaults ------------------------------------------------------

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Audits left out: pictures of the page (heavy to encode, and not a score).
LIGHTHOUSE_SKIPPED = ("full-page-screenshot", "screenshot-thumbnails", "final-screenshot")
#: Chromium for Lighthouse: headless, nothing of its own in the background, and no host but this
#: machine's reachable at all (any other name does not resolve), so no request leaves it.
LIGHTHOUSE_CHROME_FLAGS = " ".join([
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
    "--disable-domain-reliability", "--metrics-recording-only",
    '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"',
])
LIGHTHOUSE_GOALS = {"performance": 90, "accessibility": 100, "tbt_ms": 200}


def site_pages(site):
    """Every page of the site (its index.html files), as paths under its root."""
    pages = []
    for page in sorted(site.rglob("index.html")):
        path = page.parent.relative_to(site).as_posix()
        path = "" if path == "." else path + "/"
        if not path.startswith((BARE_PAGE, "pyodide/", "assets/")):
            pages.append(path)
    return pages


def bench_lighthouse(site, pages, results):
    """Lighthouse (npm, package-lock.json) with Debian's Chromium and its default mobile settings
    (simulated slow 4G, 4× slower CPU) on each page of `site`, served gzip-compressed (a copy of the site as built, without
    the start-up workloads' recorder, which would press Run). Results: lighthouse_<page>_<figure>."""
    server = gzip_server(site)  # compressed, as GitHub Pages serves the site
    try:
        lighthouse_pages(server, pages, results)
    finally:
        server.close()


def lighthouse_pages(server, pages, results):
    if not LIGHTHOUSE.is_file():
        sys.exit("bench: Lighthouse is not installed: run `npm ci` (make node-modules)")
    env = dict(os.environ, CHROME_PATH=engines.CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="nndl-lighthouse-") as tmp:
        for page in pages:
            report_path = Path(tmp) / "report.json"
            command = [str(LIGHTHOUSE), server.url + page, "--quiet", "--output=json",
                       f"--output-path={report_path}", f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
                       f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
                       f"--skip-audits={','.join(LIGHTHOUSE_SKIPPED)}"]
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
            if done.returncode != 0 or not report_path.is_file():
                sys.exit(f"bench: Lighthouse failed on {page or 'the home page'}:\n{done.stderr[-2000:]}")
            lh = json.loads(report_path.read_text(encoding="utf-8"))
            if lh.get("runtimeError"):
                sys.exit(f"bench: Lighthouse on {page}: {lh['runtimeError']}")
            figures = {name: round(100 * lh["categories"][name]["score"])
                       for name in LIGHTHOUSE_CATEGORIES if lh["categories"][name]["score"] is not None}
            figures["tbt_ms"] = lh["audits"]["total-blocking-time"]["numericValue"]
            requests = lh["audits"].get("network-requests", {}).get("details", {}).get("items", [])
            foreign = sorted({item["url"] for item in requests
                              if item["url"].startswith("http") and "//127.0.0.1:" not in item["url"]})
            if foreign:
                sys.exit(f"bench: Lighthouse on {page} asked other hosts: {foreign}")
            failed = sorted(audit_id for audit_id, audit in lh["audits"].items()
                            if audit.get("score") is not None and audit["score"] < 1
                            and audit.get("scoreDisplayMode") == "binary"
                            and any(ref["id"] == audit_id for ref in lh["categories"]["accessibility"]["auditRefs"]))
            for name, value in figures.items():
                results.setdefault(f"lighthouse_{page}_{name}", Series()).add(value)
            print(f"  lighthouse {page or '(home)'}: " + ", ".join(f"{k} {v:.0f}" for k, v in figures.items())
                  + (f"; accessibility audits failed: {', '.join(failed)}" if failed else ""), flush=True)


# ---- Report -----------------------------------------------------------------------------------

GOALS = {
    "cold_first_result": ("≤ 2.0 s", lambda v: v <= 2.0),
    "warm_first_result": ("≤ 1.0 s", lambda v: v <= 1.0),
    "next_page_first_result": ("≤ 0.3 s", lambda v: v <= 0.3),
    "network_cold_first_result": ("≤ 4.0 s", lambda v: v <= 4.0),
}


def spread(series, unit="", scale=1.0, digits=2):
    if series is None or not series.values:
        return "–"
    m, lo, hi = (x * scale for x in (series.median, min(series.values), max(series.values)))
    return f"{m:.{digits}f}{unit} [{lo:.{digits}f}–{hi:.{digits}f}] (n={len(series.values)})"


def reference_of(bare, ours, unit, scale=1.0, digits=2):
    """(reference text, ratio) for a start-up figure: the bare Pyodide page's, when measured."""
    if bare is None or not bare.values:
        return "–", "–"
    return f"bare Pyodide page {spread(bare, unit, scale, digits)}", f"{ours.median / bare.median:.2f}×"


def table(results, info):
    """The table as Markdown rows: figure, browser, native reference, ratio, goal."""
    rows = [("Figure", "Browser (median [min–max])", "Reference", "Ratio", "Goal")]
    r = results.get
    for key, label in (
        ("cold_first_result", "First result, cold"),
        ("warm_first_result", "First result, warm (second visit)"),
        ("next_page_first_result", "First result, next lesson (same visit)"),
    ):
        if r(key):
            goal, met = GOALS[key]
            reference, ratio = reference_of(r(f"bare_{key}"), r(key), " s")
            rows.append((label, spread(r(key), " s"), reference, ratio,
                         f"{goal}: {'met' if met(r(key).median) else 'not met'}"))
    if r("cold_bytes"):
        reference, ratio = reference_of(r("bare_cold_bytes"), r("cold_bytes"), " MB", 1e-6, 1)
        rows.append(("Bytes transferred, cold", spread(r("cold_bytes"), " MB", 1e-6, 1),
                     reference, ratio, "–"))
    network = f"{NETWORK['mbps']} Mbit/s, {NETWORK['rtt_ms']} ms round trip, gzip"
    if r("network_cold_first_result"):
        goal, met = GOALS["network_cold_first_result"]
        rows.append((f"First result, cold, at {network}",
                     spread(r("network_cold_first_result"), " s"),
                     f"the runtime's downloads in at {spread(r('network_stage_download'), ' s')}", "–",
                     f"{goal}: {'met' if met(r('network_cold_first_result').median) else 'not met'}"))
        rows.append((f"Bytes transferred, cold, gzip", spread(r("network_cold_bytes"), " MB", 1e-6, 1),
                     "–", "–", "–"))
    for figure, label in (("savedata_cold_run_to_result", "Saving data: from the first Run to its result, cold"),
                          ("savedata_network_cold_run_to_result",
                           f"Saving data: from the first Run to its result, cold, at {network}")):
        if r(figure):
            rows.append((label, spread(r(figure), " s"), "Python starts at the Run, not as the page loads",
                         "–", "–"))
    for name, label in (("lr", "Logistic regression, 2000 it."),
                        ("deep", "L-layer [12288, 20, 7, 5, 1], 2500 it.")):
        if r(f"{name}_browser"):
            ratio = r(f"{name}_browser").median / r(f"{name}_native").median
            rows.append((f"{label}: time", spread(r(f"{name}_browser"), " s"),
                         "native " + spread(r(f"{name}_native"), " s"), f"{ratio:.1f}×",
                         f"≤ 3×: {'met' if ratio <= 3 else 'not met'}"))
            b_acc, n_acc = r(f"{name}_test_acc_browser").median, r(f"{name}_test_acc_native").median
            rows.append((f"{label}: train / test accuracy",
                         f"{r(f'{name}_train_acc_browser').median:.0f} % / {b_acc:.0f} %",
                         f"native {r(f'{name}_train_acc_native').median:.0f} % / {n_acc:.0f} %",
                         "–", f"within 1 point: {'met' if abs(b_acc - n_acc) <= 1 else 'not met'}"))
    if r("dot_loop_ratio_browser"):
        rows.append(("Loop ÷ np.dot, 10⁶ elements", spread(r("dot_loop_ratio_browser"), "×", digits=0),
                     "native " + spread(r("dot_loop_ratio_native"), "×", digits=0), "–", "–"))
        rows.append(("  the loop / one np.dot", f"{r('dot_loop_browser').median * 1e3:.0f} ms / "
                     f"{r('dot_np_browser').median * 1e3:.2f} ms",
                     f"native {r('dot_loop_native').median * 1e3:.0f} ms / "
                     f"{r('dot_np_native').median * 1e3:.2f} ms",
                     f"{r('dot_loop_browser').median / r('dot_loop_native').median:.1f}× / "
                     f"{r('dot_np_browser').median / r('dot_np_native').median:.1f}×", "–"))
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    lines.append("")
    lines.append(
        f"Median [min–max] of n runs; {info['cpu']}, {info['cores']} cores, 1-minute load average "
        f"{info['load_at_start'][0]:.1f} at the start (each run's load is in bench.json); {info['chromium']}; native CPython "
        f"{info['python']}, NumPy {info['numpy']}, OpenBLAS threads: {info['native_threads'] or 'default'}; "
        f"{info['date']}."
    )
    return "\n".join(lines)


def engines_table(results, info):
    """Start-up and the logistic regression in each engine measured, as Markdown: each figure
    next to the bare Pyodide page's in the same engine and to Chromium's, all from the same run."""
    names = [e for e in engines.ENGINES if results.get(key(e, "cold_first_result"))
             or results.get(key(e, "lr_browser"))]
    if not names:
        return ""
    versions = info.get("engines", {})
    rows = [("Engine", "Figure", "Median [min–max]", "Bare Pyodide page", "Lesson ÷ bare",
             "÷ Chromium")]
    r = results.get

    def to_chromium(engine, figure):
        ours, theirs = r(key(engine, figure)), r(figure)
        if not theirs or not theirs.values:
            return "–"
        return f"{ours.median / theirs.median:.2f}×"

    for engine in names:
        label = ENGINE_LABELS[engine]
        for figure, text, bare in (
            ("cold_first_result", "First result, cold", "bare_cold_first_result"),
            ("warm_first_result", "First result, warm (second visit)", "bare_warm_first_result"),
            ("next_page_first_result", "First result, next lesson (same visit)", None),
        ):
            if not r(key(engine, figure)):
                continue
            bare_series = r(key(engine, bare)) if bare else None
            if bare_series and bare_series.values:
                bare_text = spread(bare_series, " s")
                ratio = f"{r(key(engine, figure)).median / bare_series.median:.2f}×"
            else:
                bare_text = ratio = "–"
            rows.append((label, text, spread(r(key(engine, figure)), " s"), bare_text, ratio,
                         to_chromium(engine, figure)))
            label = ""
        if r(key(engine, "lr_browser")):
            rows.append((label, "Logistic regression, 2000 it.: time (train / test accuracy)",
                         f"{spread(r(key(engine, 'lr_browser')), ' s')} "
                         f"({r(key(engine, 'lr_train_acc_browser')).median:.0f} % / "
                         f"{r(key(engine, 'lr_test_acc_browser')).median:.0f} %)",
                         "–", "–", to_chromium(engine, "lr_browser")))
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    lines.append("")
    lines.append(
        "Median [min–max] of n runs, every engine measured in turn within each run (so the "
        "ratios compare engines under the same load); engines: "
        + "; ".join(f"{versions.get(e, ENGINE_LABELS[e])}" for e in names) + ". "
        "Cold: a fresh profile's first visit. Warm, a second visit: "
        + "; ".join(f"{ENGINE_LABELS[e]}: {WARM[e]}" for e in names) + ". "
        "Next lesson: the site's link to lesson 3, followed in the same tab (instant navigation). "
        "In every engine the page presses Run on its first cell once it is mounted and records "
        "the result's moment with performance.now(), from the start of navigation. The bare page "
        "loads Pyodide 0.27.7 and NumPy as published, in a fresh profile of its own, and is "
        "visited twice the same way."
    )
    return "\n".join(lines)


def stages_table(results):
    """Where start-up goes: each stage's end, cold and warm, the lesson's page and the bare
    Pyodide page, in every engine measured (medians, seconds from navigation)."""
    r = results.get
    rows = [("Engine", "Visit", "Page") + tuple(STAGE_LABELS[stage] for stage in STAGES)]
    for engine in engines.ENGINES:
        for visit in ("cold", "warm"):
            for prefix, page in (("", "lesson"), ("bare_", "bare Pyodide")):
                series = [r(key(engine, f"{prefix}stage_{visit}_{stage}")) for stage in STAGES]
                if not any(s and s.values for s in series):
                    continue
                rows.append((ENGINE_LABELS[engine], visit, page)
                            + tuple(f"{s.median:.2f} s" if s and s.values else "–" for s in series))
    if len(rows) == 1:
        return ""
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    lines.append("")
    lines.append(
        "Medians, seconds from the start of navigation to the end of each stage: the last byte of "
        "the runtime's downloads in (Resource Timing); the interpreter started (CPython and its "
        "standard library, Pyodide's loadPyodide returned); NumPy (and nndl) imported; Python "
        "ready for the cells (the lesson's runner; the bare page has none); the first result. The "
        "stages overlap: downloads go on while the interpreter starts.")
    return "\n".join(lines)


def lighthouse_table(results):
    """Lighthouse's scores per page, with the goals."""
    pages = sorted(name[len("lighthouse_"):-len("_tbt_ms")] for name in results
                   if name.startswith("lighthouse_") and name.endswith("_tbt_ms"))
    if not pages:
        return ""
    r = results.get
    rows = [("Page", "Performance", "Accessibility", "Best practices", "SEO", "Total blocking time",
             "Goals (Performance ≥ 90, Accessibility 100, TBT ≤ 200 ms)")]
    for page in pages:
        figure = lambda name: r(f"lighthouse_{page}_{name}")  # noqa: E731
        values = {name: figure(name).median for name in (*LIGHTHOUSE_CATEGORIES, "tbt_ms") if figure(name)}
        missed = [text for text, ok in (
            ("Performance", values.get("performance", 0) >= LIGHTHOUSE_GOALS["performance"]),
            ("Accessibility", values.get("accessibility", 0) >= LIGHTHOUSE_GOALS["accessibility"]),
            ("TBT", values.get("tbt_ms", 1e9) <= LIGHTHOUSE_GOALS["tbt_ms"])) if not ok]
        rows.append((page or "(home)",
                     *(f"{values[name]:.0f}" if name in values else "–" for name in LIGHTHOUSE_CATEGORIES),
                     f"{values['tbt_ms']:.0f} ms", "met" if not missed else "not met: " + ", ".join(missed)))
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    lines.append("")
    lines.append("Lighthouse 12 (npm, package-lock.json) with Debian's Chromium, default mobile settings "
                 "(simulated slow 4G, 4× CPU slowdown), the site served gzip-compressed as GitHub "
                 "Pages serves it; one run per page unless n is given; no host but this machine "
                 "reachable.")
    return "\n".join(lines)


def table_from_json(paths):
    results, info = {}, None
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for name, summary in data["details"].items():
            if summary:
                series = results[name] = Series()
                series.values, series.loads = summary["runs"], summary["load_1min"]
        info = info or data["machine"]
    return report(results, info)


def report(results, info):
    """Chromium's table against native CPython, then the engines side by side."""
    main = table(results, info)
    parts = [main] if main.count("\n|") > 1 else []  # a table with rows
    for extra in (engines_table(results, info), stages_table(results), lighthouse_table(results)):
        if extra:
            parts.append(extra)
    return "\n\n".join(parts)


def write_json(results, info, path):
    data = {}
    keys = {  # the figures' own keys: medians
        "cold_first_result_s": "cold_first_result",
        "warm_first_result_s": "warm_first_result",
        "next_page_first_result_s": "next_page_first_result",
        "cold_bytes": "cold_bytes",
        "lr_browser_s": "lr_browser",
        "lr_native_s": "lr_native",
        "deep_browser_s": "deep_browser",
        "deep_native_s": "deep_native",
        "lr_test_acc_browser": "lr_test_acc_browser",
        "deep_test_acc_browser": "deep_test_acc_browser",
        "dot_loop_ratio_browser": "dot_loop_ratio_browser",
        "bare_cold_first_result_s": "bare_cold_first_result",
        "bare_warm_first_result_s": "bare_warm_first_result",
        "bare_cold_bytes": "bare_cold_bytes",
    }
    for engine in ("firefox", "webkit"):
        for figure in ("cold_first_result", "warm_first_result", "next_page_first_result",
                       "bare_cold_first_result", "bare_warm_first_result", "lr_browser"):
            keys[f"{engine}_{figure}_s"] = f"{engine}_{figure}"
        keys[f"{engine}_lr_test_acc_browser"] = f"{engine}_lr_test_acc_browser"
    for json_key, name in keys.items():
        data[json_key] = results[name].median if name in results else None
    data["details"] = {name: series.summary() for name, series in results.items()}
    data["machine"] = info
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(WORKLOADS),
                        help=f"comma-separated workloads among {', '.join(WORKLOADS)} (default: all)")
    parser.add_argument("--engines", default=",".join(engines.ENGINES),
                        help="comma-separated engines among chromium, firefox, webkit for the "
                             f"{' and '.join(ALL_ENGINES_WORKLOADS)} workloads (default: all "
                             "three); the other workloads run in Chromium only")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each (default 3)")
    parser.add_argument("--site", type=Path, default=ROOT / "site",
                        help="the built site (default site/); a private copy of it is served")
    parser.add_argument("--native-threads", type=int, default=1,
                        help="OpenBLAS threads of the native runs (default 1, the fastest on a "
                             "shared 2-core machine; 0 = OpenBLAS's default)")
    parser.add_argument("--pages", default=None,
                        help="Lighthouse's pages, comma-separated paths under the site's root, like "
                             "'lessons/03-computation-graph/' ('' is the home page; default: every page)")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--table", type=Path, nargs="+", metavar="JSON",
                        help="measure nothing: print the table of earlier results (several files "
                             "are merged, e.g. a run of startup,lr,dot and one of deep)")
    args = parser.parse_args()
    if args.table:
        print(table_from_json(args.table))
        return
    only = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = set(only) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    engine_names = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engine_names) - set(engines.ENGINES)
    if unknown or not engine_names:
        parser.error(f"unknown engines: {', '.join(sorted(unknown)) or '(none)'}; "
                     f"choose among {', '.join(engines.ENGINES)}")
    engine_names = [e for e in engines.ENGINES if e in engine_names]  # Chromium first
    if any(w not in ALL_ENGINES_WORKLOADS for w in only) and "chromium" not in engine_names:
        engine_names.insert(0, "chromium")  # deep and dot run in Chromium
    for engine in engine_names:
        absent = engines.missing(engine)
        if absent:
            parser.error(f"{engine} is not installed here ({', '.join(absent)}): "
                         "run `make browsers`")
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} is not a built site: run `make site` first")

    info = machine()
    info.update(runs=args.runs, native_threads=args.native_threads, workloads=only,
                engine_names=engine_names, engines=engine_versions(engine_names),
                warm={e: WARM[e] for e in engine_names})
    print(f"Machine: {info['cpu']}, {info['cores']} cores, load {info['load_at_start']}; "
          + ", ".join(info["engines"].values()), flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="nndl-bench-") as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.site, site)
        if "lighthouse" in only:
            shutil.copytree(args.site, Path(tmp) / "site-as-built")
        if "startup" in only or "network" in only:
            add_bare_page(site)
            add_recorder(site)
        pages = site_pages(site) if args.pages is None else args.pages.split(",")
        browsers = Browsers(site)
        try:
            if "startup" in only:
                bench_startup(browsers, engine_names, args.runs, results)
            if "network" in only:
                bench_network(browsers, args.runs, results)
            if "lighthouse" in only:
                bench_lighthouse(Path(tmp) / "site-as-built", pages, results)
            if "lr" in only:
                bench_training(browsers, "lr", engine_names, args.runs, args.native_threads, results)
            if "deep" in only:
                bench_training(browsers, "deep", ["chromium"], args.runs, args.native_threads, results)
            if "dot" in only:
                bench_dot(browsers, args.runs, args.native_threads, results)
        finally:
            browsers.close()
    info["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = report(results, info)
    print()
    print(text)
    write_json(results, info, args.output)
    args.output.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    print(f"\nWrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
          f" and {args.output.with_suffix('.md').name}")


if __name__ == "__main__":
    import importlib

    sys.modules["site_tests_conftest"] = importlib.import_module("conftest")
    main()
