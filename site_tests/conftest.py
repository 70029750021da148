"""Fixtures of the browser tests: the built site served under /nndl/, Debian's Chromium, and a
watch on every page for console errors and requests to other hosts.

The site is served the way GitHub Pages serves a project site: under a sub-path (/nndl/), and
without the COOP/COEP headers that would make the page cross-origin isolated. So Stop takes the
path the published site takes (restart Python and restore the cells). A second server sends
those headers, to test Stop through the interrupt buffer as well.
"""

import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import engines
import pytest
from reader import SHOWN_TEXT, Reader

ROOT = Path(__file__).resolve().parent.parent
# The built site; NNDL_SITE_DIR tests a copy of it instead (one kept still while site/ is rebuilt).
SITE = Path(os.environ.get("NNDL_SITE_DIR", ROOT / "site")).resolve()
BASE_PATH = "/nndl/"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = engines.CHROMIUM
CHROMIUM_ARGS = engines.CHROMIUM_ARGS
#: Long enough for a cold start of Python in a fresh browser context, on a slow machine.
PYTHON_TIMEOUT_MS = 60_000


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """site/ under BASE_PATH; anything else is 404, as it would be on GitHub Pages."""

    root = SITE  # the folder served
    isolated = False  # send COOP/COEP, making pages cross-origin isolated
    requests = None  # list of paths served, shared by the server's handlers

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.root), **kwargs)

    def do_GET(self):
        path = urlsplit(self.path).path
        self.requests.append(path)
        if not path.startswith(BASE_PATH):
            self.send_error(404, "Not under the site's base path")
            return
        if path.endswith("/sitemap.xml"):
            self.send_sitemap()
            return
        self.path = self.path[len(BASE_PATH) - 1 :]
        super().do_GET()

    def send_sitemap(self):
        """Material's instant navigation takes over the links listed in sitemap.xml, whose
        addresses come from site_url at build time. The published site is built with its own
        address (NNDL_SITE_URL); this server stands for that address, so the sitemap it serves
        names the pages where this server serves them."""
        text = (self.root / "sitemap.xml").read_text(encoding="utf-8")
        locations = re.findall(r"<loc>(.*?)</loc>", text)
        prefix = locations[0]
        for location in locations:
            while not location.startswith(prefix):
                prefix = prefix[: prefix.rstrip("/").rfind("/") + 1]
        here = f"http://{self.headers['Host']}{BASE_PATH}"
        body = text.replace(f"<loc>{prefix}", f"<loc>{here}").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        if self.isolated:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def log_message(self, format, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a browser closing a connection early (a page left mid-download) is not a failure


class SiteServer:
    """A server of the built site (or of a copy of it, `root`) on a free port of 127.0.0.1."""

    def __init__(self, isolated=False, root=SITE):
        if not (SITE / "index.html").is_file() or not (SITE / "pyodide").is_dir():
            pytest.exit("site/ is not built: run `make test-site` (or `make site` first)", 2)
        self.requests = []
        attributes = {"root": Path(root), "isolated": isolated, "requests": self.requests}
        handler = type("Handler", (SiteHandler,), attributes)
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"
        self.url = self.origin + BASE_PATH

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def site_server():
    server = SiteServer(isolated=False)
    yield server
    server.close()


@pytest.fixture(scope="session")
def isolated_server():
    server = SiteServer(isolated=True)
    yield server
    server.close()


@pytest.fixture(scope="session")
def base_url(site_server):
    return site_server.url


# ---- The three engines (engines.py): one test body, run in each --------------------------------


@pytest.fixture(scope="session", params=engines.ENGINES)
def engine(request, playwright):
    """Chromium, Firefox and WebKit in turn. An engine this machine lacks fails the test (the
    Makefile installs all three): a missing engine is never a silent skip."""
    name = request.param
    absent = engines.missing(name)
    if absent:
        pytest.fail(f"{name} is not installed here ({', '.join(absent)}): run `make test-site`")
    driver = {"chromium": lambda: engines.Chromium(playwright), "firefox": engines.Firefox,
              "webkit": engines.WebKit}[name]()
    yield driver
    driver.close()


@pytest.fixture
def open_tab(engine):
    """open_tab(features_off=(), on_disk=False) → a Tab in a fresh profile of this test's engine
    (engines.py); each is closed at the end of the test, which fails if the page reported an
    uncaught error."""
    tabs = []

    def open_(features_off=(), on_disk=False):
        tab = engine.open_tab(features_off, on_disk=on_disk)
        tabs.append(tab)
        return tab

    yield open_
    errors = [error for tab in tabs for error in tab.unexpected_errors()]
    for tab in tabs:
        tab.close()
    assert errors == [], "errors reported by the page"


@pytest.fixture
def reader(open_tab, site_server):
    """A reader of the site in a fresh profile of this test's engine (reader.py)."""
    return Reader(open_tab(), site_server.url)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class PageWatch:
    """Everything a page and its workers did that a test may want to assert on."""

    def __init__(self, context, page):
        self.errors = []
        self.requests = []
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("console", self.console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("worker", lambda worker: worker.on("console", self.console))

    def console(self, message):
        if message.type == "error" and f"error: {message.text}" not in self.errors:
            self.errors.append(f"error: {message.text}")

    def foreign_requests(self):
        """Requests for anything but this machine's test servers (data: URLs are not requests,
        and blob: URLs name the page's own memory, such as a cell's output being downloaded)."""
        return [
            url
            for url in self.requests
            if not url.startswith(("data:", "blob:")) and urlsplit(url).hostname != "127.0.0.1"
        ]


@pytest.fixture
def watch(context, page):
    """Fails the test if the page logged a console error or asked another host for anything."""
    watch = PageWatch(context, page)
    yield watch
    assert watch.errors == [], "console errors"
    assert watch.foreign_requests() == [], "requests to other hosts"


# ---- Driving the cells ------------------------------------------------------------------------


class Cell:
    """One .nndl-cell of the page, numbered from 1 as the page numbers them."""

    def __init__(self, page, root):
        self.page = page
        self.root = root
        self.output = root.locator(".nndl-output")
        self.editor = root.locator(".cm-content")

    def button(self, name):
        return self.root.get_by_role("button", name=name, exact=True)

    def run(self):
        self.button("Run").click()

    def state(self):
        return self.root.get_attribute("data-state")

    def expect_state(self, state, timeout=PYTHON_TIMEOUT_MS):
        from playwright.sync_api import expect

        expect(self.root).to_have_attribute("data-state", state, timeout=timeout)

    def text(self):
        """What the output area shows, as text (without the trailing newline of its blocks)."""
        return shown_text(self.output).rstrip()

    def run_and_wait(self, state="done"):
        self.run()
        self.expect_state(state)
        return self.text()

    def code(self):
        return self.editor.evaluate(
            "el => [...el.querySelectorAll('.cm-line')].map(line => line.textContent).join('\\n')"
        )

    def set_code(self, code):
        """Replace the code by typing, as a reader would (select all, then type)."""
        self.editor.click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.insert_text(code)


class Cells:
    def __init__(self, page):
        self.page = page
        self.roots = page.locator(".nndl-cell")

    def __getitem__(self, number):
        return Cell(self.page, self.roots.nth(number - 1))

    def __len__(self):
        return self.roots.count()

    def states(self):
        return self.roots.evaluate_all("els => els.map(el => el.dataset.state)")


@pytest.fixture
def open_page(page, watch):
    """open_page("demo/") → Cells of that page, once its cells have their editors."""

    def open_(path):
        page.goto(path)
        page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
        return Cells(page)

    return open_


# ---- Checking a page with axe-core ---------------------------------------------------------------

#: axe-core from node_modules, put into the page by the test only: the site never ships it. The
#: pages' Content-Security-Policy refuses injected <script> elements, but not code evaluated by the
#: browser's own automation protocol, which is how page.evaluate runs it.
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")
#: Violations that fail a page.
BLOCKING = ("critical", "serious")
AXE_RESULTS_FILE = ROOT / "build" / "axe-results.json"
AXE_REPORT = (
    "axe-core, WCAG 2 A/AA: elements in violation per page, critical/serious/moderate/minor"
)
#: Measured in this session: (page, when, scheme) → [{id, impact, help, nodes: [selector, …]}, …].
axe_results = {}

AXE_RUN = """async ([tags, skipped]) => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    rules: Object.fromEntries(skipped.map((id) => [id, { enabled: false }])),
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def set_scheme(page, scheme):
    """Switch the page to the light or dark scheme with Material's palette toggle, as a reader
    does (the choice is remembered for the site, in this browser context)."""
    palette = {"light": "default", "dark": "slate"}[scheme]
    if page.evaluate("document.body.dataset.mdColorScheme") == palette:
        return
    page.locator(f'label[title="Switch to {scheme} mode"]:visible').click()
    page.wait_for_function(f"() => document.body.dataset.mdColorScheme === {palette!r}")
    # The page's own colour transitions settle. A block of the text far from the screen gets its
    # new colours only when something reads them (site.css: it is styled as it comes near the
    # screen), and a link's colour transition would start then: read them all now.
    page.evaluate("() => { for (const el of document.body.querySelectorAll('*')) getComputedStyle(el).color; }")
    page.wait_for_timeout(400)


def axe_violations(page, skipped=()):
    """axe-core's violations of the WCAG A/AA rules (but the `skipped` ones) on the page now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;0")
    return page.evaluate(AXE_RUN, [AXE_TAGS, list(skipped)])


def counts_by_impact(violations):
    counts = dict.fromkeys(IMPACTS, 0)
    for violation in violations:
        counts[violation["impact"]] += len(violation["nodes"])
    return counts


def shown_text(locator):
    """The locator's element's text as the page shows it on screen (SHOWN_TEXT)."""
    return locator.evaluate(SHOWN_TEXT)


#: Boxes that scroll sideways when their content is too wide (a displayed formula, a table),
#: not yet checked by scrollable.js.
SCROLL_BOXES_UNCHECKED = ":is(div.arithmatex, .md-typeset__scrollwrap):not([data-scrolls])"


def check_with_axe(page, name, when, schemes=("light", "dark"), skipped=()):
    """Run axe-core on the page in the light scheme, then in the dark one; record the results
    for the session's report and build/axe-results.json; fail on any serious or critical
    violation, naming the rules and elements. `when` says what state the page is in; `skipped`
    rules are left out."""
    from playwright.sync_api import expect

    failures = []
    # The boxes that scroll sideways join the Tab order as they are checked, the last of them in
    # the browser's idle time (scrollable.js).
    expect(page.locator(SCROLL_BOXES_UNCHECKED)).to_have_count(0, timeout=15_000)
    for scheme in schemes:
        set_scheme(page, scheme)
        violations = axe_violations(page, skipped)
        axe_results[(name, when, scheme)] = violations
        for violation in violations:
            if violation["impact"] in BLOCKING:
                nodes = ", ".join(violation["nodes"][:5])
                failures.append(
                    f"{scheme}: {violation['impact']} {violation['id']} ({violation['help']}), "
                    f"{len(violation['nodes'])} elements: {nodes}"
                )
    report_axe()
    assert failures == [], f"{name} ({when}):\n" + "\n".join(failures)


def report_axe():
    """The session's table of axe results; and build/axe-results.json, which a run of some pages
    updates, keeping the other pages' entries from earlier runs. Under pytest-xdist a worker
    leaves both to the controller, which gathers every worker's results (see below)."""
    import json

    lines = [f"{'page':<40} {'state':<14} {'light':>11} {'dark':>11}  rules below serious"]
    pages = sorted({(name, when) for name, when, _ in axe_results})
    for name, when in pages:
        cells = []
        minor_rules = set()
        for scheme in ("light", "dark"):
            violations = axe_results.get((name, when, scheme))
            if violations is None:
                cells.append("-")
                continue
            cells.append("/".join(str(n) for n in counts_by_impact(violations).values()))
            minor_rules |= {v["id"] for v in violations if v["impact"] not in BLOCKING}
        lines.append(
            f"{name:<40} {when:<14} {cells[0]:>11} {cells[1]:>11}  {', '.join(sorted(minor_rules))}"
        )
    SESSION_REPORT[AXE_REPORT] = lines
    if XDIST_WORKER:
        return
    AXE_RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        stored = json.loads(AXE_RESULTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    for (name, when, scheme), violations in axe_results.items():
        stored.setdefault(name, {}).setdefault(when, {})[scheme] = {
            "counts": counts_by_impact(violations),
            "violations": violations,
        }
    text = json.dumps(dict(sorted(stored.items())), indent=1) + "\n"
    AXE_RESULTS_FILE.write_text(text, encoding="utf-8")


# ---- Reports at the end of the session ---------------------------------------------------------

#: Sections that test modules leave for the end of the session: {title: [line, …]}
#: (test_every_page.py: the time each page takes to run all its cells; the axe results).
SESSION_REPORT = {}
#: The name of this pytest-xdist worker ("gw0", …), or "" in the process that reports.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def pytest_sessionfinish(session):
    """A pytest-xdist worker hands its sections and its axe results to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        import json

        workeroutput["nndl_report"] = json.dumps({
            "sections": SESSION_REPORT,
            "axe": [[*key, violations] for key, violations in axe_results.items()],
        })


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """In the controller of a pytest-xdist run: a worker's sections and axe results, gathered.
    A module runs whole in one worker (make test-site's --dist loadscope), so each section but
    the axe table, which several modules fill, comes whole from one worker."""
    import json

    report = json.loads(getattr(node, "workeroutput", {}).get("nndl_report", "{}"))
    SESSION_REPORT.update(report.get("sections", {}))
    for name, when, scheme, violations in report.get("axe", []):
        axe_results[name, when, scheme] = violations
    if axe_results:
        report_axe()


def pytest_terminal_summary(terminalreporter):
    for title, lines in sorted(SESSION_REPORT.items()):
        terminalreporter.write_sep("-", title)
        for line in lines:
            terminalreporter.write_line(line)
