"""Offline use: the service worker (docs/javascripts/sw.js, written to site/sw.js by
nndl_site/offline.py) and the "Make available offline" control of docs/javascripts/offline.js.

- One ordinary visit keeps the pages visited and the runtime: with the network gone, they open
  again and their cells run; a page never visited shows the offline page.
- "Make available offline" shows its progress, ends in "Ready offline" (still so after a reload),
  and then a lesson never visited opens and runs with no network; removing the copy keeps the
  reader's edits.
- A new deployment (a copy of the site, changed and its worker written again by the hook) reaches
  a reader who has the old one: the new text shows, the old cache is deleted, the reader's edit
  survives, and the new version works offline.
"""

import re
import shutil
import time

import pytest
from conftest import PYTHON_TIMEOUT_MS, ROOT, SITE, Cells, SiteServer
from playwright.sync_api import expect

from nndl_site import offline as hook


MANIFEST = hook.manifest(SITE)
LESSON = "lessons/01-images-as-vectors/"  # visited in the first test
UNVISITED = "lessons/03-computation-graph/"  # never visited before going offline

# The URLs of this site's caches (one per version) that hold every one of `urls`.
CACHES_HOLDING = """async (urls) => {
    const holding = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        const found = await Promise.all(urls.map((url) => cache.match(url)));
        if (found.every(Boolean)) holding.push(name);
    }
    return holding;
}"""


