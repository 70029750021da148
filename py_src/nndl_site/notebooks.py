"""Site build: every page with ```pycell cells can be downloaded as a Jupyter notebook that runs
from top to bottom in Jupyter, JupyterLab and Colab ("Run All").

- split(markdown) cuts a page's Markdown into its prose, its top-level ```pycell blocks (with
  their options: ```pycell manual) and its ```explorable blocks, in page order. Fences of other
  languages, and fences nested in other fences or indented into lists and admonitions, stay in
  the prose.
- notebook(markdown, title, site_name, ...) is the page as nbformat 4.5 JSON:
  - a first Markdown cell saying where it comes from, then a code cell that installs the
    course's engine: ``%pip install --quiet <site>/dist/nndl-<version>-py3-none-any.whl``, the
    wheel published with the site (on_post_build copies it there);
  - a Markdown cell for each stretch of prose and a code cell for each pycell. A ```pycell
    manual cell (a deliberate error, a slow demonstration) carries the tag
    ``raises-exception``, so that "Run All" goes on past it, as in Jupyter's own convention;
  - an explorable becomes a code cell that draws it with the engine,
    ``render("name", {…every input…})`` (metadata ``{"nndl": {"explorable": name}}``), each
    input with its label and range in a comment: change the values and run it again. A View
    shows as HTML with its summary as text, nothing that JupyterLab ranks above HTML.
- The prose is adapted to a notebook (nndl_site.notebook_prose): Material's admonitions become ``<details>``
  (``???``, solutions and hints: folded) or quotes (``!!!``); links to other pages and images
  point to the published site (``site_url``, from NNDL_SITE_URL); "press **Race**" before an
  explorable becomes "run the cell below"; a section that needs the browser (the training
  dashboard's element or ``dashboard.session()``, which only the page's Python has) is replaced
  by a link to it on the site; and the few browser-only sentences listed in PHRASES are
  rewritten.
- on_files adds each page's notebook to the site's files as notebooks/<page path with / as ->.ipynb
  (lessons/03-computation-graph.md → notebooks/lessons-03-computation-graph.ipynb), so the build
  writes it into site/ and `mkdocs build --strict` checks the links to it like any other link.
- on_page_markdown puts a download button under the page's title (before its first line when
  it has no title). A page without cells gets no notebook and no button, and so does the home
  page (WITHOUT_NOTEBOOK), a map of the site whose prose is about its buttons.
- on_config puts the repository's address (NNDL_REPO_URL, which the Pages workflow sets) and the
  licence in the site's footer; on_post_build publishes the engine's wheel at dist/.
"""

import json
import logging
import os
import posixpath
import re
import shutil
import tomllib
from html import escape
from pathlib import Path
from typing import NamedTuple

from markdown.extensions.toc import slugify
from mkdocs.structure.files import File

from nndl_site import explorables as explorable_fence
from nndl_site import fences, lessons, notebook_prose

log = logging.getLogger("mkdocs.plugins.nndl.notebooks")

FENCE_NAME = "pycell"
EXPLORABLE = "explorable"
FOLDER = "notebooks"
#: Where the engine's wheel is published, relative to the site's root.
DIST = "dist"
#: The wheel comes from the in-browser runtime's build (the same file the browser installs).
RUNTIME = "build/runtime"
#: Cells that may raise on purpose: JupyterLab's, nbclient's and Colab's convention.
RAISES = "raises-exception"
TITLE = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t#]*$")
SECTION = re.compile(r"^##[ \t]+(?P<heading>.+?)[ \t#]*$")
BUTTON = "[Download as notebook]({url}){{ .md-button download=\"{name}\" }}"

METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}
#: Pages without a notebook: the home page is a map of the site, its one cell a greeting.
WITHOUT_NOTEBOOK = ("index.md",)
#: What in a section's prose or code needs the course's page: its training dashboard.
BROWSER_ONLY = re.compile(r'class="nndl-dashboard"|\bdashboard\.session\(\)')


class Part(NamedTuple):
    kind: str  # "markdown" (prose), "code" (a pycell) or "explorable" (the fence's lines)
    text: str
    options: tuple = ()  # a pycell's options: ("manual",)


def split(markdown):
    """[Part(kind, text, options)], in page order.

    Prose is stripped of surrounding blank lines and empty stretches are left out; code is the
    block's lines as written (without the fences), ending with a newline.
    """
    parts, prose = [], []

    def flush():
        text = "\n".join(prose).strip("\n")
        if text.strip():
            parts.append(Part("markdown", text + "\n"))
        prose.clear()

    lines = markdown.splitlines()
    position = 0
    for block in fences.blocks(lines):
        prose.extend(lines[position : block.start])
        position = block.end + 1
        if not block.indent and block.language in (FENCE_NAME, EXPLORABLE):
            flush()
            kind = "code" if block.language == FENCE_NAME else "explorable"
            parts.append(Part(kind, block.code(lines), block.options))
        else:
            prose.extend(lines[block.start : position])
    prose.extend(lines[position:])
    flush()
    return parts


