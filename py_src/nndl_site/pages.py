"""The lessons' pages as the tests read them: their runnable cells, in order, and the solutions of
their exercises; and which errors a ```` ```pycell manual ```` cell may raise on purpose.

A ``??? success "Solution"`` admonition holding a ```` ```python ```` block gives the solution of
the pycell just before it (the exercise's starter). Cells are read wherever they are, indented
into an admonition too, as the page shows them.

This module needs only the standard library: the lesson tests also run inside Pyodide.
"""

import builtins
import re
from dataclasses import dataclass
from pathlib import Path

from nndl_site import fences

SOLUTION_TITLE = re.compile(r"^(?P<indent>[ \t]*)(\?\?\?\+?|!!!)[ \t]+\w+[ \t]+\"Solution[^\"]*\"")

#: Exceptions that are never deliberate, even in a ```pycell manual cell (their subclasses too).
NEVER_DELIBERATE = (NameError, SyntaxError, ImportError, AttributeError, OSError)


@dataclass
class Block:
    kind: str  # "cell" (a ```pycell) or "solution" (a ```python inside a Solution admonition)
    code: str
    line: int  # 1-based line of the opening fence in the Markdown
    options: tuple = ()


@dataclass
class Page:
    cells: list  # [Block] of kind "cell", in order
    solutions: dict  # index in cells → Block of kind "solution"


def pages(docs):
    """The Markdown pages under the folder ``docs``, as paths relative to it ("lessons/x.md")."""
    docs = Path(docs)
    return sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*.md"))


def _indentation(line):
    return len(line) - len(line.lstrip())


def read_blocks(markdown):
    """The pycells and solution blocks of a Markdown text, in order (other fences are skipped)."""
    found = []
    lines = markdown.splitlines()
    solution_indent = None  # set after a Solution admonition's title, until its code block
    position = 0
    for block in [*fences.blocks(lines), None]:
        for line in lines[position : block.start if block else len(lines)]:
            title = SOLUTION_TITLE.match(line)
            if title:
                solution_indent = len(title["indent"])
            elif line.strip() and solution_indent is not None and _indentation(line) <= solution_indent:
                solution_indent = None  # the admonition ended without a code block
        if block is None:
            break
        position = block.end + 1
        if block.language == "pycell":
            found.append(Block("cell", block.code(lines), block.start + 1, block.options))
        elif (block.language == "python" and solution_indent is not None
              and len(block.indent) > solution_indent):
            found.append(Block("solution", block.code(lines), block.start + 1))
            solution_indent = None
    return found


def read_page(markdown, name="page"):
    """The page's cells and solutions; a Solution before any cell, or two for one cell, is a
    ValueError naming the page and the line."""
    cells, solutions = [], {}
    for block in read_blocks(markdown):
        if block.kind == "cell":
            cells.append(block)
            continue
        if not cells:
            raise ValueError(f"{name}, line {block.line}: a Solution comes before any pycell")
        index = len(cells) - 1
        if index in solutions:
            raise ValueError(
                f"{name}, line {block.line}: the pycell at line {cells[index].line} has two Solutions"
            )
        solutions[index] = block
    return Page(cells, solutions)


def deliberate(ename):
    """Whether a manual cell may raise the exception named ``ename`` on purpose: anything but
    NEVER_DELIBERATE and their subclasses (the cells' runner and the browser report an exception
    by its name)."""
    cls = getattr(builtins, ename, None)
    return not (isinstance(cls, type) and issubclass(cls, NEVER_DELIBERATE))
