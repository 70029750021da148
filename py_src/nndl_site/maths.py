"""Site build: the lessons' maths drawn at build time as MathML, by Temml, so the pages arrive with it.

pymdownx.arithmatex (generic mode) leaves each formula's TeX in the page, HTML-escaped, as
``<span class="arithmatex">\\( … \\)</span>`` or ``<div class="arithmatex">\\[ … \\]</div>``.
Here each is drawn once, when the site is built, by Temml from npm (scripts/render_maths.mjs):
MathML, which the browser lays out itself, with the TeX as its annotation, display mode for
``\\[ … \\]``, and a formula Temml cannot read shown as its TeX in red with Temml's message
(``<span class="temml-error">``) rather than stopping the build. The page keeps Temml's small
stylesheet, the STIX Two Math font (served by the site) and the script that puts wide formulas in
the Tab order (docs/javascripts/maths.js).

KaTeX drew the maths before, as HTML for the eyes plus a hidden MathML copy: about two thirds of a
lesson's elements, and restyling and laying them out was most of the main thread's work as a
lesson loaded (docs/performance.md).

- formulas(html) finds a page's formulas: (tex, display) with the TeX unescaped as the browser
  read it; render(formulas) draws a list of them in one Node.js process; with_maths(html,
  drawn) puts each drawing inside its arithmatex element, in a <span> (the element is kept: the
  stylesheets and docs/javascripts/scrollable.js use it).
- on_post_build draws every page of site/ at once: one Node.js process for the whole site
  (starting it and loading Temml is most of the cost), after every page, 404.html included, is
  written. It runs before nndl_site/offline.py, which hashes the pages for the service worker
  (nndl_site.plugin calls this module before that one). The search index is made from the pages'
  content before they are written, so it keeps the TeX as text. The Content-Security-Policy
  (nndl_site/security.py) allows inline style attributes, which Temml uses for display maths and
  the columns of aligned formulas, and hashes only inline scripts, which Temml does not write.
- Elements already drawn (a page that `mkdocs serve` did not rebuild) are left as they are; an
  arithmatex element in any other form, or Node.js missing or failing, stops the build.
"""

import html as html_module
import json
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "render_maths.mjs"
# STIX Two Math from npm (@fontsource/stix-two-math, integrity-checked by package-lock.json), which
# keeps the font's OpenType MATH table, and the subset of it the site serves (named by the
# @font-face of docs/stylesheets/site.css, and preloaded by every page with maths).
FONT_SOURCE = ROOT / "node_modules" / "@fontsource" / "stix-two-math" / "files" / "stix-two-math-latin-400-normal.woff2"
FONT = "assets/nndl/fonts/stix-two-math.woff2"
# MathML sets a one-letter <mi> in italic by drawing the letter's mathematical italic form: U+1D434…
# for Latin capitals, U+1D44E… for small letters (h is U+210E, Planck's constant), U+1D6E2… and
# U+1D6FC… for Greek. The radical sign is drawn from the font by <msqrt> and <mroot>.
ITALIC_BASES = [("A", "Z", 0x1D434), ("a", "z", 0x1D44E), ("Α", "Ω", 0x1D6E2), ("α", "ω", 0x1D6FC)]
ITALIC_EXCEPTIONS = {"h": "\u210e"}
FONT_ALWAYS = frozenset(" \u221a")
MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.S)
ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.S)
ONE_LETTER = re.compile(r"<mi>([^<&]|&[^;]+;)</mi>")
TAG = re.compile(r"<[^>]*>")
# The TeX is escaped in the page, so it holds no "<": a match cannot run into the next element.
FORMULA = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>[^<]*?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<display>[^<]*?)\\\]</div>'
)
ELEMENT = re.compile(r'<(?:span|div) class="arithmatex">')
# with_maths's <span>, then Temml's <math> or its error.
DRAWN = ('<span><math', '<span><span class="temml-error"')

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
    """The MathML of each (tex, display), drawn by Temml in one Node.js process."""
    if not formulas:
        return []
    node = shutil.which("node")
    if node is None:
        raise MathsError("Node.js (`node`) is not on PATH: it draws the site's maths with Temml")
    request = json.dumps([{"tex": tex, "display": display} for tex, display in formulas])
    result = subprocess.run(
        [node, str(SCRIPT)], input=request, capture_output=True, text=True, encoding="utf-8",
        cwd=SCRIPT.parent.parent,
    )
    if result.returncode != 0:
        raise MathsError(f"{SCRIPT.name} failed (status {result.returncode}): {result.stderr.strip()}")
    for line in result.stderr.splitlines():  # Temml's notes on LaTeX-incompatible input
        log.info("Temml: %s", line)
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


def italic(letter):
    """The mathematical italic form MathML draws for a one-letter <mi> (the letter itself if it
    has none)."""
    if letter in ITALIC_EXCEPTIONS:
        return ITALIC_EXCEPTIONS[letter]
    for first, last, base in ITALIC_BASES:
        if first <= letter <= last:
            return chr(base + ord(letter) - ord(first))
    return letter


def characters(html):
    """The characters the page's MathML draws from the maths font: its text (TeX annotations left
    out), and the italic forms of its one-letter identifiers."""
    found = set()
    for element in MATH_ELEMENT.findall(html):
        element = ANNOTATION.sub("", element)
        found.update(html_module.unescape(TAG.sub("", element)))
        found.update(italic(html_module.unescape(letter)) for letter in ONE_LETTER.findall(element))
    return found


def write_font(characters, target):
    """Write to `target` the part of STIX Two Math that draws `characters` (and FONT_ALWAYS), as
    WOFF2: their glyphs, the size variants and stretched parts that the MATH table lists for them,
    and every layout feature (the smaller forms of superscripts, ssty, among them)."""
    from fontTools import subset

    options = subset.Options(flavor="woff2", layout_features=["*"], notdef_outline=True)
    with subset.load_font(str(FONT_SOURCE), options) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes={ord(c) for c in FONT_ALWAYS | set(characters)})
        subsetter.subset(font)
        target.parent.mkdir(parents=True, exist_ok=True)
        subset.save_font(font, str(target), options)


def with_preload(html, href):
    """The page with the maths font preloaded, so that it is in before the maths is first laid out
    (a font that arrives later moves the text around it)."""
    link = f'<link rel="preload" href="{href}" as="font" type="font/woff2" crossorigin>'
    if link in html:
        return html
    return html.replace("</head>", f"{link}\n</head>", 1)


def draw_site(site):
    """Draw the maths of every page of the built site in the folder `site`, and write the part of
    the maths font that its pages use; returns how many formulas were drawn."""
    site = Path(site)
    pages = {}
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "arithmatex" in text:
            pages[path] = text
    found = {path: formulas(text) for path, text in pages.items()}
    unique = list(dict.fromkeys(formula for page in found.values() for formula in page))
    drawing = dict(zip(unique, render(unique)))
    shown = set()
    for path, text in pages.items():
        text = with_maths(text, (drawing[formula] for formula in found[path]))
        check(text, path.relative_to(site).as_posix())
        shown |= characters(text)
        if path.name != "404.html":  # served at any address: a relative link would miss
            text = with_preload(text, Path(os.path.relpath(site / FONT, path.parent)).as_posix())
        if text != pages[path]:
            path.write_text(text, encoding="utf-8")
    if pages:
        write_font(shown, site / FONT)
    return sum(len(page) for page in found.values())


def on_post_build(config):
    count = draw_site(config.site_dir)
    log.debug("Drew %d formulas with Temml", count)
