"""Runs the cells of the course's pages, inside Pyodide in the page's Web Worker.

The worker (worker.js) writes this file into Pyodide's file system as the module ``_nndl_cells``,
calls :func:`setup` once with a function that posts messages to the page, then :func:`run` for
every cell and :func:`call` for every call of a widget (the engine's functions in :data:`TARGETS`,
by name, with JSON arguments: no Python source is built for them). Cells run like a notebook's:

- the cells of one page visit share one namespace (``ns``); every page visit gets its own;
- the code runs as written, except that a last line which is an expression is evaluated and its
  value shown, through the display protocol of :mod:`nndl.display` (PNG, SVG, HTML, repr);
- ``print`` streams to the page line by line while the cell runs (``stdout`` / ``stderr``);
- ``display(obj)`` (also ``nndl.display.display``) shows a rich object at once;
- an exception comes back as :mod:`nndl.tracebacks` explains it: Python's traceback trimmed to
  the cells' own frames, the failing line's number, and a hint where the message alone does not
  tell a learner what to do (a matrix product of mismatched shapes, running out of memory);
- a warning (nndl's TrainingDivergedWarning…) is printed to stderr as its kind and message, and
  again in every run that triggers it, not only the first time;
- top-level ``await`` works.

Nothing here imports ``js``: the page is reached only through the ``emit`` function given to
:func:`setup`, so this module also runs, and is tested, on plain CPython.
"""

import ast
import builtins
import inspect
import io
import json
import linecache
import sys
import time
import warnings

from nndl import display as _display
from nndl import matmul as _matmul
from nndl import tracebacks as _tracebacks

try:  # the rest of the standard library, fetched when first imported: in the browser only
    import _nndl_stdlib as _stdlib  # py_src/nndl_site/lazy_stdlib.py, written beside this file
except ImportError:
    _stdlib = None

_emit = None  # emit(type, json_text): posts one message of the protocol to the page
_interrupt = None  # the page's interrupt buffer (Uint8Array, 2 = Stop), when it has one
_namespaces = {}  # ns → the dict the cells of that page visit run in
_sources = {}  # ns → {"<cell N>": code}, so tracebacks quote the right page's lines
_run_id = None  # the run whose output is being produced
_last_run_id = None  # where late output (after its run ended) goes
_real_sleep = time.sleep

#: Modules of nndl that train models, whose time goes into large matrix products. Before the
#: first cell that imports one, the browser's OpenBLAS is loaded (see nndl.matmul), unless the
#: worker installed the SIMD kernel, which computes the course's (float64) products faster: its
#: few megabytes are then fetched only if the kernel could not be used.
_TRAINING_MODULES = frozenset({"nndl.deep", "nndl.logistic", "nndl.shallow", "nndl.dashboard"})
_blas_requested = False
_MAX_CHUNK = 8192  # a stream sends at least every this many characters, newline or not
_MAX_PENDING = 1_000_000  # characters kept while waiting to send; older ones are dropped
_KEEP_PENDING = 200_000


class _Sends:
    """A token bucket shared by the streams: bursts of up to BURST messages go out at once, a
    flood (a loop printing as fast as it can) at RATE messages a second, each carrying all the
    text written meanwhile, so the page is never swamped with messages."""

    BURST = 50
    RATE = 50.0

    def __init__(self):
        self.tokens = self.BURST
        self.last = time.monotonic()

    def take(self):
        now = time.monotonic()
        self.tokens = min(self.BURST, self.tokens + (now - self.last) * self.RATE)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


_sends = _Sends()


class _Stream(io.TextIOBase):
    """sys.stdout / sys.stderr: line-buffered; each complete line is posted to the page at once,
    unless lines come faster than the page should be sent messages (see _Sends)."""

    def __init__(self, name):
        self.name = name
        self._pending = []
        self._size = 0
        self._dropped_lines = 0  # what _drop_oldest dropped since the last send
        self._dropped_chars = 0

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text:
            self._pending.append(text)
            self._size += len(text)
            if self._size > _MAX_PENDING:
                self._drop_oldest()
            if ("\n" in text or self._size >= _MAX_CHUNK) and _sends.take():
                self.send()
        return len(text)

    def _drop_oldest(self):
        """Keep the last _KEEP_PENDING characters of what waits to be sent, and say how much went."""
        text = "".join(self._pending)
        cut = text.find("\n", len(text) - _KEEP_PENDING)  # start the kept text at a line
        cut = len(text) - _KEEP_PENDING if cut < 0 else cut + 1
        self._dropped_lines += text.count("\n", 0, cut)
        self._dropped_chars += cut
        self._pending, self._size = [text[cut:]], len(text) - cut

    def flush(self):
        if self._pending and _sends.take():
            self.send()

    def send(self):
        """Post what is pending now, whatever the rate."""
        if self._pending:
            text = "".join(self._pending)
            if self._dropped_chars:
                text = (f"[… {self._dropped_lines:,} lines ({self._dropped_chars:,} characters) of "
                        f"output dropped here: they came faster than the page could take them]\n"
                        + text)
            self._pending, self._size = [], 0
            self._dropped_lines = self._dropped_chars = 0
            run_id = _run_id if _run_id is not None else _last_run_id
            if _emit is not None and run_id is not None:
                _emit(self.name, json.dumps({"id": run_id, "text": text}))


