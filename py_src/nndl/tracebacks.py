"""Tracebacks a learner can read: the errors of the course's cells, explained.

The page's cells (see nndl_site.cell_runner) show an exception as Python's traceback trimmed to
the cells' own frames (plus, when it was raised inside a library, the library line that raised),
with the failing line's number, and for errors whose message alone does not tell a learner what
to do (running out of memory), a hint. A matrix product whose shapes do not match is explained in
the course's notation ("W is (3, 4) and X is (3, 4): its 4 columns need 4 rows in X"), with
NumPy's own words kept in the hint.

:func:`explain` gives all of it for one exception; :func:`format_exception`,
:func:`failing_line`, :func:`hint` and :func:`shape_message` give each part.
"""

import ast
import linecache
import re
import traceback

__all__ = ["explain", "format_exception", "failing_line", "hint", "shape_message", "memory_limit",
           "MEMORY_HINT", "ANY_BROWSER_LIMIT", "TOO_BIG_HINT", "SHAPE_HINT"]

#: Hints shown under a traceback, for errors whose message does not say what to do about them.
MEMORY_HINT = (
    "Python ran out of memory. {limit}, however much memory this computer has, and everything "
    "the cells of the page keep in variables counts. Use smaller arrays, or free big ones you no "
    "longer need with del (for example del x); reloading the page starts afresh."
)
#: The limit, when the browser's own cannot be read: what WebAssembly allows any browser.
ANY_BROWSER_LIMIT = "In the browser it may use at most 4 GB"
TOO_BIG_HINT = (
    "That array is larger than NumPy in the browser can make: one array may take at most 2 GB "
    "(and all of Python 4 GB), however much memory this computer has. Each float64 number takes "
    "8 bytes, so 10 000 × 10 000 numbers already need 800 MB. Make the array smaller."
)
#: The hint under a matrix product of mismatched shapes, with NumPy's own message.
SHAPE_HINT = (
    "In a matrix product A @ B (or np.dot(A, B)), the columns of A meet the rows of B: "
    "(n, k) @ (k, m) gives (n, m). Print the .shape of both, and transpose one (.T) or swap "
    "them if needed. NumPy's own words: {numpy}"
)

#: NumPy's messages for a matrix product whose inner sizes differ.
_DOT_SHAPES = re.compile(r"shapes \(([\d, ]*)\) and \(([\d, ]*)\) not aligned")
_MATMUL_MISMATCH = re.compile(r"matmul: Input operand \d has a mismatch in its core dimension")
_MATMUL_SIZES = re.compile(r"Input operand 1 has a mismatch in its core dimension 0.*"
                           r"\(size (\d+) is different from (\d+)\)")


def explain(exc, filename, hidden_files=()):
    """What a cell's page shows for ``exc``, raised by the cell ``filename`` ("<cell 3>"): a dict
    with "ename", "evalue", "traceback" (without the frames of ``hidden_files``), "line" (the
    failing line of that cell, or None) and, when there is advice for a learner, "hint"."""
    ending = {
        "ename": type(exc).__name__,
        "evalue": str(exc),
        "traceback": format_exception(exc, hidden_files),
        "line": failing_line(exc, filename),
    }
    if advice := hint(exc):
        ending["hint"] = advice
    if explained := shape_message(exc, filename):
        numpy_words = ending["evalue"]
        ending["evalue"] = explained
        ending["traceback"] = _replace_last_line(
            ending["traceback"], f"{type(exc).__name__}: {explained}"
        )
        ending["hint"] = SHAPE_HINT.format(numpy=numpy_words)
    return ending


def hint(exc):
    """Advice for a learner about ``exc``, or None when its own message says enough."""
    if isinstance(exc, MemoryError):  # NumPy's _ArrayMemoryError too
        return MEMORY_HINT.format(limit=memory_limit())
    if isinstance(exc, ValueError) and str(exc).startswith("array is too big"):
        return TOO_BIG_HINT  # NumPy: more bytes than a 32-bit size can count
    return None


def memory_limit():
    """Words for the most memory this browser lets Python use: 4 GB at most, which WebAssembly
    allows, but some browsers give less (phones, or a browser told so). Found by asking the
    browser for fresh WebAssembly memories of growing sizes (reserved, never filled)."""
    try:
        from js import Object, WebAssembly  # only in the browser
        from pyodide.ffi import to_js
    except ImportError:
        return ANY_BROWSER_LIMIT
    descriptor = to_js({"initial": 0, "maximum": 65536}, dict_converter=Object.fromEntries)
    low, high = 0, 65536  # pages of 64 KiB, up to 4 GB
    while low < high:
        pages = (low + high + 1) // 2
        try:
            WebAssembly.Memory.new(descriptor).grow(pages)
            low = pages
        except Exception:  # a RangeError of the browser: more than it gives
            high = pages - 1
    return f"This browser lets it use at most {low * 65536 / 2**30:.1f} GB"


