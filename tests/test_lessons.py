"""Every page's runnable cells, run by the cells' runner of the reader's browser
(nndl_site/cell_runner.py, the very module the page's worker runs in Pyodide), on CPython and
inside Pyodide.

For each page ``docs/**/*.md`` (one test per page):

1. the ```` ```pycell ```` blocks (read by nndl_site/pages.py) are taken in order and run in
   ONE fresh page visit of the runner, like a notebook: each cell is executed, and if its last
   statement is an expression, that expression is evaluated and its value rendered as the page
   would (through :func:`nndl.display.mime_bundle`); what it prints is what the runner posts to
   the page; ``display(...)`` calls are recorded. A cell that raises fails the test with the
   page, the cell's number, its first line in the Markdown and the runner's traceback. A cell
   marked ```` ```pycell manual ```` may raise on purpose (a deliberate error); the error is
   recorded for the page's own checks.
2. exercises: a ``??? success "Solution"`` admonition holding a ```` ```python ```` block gives
   the solution of the pycell just before it (the starter). With the starters, every check
   result a cell makes (a :class:`nndl.exercises.Feedback`, shown or printed) must say "not yet";
   the page is then run again with each starter replaced by its solution (and without its
   manual cells, which no later cell may need), and every check must pass.
3. some pages have extra checks of their key results (:data:`PAGE_CHECKS`).
4. every figure the prose states about a result is a checked figure, ``{{93.8 %: accuracy}}``
   (nndl_site/lessons.py renders it as ``93.8 %``): its expression is evaluated in the page's
   namespace after the run, and must give the number written. Trainings that a cell stops on a
   time budget are first finished (:data:`COMPLETE`), so a slow machine checks the same figures.
   Times are never written as fixed figures in the prose: they depend on the reader's computer,
   and the cells print their own.

Other tests: each lesson page has the course's ingredients (cells importing nndl, an exercise,
a summary, links to its neighbours), its SVG diagrams exist and are accessible, and no page
repeats one of the mistakes that circulate in notes on this course (syllabus, last section).
"""

import contextlib
import itertools
import json
import math
import re
import sys
import time
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pytest
from nndl import display as nndl_display
from nndl import exercises
from nndl_site import cell_runner, fences
from nndl_site import lessons as lessons_hook  # the checked figures; only the standard library
from nndl_site.pages import Block, deliberate, pages, read_page

DOCS = Path(__file__).resolve().parent.parent / "docs"
if not DOCS.is_dir():  # a run that forgot the lessons fails instead of passing without them
    pytest.fail(
        f"the lessons' folder {DOCS} is not beside tests/ "
        f"(copy docs/ too to run the lessons' cells)",
        pytrace=False,
    )


PAGES = pages(DOCS)
LESSONS = [page for page in PAGES if page.startswith("lessons/")]


# ---- Running them as the browser does ----


@dataclass
class CellFailure:
    """How a ```pycell manual cell failed on purpose, as the runner reports it to the page."""

    ename: str  # the exception's class name ("ZeroDivisionError")
    evalue: str  # its message, as shown (the runner explains mismatched matrix shapes)
    traceback: str


@dataclass
class CellRun:
    number: int  # 1-based
    line: int
    stdout: str = ""
    value: object = None  # the last expression's value (None when there is none)
    displayed: list = field(default_factory=list)  # objects shown with display(...)
    checks: list = field(default_factory=list)  # every exercises.Feedback the cell made
    error: CellFailure = None  # only for ```pycell manual cells


@dataclass
class PageRun:
    namespace: dict
    cells: list  # [CellRun]

    @property
    def feedback(self):
        """(cell run, Feedback) for every check result the cells made (shown, printed or kept)."""
        return [(c, result) for c in self.cells for result in c.checks]

    @property
    def shown(self):
        """Everything shown: last values and displayed objects."""
        return [c.value for c in self.cells if c.value is not None] + [
            obj for c in self.cells for obj in c.displayed
        ]


class CellError(Exception):
    pass


@contextlib.contextmanager
def recording_checks(into):
    """Append every :class:`nndl.exercises.Feedback` created meanwhile to the list ``into``."""
    original = exercises.Feedback.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        into.append(self)

    exercises.Feedback.__init__ = init
    try:
        yield
    finally:
        exercises.Feedback.__init__ = original


