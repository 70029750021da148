"""The course's speed, in the browser and natively, side by side: `make bench`.

A benchmark, not a test: it prints a table and writes the same figures to build/bench.json (and
the table as Markdown to build/bench.md, for docs/performance.md). Every figure is the median of
--runs repetitions with its min–max, next to its reference, with the machine and its load.

Browser: Debian's Chromium, driven by Playwright, on a private copy of the built site (so that a
rebuild of site/ during the run cannot change what is measured) served under /nndl/ as GitHub
Pages would. Workloads run through real pages, as a reader runs them:

- startup: a fresh browser profile (an empty profile folder, as a reader's browser keeps: its
  HTTP cache also holds the code compiled from scripts and WebAssembly) opens the demo page,
  which presses Run on its first cell as soon as it is mounted: time from navigation to the
  cell's result, and the bytes transferred ("cold"); a new tab of the same profile opens the page
  again ("warm", a second visit); then a link of the site's navigation leads to lesson 3 in the
  same visit, whose first cell is run the same way: time from the click to its result ("next
  page"). The reference, measured in the same way in a fresh profile of its own: a bare page
  that loads Pyodide 0.27.7 and NumPy exactly as published and computes one NumPy result;
- lr, deep: the course's two trainings on the sample images, typed into the first cell of the
  training lesson and run (logistic regression, α = 0.005, 2000 iterations; the L-layer network
  [12288, 20, 7, 5, 1], α = 0.0075, 2500 iterations), timed inside Python around the training
  alone; the same code runs natively on CPython (.venv) in a subprocess, for the reference;
- dot: the vectorization lesson's own first cell (a loop against np.dot on 10⁶ elements), run as
  it is; the same code natively.

    .venv/bin/python scripts/bench.py [--only startup,lr,deep,dot] [--runs 3] [--site DIR]

The complete default run takes about 15 minutes on a 2-core machine (the deep training dominates).
"""

import argparse
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
WORKLOADS = ("startup", "lr", "deep", "dot")

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

# Chromium's side of the start-up figures. The page itself presses Run on its first cell the moment
# that cell is mounted (editor built, buttons in place): a reader's quickest click, without the 50–
# 100 ms the test driver takes to notice the cell and click through its own checks. It records the
# moment (performance.now(), from the start of navigation) the cell shows its result. `__skip`
# names a cell already measured (the previous page's, during instant navigation).
RECORD_FIRST_RESULT = """
new MutationObserver(() => {
  const cell = document.querySelector('.nndl-cell');
  if (!cell || cell === window.__skip) return;
  const run = cell.querySelector('.nndl-button--run');
  if (run && cell.dataset.mounted !== undefined && !cell.__pressed) {
    cell.__pressed = true;
    run.click();
  }
  if (cell.dataset.state === 'done' && !window.__firstResult) window.__firstResult = performance.now();
}).observe(document, { subtree: true, childList: true, attributes: true });
"""


# The start-up figures' reference: Pyodide and NumPy exactly as published, on a page of their own
# that computes one NumPy result as soon as it can. It records the same moment as the site's pages.
BARE_HTML = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Pyodide and NumPy, bare</title>
<script type="module">
const { loadPyodide } = await import("./pyodide/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", location.href).href });
await pyodide.loadPackage("numpy");
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
    from site_tests_conftest import CHROMIUM

    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


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


