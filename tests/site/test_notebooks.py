"""The notebooks of nndl_site/notebooks.py: each page with cells, as a Jupyter notebook."""

import json
import re
from pathlib import Path

import pytest
from nndl.display import mime_bundle

from nndl_site import notebook_prose
from nndl_site import notebooks as hook
from nndl_site.pages import pages

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

PAGE = """# 2. A lesson

Some prose with $x^2$.

```pycell
import nndl
x = 1
```

```python
not_a_cell = True
```

```pycell manual
1 / 0
```

??? success "Solution"

    ```python
    x = 2
    ```

````markdown
```pycell
inside_another_fence = True
```
````

The end.
"""

#: The top-level cells of a page, read independently of the export, to check it.
PYCELL = re.compile(r"^```pycell[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
#: The pages that get a notebook: those with cells, but the home page.
PAGES = [page for page in pages(DOCS) if hook.has_cells((DOCS / page).read_text(encoding="utf-8"), page)]


def test_split_keeps_prose_and_cells_in_page_order():
    parts = hook.split(PAGE)
    assert [part.kind for part in parts] == ["markdown", "code", "markdown", "code", "markdown"]
    assert parts[0].text == "# 2. A lesson\n\nSome prose with $x^2$.\n"
    assert parts[1].text == "import nndl\nx = 1\n" and parts[1].options == ()
    assert "```python\nnot_a_cell = True\n```" in parts[2].text
    assert parts[3].text == "1 / 0\n" and parts[3].options == ("manual",)  # a code cell too
    last = parts[4].text
    assert last.startswith('??? success "Solution"\n\n    ```python\n    x = 2\n    ```\n')
    assert "inside_another_fence = True" in last and last.endswith("The end.\n")


SITE_URL = "https://example.org/nndl/"


def test_notebook_is_nbformat_4_5_with_an_origin_cell_and_the_install_line_first():
    book = json.loads(json.dumps(hook.notebook(PAGE, "2. A lesson", "nndl", "lessons/02-a-lesson.md",
                                               SITE_URL, "1.2.3")))
    assert book["nbformat"] == 4 and book["nbformat_minor"] == 5
    assert book["metadata"]["kernelspec"]["name"] == "python3"
    cells = book["cells"]
    assert [cell["cell_type"] for cell in cells] == ["markdown", "code"] + ["markdown", "code"] * 2 + ["markdown"]
    assert [cell["id"] for cell in cells] == [f"cell-{n}" for n in range(1, len(cells) + 1)]
    origin = "".join(cells[0]["source"])
    assert "[“2. A lesson”](https://example.org/nndl/lessons/02-a-lesson/)" in origin
    assert "Python 3.12" in origin and "raises-exception" in origin and "git+" not in origin
    assert "".join(cells[1]["source"]) == (
        "%pip install --quiet https://example.org/nndl/dist/nndl-1.2.3-py3-none-any.whl\n")
    assert cells[1]["metadata"] == {"nndl": {"install": True}}
    for cell in cells:
        assert all(isinstance(line, str) for line in cell["source"])
        assert all(line.endswith("\n") for line in cell["source"][:-1])
        if cell["cell_type"] == "code":
            assert cell["execution_count"] is None and cell["outputs"] == []
        else:
            assert "outputs" not in cell and "execution_count" not in cell
    assert "".join(cells[3]["source"]) == "import nndl\nx = 1\n" and cells[3]["metadata"] == {}
    # ```pycell manual (a deliberate error): "Run All" goes on past it.
    assert "".join(cells[5]["source"]) == "1 / 0\n"
    assert cells[5]["metadata"] == {"tags": ["raises-exception"]}
    with_repository = hook.notebook(PAGE, "2. A lesson", "nndl", repo_url="https://git.example/nndl")
    assert "`pip install git+https://git.example/nndl`" in "".join(with_repository["cells"][0]["source"])


def test_solutions_fold_and_notes_become_quotes():
    text = (
        'Before.\n\n??? success "Solution"\n\n    ```python\n    x = 2\n    ```\n    Because.\n\n'
        'After.\n\n!!! note "On $x$"\n    A note\n    on two lines.\n\n???+ tip\n    Open.\n'
    )
    assert notebook_prose.fold_admonitions(text) == (
        "Before.\n\n<details><summary>Solution</summary>\n\n```python\nx = 2\n```\nBecause.\n\n"
        "</details>\n\nAfter.\n\n> **On $x$**\n>\n> A note\n> on two lines.\n\n"
        "<details open><summary>Tip</summary>\n\nOpen.\n\n</details>\n"
    )


def test_links_and_images_point_to_the_published_site():
    text = (
        "![A graph](img/03-graph.svg) and [lesson 2](02-logistic-regression.md), "
        "[home](../index.md), [a part](04-gradient-descent.md#the-loop), [here](#below), "
        "[elsewhere](https://numpy.org/), `[not](a-link.md)`, $a^{[l](i)}$ and\n"
        "$$\nW^{[1](x)}\n$$\n[`code`](05-vectorization.md)\n"
        "```markdown\n[kept](inside-a-fence.md)\n```\n"
    )
    out = notebook_prose.absolute_links(text, "lessons/03-computation-graph.md", SITE_URL)
    assert "![A graph](https://example.org/nndl/lessons/img/03-graph.svg)" in out
    assert "[lesson 2](https://example.org/nndl/lessons/02-logistic-regression/)" in out
    assert "[home](https://example.org/nndl/)" in out
    assert "[a part](https://example.org/nndl/lessons/04-gradient-descent/#the-loop)" in out
    assert "[here](https://example.org/nndl/lessons/03-computation-graph/#below)" in out
    assert "[elsewhere](https://numpy.org/)" in out and "[kept](inside-a-fence.md)" in out
    assert "`[not](a-link.md)`, $a^{[l](i)}$ and\n$$\nW^{[1](x)}\n$$\n" in out  # code and maths
    assert "[`code`](https://example.org/nndl/lessons/05-vectorization/)" in out


def test_a_section_that_needs_the_browser_is_replaced_by_a_link_to_it():
    page = (
        "# 13. Images\n\n```pycell\nx = 1\n```\n\n## The dashboard\n\nPress **Train**.\n\n"
        '<div class="nndl-dashboard" markdown="0">\nIt needs JavaScript.\n</div>\n\n'
        "## From a cell\n\n```pycell\nfrom nndl import dashboard\ndashboard.session().runs\n```\n\n"
        "## After\n\nThe end.\n"
    )
    cells = hook.notebook(page, "13. Images", "nndl", "lessons/13-images.md", SITE_URL)["cells"]
    text = "".join("".join(cell["source"]) for cell in cells)
    assert "Press **Train**" not in text and "nndl-dashboard" not in text and "session()" not in text
    assert "## The dashboard\n\n*This part of the lesson uses the training dashboard" in text
    assert "(https://example.org/nndl/lessons/13-images/#the-dashboard)" in text
    assert "(https://example.org/nndl/lessons/13-images/#from-a-cell)" in text
    assert "## After\n\nThe end.\n" in text and "x = 1\n" in text


def test_every_phrase_rule_still_matches_a_page():
    texts = [(DOCS / name).read_text(encoding="utf-8") for name in PAGES]
    for pattern, _ in notebook_prose.PHRASES:
        assert any(notebook_prose.phrase(pattern).search(text) for text in texts), f"no page says {pattern!r} any more"


def test_an_explorable_becomes_a_code_cell_that_draws_it_with_the_engine():
    page = "# 3. Graphs\n\n```pycell\nx = 1\n```\n\n```explorable\ncomputation-graph\na = 1\n```\n\nEnd.\n"
    cells = hook.notebook(page, "3. Graphs", "nndl")["cells"]
    assert [cell["cell_type"] for cell in cells] == ["markdown", "code", "markdown", "code", "code", "markdown"]
    assert cells[4]["metadata"] == {"nndl": {"explorable": "computation-graph"}}
    source = "".join(cells[4]["source"])
    assert "render('computation-graph', {\n    'a': 1.0,  # a: -10 to 10\n    'b': 3," in source
    namespace = {}
    exec(compile(source, "<notebook cell>", "exec"), namespace)  # the cell runs as written
    view = eval(source.split("\n\n", 1)[1], namespace)
    assert view.data["values"]["J"] == 21
    # In a notebook it shows as the drawing: no application/json, which JupyterLab would show.
    assert set(mime_bundle(view)) == {"text/html", "text/plain"}


def test_the_button_of_an_explorable_becomes_running_its_cell():
    page = ("# 5.\n\n```pycell\nx = 1\n```\n\nChoose $n$ and press **Race**: your browser runs "
            "both, in your browser.\n\n```explorable\nvectorization-race\n```\n")
    cells = hook.notebook(page, "5.", "nndl")["cells"]
    assert "".join(cells[4]["source"]) == "Choose $n$ and run the cell below: Python runs both.\n"
    assert "'n': '1000000',  # vector length n: " in "".join(cells[5]["source"])


def test_a_page_without_cells_gets_no_notebook_and_no_button():
    text = "# Notation\n\n```python\nx = 1\n```\n"
    assert hook.notebook(text, "Notation", "nndl") is None
    assert hook.with_button(text, "notation.md") == text


def test_the_button_sits_under_the_title_and_links_relative_to_the_source():
    text = hook.with_button(PAGE, "lessons/02-a-lesson.md")
    first, blank, button = text.splitlines()[:3]
    assert first == "# 2. A lesson" and blank == ""
    assert button == (
        "[Download as notebook](../notebooks/lessons-02-a-lesson.ipynb)"
        '{ .md-button download="lessons-02-a-lesson.ipynb" }'
    )
    assert text.endswith(PAGE[len("# 2. A lesson\n"):])
    untitled = hook.with_button("```pycell\nx = 1\n```\n", "demo.md")
    assert untitled.startswith("\n[Download as notebook](notebooks/demo.ipynb)")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_with_cells_converts(name):
    text = (DOCS / name).read_text(encoding="utf-8")
    book = json.loads(json.dumps(hook.notebook(text, hook.title_of(text, name), "nndl")))
    assert book["nbformat"] == 4 and book["nbformat_minor"] == 5
    code = ["".join(cell["source"]) for cell in book["cells"]
            if cell["cell_type"] == "code" and "nndl" not in cell["metadata"]]
    # Every cell, but those only the course's page can run (its dashboard's session).
    assert code == [cell for cell in PYCELL.findall(text) if not hook.BROWSER_ONLY.search(cell)]
    tagged = [cell for cell in book["cells"] if cell["metadata"].get("tags") == ["raises-exception"]]
    assert len(tagged) == len(re.findall(r"^```pycell manual", text, re.M))
    drawn = [cell["metadata"]["nndl"]["explorable"] for cell in book["cells"]
             if "explorable" in cell["metadata"].get("nndl", {})]
    assert drawn == re.findall(r"^```explorable[ \t]*\n\s*(\S+)", text, re.M)
    assert sum(cell["cell_type"] == "markdown" for cell in book["cells"]) >= 2
    prose = "".join("".join(cell["source"]) for cell in book["cells"] if cell["cell_type"] == "markdown")
    for browser_only in ("press **", "Press **", "nndl-dashboard", "dashboard.session()", "\n??? ",
                         "\n!!! ", ".md)", ".md#", "](img/", "in your browser"):
        assert browser_only not in prose, (name, browser_only)
    assert not [span for span in notebook_prose.PROTECTED.findall(prose) if "](http" in span], name  # maths intact
    if name.startswith("lessons/"):
        assert any("nndl" in source for source in code)


def test_the_footer_names_the_licence_and_the_repository_when_known():
    assert hook.footer(None) == (
        "The course and its engine <code>nndl</code> are free software under the MIT licence.")
    assert hook.footer("https://github.com/a/b?x=<1>").endswith(
        ': source at <a href="https://github.com/a/b?x=&lt;1&gt;">https://github.com/a/b?x=&lt;1&gt;</a>.')
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
