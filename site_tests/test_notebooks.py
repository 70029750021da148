"""The notebooks of docs/hooks/notebooks.py: each page with cells, as a Jupyter notebook."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
spec = importlib.util.spec_from_file_location("notebooks_hook", DOCS / "hooks" / "notebooks.py")
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)

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

PYCELL = re.compile(r"^```pycell[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
PAGES = sorted(
    path.relative_to(DOCS).as_posix()
    for path in DOCS.rglob("*.md")
    if PYCELL.search(path.read_text(encoding="utf-8"))
)


def test_split_keeps_prose_and_cells_in_page_order():
    parts = hook.split(PAGE)
    assert [kind for kind, _ in parts] == ["markdown", "code", "markdown", "code", "markdown"]
    assert parts[0][1] == "# 2. A lesson\n\nSome prose with $x^2$.\n"
    assert parts[1][1] == "import nndl\nx = 1\n"
    assert "```python\nnot_a_cell = True\n```" in parts[2][1]
    assert parts[3][1] == "1 / 0\n"  # ```pycell manual is a code cell too
    last = parts[4][1]
    assert last.startswith('??? success "Solution"\n\n    ```python\n    x = 2\n    ```\n')
    assert "inside_another_fence = True" in last and last.endswith("The end.\n")


def test_notebook_is_nbformat_4_5_with_an_origin_cell_first():
    book = json.loads(json.dumps(hook.notebook(PAGE, "2. A lesson", "nndl")))
    assert book["nbformat"] == 4 and book["nbformat_minor"] == 5
    assert book["metadata"]["kernelspec"]["name"] == "python3"
    cells = book["cells"]
    assert [cell["cell_type"] for cell in cells] == ["markdown"] * 2 + ["code", "markdown"] * 2
    assert len({cell["id"] for cell in cells}) == len(cells)
    origin = "".join(cells[0]["source"])
    assert "2. A lesson" in origin and "Python 3.12" in origin and "pip install ." in origin
    for cell in cells:
        assert cell["metadata"] == {} and all(isinstance(line, str) for line in cell["source"])
        assert all(line.endswith("\n") for line in cell["source"][:-1])
        if cell["cell_type"] == "code":
            assert cell["execution_count"] is None and cell["outputs"] == []
        else:
            assert "outputs" not in cell and "execution_count" not in cell
    assert "".join(cells[2]["source"]) == "import nndl\nx = 1\n"


def test_an_explorable_becomes_a_code_cell_that_draws_it_with_the_engine():
    page = "# 3. Graphs\n\n```pycell\nx = 1\n```\n\n```explorable\ncomputation-graph\na = 1\n```\n\nEnd.\n"
    cells = hook.notebook(page, "3. Graphs", "nndl")["cells"]
    assert [cell["cell_type"] for cell in cells] == ["markdown", "markdown", "code", "code", "markdown"]
    assert cells[3]["metadata"] == {"nndl": {"explorable": "computation-graph"}}
    source = "".join(cells[3]["source"])
    assert "render('computation-graph', {'a': '1'})" in source
    namespace = {}
    exec(compile(source, "<notebook cell>", "exec"), namespace)  # the cell runs as written
    view = eval("render('computation-graph', {'a': '1'})", namespace)
    assert view.data["values"]["J"] == 21


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
    assert code == PYCELL.findall(text)
    drawn = [cell["metadata"]["nndl"]["explorable"] for cell in book["cells"] if "nndl" in cell["metadata"]]
    assert drawn == re.findall(r"^```explorable[ \t]*\n\s*(\S+)", text, re.M)
    assert sum(cell["cell_type"] == "markdown" for cell in book["cells"]) >= 2
    if name.startswith("lessons/"):
        assert any("nndl" in source for source in code)


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