class Browser:
    def __init__(self, site):
        from playwright.sync_api import sync_playwright
        from site_tests_conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer

        self.server = SiteServer(isolated=False, root=site)  # this private copy
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def fresh_profile(self):
        """A browser context with a new, empty profile directory of its own."""
        from site_tests_conftest import CHROMIUM, CHROMIUM_ARGS

        folder = tempfile.mkdtemp(prefix="nndl-bench-profile-")
        context = self.playwright.chromium.launch_persistent_context(
            folder, executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context.profile_folder = folder
        return context

    def close_profile(self, context):
        context.close()
        shutil.rmtree(context.profile_folder, ignore_errors=True)

    def close(self):
        self.browser.close()
        self.playwright.stop()
        self.server.close()

    def url(self, path):
        return self.server.url + path

    def open(self, page, path):
        page.goto(self.url(path))
        page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")

    def first_result_ms(self, page, path):
        """Open path (the page presses Run on its first cell); ms from navigation to its result."""
        page.goto(self.url(path))
        page.wait_for_function("() => window.__firstResult", timeout=120_000)
        return page.evaluate("window.__firstResult")

    def next_page_result_ms(self, page, path):
        """Follow the site's own link to path (instant navigation, same visit); the page runs its
        first cell; ms from the click to the result."""
        start = page.evaluate(
            """(path) => {
                 window.__skip = document.querySelector('.nndl-cell');
                 window.__firstResult = null;
                 const link = [...document.querySelectorAll('a[href]')]
                   .find((a) => new URL(a.href).pathname.endsWith(path));
                 const t = performance.now();
                 link.click();
                 return t;
               }""",
            path,
        )
        page.wait_for_function("() => window.__firstResult", timeout=120_000)
        return page.evaluate("window.__firstResult") - start

    def run_cell(self, page, code=None, timeout_s=3600):
        """Run the page's first cell (with code typed in, if given); returns its output text."""
        cell = page.locator(".nndl-cell").first
        if code is not None:
            cell.locator(".cm-content").click()
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.insert_text(code.strip() + "\n")
        cell.get_by_role("button", name="Run", exact=True).click()
        page.wait_for_function(
            "() => ['done', 'error'].includes(document.querySelector('.nndl-cell').dataset.state)",
            timeout=timeout_s * 1000,
            polling=500,
        )
        text = cell.locator(".nndl-output").inner_text()
        if cell.get_attribute("data-state") == "error":
            raise RuntimeError(f"the cell failed:\n{text}")
        return text


def transferred_bytes(request):
    sizes = request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


def two_visits(browser, path):
    """A fresh browser profile opens path, then opens it again in a new tab. Returns the first
    result's seconds and bytes transferred of the first visit, the seconds of the second, and the
    profile with its second tab, still open."""
    # A fresh browser profile on disk, as a reader's: its HTTP cache keeps the code compiled
    # from scripts and WebAssembly (a private window's does not).
    context = browser.fresh_profile()
    context.add_init_script(RECORD_FIRST_RESULT)
    page = context.new_page()
    loaded = []

    def count(request):
        loaded.append(transferred_bytes(request))

    context.on("requestfinished", count)
    cold = browser.first_result_ms(page, path) / 1000
    context.remove_listener("requestfinished", count)
    # A second visit: a new tab of the same browser profile (its HTTP and code caches).
    page.close()
    page = context.new_page()
    warm = browser.first_result_ms(page, path) / 1000
    return cold, sum(loaded), warm, context, page


def bench_startup(browser, runs, results):
    figures = ("cold_first_result", "cold_bytes", "warm_first_result", "next_page_first_result",
               "bare_cold_first_result", "bare_cold_bytes", "bare_warm_first_result")
    for name in figures:
        results[name] = Series()
    for run in range(runs):
        cold, loaded, warm, context, page = two_visits(browser, FIRST_PAGE)
        results["cold_first_result"].add(cold)
        results["cold_bytes"].add(loaded)
        results["warm_first_result"].add(warm)
        results["next_page_first_result"].add(browser.next_page_result_ms(page, NEXT_PAGE) / 1000)
        browser.close_profile(context)
        # The reference, in a fresh profile of its own: the same two visits of the bare page.
        cold, loaded, warm, context, _ = two_visits(browser, BARE_PAGE)
        results["bare_cold_first_result"].add(cold)
        results["bare_cold_bytes"].add(loaded)
        results["bare_warm_first_result"].add(warm)
        browser.close_profile(context)
        last = {name: results[name].values[-1] for name in figures}
        print(f"  startup run {run + 1}: cold {last['cold_first_result']:.2f} s,"
              f" warm {last['warm_first_result']:.2f} s,"
              f" next page {last['next_page_first_result']:.2f} s,"
              f" {last['cold_bytes'] / 1e6:.1f} MB; bare Pyodide page:"
              f" cold {last['bare_cold_first_result']:.2f} s,"
              f" warm {last['bare_warm_first_result']:.2f} s,"
              f" {last['bare_cold_bytes'] / 1e6:.1f} MB", flush=True)


def bench_training(browser, name, runs, threads, results):
    code = TRAINING_CODE[name]
    b_time, n_time, b_acc, n_acc, b_train, n_train = (Series() for _ in range(6))
    context = browser.browser.new_context()
    page = context.new_page()
    browser.open(page, TRAINING_PAGE)
    for run in range(runs):
        out = native(code, threads)
        n_time.add(out["seconds"])
        n_acc.add(out["test_acc"])
        n_train.add(out["train_acc"])
        out = parse_bench(browser.run_cell(page, code))
        b_time.add(out["seconds"])
        b_acc.add(out["test_acc"])
        b_train.add(out["train_acc"])
        print(f"  {name} run {run + 1}: browser {b_time.values[-1]:.2f} s "
              f"({b_train.values[-1]:.0f} % / {b_acc.values[-1]:.0f} %), native "
              f"{n_time.values[-1]:.2f} s ({n_train.values[-1]:.0f} % / {n_acc.values[-1]:.0f} %)",
              flush=True)
    context.close()
    results[f"{name}_browser"] = b_time
    results[f"{name}_native"] = n_time
    results[f"{name}_test_acc_browser"] = b_acc
    results[f"{name}_test_acc_native"] = n_acc
    results[f"{name}_train_acc_browser"] = b_train
    results[f"{name}_train_acc_native"] = n_train


def dot_cell_code():
    text = (ROOT / "docs" / DOT_PAGE.rstrip("/")).with_suffix(".md").read_text(encoding="utf-8")
    return re.search(r"```pycell\n(.*?)```", text, re.S).group(1)


def parse_dot(text):
    loop = float(re.search(r"loop:.*in\s+([\d.]+) ms", text).group(1))
    dot = float(re.search(r"np\.dot:.*in\s+([\d.]+) ms", text).group(1))
    return loop, dot


def bench_dot(browser, runs, threads, results):
    b_ratio, n_ratio, b_loop, b_dot, n_loop, n_dot = (Series() for _ in range(6))
    code = dot_cell_code()
    context = browser.browser.new_context()
    page = context.new_page()
    browser.open(page, DOT_PAGE)
    for run in range(runs):
        loop, dot = parse_dot(browser.run_cell(page))
        b_loop.add(loop / 1000)
        b_dot.add(dot / 1000)
        b_ratio.add(loop / dot)
        loop, dot = parse_dot(native(code, threads))
        n_loop.add(loop / 1000)
        n_dot.add(dot / 1000)
        n_ratio.add(loop / dot)
        print(f"  dot run {run + 1}: browser loop/np.dot = {b_ratio.values[-1]:.0f}, "
              f"native {n_ratio.values[-1]:.0f}", flush=True)
    context.close()
    results.update(dot_loop_ratio_browser=b_ratio, dot_loop_ratio_native=n_ratio,
                   dot_loop_browser=b_loop, dot_np_browser=b_dot, dot_loop_native=n_loop,
                   dot_np_native=n_dot)


# ---- Report -----------------------------------------------------------------------------------

GOALS = {
    "cold_first_result": ("≤ 2.0 s", lambda v: v <= 2.0),
    "warm_first_result": ("≤ 1.0 s", lambda v: v <= 1.0),
    "next_page_first_result": ("≤ 0.3 s", lambda v: v <= 0.3),
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


def table_from_json(paths):
    results, info = {}, None
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for name, summary in data["details"].items():
            if summary:
                series = results[name] = Series()
                series.values, series.loads = summary["runs"], summary["load_1min"]
        info = info or data["machine"]
    return table(results, info)


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
    for key, name in keys.items():
        data[key] = results[name].median if name in results else None
    data["details"] = {name: series.summary() for name, series in results.items()}
    data["machine"] = info
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(WORKLOADS),
                        help=f"comma-separated workloads among {', '.join(WORKLOADS)} (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each (default 3)")
    parser.add_argument("--site", type=Path, default=ROOT / "site",
                        help="the built site (default site/); a private copy of it is served")
    parser.add_argument("--native-threads", type=int, default=1,
                        help="OpenBLAS threads of the native runs (default 1, the fastest on a "
                             "shared 2-core machine; 0 = OpenBLAS's default)")
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
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} is not a built site: run `make site` first")

    info = machine()
    info.update(runs=args.runs, native_threads=args.native_threads, workloads=only)
    print(f"Machine: {info['cpu']}, {info['cores']} cores, load {info['load_at_start']}", flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="nndl-bench-") as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.site, site)
        if "startup" in only:
            add_bare_page(site)
        browser = Browser(site)
        try:
            if "startup" in only:
                bench_startup(browser, args.runs, results)
            for name in ("lr", "deep"):
                if name in only:
                    bench_training(browser, name, args.runs, args.native_threads, results)
            if "dot" in only:
                bench_dot(browser, args.runs, args.native_threads, results)
        finally:
            browser.close()
    info["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = table(results, info)
    print()
    print(text)
    write_json(results, info, args.output)
    args.output.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    print(f"\nWrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
          f" and {args.output.with_suffix('.md').name}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "site_tests"))
    import importlib

    sys.modules["site_tests_conftest"] = importlib.import_module("conftest")
    main()
