"""The ```pycell fence of nndl_site/cells.py, rendered by Python-Markdown as MkDocs does."""

import hashlib
import json
import re
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from fontTools.ttLib import TTFont
from pymdownx.superfences import SuperFencesException

from nndl_site import cells as hook
from nndl_site import maths, offline

ROOT = Path(__file__).resolve().parents[2]


def render(text):
    config = SimpleNamespace(markdown_extensions=["pymdownx.highlight"], mdx_configs={})
    hook.on_config(config)
    assert "pymdownx.superfences" in config.markdown_extensions
    return markdown.markdown(text, extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def test_a_cell_renders_its_highlighted_code_and_an_announced_output_area():
    html = render('```pycell\nprint("<hi>")\n```\n')
    assert html.startswith('<div class="nndl-cell" data-state="idle"><div class="nndl-cell__source">')
    assert '<span class="nb">print</span>' in html  # highlighted, readable without JavaScript
    # The code is not a `pre > code` child, which Material would mount as a code block.
    assert '<pre><span></span><span class="nndl-served"><code>' in html
    assert re.search(r"<pre[^>]*>(<span></span>)?<code", html) is None
    assert "&lt;hi&gt;" in html and "<hi>" not in html
    assert html.endswith('<div class="nndl-output" aria-live="polite"></div></div>')
    assert "data-run" not in html


def test_manual_cells_are_marked_and_unknown_options_stop_the_build():
    assert 'data-run="manual"' in render("```pycell manual\n1 / 0\n```\n")
    with pytest.raises(SuperFencesException, match="does not know the option 'manul'"):
        render("```pycell manul\n1 / 0\n```\n")


def page_html(markdown_text):
    body = render(markdown_text)
    page = SimpleNamespace(url="lessons/x/")
    return hook.on_post_page(f"<html><head></head><body>{body}</body></html>", page, None)


def test_a_page_of_greetings_waits_for_a_run_and_a_page_with_other_cells_starts_python():
    greeting = '```pycell greeting\nprint("Hello")\n```\n'
    assert " data-greeting" in render(greeting)
    assert "boot.js" not in page_html(greeting)
    assert "boot.js" not in page_html("No cell here.\n")
    started = page_html(greeting + "\n```pycell\nx = 1\n```\n")
    assert '<script type="module" async src="../../assets/nndl/boot.js"></script></head>' in started


def test_cells_inside_other_blocks_and_other_fences_are_untouched():
    html = render("- item\n\n    ```pycell\n    x = 1\n    ```\n\n```python\ny = 2\n```\n")
    assert html.count('class="nndl-cell"') == 1
    assert html.count('class="highlight"') == 2


def test_registering_twice_keeps_one_fence():
    config = SimpleNamespace(markdown_extensions=[], mdx_configs={})
    hook.on_config(config)
    hook.on_config(config)
    fences = config.mdx_configs["pymdownx.superfences"]["custom_fences"]
    assert [fence["name"] for fence in fences] == ["pycell"]


# ---- nndl_site/offline.py: the service worker's manifest --------------------------------------


def small_site(folder):
    """The files the offline hook needs, and a few it must leave out."""
    lock = {"packages": {
        "nndl": {"file_name": "nndl-0.1.0-py3-none-any.whl", "depends": ["numpy"]},
        "numpy": {"file_name": "numpy.whl", "depends": []},
        "openblas": {"file_name": "openblas.zip", "depends": []},
    }}
    files = {
        "index.html": "<p>home</p>", "offline/index.html": "<p>offline</p>",
        "search/search_index.json": '{"config": {"lang": ["en"]}, "docs": []}',
        "sitemap.xml": "<urlset><url><loc>https://example.org/course/</loc></url></urlset>",
        "sitemap.xml.gz": "zz", "assets/nndl/worker.js": "w", "assets/nndl/worker-classic.js": "c",
        "assets/nndl/inflate-worker.js": "i",
        "assets/nndl/main.js.map": "{}",
        "assets/nndl/fonts/stix-two-math.woff2": "f2",
        "assets/javascripts/lunr/min/lunr.de.min.js": "de",
        "pyodide/pyodide-lock.json": json.dumps(lock), "pyodide/runtime-manifest.json": "{}",
    }
    for name in (*offline.RUNTIME_CORE[:-1], "nndl-0.1.0-py3-none-any.whl", "numpy.whl", "openblas.zip"):
        files[f"pyodide/{name}"] = name
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")


def test_the_manifest_lists_what_a_reader_needs_with_sizes_and_hashes(tmp_path):
    small_site(tmp_path)
    data = offline.manifest(tmp_path, "https://example.org/course/")
    files = data["files"]
    assert "index.html" in files and "pyodide/numpy.whl" in files and "assets/nndl/fonts/stix-two-math.woff2" in files
    # Of the runtime folder, only what starts Python: not the build's records, not OpenBLAS.
    assert "pyodide/openblas.zip" not in files
    assert files["index.html"] == {"size": 11, "sha256": hashlib.sha256(b"<p>home</p>").hexdigest()}
    for left_out in ("sitemap.xml.gz", "assets/nndl/main.js.map", "pyodide/runtime-manifest.json",
                     "assets/javascripts/lunr/min/lunr.de.min.js"):
        assert left_out not in files, left_out
    # The sitemap is hashed with its own address written "{root}", as the service worker does.
    expected = b"<urlset><url><loc>{root}</loc></url></urlset>"
    assert files["sitemap.xml"]["sha256"] == hashlib.sha256(expected).hexdigest()
    assert data["runtime"][:5] == ["assets/nndl/worker.js", "assets/nndl/worker-classic.js",
                                   "assets/nndl/inflate-worker.js", "pyodide/pyodide.mjs", "pyodide/pyodide.js"]
    assert "pyodide/numpy.whl" in data["runtime"] and "pyodide/openblas.zip" not in data["runtime"]
    assert data["shell"] == ["offline/index.html", "search/search_index.json", "sitemap.xml"]


def test_the_version_and_the_worker_change_with_any_file(tmp_path):
    small_site(tmp_path)
    first = offline.write_worker(tmp_path)
    worker = (tmp_path / "sw.js").read_text(encoding="utf-8")
    assert offline.PLACEHOLDER not in worker and first["version"] in worker
    assert offline.manifest(tmp_path)["version"] == first["version"]  # sw.js is not in it
    (tmp_path / "pyodide" / "numpy.whl").write_text("numpy, rebuilt", encoding="utf-8")
    second = offline.write_worker(tmp_path)
    assert second["version"] != first["version"]
    assert (tmp_path / "sw.js").read_text(encoding="utf-8") != worker


def test_a_site_without_its_offline_page_stops_the_build(tmp_path):
    small_site(tmp_path)
    (tmp_path / "offline" / "index.html").unlink()
    with pytest.raises(FileNotFoundError, match="offline/index.html"):
        offline.manifest(tmp_path)


# ---- nndl_site/maths.py: the maths drawn by Temml at build time -------------------------------

CASES = r"""Inline $a < b$ and $p \& q$, then

$$
|x| = \begin{cases} x & x > 0 \\ -x & x \le 0 \end{cases}
$$

and one Temml cannot read: $\frac{1}{$.
"""


def arithmatex(text):
    """The page's HTML as pymdownx.arithmatex (generic mode, as in mkdocs.yml) writes it."""
    configs = {"pymdownx.arithmatex": {"generic": True}}
    return markdown.markdown(text, extensions=["pymdownx.arithmatex"], extension_configs=configs)


def test_the_formulas_are_read_unescaped_with_their_mode():
    html = arithmatex(CASES)
    assert r'<span class="arithmatex">\(a &lt; b\)</span>' in html  # escaped in the page
    assert maths.formulas(html) == [
        ("a < b", False),
        (r"p \& q", False),
        ("\n" r"|x| = \begin{cases} x & x > 0 \\ -x & x \le 0 \end{cases}" "\n", True),
        (r"\frac{1}{", False),
    ]


def test_a_site_is_drawn_in_place_as_mathml_with_its_font(tmp_path):
    page = f"<html><head></head><body>{arithmatex(CASES)}</body></html>"
    (tmp_path / "lesson").mkdir()
    (tmp_path / "lesson" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "other.html").write_text("<p>No maths, $5.</p>", encoding="utf-8")
    assert maths.draw_site(tmp_path) == 4
    html = (tmp_path / "lesson" / "index.html").read_text(encoding="utf-8")
    assert "\\(" not in html and "\\[" not in html
    # The arithmatex elements stay, each with Temml's MathML inside a <span>.
    assert html.count('<span class="arithmatex"><span><math>') == 2
    assert html.count('<div class="arithmatex"><span><math display="block" class="tml-display"') == 1
    assert '<annotation encoding="application/x-tex">a &lt; b</annotation>' in html
    assert r'<annotation encoding="application/x-tex">p \&amp; q</annotation>' in html
    assert "<mtable>" in html and "<mo>&gt;</mo>" in html  # the cases, read with their & and >
    # A formula Temml cannot read is shown as its TeX, in red, with Temml's message; the build goes on.
    error = re.search(r'<span class="arithmatex"><span><span class="temml-error" style="color:#b22222;'
                      r'white-space:pre-line;">\\frac\{1\}\{\n\nParseError: ([^<]*)</span></span></span>', html)
    assert error and "Unexpected end of input" in error[1]
    assert (tmp_path / "other.html").read_text(encoding="utf-8") == "<p>No maths, $5.</p>"
    # The page preloads the maths font, which holds what its MathML draws, and no more.
    assert '<link rel="preload" href="../assets/nndl/fonts/stix-two-math.woff2" as="font" type="font/woff2" crossorigin>\n</head>' in html
    with TTFont(tmp_path / maths.FONT) as font:
        assert font.flavor == "woff2" and "MATH" in font
        drawn = set(font.getBestCmap())
        assert {ord(c) for c in "<>≤=−0|"} <= drawn  # the operators and numbers
        assert {0x1D44E, 0x1D45D, 0x1D45E, 0x1D465} <= drawn  # a, p, q and x, in italic
        assert ord("f") not in drawn and 0x1D453 not in drawn  # f is only in the formula Temml cannot read
        # A stretched brace, drawn from the parts that the MATH table lists for it.
        brace = font.getBestCmap()[ord("{")]
        parts = font["MATH"].table.MathVariants.VertGlyphConstruction[
            font["MATH"].table.MathVariants.VertGlyphCoverage.glyphs.index(brace)].GlyphAssembly.PartRecords
        assert all(part.glyph in font.getGlyphOrder() for part in parts) and len(parts) >= 3
    # Drawn pages are left as they are (`mkdocs serve` keeps the pages it does not rebuild).
    assert maths.draw_site(tmp_path) == 0
    assert (tmp_path / "lesson" / "index.html").read_text(encoding="utf-8") == html


def test_the_same_formula_is_drawn_once_and_put_everywhere(tmp_path, monkeypatch):
    calls = []
    fake = '<math><mi>{}</mi></math>'.format
    monkeypatch.setattr(maths, "render", lambda found: calls.append(found) or [fake(tex) for tex, _ in found])
    for name in ("a.html", "b.html"):
        (tmp_path / name).write_text(arithmatex("$x$ and $y$ and $x$"), encoding="utf-8")
    assert maths.draw_site(tmp_path) == 6
    assert calls == [[("x", False), ("y", False)]]
    assert (tmp_path / "b.html").read_text(encoding="utf-8") == arithmatex("$x$ and $y$ and $x$").replace(
        r"\(x\)", f"<span>{fake('x')}</span>").replace(r"\(y\)", f"<span>{fake('y')}</span>")


def test_maths_the_hook_cannot_read_or_draw_stops_the_build(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text('<div class="arithmatex">$$x$$</div>', encoding="utf-8")
    with pytest.raises(maths.MathsError, match="index.html: an arithmatex element nndl_site.maths cannot read"):
        maths.draw_site(tmp_path)
    monkeypatch.setattr(maths.shutil, "which", lambda name: None)
    with pytest.raises(maths.MathsError, match=r"Node.js \(`node`\) is not on PATH"):
        maths.render([("x", False)])
    monkeypatch.setattr(maths.shutil, "which", lambda name: "/bin/false")
    with pytest.raises(maths.MathsError, match=r"render_maths.mjs failed \(status 1\)"):
        maths.render([("x", False)])