def _flush_streams():
    """Post everything printed so far (before a pause, a picture, the end of a run)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            (stream.send if isinstance(stream, _Stream) else stream.flush)()
        except Exception:  # a stream the reader replaced and broke must not break the page
            pass


def _sleep(seconds):
    """time.sleep that first shows what was printed (for pauses long enough to notice), and
    sleeps in short steps so that Stop (the interrupt buffer) takes effect within 0.05 s."""
    if seconds >= 0.02:
        _flush_streams()
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if _interrupt is not None and _interrupt[0] == 2:
            _interrupt[0] = 0  # Python's own check runs only every so many steps of this loop
            raise KeyboardInterrupt
        _real_sleep(min(left, 0.05))


def _publish(obj):
    """Where nndl.display.display() sends objects: to the page, as a MIME bundle."""
    _flush_streams()
    bundle = _display.mime_bundle(obj)
    run_id = _run_id if _run_id is not None else _last_run_id
    if _emit is not None and run_id is not None:
        _emit("display", json.dumps({"id": run_id, "bundle": bundle}))


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """warnings.showwarning for the cells: the warning's kind and message, and when a cell's own
    code raised it, the cell's line; not the file and line inside a library (where nndl reports
    that training diverged), which the reader did not write."""
    text = f"{category.__name__}: {message}\n"
    if filename.startswith("<cell "):
        text = f"{filename[1:-1].capitalize()}, line {lineno}: {text}"
    try:
        (sys.stderr if file is None else file).write(text)
    except (OSError, ValueError):  # a stream the reader closed or replaced
        pass


def _forget_shown_warnings(namespace):
    """Python shows a warning once per place in the code and then stays silent; a learner who
    runs a cell again (the same too-large learning rate) must see it again, so every run starts
    with the record of warnings already shown cleared."""
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    namespace.pop("__warningregistry__", None)


def _no_input(prompt=""):
    raise RuntimeError(
        "input() cannot ask you anything here: the cells run without a keyboard prompt. "
        "Assign the value in the code instead, e.g. name = 'Ada'."
    )


def setup(emit, interrupt=None):
    """Install the streams, the publisher and the sleep; ``emit(type, json_text)`` posts;
    ``interrupt``: the interrupt buffer Pyodide watches, if the page has one."""
    global _emit, _interrupt
    _emit = emit
    _interrupt = interrupt
    sys.stdout = _Stream("stdout")
    sys.stderr = _Stream("stderr")
    _display.set_publisher(_publish)
    time.sleep = _sleep
    warnings.showwarning = _show_warning


def new_namespace():
    return {
        "__name__": "__main__",
        "__builtins__": builtins,
        "display": _display.display,
        "input": _no_input,
    }


def forget(ns):
    """Drop a page visit's namespace (its page was left)."""
    _namespaces.pop(ns, None)
    _sources.pop(ns, None)


def namespace(ns):
    """The dict the cells of page visit ``ns`` run in (the lesson tests read the results in it)."""
    return _namespaces.setdefault(ns, new_namespace())


def _dashboard(method):
    """The target that calls ``method`` of the dashboard of this Python process. Its data carries
    "session", the dashboard's id: a restarted Python has a new one, which tells the page that
    its runs are gone."""

    def target(**args):
        from nndl.dashboard import session

        board = session()
        out = _checked_call(f"dashboard.{method}", getattr(board, method), args)
        if method == "start":  # the new run
            out = {"run": out.summary()}
        return {**out, "session": board.id}

    return target


def _render_explorable(name, values=None):
    """An explorable's view for the form's values: its drawing, summary and data."""
    from nndl.explorables import render

    view = render(name, values)
    return {"html": view.html, "summary": view.summary, "data": json.loads(view.json())}


#: The engine's functions a page may call: name → callable taking keyword arguments and
#: returning JSON-able data. A ValueError it raises is an answer for the reader.
TARGETS = {
    **{f"dashboard.{method}": _dashboard(method) for method in (
        "state", "start", "advance", "stop", "clear", "test_images", "classify", "load_h5",
        "sample")},
    "explorables.render": _render_explorable,
}


def invoke(target, args):
    """``TARGETS[target](**args)``, with the page's mistakes (an unknown target, arguments the
    function does not take) as ValueErrors that say so."""
    function = TARGETS.get(target)
    if function is None:
        raise ValueError(f"Unknown target {target!r}; the targets are {', '.join(TARGETS)}.")
    if not isinstance(args, dict):
        raise ValueError(f"The arguments of {target} are a JSON object, not {args!r}.")
    return _checked_call(target, function, args)


