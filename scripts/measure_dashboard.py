"""Measure the course's three models trained with their defaults: in the dashboard (Chromium,
Pyodide) and natively (CPython), through the same engine path, and print accuracies and times.

In the browser: serves site/ under /nndl/ as the tests do, opens lesson 13, trains a one-iteration
run first (so that Python has started and the sample pictures are drawn), then trains each model
with the course's defaults, one after the other, and reads the dashboard's table. "wall" is the
time from pressing Train to the run's end, as the reader waits for it; "training" is the time
Python spent in the slices (what the dashboard shows as elapsed).

Natively: the same nndl.dashboard.Run, advanced in slices of a quarter of a second until done.

    .venv/bin/python scripts/measure_dashboard.py [--models logistic two_layer deep]
                                                   [--skip-browser] [--skip-native]

The L-layer network takes several minutes in the browser: run this on a quiet machine.
"""

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "site_tests"))  # conftest.py: the browser tests' Chromium and server

from nndl import data  # noqa: E402  (installed in .venv by make venv)
from nndl.dashboard import MODELS, Run  # noqa: E402

LESSON = "lessons/13-training-on-images/"
LONGEST_S = 45 * 60


def native(model):
    train_x, train_y, test_x, test_y, _ = data.load_sample_images()
    X, X_test = data.flatten_images(train_x), data.flatten_images(test_x)
    run = Run(1, model, X, train_y, X_test=X_test, Y_test=test_y)
    start = time.perf_counter()
    while run.active:
        run.advance(0.25)
    wall = time.perf_counter() - start
    return {
        "iterations": run.iteration,
        "train": run.result["train_accuracy"],
        "test": run.result["test_accuracy"],
        "wall": wall,
        "training": run.elapsed,
        "cost": run.costs[-1],
    }


def browser(models):
    from conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer
    from playwright.sync_api import sync_playwright

    server = SiteServer(isolated=False)
    results = {}
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = chromium.new_page()
            page.goto(server.url + LESSON)
            root = page.locator(".nndl-dashboard[data-mounted]")
            root.wait_for(timeout=60_000)
            version = page.evaluate("navigator.userAgent")

            def train(model, iterations=None):
                root.get_by_label("Model", exact=True).select_option(model)
                if iterations is not None:
                    root.get_by_label("Iterations", exact=True).fill(str(iterations))
                rows = root.locator(".nndl-dash__table tbody tr[data-run]").count()
                number = rows + 1
                started = time.perf_counter()
                root.get_by_role("button", name="Train", exact=True).click()
                row = root.locator(f".nndl-dash__table tbody tr[data-run='{number}']")
                row.wait_for(timeout=120_000)
                page.wait_for_function(
                    """number => {
                      const rows = ".nndl-dash__table tbody tr[data-run='" + number + "']";
                      const row = document.querySelector(rows);
                      return row && row.dataset.status !== "training";
                    }""",
                    arg=number, timeout=LONGEST_S * 1000, polling=200,
                )
                wall = time.perf_counter() - started
                return wall, row.locator("th, td").all_inner_texts()

            train("logistic", iterations=1)  # Python, NumPy, nndl and the pictures, loaded
            for model in models:
                print(f"browser: training {MODELS[model].name}…", flush=True)
                wall, cells = train(model)
                results[model] = {
                    "iterations": int(cells[3].split(" of ")[0]),
                    "train": float(cells[5].rstrip(" %")),
                    "test": float(cells[6].rstrip(" %")),
                    "wall": wall,
                    "training": cells[4],
                    "status": cells[7],
                }
                print(f"  {results[model]}", flush=True)
            chromium.close()
    finally:
        server.close()
    return results, version


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=list(MODELS))
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-native", action="store_true")
    args = parser.parse_args()

    native_results = {}
    if not args.skip_native:
        for model in args.models:
            print(f"native: training {MODELS[model].name}…", flush=True)
            native_results[model] = native(model)
            print(f"  {native_results[model]}", flush=True)
    browser_results, version = ({}, "")
    if not args.skip_browser:
        browser_results, version = browser(args.models)

    import numpy

    print()
    print(f"native: CPython {platform.python_version()}, NumPy {numpy.__version__}, "
          f"{platform.machine()}")
    if version:
        print(f"browser: {version}")
    print(f"{'model':22} {'where':8} {'iterations':>10} {'train %':>8} {'test %':>7} "
          f"{'wall':>9} {'training':>9}")
    for model in args.models:
        for where, results in (("native", native_results), ("browser", browser_results)):
            if model not in results:
                continue
            r = results[model]
            training = r["training"] if isinstance(r["training"], str) else f"{r['training']:.1f} s"
            print(f"{MODELS[model].name:22} {where:8} {r['iterations']:>10} {r['train']:>8.1f} "
                  f"{r['test']:>7.1f} {r['wall']:>7.1f} s {training:>9}")


if __name__ == "__main__":
    main()
