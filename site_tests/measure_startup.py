"""Measure the time from navigation to the first cell's result, cold and warm, and the bytes.

Serves site/ under /nndl/ (as the tests do), opens the demo page in Chromium, presses Run on the
first cell as soon as it has its editor, and reads, inside the page, the time from the start of
navigation to the moment that cell shows its result:

- cold: a fresh browser context (empty HTTP cache), so Pyodide, NumPy and nndl are downloaded;
- warm: the same context reloading the page, everything from the browser's cache;
- cold bytes: what the cold load transferred (headers and bodies of every response, as sent by
  the server: the local server does not compress).

    .venv/bin/python site_tests/measure_startup.py [--runs 3]
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

RECORD_DONE = """
new MutationObserver(() => {
  const cell = document.querySelector('.nndl-cell');
  if (cell && cell.dataset.state === 'done' && !window.__firstResult) {
    window.__firstResult = performance.now();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
"""


def transferred_bytes(request):
    sizes = request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


def first_result_ms(page, url, reload=False):
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    page.locator(".nndl-cell").first.get_by_role("button", name="Run").click()
    page.wait_for_function("() => window.__firstResult", timeout=120_000)
    return page.evaluate("window.__firstResult")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = SiteServer(isolated=False)
    cold, warm, cold_bytes = [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.runs):
                context = browser.new_context()
                context.add_init_script(RECORD_DONE)
                page = context.new_page()
                loaded = []

                def count(request, loaded=loaded):
                    loaded.append(transferred_bytes(request))

                context.on("requestfinished", count)
                cold.append(first_result_ms(page, server.url + "demo/"))
                context.remove_listener("requestfinished", count)
                cold_bytes.append(sum(loaded))
                warm.append(first_result_ms(page, server.url + "demo/", reload=True))
                context.close()
            browser.close()
    finally:
        server.close()
    for name, values in (("cold", cold), ("warm", warm)):
        runs = ", ".join(f"{v / 1000:.2f}" for v in values)
        print(f"{name}: median {statistics.median(values) / 1000:.2f} s  (runs: {runs})")
    runs = ", ".join(f"{b / 1e6:.1f}" for b in cold_bytes)
    print(f"cold bytes: median {statistics.median(cold_bytes) / 1e6:.1f} MB  (runs: {runs})")


if __name__ == "__main__":
    main()