def has_cells(markdown, src_uri=None):
    """True for a page that gets a notebook: one with cells, and not in WITHOUT_NOTEBOOK."""
    return src_uri not in WITHOUT_NOTEBOOK and any(part.kind == "code" for part in split(markdown))


def title_of(markdown, fallback):
    for line in markdown.splitlines():
        match = TITLE.match(line)
        if match:
            return match["title"]
    return fallback


def notebook_name(src_uri):
    """lessons/03-computation-graph.md → lessons-03-computation-graph.ipynb"""
    return posixpath.splitext(src_uri)[0].replace("/", "-") + ".ipynb"


def wheel_name(version):
    return f"nndl-{version}-py3-none-any.whl"


def wheel_url(site_url, version):
    """Where the site publishes the engine's wheel: <site>/dist/nndl-<version>-py3-none-any.whl
    (pip needs a wheel's own file name, version included)."""
    return f"{notebook_prose.base(site_url)}{DIST}/{wheel_name(version)}"


def install_code(url):
    return f"%pip install --quiet {url}\n"


def _lines(text):
    return text.splitlines(keepends=True)


def sections(parts):
    """The parts grouped by the page's ## headings: [[Part, …], …] (the first group is what
    comes before the first heading). A heading in the middle of prose splits that prose."""
    groups = [[]]
    for part in parts:
        if part.kind != "markdown":
            groups[-1].append(part)
            continue
        chunk = []
        prose = {number - 1 for number, _ in fences.prose_lines(part.text)}
        for n, line in enumerate(part.text.splitlines()):
            heading = n in prose and SECTION.match(line)
            if heading and "".join(chunk).strip():
                groups[-1].append(Part("markdown", "\n".join(chunk).strip("\n") + "\n"))
                groups.append([])
                chunk = []
            elif heading and groups[-1]:
                groups.append([])
            chunk.append(line)
        if "\n".join(chunk).strip():
            groups[-1].append(Part("markdown", "\n".join(chunk).strip("\n") + "\n"))
    return [group for group in groups if group]


def browser_only(section):
    return any(BROWSER_ONLY.search(part.text) for part in section)


def replaced_section(section, src_uri, site_url):
    """A section that needs the course's page: its heading, and where to find it."""
    first = section[0].text.splitlines()[0] if section[0].kind == "markdown" else ""
    match = SECTION.match(first)
    heading = match["heading"] if match else ""
    url = notebook_prose.page_url(site_url, src_uri) + (f"#{slugify(heading, '-')}" if heading else "")
    note = (
        f"*This part of the lesson uses the training dashboard, which runs in the browser on "
        f"[the course's page]({url}). The other cells of this notebook train the same models.*\n"
    )
    return Part("markdown", (f"{first}\n\n" if match else "") + note)


# ==================================================================================================
# The notebook
# ==================================================================================================


def notebook(markdown, title, site_name, src_uri="page.md", site_url="http://127.0.0.1:8000/",
             version="0.1.0", repo_url=None):
    """The page as a notebook (a dict ready for json.dumps), or None if it has none."""
    if not has_cells(markdown, src_uri):
        return None
    parts = split(markdown)
    kept = []
    for section in sections(parts):
        if browser_only(section):
            kept.append(replaced_section(section, src_uri, site_url))
        else:
            kept.extend(section)

    url = wheel_url(site_url, version)
    origin = (
        f"*This notebook is the page [“{title}”]({notebook_prose.page_url(site_url, src_uri)}) of "
        f"the course {site_name}.*\n"
        "\n"
        "Run the cells in order (or *Run All*). The first one installs the course's engine, the "
        "Python package `nndl` (it needs Python 3.12 or newer and brings NumPy), from the "
        "course's site"
    )
    if repo_url:
        origin += f"; `pip install git+{repo_url}` installs it from the repository"
    origin += (
        ". A cell tagged `raises-exception` fails on purpose, or is a slow demonstration: "
        "*Run All* goes on past it.\n"
    )
    cells = [_cell("markdown", origin), _cell("code", install_code(url), {"nndl": {"install": True}})]
    for n, part in enumerate(kept):
        if part.kind == "markdown":
            text = notebook_prose.adapt_prose(part.text, src_uri, site_url)
            following = kept[n + 1] if n + 1 < len(kept) else None
            if following is not None and following.kind == "explorable":
                text = notebook_prose.explorable_intro(text, _explorable(following.text)[0].action)
            cells.append(_cell("markdown", text))
        elif part.kind == "explorable":
            cells.append(_cell("code", *explorable_cell(part.text)))
        else:
            metadata = {"tags": [RAISES]} if "manual" in part.options else {}
            cells.append(_cell("code", part.text, metadata))
    for n, cell in enumerate(cells, 1):
        cell["id"] = f"cell-{n}"
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": METADATA, "cells": cells}