def wait_until(page, check, what, timeout_ms=PYTHON_TIMEOUT_MS):
    """Poll check() (which may ask the page) until it is truthy; returns its value."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(200)


def saved(page, root, paths):
    """Names of the caches that hold all of `paths` (relative to the site root)."""
    return page.evaluate(CACHES_HOLDING, [root + path for path in paths])


def open_cells(page, url):
    page.goto(url)
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    return Cells(page)


def test_a_visited_lesson_opens_and_runs_offline_and_an_unvisited_page_says_so(
    page, context, base_url, watch
):
    cells = open_cells(page, base_url + LESSON)
    first = cells[1].run_and_wait()
    assert "train_x_orig: (209, 64, 64, 3) uint8" in first
    open_cells(page, base_url + "demo/")  # a second page, visited once
    pages = [LESSON + "index.html", "demo/index.html"]
    wait_until(page, lambda: saved(page, base_url, pages + MANIFEST["runtime"] + MANIFEST["shell"]),
               "the visited pages and the runtime to be saved")
    assert not saved(page, base_url, [UNVISITED + "index.html"])  # nothing else was fetched

    context.set_offline(True)
    cells = open_cells(page, base_url + LESSON)
    assert cells[1].run_and_wait() == first  # Python, NumPy and nndl, all from the cache

    # Instant navigation to the other visited page: its cells run in the same Python.
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-nav--primary").get_by_role("link", name="Try a cell", exact=True).click()
    page.wait_for_url("**/nndl/demo/")
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    assert page.evaluate("window.__sameDocument === true")
    assert Cells(page)[1].run_and_wait() == "Hello, neural networks!"

    # A page never visited: the offline page, naming it, with a way home and the hint.
    page.goto(base_url + UNVISITED)
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    assert "/nndl/offline/" in page.url
    missing = page.locator(".nndl-offline-missing")
    expect(missing).to_contain_text("is not saved in this browser")
    expect(missing.get_by_role("link")).to_have_attribute("href", "/nndl/" + UNVISITED)
    expect(page.locator(".md-content").get_by_role("link", name="home page")).to_be_visible()
    expect(page.locator(".md-content")).to_contain_text("Make available offline")


def test_make_available_offline_saves_every_lesson_with_progress(page, context, base_url, watch):
    page.goto(base_url + "how-to-use/")
    control = page.locator(".nndl-offline")
    expect(control).to_have_attribute("data-state", "none", timeout=PYTHON_TIMEOUT_MS)
    expect(control).to_contain_text(f"{len(MANIFEST['files'])} files")
    # Every text the control shows, recorded as it changes (saving may be quick here).
    page.evaluate("""() => {
        window.__shown = [];
        const el = document.querySelector(".nndl-offline");
        new MutationObserver(() => window.__shown.push(el.dataset.state + ": " + el.innerText))
            .observe(el, { subtree: true, childList: true, characterData: true, attributes: true });
    }""")
    page.evaluate("localStorage.setItem('nndl.edits:/demo/', JSON.stringify({h: {code: 'x = 1', index: 0}}))")

    button = control.get_by_role("button", name="Make available offline")
    button.focus()
    page.keyboard.press("Enter")  # keyboard operable
    expect(control).to_have_attribute("data-state", "ready", timeout=PYTHON_TIMEOUT_MS)
    expect(control.locator(".nndl-offline__summary")).to_have_text(re.compile(r"Ready offline"))
    expect(control.get_by_role("status")).to_contain_text("Ready offline")
    total = len(MANIFEST["files"])
    counts = [int(m) for text in page.evaluate("window.__shown")
              for m in re.findall(rf"saving: .*?(\d+) of {total} files", text, re.S)]
    assert any(0 < n < total for n in counts), counts  # progress was shown on the way

    page.reload()  # the state comes from the worker's cache, not from a note of the page
    expect(control).to_have_attribute("data-state", "ready", timeout=PYTHON_TIMEOUT_MS)

    context.set_offline(True)
    cells = open_cells(page, base_url + UNVISITED)
    assert cells[1].run_and_wait() == "u = 6.0   v = 11.0   J = 33.0"

    page.goto(base_url + "how-to-use/")
    expect(control).to_have_attribute("data-state", "ready", timeout=PYTHON_TIMEOUT_MS)
    control.get_by_role("button", name="Remove offline copy").click()
    expect(control).to_have_attribute("data-state", "none")
    expect(control.get_by_role("status")).to_contain_text("Your edits and progress are kept")
    assert page.evaluate("localStorage.getItem('nndl.edits:/demo/')") is not None
    assert saved(page, base_url, ["index.html"]) == []


@pytest.fixture
def deployment(tmp_path):
    """A copy of the built site, served like the site, that the test can deploy anew."""
    copy = tmp_path / "site"
    shutil.copytree(SITE, copy)
    server = SiteServer(root=copy)
    yield copy, server
    server.close()


def test_a_new_deployment_replaces_the_cache_and_keeps_the_readers_edits(page, context, deployment, watch):
    copy, server = deployment
    site_url = re.search(r"<loc>(.*?)</loc>", (copy / "sitemap.xml").read_text(encoding="utf-8")).group(1)
    old = hook.manifest(copy, site_url)["version"]
    cells = open_cells(page, server.url + "demo/")
    cells[2].set_code("n_x = 28 * 28\nn_x")  # the reader's edit, kept in localStorage
    wait_until(page, lambda: saved(page, server.url, ["demo/index.html"] + MANIFEST["runtime"]),
               "the page and the runtime to be saved")
    assert [name.split()[-1] for name in page.evaluate("caches.keys()")] == [old]
    # The reader stays on the page a little before the site changes. Chromium activates a new
    # worker (which asks to skip waiting) once the old one has no work; a new version installed
    # while the old worker was still busy with the page's first seconds stayed waiting here, until
    # the tab was left (or Chromium's own limit of a few minutes).
    page.wait_for_timeout(5_000)

    # The new deployment: a changed page, and the hook's worker for it.
    demo = copy / "demo" / "index.html"
    html = demo.read_text(encoding="utf-8")
    assert html.count("<h1") == 1
    demo.write_text(re.sub(r"(<h1[^>]*>)", r"\1Updated: ", html), encoding="utf-8")
    new = hook.write_worker(copy, site_url)["version"]
    assert new != old

    page.reload()
    expect(page.locator("h1")).to_contain_text("Updated: ")  # online: the newest page, not the cache
    wait_until(page, lambda: [n.split()[-1] for n in page.evaluate("caches.keys()")] == [new],
               "the new version's cache to replace the old one")
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    assert Cells(page)[2].code() == "n_x = 28 * 28\nn_x"

    # The new version is the one kept: offline, the changed page and its cells.
    wait_until(page, lambda: saved(page, server.url, ["demo/index.html"] + MANIFEST["runtime"]),
               "the new cache to hold the page and the runtime")
    context.set_offline(True)
    cells = open_cells(page, server.url + "demo/")
    expect(page.locator("h1")).to_contain_text("Updated: ")
    assert cells[2].code() == "n_x = 28 * 28\nn_x"
    assert cells[2].run_and_wait() == "784"