_visits = itertools.count(1)


def finish(coroutine):
    """Drive one of the runner's coroutines to its end. A lesson's cell never waits for anything
    (no top-level await; the matrix products need no download, here or with the kernel the
    Pyodide run installs), so it ends at its first step, with no event loop needed."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("a cell waited for something: the lesson tests run cells that never await")


@contextlib.contextmanager
def runner_set_up(messages):
    """The cells' runner set up as the page's worker does it (its streams, display publisher,
    sleep and warnings), posting into ``messages``; Python's own put back after. Yields the
    runner's publisher."""
    saved = sys.stdout, sys.stderr, time.sleep, warnings.showwarning, nndl_display.set_publisher(None)
    cell_runner.setup(lambda kind, text: messages.append((kind, json.loads(text))))
    try:
        yield nndl_display.set_publisher(None)
    finally:
        sys.stdout, sys.stderr, time.sleep, warnings.showwarning = saved[:4]
        nndl_display.set_publisher(saved[4])


def run_page(name, cells):
    """Run ``cells`` (Blocks) top to bottom in one fresh page visit of the cells' runner; raise
    CellError on a failure."""
    ns = f"{name}#{next(_visits)}"
    messages = []
    runs = []
    with runner_set_up(messages) as publish:
        try:
            for number, cell in enumerate(cells, start=1):
                run = CellRun(number, cell.line)

                def show(obj, shown=run.displayed):
                    shown.append(obj)
                    publish(obj)  # rendered as on the page

                nndl_display.set_publisher(show)
                messages.clear()
                with recording_checks(run.checks):
                    ending = json.loads(finish(cell_runner.run(number, ns, number, cell.code)))
                run.stdout = "".join(m["text"] for kind, m in messages if kind in ("stdout", "stderr"))
                if ending["type"] == "result":
                    run.value = cell_runner.namespace(ns)["_"] if ending["bundle"] is not None else None
                elif "manual" in cell.options and ending["type"] == "error" and deliberate(ending["ename"]):
                    run.error = CellFailure(ending["ename"], ending["evalue"], ending["traceback"])
                else:
                    what = ending.get("ename", "KeyboardInterrupt")
                    raise CellError(
                        f"{name}: cell {number} (```pycell at line {cell.line}) raised "
                        f"{what}: {ending.get('evalue', '')}\n\n{ending.get('traceback', '')}\n"
                        f"Output of the cell before the error:\n{run.stdout}"
                    )
                runs.append(run)
            return PageRun(cell_runner.namespace(ns), runs)
        finally:
            cell_runner.forget(ns)


def load(page):
    return read_page((DOCS / page).read_text(encoding="utf-8"), page)


# ---- Checks of key results, page by page (on the run with the starter code) ----


def stdout_of(run):
    return "".join(c.stdout for c in run.cells)


def images_shown(run):
    return [obj for obj in run.shown if isinstance(obj, nndl_display.Image)]


def plots_shown(run):
    return [obj for obj in run.shown if isinstance(obj, nndl_display.LinePlot)]


def check_images_as_vectors(run):
    ns = run.namespace
    assert ns["train_x"].shape == (12288, 209) and ns["train_y"].shape == (1, 209)
    assert ns["test_x"].shape == (12288, 50) and ns["test_y"].shape == (1, 50)
    assert 0.0 <= ns["train_x"].min() and ns["train_x"].max() <= 1.0
    index = ns["index"]
    np.testing.assert_array_equal(ns["train_x"][:, index] * 255, ns["train_x_orig"][index].ravel())
    assert len(images_shown(run)) >= 3
    assert "12288" in stdout_of(run)


def check_logistic_regression(run):
    ns = run.namespace
    assert ns["cost_zero"] == pytest.approx(math.log(2), abs=1e-12)  # ŷ = 0.5 everywhere
    assert plots_shown(run)


