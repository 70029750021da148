"""Site build: the lessons' maths drawn at build time by KaTeX, so the pages arrive laid out.

pymdownx.arithmatex (generic mode) leaves each formula's TeX in the page, HTML-escaped, as
``<span class="arithmatex">\\( … \\)</span>`` or ``<div class="arithmatex">\\[ … \\]</div>``.
Drawing it in the browser meant KaTeX's auto-render on every load and every instant navigation,
and a 275 KB script to parse, on the main thread of a page that competes with the Python worker
starting up. Here it is drawn once, when the site is built, by the same KaTeX from npm with the
same options (scripts/render_maths.mjs): KaTeX's HTML and MathML, display mode for ``\\[ … \\]``,
and a formula KaTeX cannot read shown in red with its message rather than stopping the build.
KaTeX's text output differs from what its DOM output made only where nothing shows: italic
corrections not rounded to four decimals, spaces of the MathML copy written as <mtext>. The page
keeps only KaTeX's stylesheet and fonts, and the script that puts wide formulas in the Tab order
(docs/javascripts/maths.js).

- formulas(html) finds a page's formulas: (tex, display) with the TeX unescaped as the browser
  read it; render(formulas) draws a list of them in one Node.js process; with_maths(html,
  drawn) puts each drawing inside its arithmatex element, in a <span> as auto-render did, so the
  page is what auto-render made of it (the element is kept: the stylesheets and
  docs/javascripts/scrollable.js use it).
- on_post_build draws every page of site/ at once: one Node.js process for the whole site
  (starting it and loading KaTeX is most of the cost), after every page, 404.html included, is
  written. It runs before nndl_site/offline.py, which hashes the pages for the service worker
  (nndl_site.plugin calls this module before that one). The search index is made from the pages'
  content before they are written, so it keeps the TeX as text, as before. The Content-Security-
  Policy (nndl_site/security.py) allows inline style attributes, which KaTeX's layout uses, and
  hashes only inline scripts, which KaTeX does not write.
- Elements already drawn (a page that `mkdocs serve` did not rebuild) are left as they are; an
  arithmatex element in any other form, or Node.js missing or failing, stops the build.
"""

import html as html_module
import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_maths.mjs"
# The TeX is escaped in the page, so it holds no "<": a match cannot run into the next element.
FORMULA = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>[^<]*?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<display>[^<]*?)\\\]</div>'
)
ELEMENT = re.compile(r'<(?:span|div) class="arithmatex">')
DRAWN = '<span><span class="katex'  # auto-render's <span>, then KaTeX's katex or katex-display

log = logging.getLogger("mkdocs.plugins.nndl.maths")


class MathsError(PluginError):
    """The maths could not be drawn: MkDocs stops the build with this message."""


def formulas(html):
    """[(tex, display)] of the page's formulas not yet drawn, in page order."""
    found = []
    for match in FORMULA.finditer(html):
        display = match["display"] is not None
        tex = match["display"] if display else match["inline"]
        found.append((html_module.unescape(tex), display))
    return found


def render(formulas):
    """The HTML of each (tex, display), drawn by KaTeX in one Node.js process."""
    if not formulas:
        return []
    node = shutil.which("node")
    if node is None:
        raise MathsError("Node.js (`node`) is not on PATH: it draws the site's maths with KaTeX")
    request = json.dumps([{"tex": tex, "display": display} for tex, display in formulas])
    result = subprocess.run(
        [node, str(SCRIPT)], input=request, capture_output=True, text=True, encoding="utf-8",
        cwd=SCRIPT.parent.parent,
    )
    if result.returncode != 0:
        raise MathsError(f"{SCRIPT.name} failed (status {result.returncode}): {result.stderr.strip()}")
    for line in result.stderr.splitlines():  # KaTeX's notes on LaTeX-incompatible input
        log.info("KaTeX: %s", line)
    drawn = json.loads(result.stdout)
    if not isinstance(drawn, list) or len(drawn) != len(formulas):
        raise MathsError(f"{SCRIPT.name} returned {len(drawn)} drawings for {len(formulas)} formulas")
    return drawn


def with_maths(html, drawn):
    """The page with each of its formulas replaced, in page order, by its drawing (an iterator
    of HTML strings, as many as formulas(html) found)."""
    drawn = iter(drawn)

    def replace(match):
        tag = "div" if match["display"] is not None else "span"
        return f'<{tag} class="arithmatex"><span>{next(drawn)}</span></{tag}>'

    return FORMULA.sub(replace, html)


def check(html, name):
    """Every arithmatex element of the page is drawn, or the build stops (rather than ship TeX)."""
    for match in ELEMENT.finditer(html):
        if not html.startswith(DRAWN, match.end()):
            text = html[match.end() : match.end() + 80]
            raise MathsError(f"{name}: an arithmatex element nndl_site.maths cannot read: {text!r}")


def draw_site(site):
    """Draw the maths of every page of the built site in the folder `site`; returns how many
    formulas were drawn."""
    site = Path(site)
    pages = {}
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "arithmatex" in text:
            pages[path] = text
    found = {path: formulas(text) for path, text in pages.items()}
    unique = list(dict.fromkeys(formula for page in found.values() for formula in page))
    drawing = dict(zip(unique, render(unique)))
    for path, text in pages.items():
        text = with_maths(text, (drawing[formula] for formula in found[path]))
        check(text, path.relative_to(site).as_posix())
        if text != pages[path]:
            path.write_text(text, encoding="utf-8")
    return sum(len(page) for page in found.values())


def on_post_build(config):
    count = draw_site(config.site_dir)
    log.debug("Drew %d formulas with KaTeX", count)
