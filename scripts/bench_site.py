"""The private copy of the site the benchmark serves: the script the start-up pages get to record
their first result, the bare Pyodide page (the start-up reference), the list of pages, and a
server that compresses as GitHub Pages does."""

import base64
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

from bench_common import BARE_PAGE, FIRST_PAGE, NEXT_PAGE, ROOT

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


def site_pages(site):
    """Every page of the site (its index.html files), as paths under its root."""
    pages = []
    for page in sorted(site.rglob("index.html")):
        path = page.parent.relative_to(site).as_posix()
        path = "" if path == "." else path + "/"
        if not path.startswith((BARE_PAGE, "pyodide/", "assets/")):
            pages.append(path)
    return pages
