"""MkDocs hook: every page with ```pycell cells can be downloaded as a Jupyter notebook.

- split(markdown) cuts a page's Markdown into its prose, its top-level ```pycell blocks and its
  ```explorable blocks, in page order (```pycell manual is a code cell like any other). Fences
  of other languages, and fences nested in other fences or indented into lists and admonitions,
  stay in the prose.
- notebook(markdown, title, site_name) is the page as nbformat 4.5 JSON: a first Markdown cell
  saying where it comes from and what it needs, then a Markdown cell for each stretch of prose
  and a code cell for each pycell. An explorable becomes a code cell that draws it with the
  engine, ``render("name", {…})`` (metadata ``{"nndl": {"explorable": name}}``): in Jupyter it
  shows its first view, and changing the values redraws it. The prose is kept as written: maths ($...$) renders in
  Jupyter, Material's admonitions (``??? success "Solution"``) read as plain text, and relative
  links and images point into the site, so they do not resolve in Jupyter.
- on_files adds each page's notebook to the site's files as notebooks/<page path with / as ->.ipynb
  (lessons/03-computation-graph.md → notebooks/lessons-03-computation-graph.ipynb), so the build
  writes it into site/ and `mkdocs build --strict` checks the links to it like any other link.
- on_page_markdown puts a download button under the page's title (before its first line when
  it has no title). A page without cells gets no notebook and no button.
"""

import importlib.util
import json
import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File

FENCE_NAME = "pycell"
EXPLORABLE = "explorable"
FOLDER = "notebooks"
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
TITLE = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t#]*$")
BUTTON = "[Download as notebook]({url}){{ .md-button download=\"{name}\" }}"
# The checked figures of the prose ({{93.8 %: accuracy}}) are written as the page shows them.
_spec = importlib.util.spec_from_file_location("nndl_lessons_hook", Path(__file__).with_name("lessons.py"))
lessons_hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lessons_hook)

METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}


def split(markdown):
    """[(kind, text)] with kind "markdown" (prose), "code" (a pycell's code) or "explorable" (the
    fence's lines), in page order.

    Prose is stripped of surrounding blank lines and empty stretches are left out; code is the
    block's lines as written (without the fences), ending with a newline.
    """
    parts, prose = [], []

    def flush():
        text = "\n".join(prose).strip("\n")
        if text.strip():
            parts.append(("markdown", text + "\n"))
        prose.clear()

    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            prose.append(lines[i])
            i += 1
            continue
        fence = opening["fence"]
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        words = opening["info"].split()
        if not opening["indent"] and words and words[0] in (FENCE_NAME, EXPLORABLE):
            flush()
            kind = "code" if words[0] == FENCE_NAME else "explorable"
            parts.append((kind, "\n".join(lines[i + 1 : j]) + "\n"))
        else:
            prose.extend(lines[i : j + 1])
        i = j + 1
    flush()
    return parts


def has_cells(markdown):
    return any(kind == "code" for kind, _ in split(markdown))


def title_of(markdown, fallback):
    for line in markdown.splitlines():
        match = TITLE.match(line)
        if match:
            return match["title"]
    return fallback


def notebook_name(src_uri):
    """lessons/03-computation-graph.md → lessons-03-computation-graph.ipynb"""
    return posixpath.splitext(src_uri)[0].replace("/", "-") + ".ipynb"


def _lines(text):
    return text.splitlines(keepends=True)


def notebook(markdown, title, site_name):
    """The page as a notebook (a dict ready for json.dumps), or None if it has no cells."""
    parts = split(markdown)
    if not any(kind == "code" for kind, _ in parts):
        return None
    origin = (
        f"*This notebook is the page “{title}” of the course {site_name}.*\n"
        "\n"
        "To run its cells you need Python 3.12 with NumPy and the `nndl` package from this "
        "course's repository: clone the repository and run `pip install .` in it. Images and "
        "links to other pages of the course only work on the course's site.\n"
    )
    cells = []
    for kind, text in [("markdown", origin), *parts]:
        metadata = {}
        if kind == "explorable":
            kind, text, metadata = "code", *explorable_cell(text)
        cell = {
            "id": f"cell-{len(cells) + 1}",
            "cell_type": kind,
            "metadata": metadata,
            "source": _lines(text),
        }
        if kind == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        cells.append(cell)
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": METADATA, "cells": cells}


def _explorables_hook():
    """docs/hooks/explorables.py, which reads the fence (MkDocs loads hooks by path, not as a
    package, so it is loaded the same way here)."""
    path = Path(__file__).with_name("explorables.py")
    spec = importlib.util.spec_from_file_location("nndl_hooks_explorables", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def explorable_cell(fence):
    """(code, metadata) of the code cell that stands for an ```explorable fence."""
    name, values = _explorables_hook().parse(fence)
    arguments = f"{name!r}, {values!r}" if values else repr(name)
    code = (
        f"# The explorable {name!r} of the course's page: change the values and run again.\n"
        "from nndl.explorables import render\n"
        "\n"
        f"render({arguments})\n"
    )
    return code, {"nndl": {"explorable": name}}


def button(src_uri):
    """The Markdown of the download button, its link relative to the page's source file (MkDocs
    turns it into the right address for the page's URL)."""
    name = notebook_name(src_uri)
    url = posixpath.relpath(f"{FOLDER}/{name}", posixpath.dirname(src_uri) or ".")
    return BUTTON.format(url=url, name=name)


def with_button(markdown, src_uri):
    """The page's Markdown with the button under its title (or at the top), if it has cells."""
    if not has_cells(markdown):
        return markdown
    lines = markdown.splitlines(keepends=True)
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    at = first + 1 if first is not None and TITLE.match(lines[first].rstrip("\n")) else 0
    head = "".join(lines[:at])
    if head and not head.endswith("\n"):
        head += "\n"
    return head + "\n" + button(src_uri) + "\n\n" + "".join(lines[at:])


def on_files(files, config):
    for file in list(files.documentation_pages()):
        source = lessons_hook.render(file.content_string)
        title = title_of(source, posixpath.basename(file.src_uri))
        book = notebook(source, title, config.site_name)
        if book is None:
            continue
        content = json.dumps(book, indent=1, ensure_ascii=False) + "\n"
        src_uri = f"{FOLDER}/{notebook_name(file.src_uri)}"
        files.append(File.generated(config, src_uri, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    return with_button(markdown, page.file.src_uri)
