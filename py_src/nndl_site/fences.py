"""The fenced code blocks of the lessons' Markdown, read one way by the site's build, the notebook
export and the lesson tests.

A block opens with a line of three or more backticks (or tildes), indented or not, followed by
its info words (```` ```pycell manual ````: the language ``pycell`` and the option ``manual``),
and closes at the first later line of at least as many of the same character and nothing else;
an unclosed block runs to the end of the page. Fences inside a block (a ```` ````markdown ````
example showing a ```` ```pycell ````) are part of its text.

This module needs only the standard library: the lesson tests also run inside Pyodide.
"""

import re
from dataclasses import dataclass

OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")


def closing(fence):
    """The pattern of the line that closes a block opened by ``fence`` (such as "````")."""
    return re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")


@dataclass(frozen=True)
class Block:
    """One fenced block of a list of lines: where it starts and ends, and its fence's words."""

    start: int  # index of the opening line
    end: int  # index of the closing line (len(lines) when the page ends first)
    indent: str  # the opening fence's indentation
    words: tuple  # the info words: ("pycell", "manual")

    @property
    def language(self):
        return self.words[0] if self.words else ""

    @property
    def options(self):
        return self.words[1:]

    def code(self, lines):
        """The block's text (without its fences, less the fence's indentation), ending in "\\n"."""
        body = [
            line[len(self.indent):] if line.startswith(self.indent) else line.lstrip()
            for line in lines[self.start + 1 : self.end]
        ]
        return "".join(line.rstrip("\n") + "\n" for line in body) if body else "\n"


def register(config, fence):
    """Add ``fence`` (a custom fence of pymdownx.superfences: its name, class and functions) to the
    MkDocs ``config``, in place of any fence of the same name, so that registering twice keeps one."""
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    custom = superfences.setdefault("custom_fences", [])
    custom[:] = [known for known in custom if known.get("name") != fence["name"]]
    custom.append(fence)


def blocks(lines):
    """Each fenced block of ``lines`` (with or without their line ends), in order."""
    i = 0
    while i < len(lines):
        opening = OPENING.match(lines[i].rstrip("\n"))
        if not opening:
            i += 1
            continue
        ends = closing(opening["fence"])
        j = i + 1
        while j < len(lines) and not ends.match(lines[j].rstrip("\n")):
            j += 1
        yield Block(i, j, opening["indent"], tuple(opening["info"].split()))
        i = j + 1


def prose_lines(markdown):
    """(line number from 1, line) of the Markdown outside fenced blocks."""
    lines = markdown.splitlines()
    inside = set()
    for block in blocks(lines):
        inside.update(range(block.start, block.end + 1))
    return [(n + 1, line) for n, line in enumerate(lines) if n not in inside]