def _cell(kind, text, metadata=None):
    cell = {"id": "", "cell_type": kind, "metadata": metadata or {}, "source": _lines(text)}
    if kind == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
    return cell


def _explorable(fence):
    """(the Explorable, its values) named by an ```explorable fence."""
    from nndl import explorables

    name, texts = explorable_fence.parse(fence)
    explorable = explorables.get(name)
    return explorable, explorable.parse(texts)


def _describe(control):
    if control.kind == "choice":
        return f"{control.label}: " + ", ".join(repr(value) for value in control.values)
    if control.kind == "text":
        return f"{control.label}" + (f" ({control.hint})" if control.hint else "")
    show = lambda x: f"{x:g}" if isinstance(x, float) else str(x)  # noqa: E731
    return f"{control.label}: {show(control.min)} to {show(control.max)}"


def explorable_cell(fence):
    """(code, metadata) of the code cell that stands for an ```explorable fence: every input with
    its value (the fence's, or the default) and, in a comment, what it may be."""
    explorable, values = _explorable(fence)
    inputs = "".join(
        f"    {control.name!r}: {values[control.name]!r},  # {_describe(control)}\n"
        for control in explorable.controls
    )
    what = "press its button" if explorable.action else "change an input"
    code = (
        f"# {explorable.title}: on the course's page you {what}; here, change the values and run\n"
        "# the cell again.\n"
        "from nndl.explorables import render\n"
        "\n"
        + (f"render({explorable.name!r}, {{\n{inputs}}})\n" if inputs else f"render({explorable.name!r})\n")
    )
    return code, {"nndl": {"explorable": explorable.name}}


# ==================================================================================================
# The site
# ==================================================================================================


def button(src_uri):
    """The Markdown of the download button, its link relative to the page's source file (MkDocs
    turns it into the right address for the page's URL)."""
    name = notebook_name(src_uri)
    url = posixpath.relpath(f"{FOLDER}/{name}", posixpath.dirname(src_uri) or ".")
    return BUTTON.format(url=url, name=name)


def with_button(markdown, src_uri):
    """The page's Markdown with the button under its title (or at the top), if it has a notebook."""
    if not has_cells(markdown, src_uri):
        return markdown
    lines = markdown.splitlines(keepends=True)
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    at = first + 1 if first is not None and TITLE.match(lines[first].rstrip("\n")) else 0
    head = "".join(lines[:at])
    if head and not head.endswith("\n"):
        head += "\n"
    return head + "\n" + button(src_uri) + "\n\n" + "".join(lines[at:])


def project_version(root):
    with open(Path(root) / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def repository_url():
    """The repository's address, from NNDL_REPO_URL (the Pages workflow sets it), or None."""
    url = os.environ.get("NNDL_REPO_URL", "").strip().rstrip("/")
    return url or None


def footer(repo_url):
    """The footer's line: the licence, and the repository when its address is known."""
    text = "The course and its engine <code>nndl</code> are free software under the MIT licence"
    if repo_url:
        link = escape(repo_url, quote=True)
        text += f": source at <a href=\"{link}\">{escape(repo_url)}</a>"
    return text + "."


def _root(config):
    return Path(config.config_file_path).parent


def on_config(config):
    config.copyright = footer(repository_url())
    return config


def on_files(files, config):
    version = project_version(_root(config))
    for file in list(files.documentation_pages()):
        # The checked figures of the prose ({{93.8 %: accuracy}}) are written as the page shows them.
        source = lessons.render(file.content_string)
        title = title_of(source, posixpath.basename(file.src_uri))
        book = notebook(source, title, config.site_name, file.src_uri, config.site_url,
                        version, repository_url())
        if book is None:
            continue
        content = json.dumps(book, indent=1, ensure_ascii=False) + "\n"
        src_uri = f"{FOLDER}/{notebook_name(file.src_uri)}"
        files.append(File.generated(config, src_uri, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    return with_button(markdown, page.file.src_uri)


def on_post_build(config):
    """Publish the engine's wheel at dist/, where the notebooks' first cell installs it from."""
    root = _root(config)
    name = wheel_name(project_version(root))
    wheel = root / RUNTIME / name
    if not wheel.is_file():
        log.warning("%s is missing, so the notebooks cannot install the engine: build it with "
                    "`make site`", (Path(RUNTIME) / name).as_posix())
        return
    destination = Path(config.site_dir) / DIST
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, destination / name)