def _checked_call(name, function, args):
    try:
        inspect.signature(function).bind(**args)
    except TypeError as error:
        raise ValueError(f"Wrong arguments for {name}: {error}.") from None
    return function(**args)


async def call(call_id, target, args):
    """Call ``target`` with ``args`` (JSON text of an object); returns the call's ending as JSON
    text: {"type": "reply", "data": …}, {"type": "reply", "error": {"message": …}} or
    {"type": "interrupted", "line": null}. What it prints goes out as the call's output."""
    global _run_id, _last_run_id
    _run_id = _last_run_id = call_id
    try:
        if target.startswith("dashboard.") and _blas_missing():
            await _load_blas()
        data = invoke(target, json.loads(args))
        try:
            return json.dumps({"type": "reply", "data": data}, allow_nan=False)
        except (TypeError, ValueError) as error:
            message = f"TypeError: {target} returned data that is not JSON ({error})"
    except KeyboardInterrupt:
        return json.dumps({"type": "interrupted", "line": None})
    except ValueError as error:  # the engine's own checks: words for the reader
        message = str(error)
    except Exception as error:
        message = f"{type(error).__name__}: {error}"
    finally:
        _flush_streams()
        _run_id = None
    return json.dumps({"type": "reply", "error": {"message": message}})


def _install_sources(ns):
    for name in [name for name in linecache.cache if name.startswith("<cell ")]:
        del linecache.cache[name]
    for name, code in _sources.get(ns, {}).items():
        linecache.cache[name] = (len(code), None, code.splitlines(True), name)


async def run(run_id, ns, cell, code):
    """Run one cell's ``code`` in namespace ``ns``; returns the run's ending as JSON text:
    {"type": "result", "bundle": {…} | null}, {"type": "error", "ename", "evalue", "traceback",
    "line"} or {"type": "interrupted", "line"}. Output goes out through emit while it runs."""
    global _run_id, _last_run_id
    _run_id = _last_run_id = run_id
    namespace = _namespaces.setdefault(ns, new_namespace())
    filename = f"<cell {cell}>"
    _sources.setdefault(ns, {})[filename] = code
    _install_sources(ns)
    _forget_shown_warnings(namespace)
    imported = _imported_names(code)
    if _needs_blas(imported):
        await _load_blas()
    if _stdlib is not None and _stdlib.needed_by(imported):
        await _stdlib.load()
    try:
        value = await _execute(code, filename, namespace)
        _flush_streams()
        bundle = None
        if value is not None:
            namespace["_"] = value
            bundle = _display.mime_bundle(value)
        ending = {"type": "result", "bundle": bundle}
    except KeyboardInterrupt as exc:
        ending = {"type": "interrupted", "line": _tracebacks.failing_line(exc, filename)}
    except BaseException as exc:  # SystemExit too: a cell calling exit() must not end Python
        # the traceback without this module's frames (run, _execute): only the reader's code
        ending = {"type": "error", **_tracebacks.explain(exc, filename, [__file__])}
    finally:
        _flush_streams()
        _run_id = None
    return json.dumps(ending)


def _imported_names(code):
    """The modules the code's import statements name (absolute imports only; ``from a import b``
    names a and a.b); none if the code does not parse (the run then reports the syntax error)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _imports_training(imported):
    """True if the imported module names (_imported_names) include one of _TRAINING_MODULES (or
    all of nndl's modules)."""
    return any(name in _TRAINING_MODULES or name == "nndl.*" for name in imported)


def _needs_blas(imported):
    """True, in Pyodide without the SIMD kernel, for the first cell that trains (its imported
    module names): OpenBLAS is then loaded before it runs."""
    return _imports_training(imported) and _blas_missing()


def _blas_missing():
    """True in Pyodide without the SIMD kernel, until OpenBLAS has been asked for."""
    return not _blas_requested and sys.platform == "emscripten" and _matmul.backend() != "simd"


async def _load_blas():
    """Load Pyodide's ``openblas`` package (once); nndl.matmul finds it from then on."""
    global _blas_requested
    _blas_requested = True
    try:
        import pyodide_js

        await pyodide_js.loadPackage("openblas", messageCallback=lambda text: None,
                                     errorCallback=lambda text: None)
    except Exception:  # not shipped, or the download failed: NumPy's own product still works
        pass


async def _execute(code, filename, namespace):
    """Exec all statements; if the last one is an expression, evaluate it and return its value."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    tree = ast.parse(code, filename, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, filename, "exec", flags=flags, dont_inherit=True)
    outcome = eval(body, namespace)
    if body.co_flags & inspect.CO_COROUTINE:
        await outcome
    if last is None:
        return None
    expression = compile(last, filename, "eval", flags=flags, dont_inherit=True)
    value = eval(expression, namespace)
    if expression.co_flags & inspect.CO_COROUTINE:
        value = await value
    return value
