"""Site build, the lessons' pages: checked figures in the prose, and the page's width for code.

Checked figures. A number the prose states about a result (an accuracy, a cost, a count) is
written with the expression that produces it, in the page's own cells:

    the network reaches {{93.8 %: accuracy}} on the flower

The page shows ``93.8 %``; tests/test_lessons.py runs the page's cells and checks that
``accuracy`` (a fraction, since the text has "%") rounds to 93.8 %. A tolerance in the text's
units may follow the expression, ``{{about 72 %: diagonal_accuracy ±1}}``; without one, the value
must round to the digits written. The number may be a word ("Twelve") from zero to twenty.
Markers in code blocks are left alone: they are only read in the prose.

Width. Lesson pages leave out the table of contents on the right, so that their code cells get
the width of the page (docs/stylesheets/site.css); each heading keeps its permalink.

This module needs only the standard library: the tests import it to read the markers.
"""

import re

from nndl_site import fences

MARKER = re.compile(r"\{\{(?P<text>[^{}:\n]+?):\s*(?P<expr>[^{}\n]+?)\s*\}\}")
TOLERANCE = re.compile(r"^(?P<expr>.*?)\s*±\s*(?P<tol>\d+(?:\.\d+)?)$")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}


class Figure:
    """One checked figure: the text shown, the expression, its tolerance, where it is."""

    def __init__(self, text, expr, line):
        self.text = text.strip()
        self.line = line
        found = TOLERANCE.match(expr.strip())
        self.expr = (found["expr"] if found else expr).strip()
        self.percent = "%" in self.text
        number = NUMBER.search(self.text)
        if number:
            self.number = float(number[0])
            decimals = len(number[0].split(".")[1]) if "." in number[0] else 0
        else:
            word = next((w for w in re.findall(r"[A-Za-z]+", self.text) if w.lower() in WORDS), None)
            if word is None:
                raise ValueError(f"line {line}: no number in the checked figure {self.text!r}")
            self.number, decimals = float(WORDS[word.lower()]), 0
        self.tolerance = float(found["tol"]) if found else 0.5 * 10.0**-decimals

    def agrees_with(self, value):
        """Does ``value`` (a fraction when the text has "%") give the number written?"""
        actual = float(value) * (100.0 if self.percent else 1.0)
        return abs(actual - self.number) <= self.tolerance + 1e-9

    def __repr__(self):
        return f"line {self.line}: {self.text!r} = {self.expr}"


def figures(markdown):
    """Every checked figure of a page, in order."""
    return [
        Figure(m["text"], m["expr"], number)
        for number, line in fences.prose_lines(markdown)
        for m in MARKER.finditer(line)
    ]


def render(markdown):
    """The Markdown with each checked figure replaced by its text (code blocks untouched)."""
    lines = markdown.splitlines(keepends=True)
    for number, line in fences.prose_lines(markdown):
        lines[number - 1] = MARKER.sub(lambda m: m["text"].strip(), lines[number - 1])
    return "".join(lines)


def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri.startswith("lessons/"):
        hidden = page.meta.setdefault("hide", [])
        if "toc" not in hidden:
            hidden.append("toc")
    return render(markdown)
