"""The built site's files, read from site/ (make site builds it; make test-site builds it first):
complete, with its service worker, its maths drawn, its quizzes and exercises known to the course
map, its notebooks and the engine's wheel. The build's own steps are tested without a site in
tests/site/."""

import hashlib
import json
import re

from conftest import ROOT
from fontTools.ttLib import TTFont

from nndl_site import maths, offline
from nndl_site import notebooks as hook

from nndl_site.pages import pages
from test_fallbacks import start_bytes

DOCS = ROOT / "docs"
#: The pages that get a notebook: those with cells, but the home page.
PAGES = [page for page in pages(DOCS) if hook.has_cells((DOCS / page).read_text(encoding="utf-8"), page)]


def test_the_built_site_is_complete_and_its_sources_are_not_shipped_twice():
    site = ROOT / "site"
    assert (site / "assets" / "nndl" / "main.js").is_file()
    assert (site / "assets" / "nndl" / "worker.js").is_file()
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        assert (site / "pyodide" / name).is_file(), name
    assert not (site / "javascripts").exists() and not (site / "hooks").exists()
    demo = (site / "demo" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/nndl/main.js" type="module"></script>' in demo
    assert "fonts.googleapis.com" not in demo and "cdn.jsdelivr" not in demo


def test_the_built_site_has_its_worker_at_the_root_with_its_manifest():
    site = ROOT / "site"
    worker = (site / "sw.js").read_text(encoding="utf-8")
    data = json.loads(re.search(r"const MANIFEST = (\{.*?\});\n", worker).group(1))
    pages = {path.relative_to(site).as_posix() for path in site.rglob("*.html")}
    assert pages <= set(data["files"])
    for path in ("pyodide/pyodide.asm.wasm", "search/search_index.json"):
        assert path in data["files"], path
    runtime_files = {path for path in data["files"] if path.startswith("pyodide/")}
    # What a visit keeps once Python is ready, and the rest of the standard library, which only
    # a reader's code importing one of its modules fetches: saved with the whole course.
    rest = "pyodide/" + runtime_manifest()["stdlib_rest"]["file"]
    assert rest not in data["runtime"]
    assert runtime_files == set(data["runtime"]) - set(offline.PYTHON_WORKERS) | {rest}
    assert not any("openblas" in path for path in data["files"])
    entry = data["files"]["pyodide/pyodide.asm.wasm"]
    wasm = (site / "pyodide" / "pyodide.asm.wasm").read_bytes()
    assert entry == {"size": len(wasm), "sha256": hashlib.sha256(wasm).hexdigest()}


def runtime_manifest():
    return json.loads((ROOT / "site" / "pyodide" / "runtime-manifest.json").read_text(encoding="utf-8"))


def test_the_how_to_use_page_gives_the_size_of_pythons_first_download():
    """The sizes on the how-to-use page: what a first start of Python downloads in Chromium and
    Firefox (what the Run button shows when the browser saves data), and the rest of the
    standard library, fetched when code imports a module of it."""
    text = (ROOT / "site" / "how-to-use" / "index.html").read_text(encoding="utf-8")
    section = text[text.index('id="the-first-load"'):text.index('id="working-offline"')]
    manifest = runtime_manifest()
    rest = manifest["files"][manifest["stdlib_rest"]["file"]]["size"]
    assert re.findall(r"about (\d+(?:\.\d)?) MB", section) == [
        str(round(start_bytes(manifest, "chromium") / 1e6)), f"{rest / 1e6:.1f}"]


def test_the_built_site_has_its_maths_drawn_and_searchable_as_tex():
    site = ROOT / "site"
    lesson = (site / "lessons" / "03-computation-graph" / "index.html").read_text(encoding="utf-8")
    assert maths.formulas(lesson) == []
    assert lesson.count('class="arithmatex"><span><math') > 50
    assert "temml-error" not in lesson and "katex" not in lesson
    # The search index is made from the pages before the hook: the TeX, not the MathML.
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<math" not in index and r"\\(J = 3v\\)" in index


def test_the_maths_font_draws_every_character_of_every_page_and_is_small():
    site = ROOT / "site"
    shown = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "temml-error" not in text, page
        shown |= maths.characters(text)
    assert {"∑", "∂", "𝑊", "𝑥", "σ", "𝜎"} <= shown  # a sum, a partial, W and x and σ in italic
    with TTFont(site / maths.FONT) as font:
        # Variation selectors choose a glyph's form and have none of their own.
        assert {chr(code) for code in font.getBestCmap()} >= {c for c in shown if not "\ufe00" <= c <= "\ufe0f"}
        assert "MATH" in font
    assert (site / maths.FONT).stat().st_size < 60_000  # the whole font is 403 KB


def test_every_lesson_of_the_built_site_has_a_quiz_of_five_questions_or_more_and_the_map_knows():
    site = ROOT / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    lessons = sorted((site / "lessons").glob("[0-9][0-9]-*/index.html"))
    assert len(lessons) == 13
    for lesson in lessons:
        html = lesson.read_text(encoding="utf-8")
        questions = re.findall(r'data-quiz-question="([^"]+)"', html)
        assert len(questions) >= 5, lesson
        assert html.count('class="nndl-quiz__answer"') == len(questions)  # an explanation each
        checks = re.findall(r'data-exercise="([^"]+)" data-exercise-part="check"', html)
        assert checks, f"{lesson}: no exercise"
        for exercise in checks:  # each with its hint, then its solution
            parts = re.findall(rf'data-exercise="{exercise}" data-exercise-part="(\w+)"', html)
            assert parts == ["starter", "hint", "solution", "check"] or parts == [
                "hint", "starter", "solution", "check"], (lesson, exercise, parts)
        slug = lesson.parent.name
        link = re.search(rf'<a\b[^>]*data-lesson[^>]*href="lessons/{slug}/"[^>]*>', home).group(0)
        assert f'data-quiz-questions="{" ".join(questions)}"' in link
        assert f'data-exercises="{" ".join(checks)}"' in link


def test_the_built_site_has_the_notebooks_and_their_buttons():
    site = ROOT / "site"
    assert (site / "index.html").is_file(), "site/ is not built: run make site (make test-site does)"
    for name in PAGES:
        notebook = site / hook.FOLDER / hook.notebook_name(name)
        assert json.loads(notebook.read_text(encoding="utf-8"))["nbformat"] == 4, name
    html = (site / "lessons" / "03-computation-graph" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<a class="md-button" download="lessons-03-computation-graph.ipynb" '
        r'href="../../notebooks/lessons-03-computation-graph.ipynb">Download as notebook</a>',
        html,
    )
    without_cells = (site / "how-to-use" / "index.html").read_text(encoding="utf-8")
    assert "Download as notebook" not in without_cells
    assert "Download as notebook" not in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / hook.FOLDER / "index.ipynb").exists()
    # The engine's wheel, where the notebooks' first cell installs it from.
    version = hook.project_version(ROOT)
    assert (site / hook.DIST / hook.wheel_name(version)).is_file()


def test_the_footer_of_the_built_site_names_the_licence():
    html = (ROOT / "site" / "index.html").read_text(encoding="utf-8")
    assert "free software under the MIT licence" in html
