"""The browsers the benchmark drives (site_tests/engines.py's engines, each started when first
needed, and the server of the site's private copy), and what it reads from their pages: the first
cell's result, the next page's, the bytes transferred and the stages of a start-up."""

import json
import sys

from bench_common import STARTUP_TIMEOUT, engines
from reader import Reader  # site_tests/reader.py, on sys.path by bench_common


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


def run_cell(reader, code=None, timeout_s=3600):
    """Run the page's first cell (with code typed in, if given); returns its output text."""
    if code is not None:
        reader.type_code(1, code.strip() + "\n")
    state, text = reader.run_and_wait(1, timeout=timeout_s)
    if state == "error":
        raise RuntimeError(f"{reader.engine}: the cell failed:\n{text}")
    return text