def check_computation_graph(run):
    ns = run.namespace
    J, a, b, c, u, v = (ns[name] for name in ("J", "a", "b", "c", "u", "v"))
    assert (u.data, v.data, J.data) == (6.0, 11.0, 33.0)
    assert (v.grad, u.grad, a.grad) == (3.0, 3.0, 3.0)
    assert b.grad == 6.0 and c.grad == 9.0  # dJ/db = 3c, dJ/dc = 3b
    table = stdout_of(run)
    assert "33" in table and "nodes" in table.lower() and "edges" in table.lower()


def check_gradient_descent(run):
    ns = run.namespace
    grads_loop, cost_loop = ns["grads_loop"], ns["cost_loop"]
    grads_vec, cost_vec = ns["grads_vec"], ns["cost_vec"]
    np.testing.assert_allclose(grads_loop["dw"], grads_vec["dw"], rtol=1e-10, atol=1e-14)
    assert grads_loop["db"] == pytest.approx(grads_vec["db"], rel=1e-10, abs=1e-14)
    assert cost_loop == pytest.approx(cost_vec, rel=1e-12)
    costs = ns["costs"]
    assert costs[-1] < costs[0]
    assert all(later <= earlier for earlier, later in zip(costs, costs[1:]))
    assert plots_shown(run)


def check_vectorization(run):
    ns = run.namespace
    assert ns["c_loop"] == pytest.approx(ns["c"], rel=1e-9)  # same dot product, other order
    assert ns["loop_seconds"] > ns["dot_seconds"] > 0
    np.testing.assert_allclose(ns["dw_loop"], ns["dw_vectorized"], rtol=1e-9, atol=1e-15)
    errors = [c.error for c in run.cells if c.error is not None]
    assert errors and all(e.ename == "ValueError" for e in errors)
    assert any("rank-1" in e.evalue for e in errors)  # the engine explains the rank-1 mistake
    costs = ns["costs"]
    # "The cost goes down steadily", and lesson 13 says that with this α = 0.002 it goes down
    # from the first step, where the course's 0.005 zig-zags.
    assert all(later < earlier for earlier, later in zip(costs, costs[1:]))
    assert plots_shown(run)


def complete_training_on_images(run):
    """Lesson 13's networks train on a time budget: finish what the budget cut short, with the
    same functions (gradient descent keeps only the parameters, so this is the full run)."""
    from nndl import deep

    ns = run.namespace
    for name in ("two_layer", "deep"):
        params, history = ns[f"{name}_params"], ns[f"{name}_history"]
        left = 2500 - history.iterations
        if left > 0:
            params, more = deep.train(
                ns["train_x"], ns["train_y"], None, learning_rate=0.0075,
                num_iterations=left, parameters=params,
            )
            assert not more.diverged
            ns[f"{name}_params"] = params
            ns[f"{name}_accuracy"] = [
                np.mean(deep.predict(x, params) == y)
                for x, y in ((ns["train_x"], ns["train_y"]), (ns["test_x"], ns["test_y"]))
            ]


COMPLETE = {"lessons/13-training-on-images.md": complete_training_on_images}


def check_figures(page, run):
    """Every checked figure of the page's prose against the value its expression gives."""
    if page in COMPLETE:
        COMPLETE[page](run)
    wrong = []
    for figure in lessons_hook.figures((DOCS / page).read_text(encoding="utf-8")):
        try:
            value = eval(figure.expr, dict(run.namespace))  # noqa: S307 (the page's own text)
        except Exception as exc:
            wrong.append(f"{page}:{figure.line}: {figure.text!r}: {figure.expr} raised {exc!r}")
            continue
        if not figure.agrees_with(value):
            shown = f"{100 * float(value):.4g} %" if figure.percent else f"{float(value):.6g}"
            wrong.append(
                f"{page}:{figure.line}: the prose says {figure.text!r} but {figure.expr} = {shown}"
            )
    assert not wrong, "figures in the prose that the cells do not produce:\n" + "\n".join(wrong)


PAGE_CHECKS = {
    "lessons/01-images-as-vectors.md": check_images_as_vectors,
    "lessons/02-logistic-regression.md": check_logistic_regression,
    "lessons/03-computation-graph.md": check_computation_graph,
    "lessons/04-gradient-descent.md": check_gradient_descent,
    "lessons/05-vectorization.md": check_vectorization,
}