def shape_message(exc, filename):
    """For a matrix product of mismatched shapes in the cells, the mismatch in the course's
    notation, naming the operands as the failing line writes them: "W is (3, 4) and X is (3, 4):
    its 4 columns need 4 rows in X, but X has 3". None for any other error."""
    if not isinstance(exc, ValueError):
        return None
    text = str(exc)
    dot = _DOT_SHAPES.search(text)
    if not dot and not _MATMUL_MISMATCH.search(text):
        return None
    frame, lineno, where = None, None, filename
    for f, n in traceback.walk_tb(exc.__traceback__):  # the last line of a cell: maybe another's
        if f.f_code.co_filename.startswith("<cell "):
            frame, lineno, where = f, n, f.f_code.co_filename
    products = _products_on_line(where, lineno) if frame is not None else []
    for left, right in products:
        shapes = [_shape_of(expr, frame) for expr in (left, right)]
        if None not in shapes and _mismatched(*shapes):
            return _mismatch_text(ast.unparse(left), shapes[0], ast.unparse(right), shapes[1])
    if dot:
        shapes = [tuple(int(v) for v in group.replace(" ", "").split(",") if v)
                  for group in dot.groups()]
        return _mismatch_text("the left matrix", shapes[0], "the right one", shapes[1])
    sizes = _MATMUL_SIZES.search(text)
    if sizes:
        rows, k = int(sizes[1]), int(sizes[2])
        return (f"the left matrix has {k} columns, which need {k} rows in the right one, "
                f"but it has {rows}")
    return None


def _products_on_line(filename, lineno):
    """(left, right) expressions of each matrix product written on line ``lineno`` of the cell:
    ``A @ B``, ``np.dot(A, B)``, ``np.matmul(A, B)``, ``A.dot(B)``."""
    source = "".join(linecache.getlines(filename))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) is None or not (
            node.lineno <= lineno <= (node.end_lineno or node.lineno)
        ):
            continue
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            found.append((node.left, node.right))
        elif isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if name in ("dot", "matmul") and len(node.args) == 2 and not node.keywords:
                found.append(tuple(node.args))
            elif (name == "dot" and isinstance(node.func, ast.Attribute)
                  and len(node.args) == 1):
                found.append((node.func.value, node.args[0]))
    return found


def _shape_of(expr, frame):
    """The shape of ``expr`` evaluated in the failing frame, if it can be read without running
    anything that could have effects: names, attributes (.T), constant subscripts."""
    def pure(node):
        if isinstance(node, ast.Name):
            return True
        if isinstance(node, ast.Attribute):
            return pure(node.value)
        if isinstance(node, ast.Subscript):
            return pure(node.value) and all(
                isinstance(n, (ast.Constant, ast.Slice, ast.Tuple, ast.UnaryOp, ast.expr_context))
                or n is None
                for n in ast.walk(node.slice)
            )
        return False

    if not pure(expr):
        return None
    try:
        value = eval(compile(ast.Expression(expr), "<shape>", "eval"), frame.f_globals,
                     dict(frame.f_locals))
        shape = tuple(int(n) for n in value.shape)
    except Exception:
        return None
    return shape if len(shape) in (1, 2) else None


def _mismatched(left, right):
    return left[-1] != right[0] if len(right) == 2 else left[-1] != right[-1]


def _shape_text(shape):
    return f"({shape[0]},)" if len(shape) == 1 else f"({shape[0]}, {shape[1]})"


def _mismatch_text(left_name, left, right_name, right):
    k, rows = left[-1], right[0]
    columns = "column" if k == 1 else "columns"
    need = "row" if k == 1 else "rows"
    text = (
        f"{left_name} is {_shape_text(left)} and {right_name} is {_shape_text(right)}: "
        f"its {k} {columns} need {k} {need} in {right_name}, but {right_name} has {rows}"
    )
    if 1 in (len(left), len(right)):
        text += " (a rank-1 array (n,) counts as a row on the left and as a column on the right)"
    return text


def _replace_last_line(report, line):
    lines = report.rstrip("\n").split("\n")
    return "\n".join([*lines[:-1], line]) + "\n"


def failing_line(exc, filename):
    """The line of ``filename`` (this run's cell) where ``exc`` happened, or None."""
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        return exc.lineno
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


def format_exception(exc, hidden_files=()):
    """Python's traceback text for ``exc``, without the frames of the files ``hidden_files``
    (the code that ran the cell), and only the cells' frames when there are any."""
    report = traceback.TracebackException.from_exception(exc)
    _trim(report, set(), frozenset(hidden_files))
    return "".join(report.format())


def _trim(report, seen, hidden):
    if id(report) in seen:
        return
    seen.add(id(report))
    frames = [f for f in report.stack if f.filename not in hidden]
    if report.exc_type is not None and issubclass(report.exc_type, SyntaxError):
        if (report.filename or "").startswith("<cell "):
            frames = []  # the code did not compile: the report itself shows the cell's line
    in_cells = [f for f in frames if f.filename.startswith("<cell ")]
    if in_cells:
        kept = in_cells
        if frames and frames[-1] is not in_cells[-1]:
            kept = [*in_cells, _shorten(frames[-1])]  # where, inside a library, it was raised
    else:
        kept = [_shorten(f) for f in frames]
    report.stack = traceback.StackSummary.from_list(kept)
    for nested in (report.__cause__, report.__context__, *(report.exceptions or ())):
        if nested is not None:
            _trim(nested, seen, hidden)


def _shorten(frame):
    """/lib/python3.12/site-packages/nndl/deep.py → nndl/deep.py (the line is kept)."""
    marker = "site-packages/"
    if marker in frame.filename:
        frame.line  # noqa: B018 - read the source line before the file name changes
        frame.filename = frame.filename.split(marker, 1)[1]
    return frame
