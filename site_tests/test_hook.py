"""The ```pycell fence of docs/hooks/cells.py, rendered by Python-Markdown as MkDocs does."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from pymdownx.superfences import SuperFencesException

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("cells_hook", ROOT / "docs" / "hooks" / "cells.py")
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)


def render(text):
    config = SimpleNamespace(markdown_extensions=["pymdownx.highlight"], mdx_configs={})
    hook.on_config(config)
    assert "pymdownx.superfences" in config.markdown_extensions
    return markdown.markdown(text, extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def test_a_cell_renders_its_highlighted_code_and_an_announced_output_area():
    html = render('```pycell\nprint("<hi>")\n```\n')
    assert html.startswith('<div class="nndl-cell" data-state="idle"><div class="nndl-cell__source">')
    assert '<span class="nb">print</span>' in html  # highlighted, readable without JavaScript
    assert "&lt;hi&gt;" in html and "<hi>" not in html
    assert html.endswith('<div class="nndl-output" aria-live="polite"></div></div>')
    assert "data-run" not in html


def test_manual_cells_are_marked_and_unknown_options_stop_the_build():
    assert 'data-run="manual"' in render("```pycell manual\n1 / 0\n```\n")
    with pytest.raises(SuperFencesException, match="does not know the option 'manul'"):
        render("```pycell manul\n1 / 0\n```\n")


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


def test_the_built_site_is_complete_and_its_sources_are_not_shipped_twice():
    site = ROOT / "site"
    assert (site / "assets" / "nndl" / "cells.js").is_file()
    assert (site / "assets" / "nndl" / "worker.js").is_file()
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        assert (site / "pyodide" / name).is_file(), name
    assert not (site / "javascripts").exists() and not (site / "hooks").exists()
    demo = (site / "demo" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/nndl/cells.js" type="module"></script>' in demo
    assert "fonts.googleapis.com" not in demo and "cdn.jsdelivr" not in demo