# ---- The tests ----


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_page_cells_run(page):
    parsed = load(page)
    try:
        run = run_page(page, parsed.cells)
    except CellError as error:
        pytest.fail(str(error), pytrace=False)

    for cell, result in run.feedback:
        assert not result.passed, (
            f"{page}: the check in cell {cell.number} (line {cell.line}) already passes with the "
            f"starter code, which should be incomplete:\n{result}"
        )
    if page in PAGE_CHECKS:
        PAGE_CHECKS[page](run)
    check_figures(page, run)

    if parsed.solutions:
        # Manual cells are left out of this second run, as they are when a reader runs a later
        # cell: nothing after them may depend on them (the first run ran them), and one of them
        # may be a long training.
        solved = [
            parsed.solutions.get(i, replace(cell, code="") if "manual" in cell.options else cell)
            for i, cell in enumerate(parsed.cells)
        ]
        try:
            solved_run = run_page(f"{page} (with the solutions)", solved)
        except CellError as error:
            pytest.fail(str(error), pytrace=False)
        results = solved_run.feedback
        assert len(results) >= len(parsed.solutions), (
            f"{page}: {len(parsed.solutions)} solutions but only {len(results)} check results shown"
        )
        for cell, result in results:
            assert result.passed, (
                f"{page}: with the solutions, the check in cell {cell.number} (line {cell.line}) "
                f"says:\n{result}"
            )


def test_there_are_lessons():
    assert len(LESSONS) >= 5


@pytest.mark.parametrize("page", LESSONS)
def test_lesson_page_has_the_course_ingredients(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    parsed = read_page(text, page)
    assert len(parsed.cells) >= 3, f"{page}: a lesson needs at least three runnable cells"
    uses_nndl = [c for c in parsed.cells if re.search(r"^\s*(from|import) nndl\b", c.code, re.M)]
    assert uses_nndl, f"{page}: no cell imports nndl"
    assert parsed.solutions, (
        f'{page}: no exercise (a starter pycell followed by ??? success "Solution")'
    )
    assert re.search(r"^#+ What you should take away", text, re.M), f"{page}: no summary section"
    assert re.search(r"^# ", text, re.M), f"{page}: no title"


@pytest.mark.parametrize("page", LESSONS)
def test_lesson_diagrams_exist_and_are_accessible(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    for target in re.findall(r"\]\((img/[^)\s]+\.svg)\)|src=\"(img/[^\"]+\.svg)\"", text):
        path = DOCS / Path(page).parent / (target[0] or target[1])
        assert path.is_file(), f"{page}: the diagram {path.relative_to(DOCS)} does not exist"
        root = ET.parse(path).getroot()
        ns = "{http://www.w3.org/2000/svg}"
        assert root.tag == f"{ns}svg", f"{path.name} is not an SVG document"
        title = root.find(f"{ns}title")
        assert title is not None and (title.text or "").strip(), f"{path.name} has no <title>"
        assert root.get("role") == "img", f"{path.name}: give the <svg> role=\"img\""


# ---- Mistakes that circulate in notes on this course (syllabus, last section) ----

# (what is wrong, pattern, an example it catches, a correct text it must not flag)
MISTAKES = [
    (
        "dJ/db is 3·c = 6 (and dJ/dc is 3·b = 9)",
        r"(dJ/db|\\frac\{d ?J\}\{d ?b\}|\\frac\{\\partial J\}\{\\partial b\}|\bdb)\s*=\s*9\b"
        r"|(dJ/dc|\\frac\{d ?J\}\{d ?c\}|\\frac\{\\partial J\}\{\\partial c\}|\bdc)\s*=\s*6\b",
        "so dJ/db = 9 because",
        "dJ/db = 3·c = 6 and dJ/dc = 3·b = 9",
    ),
    (
        "the minus of the loss applies to both terms",
        r"[-−]\s*y\s*(\\cdot|·|\*)?\s*\\?(np\.)?log[^+\n]{0,40}\+\s*\(\s*1\s*[-−]\s*y\s*\)",
        r"L = -y \log \hat y + (1 - y) \log(1 - \hat y)",
        r"L = -\big(y \log \hat y + (1 - y) \log(1 - \hat y)\big)",
    ),
    (
        "a layer's forward step has no transpose: Z[l] = W[l] A[l-1] + b[l]",
        r"Z\[l\]\s*=\s*W\[l\]\s*(ᵀ|\^T|\.T)|Z\^\{\[l\]\}\s*=\s*\(?W\^\{\[l\]\s*(T|\\top)\}"
        r"|Z\^\{\[l\]\}\s*=\s*\(W\^\{\[l\]\}\)\^\{?(T|\\top)"
        r"|\bW\w*\.T\s*@\s*A\w*|np\.dot\(\s*W\w*\.T\s*,\s*A",
        "Z = W.T @ A_prev + b",
        "dA_prev = W.T @ dZ",
    ),
    (
        "the bias of layer l is b[l], not b[l-1]",
        r"\+\s*b\s*(\^\{)?\[l\s*[-−]\s*1\]",
        "Z[l] = W[l] A[l-1] + b[l-1]",
        "Z[l] = W[l] A[l-1] + b[l]",
    ),
    (
        "the activation is applied to Z: A[l] = g[l](Z[l])",
        r"Z\[l\]\s*=\s*g\[l\]\s*\(|Z\^\{\[l\]\}\s*=\s*g\^\{\[l\]\}\s*\(",
        "Z[l] = g[l](A[l])",
        "A[l] = g[l](Z[l])",
    ),
    (
        "b[l] has shape (n[l], 1)",
        r"b\[l\][^\n]{0,25}\(\s*(1\s*,\s*n\[l\]|n\[l\]\s*,\s*n\[l\s*[-−]\s*1\])\s*\)",
        "b[l] has shape (1, n[l])",
        "b[l] has shape (n[l], 1)",
    ),
    (
        "in the looped gradient descent, w2 is updated with dw2",
        r"w_?\{?2\}?\s*:?=\s*w_?\{?2\}?\s*[-−]\s*(\\alpha|α|alpha|learning_rate)"
        r"\s*(\\cdot|·|\*)?\s*\\?,?\s*d ?w_?\{?1\}?",
        "w2 := w2 − α dw1",
        "w2 := w2 − α dw2",
    ),
    (
        "in the looped gradient descent the cost is accumulated (J +=), not overwritten",
        r"^\s*J\s*=\s*[-−]\s*\(?\s*(y|Y\[)[^\n]*log(?![^\n]*(sum|mean))",
        "    J = -(y * np.log(a) + (1 - y) * np.log(1 - a))",
        "    J += -(y * np.log(a) + (1 - y) * np.log(1 - a))",
    ),
    (
        "the loop-versus-np.dot ratio is measured, never quoted as one machine's ≈200×",
        r"200\s*(×|x\b|times)",
        "loops are ≈200× slower",
        "the ratio depends on the machine",
    ),
    (
        "the dot-product example is c = np.dot(a, b)",
        r"\b(?!c\b)\w+\s*=\s*np\.dot\(\s*a\s*,\s*b\s*\)|np\.dot\(\s*a\s*,\s*(?!b\s*\))\w+\s*\)",
        "z = np.dot(a, a)",
        "c = np.dot(a, b)",
    ),
]


@pytest.mark.parametrize("what, pattern, bad, good", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_pattern_catches_its_example(what, pattern, bad, good):
    assert re.search(pattern, bad, re.M), what
    assert not re.search(pattern, good, re.M), what


def test_no_page_repeats_a_circulating_mistake():
    """Nowhere, but as a wrong answer of a quiz (a ```quiz line "- …"), where a mistake that
    circulates is what the question is there to catch."""
    found = []
    for page in PAGES:
        lines = (DOCS / page).read_text(encoding="utf-8").splitlines()
        in_quiz = False
        for number, line in enumerate(lines, start=1):
            if line.startswith("```"):
                in_quiz = line.strip() == "```quiz"
            if in_quiz and line.startswith("- "):
                continue
            for what, pattern, _, _ in MISTAKES:
                if re.search(pattern, line, re.M):
                    found.append(f"{page}:{number}: {line.strip()!r} — {what}")
    assert not found, "\n".join(found)


# ---- The harness itself ----

SAMPLE = '''# A page

```pycell
x = 2
print("x is", x)
x * 21
```

```python
not_a_cell = True
```

```pycell
def double(v):
    return None
```

??? success "Solution"

    ```python
    def double(v):
        return 2 * v
    ```

!!! note
    ```pycell manual
    1 / 0
    ```

````markdown
```pycell
this is an example of the syntax, not a cell
```
````
'''


def test_read_page_finds_cells_options_and_solutions():
    page = read_page(SAMPLE)
    assert [c.line for c in page.cells] == [3, 13, 26]
    assert page.cells[2].code == "1 / 0\n" and page.cells[2].options == ("manual",)
    assert list(page.solutions) == [1]
    assert page.solutions[1].code == "def double(v):\n    return 2 * v\n"


def test_run_page_shows_the_last_expression_and_stdout_like_the_browser():
    page = read_page(SAMPLE)
    run = run_page("sample", page.cells)
    assert run.cells[0].value == 42 and run.cells[0].stdout == "x is 2\n"
    assert run.namespace["_"] == 42
    assert run.cells[2].error.ename == "ZeroDivisionError"  # manual: recorded, not fatal


def test_run_page_reports_the_page_the_cell_and_the_traceback():
    cells = [Block("cell", "y = 1\n", 3), Block("cell", "print('half')\nz = y + w\n", 7)]
    with pytest.raises(CellError) as info:
        run_page("lessons/sample.md", cells)
    message = str(info.value)
    assert message.startswith("lessons/sample.md: cell 2 (```pycell at line 7) raised NameError")
    assert 'File "<cell 2>", line 2' in message and "z = y + w" in message
    assert "half" in message


def test_a_manual_cell_may_not_hide_a_typo():
    with pytest.raises(CellError, match="NameError"):
        run_page("sample", [Block("cell", "undefined_name\n", 1, ("manual",))])


def test_check_results_are_recorded_whether_shown_or_printed():
    code = (
        "from nndl.exercises import check_value\n"
        "print(check_value('a', 1.0, 2.0))\n"
        "check_value('b', 2.0, 2.0)\n"
    )
    run = run_page("sample", [Block("cell", code, 1)])
    assert [r.passed for _, r in run.feedback] == [False, True]
    assert "Not yet: a is 1" in run.cells[0].stdout


def test_display_calls_are_recorded():
    code = (
        "from nndl.display import image, display\n"
        "import numpy as np\n"
        "display(image(np.zeros((2, 2))))\n"
    )
    run = run_page("sample", [Block("cell", code, 1)])
    assert len(run.cells[0].displayed) == 1 and len(images_shown(run)) == 1


# ---- Figures in the prose ----

# A time written as a fixed figure: "11 s", "about 2 minutes", "a fifth of a second", "8× native".
FIXED_TIME = re.compile(
    r"\b\d+(?:[.,]\d+)?(?:\s+(?:ms|s|sec)|\s*(?:seconds?|min|minutes?|hours?))\b"
    r"|\b(?:half an?|an?\s+(?:fifth|quarter|tenth)\s+of\s+an?)\s+(?:second|minute|hour)\b"
    r"|\b(?:one|two|three|four|five|ten|twenty|thirty)\s+(?:seconds|minutes|hours)\b"
    r"|\b(?:a minute|an hour)\b"
    r"|\d+\s*(?:×|x|times)\s*(?:native|slower|faster)",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "text, ok",
    [
        ("the full run takes about 11 seconds", False),
        ("natively that takes a fifth of a second", False),
        ("2 min in Chromium", False),
        ("about 8× native", False),
        ("| Logistic regression | 99.0 % | 70 % | 1.4 s | 11 s |", False),
        ("the networks take many times longer to train", True),
        ("once `budget` seconds have passed", True),
        ("the code needs a second loop", True),
        ("the number of 1s is odd; rows of 0s and 1s", True),
        ("a $64 \\times 64$ picture, 12288 numbers", True),
    ],
)
def test_the_fixed_time_pattern(text, ok):
    assert (FIXED_TIME.search(text) is None) == ok


@pytest.mark.parametrize("page", LESSONS)
def test_lesson_prose_states_no_fixed_time(page):
    """Times depend on the reader's computer (and went stale before): cells print their own."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = [
        f"{page}:{number}: {line.strip()!r}"
        for number, line in fences.prose_lines(text)
        if FIXED_TIME.search(line)
    ]
    assert not found, "fixed times in the prose (say it relatively):\n" + "\n".join(found)


FIGURES_SAMPLE = """# A page

The cost falls from {{0.693: costs[0]}} to {{0.13: costs[-1] ±0.01}}, and {{Twelve: n}} of
the pictures; accuracy {{93.8 %: accuracy}}.

```pycell
print(f"{{not: a marker}}")
```
"""


def test_checked_figures_are_read_from_the_prose_only():
    figures = lessons_hook.figures(FIGURES_SAMPLE)
    assert [(f.text, f.expr, f.line) for f in figures] == [
        ("0.693", "costs[0]", 3),
        ("0.13", "costs[-1]", 3),
        ("Twelve", "n", 3),
        ("93.8 %", "accuracy", 4),
    ]
    rendered = lessons_hook.render(FIGURES_SAMPLE)
    assert "falls from 0.693 to 0.13, and Twelve of" in rendered
    assert "accuracy 93.8 %." in rendered
    assert 'print(f"{{not: a marker}}")' in rendered  # code is left as it is


def test_a_checked_figure_must_round_to_the_digits_written():
    cost, twelve, percent = lessons_hook.figures(
        "{{0.786: x}} {{Twelve: x}} {{93.8 %: x}} {{about 72 %: x ±1}}"
    )[:3]
    assert cost.agrees_with(0.78616) and not cost.agrees_with(0.7866)
    assert twelve.agrees_with(12) and not twelve.agrees_with(13)
    assert percent.agrees_with(0.9375) and not percent.agrees_with(0.9365)
    about = lessons_hook.figures("{{about 72 %: x ±1}}")[0]
    assert about.agrees_with(0.715) and not about.agrees_with(0.70)


def test_check_figures_names_the_figure_the_cells_contradict(tmp_path, monkeypatch):
    page = tmp_path / "lessons" / "sample.md"
    page.parent.mkdir()
    page.write_text("It reaches {{90 %: accuracy}}.\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "DOCS", tmp_path)
    run = run_page("sample", [Block("cell", "accuracy = 0.875\n", 1)])
    with pytest.raises(AssertionError, match=r"says '90 %' but accuracy = 87.5 %"):
        check_figures("lessons/sample.md", run)


def test_lessons_that_report_results_check_their_figures():
    for page, least in (("lessons/06-shallow-networks.md", 3), ("lessons/13-training-on-images.md", 15)):
        assert len(lessons_hook.figures((DOCS / page).read_text(encoding="utf-8"))) >= least, page


@pytest.mark.parametrize("page", PAGES)
def test_no_malformed_checked_figure_reaches_the_page(page):
    """A marker the hook does not recognise (a colon missing, a line break inside) would show
    its braces on the page."""
    rendered = lessons_hook.render((DOCS / page).read_text(encoding="utf-8"))
    opening = re.compile(r"\{\{[^{}\n]{0,40}?:")  # "{{93.8 %:" (TeX has {{ too, never "{{…:")
    left = [f"{page}:{n}: {line.strip()!r}" for n, line in fences.prose_lines(rendered)
            if opening.search(line)]
    assert not left, "\n".join(left)


def test_the_malformed_marker_pattern():
    pattern = re.compile(r"\{\{[^{}\n]{0,40}?:")
    assert pattern.search("reaches {{93.8 %: accuracy")  # its end on the next line
    assert not pattern.search(r"\frac{1}{1 + e^{-z}}, \sum_{\text{rows}} dZ^{[2]}")


@pytest.mark.parametrize("page", PAGES)
def test_no_control_character_hides_in_a_page(page):
    """A "\\alpha" written through a Python string becomes BEL + "lpha", which Temml cannot read."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = [f"{page}:{text.count(chr(10), 0, i) + 1}: {text[i]!r}"
             for i in range(len(text)) if ord(text[i]) < 32 and text[i] not in "\n\t"]
    assert not found, "\n".join(found)
