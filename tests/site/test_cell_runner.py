"""The cells' Python side (py_src/nndl_site/cell_runner.py) on CPython, without a browser.

The worker bundles this very file and runs it in Pyodide; here it runs with a fake ``emit`` that
records the messages it would post to the page. Some tests run a cell in a thread of its own
(see in_own_loop), which Pyodide has not: this module runs on CPython only (tests/site/).
"""

import asyncio
import concurrent.futures
import importlib
import json
import sys
import time
import warnings

import pytest
from nndl import display as nndl_display
from nndl import tracebacks

from nndl_site import cell_runner


@pytest.fixture
def runner():
    """The runner afresh (reloaded: no namespace, stream or setting left by an earlier test), set
    up with a recording emit; Python's globals restored after."""
    saved = sys.stdout, sys.stderr, time.sleep, nndl_display.set_publisher(None), warnings.showwarning
    module = importlib.reload(cell_runner)
    module.messages = []
    module.setup(lambda kind, text: module.messages.append((kind, json.loads(text))))
    module.streams = sys.stdout, sys.stderr
    try:
        yield module
    finally:
        sys.stdout, sys.stderr, time.sleep = saved[:3]
        nndl_display.set_publisher(saved[3])
        warnings.showwarning = saved[4]


def run(runner, code, cell=1, ns="page#1", run_id=1):
    """Run like the worker does, with the runner's streams as sys.stdout/stderr (pytest's output
    capture puts its own back between a fixture and the test)."""
    captured = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = runner.streams
    try:
        return json.loads(in_own_loop(runner.run(run_id, ns, cell, code)))
    finally:
        sys.stdout, sys.stderr = captured


def in_own_loop(coroutine):
    """asyncio.run in a thread of its own: the browser tests of the session (Playwright's sync
    API) leave an event loop in the main thread, where asyncio.run refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_last_expression_is_the_result_and_statements_run_first(runner):
    ending = run(runner, "x = 6 * 7\nprint('x is', x)\nx")
    assert ending == {"type": "result", "bundle": {"text/plain": "42"}}
    assert runner.messages == [("stdout", {"id": 1, "text": "x is 42\n"})]
    assert run(runner, "y = x + 1") == {"type": "result", "bundle": None}
    assert run(runner, "_ + y")["bundle"] == {"text/plain": "85"}  # `_` is the last value


def test_namespaces_are_per_page_visit_and_can_be_forgotten(runner):
    run(runner, "a = 1", ns="home#1")
    assert run(runner, "'a' in globals()", ns="demo#2")["bundle"]["text/plain"] == "False"
    assert run(runner, "a", ns="home#1")["bundle"]["text/plain"] == "1"
    runner.forget("home#1")
    assert run(runner, "'a' in globals()", ns="home#1")["bundle"]["text/plain"] == "False"


def test_output_is_streamed_line_by_line_and_partial_lines_on_flush(runner):
    run(runner, "import sys\nprint('a', end='')\nprint('b')\nsys.stderr.write('oops\\n')\nprint('c', end='')")
    assert runner.messages == [
        ("stdout", {"id": 1, "text": "ab\n"}),
        ("stderr", {"id": 1, "text": "oops\n"}),
        ("stdout", {"id": 1, "text": "c"}),  # flushed when the run ends
    ]


def test_sleep_shows_what_was_printed_before_sleeping(runner):
    run(runner, "import time\nprint('before', end='')\ntime.sleep(0.05)\nprint(' after')")
    assert runner.messages == [
        ("stdout", {"id": 1, "text": "before"}),
        ("stdout", {"id": 1, "text": " after\n"}),
    ]


def test_a_flood_of_lines_is_sent_in_few_messages_and_nothing_is_lost(runner):
    run(runner, "for i in range(20000):\n    print(i)")
    texts = [payload["text"] for kind, payload in runner.messages]
    assert "".join(texts) == "".join(f"{i}\n" for i in range(20000))
    assert len(texts) <= runner._Sends.BURST + 50  # not 20000 messages


def test_output_beyond_a_million_characters_keeps_the_end(runner):
    runner._sends.tokens = 0  # the page is busy: nothing may be sent until the run ends
    runner._sends.last = float("inf")
    run(runner, "import sys\nsys.stdout.write('y' * 1_500_000 + 'end')")
    [(kind, payload)] = runner.messages
    assert payload["text"].startswith(
        "[… 0 lines (1,300,003 characters) of output dropped here: they came faster than the page "
        "could take them]\n")
    assert payload["text"].endswith("yend") and len(payload["text"]) < 250_000


def test_dropped_output_is_counted_in_whole_lines(runner):
    runner._sends.tokens = 0
    runner._sends.last = float("inf")
    run(runner, "for i in range(300_000):\n    print(f'{i:06}')")  # 2.1 million characters
    [(kind, payload)] = runner.messages
    note, first, *rest = payload["text"].split("\n")
    dropped = int(first)  # the kept text starts with a whole line
    assert note == (f"[… {dropped:,} lines ({dropped * 7:,} characters) of output dropped here: "
                    "they came faster than the page could take them]")
    assert rest[-2:] == ["299999", ""]


def test_display_sends_rich_objects_in_order_with_the_output(runner):
    code = (
        "import numpy as np\nfrom nndl.display import image, line_plot\nprint('first')\n"
        "display(image(np.zeros((2, 2))))\nline_plot([3, 2, 1])"
    )
    ending = run(runner, code)
    assert [kind for kind, _ in runner.messages] == ["stdout", "display"]
    assert set(runner.messages[1][1]["bundle"]) == {"image/png", "text/plain"}
    assert ending["bundle"]["image/svg+xml"].startswith("<svg")


def test_errors_are_trimmed_to_the_cells_and_name_the_failing_line(runner):
    run(runner, "def inverse(n):\n    return 1 / n\n", cell=1)
    ending = run(runner, "y = 2\ninverse(0)", cell=3)
    assert ending["type"] == "error" and ending["ename"] == "ZeroDivisionError"
    assert ending["line"] == 2
    assert ending["traceback"].splitlines() == [
        "Traceback (most recent call last):",
        '  File "<cell 3>", line 2, in <module>',
        "    inverse(0)",
        '  File "<cell 1>", line 2, in inverse',
        "    return 1 / n",
        "           ~~^~~",
        "ZeroDivisionError: division by zero",
    ]
    assert "cell_runner" not in ending["traceback"]


def test_an_error_raised_inside_a_library_shows_where(runner):
    ending = run(runner, "from nndl.display import image\nimage([[300]])", cell=2)
    lines = ending["traceback"].splitlines()
    assert lines[1] == '  File "<cell 2>", line 2, in <module>'
    assert lines[3].startswith('  File "') and "nndl/display.py" in lines[3]
    assert "site-packages" not in ending["traceback"]
    assert lines[-1] == "ValueError: image: integer pixels must be in 0…255, got values from 300 to 300"
    assert ending["line"] == 2


def test_syntax_errors_point_into_the_cell(runner):
    ending = run(runner, "x = 1\nprint(x", cell=4)
    assert ending["type"] == "error" and ending["ename"] == "SyntaxError" and ending["line"] == 2
    assert ending["traceback"].startswith('  File "<cell 4>", line 2')
    assert "Traceback" not in ending["traceback"]


def test_chained_exceptions_are_trimmed_too(runner):
    ending = run(runner, "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    raise ValueError('no') from e")
    text = ending["traceback"]
    assert "The above exception was the direct cause" in text
    assert text.count('File "<cell 1>"') == 2 and "cell_runner" not in text


def test_keyboard_interrupt_exit_and_input_do_not_end_python(runner):
    assert run(runner, "n = 1\nraise KeyboardInterrupt") == {"type": "interrupted", "line": 2}
    ending = run(runner, "exit(3)")
    assert ending["ename"] == "SystemExit"
    ending = run(runner, "input('name? ')")
    assert ending["ename"] == "RuntimeError" and "input() cannot ask you anything" in ending["evalue"]
    assert run(runner, "n")["bundle"]["text/plain"] == "1"


def test_top_level_await_works(runner):
    ending = run(runner, "import asyncio\nawait asyncio.sleep(0)\nvalue = await asyncio.sleep(0, 'done')\nvalue")
    assert ending["bundle"]["text/plain"] == "'done'"


def test_a_broken_repr_is_reported_as_an_error_of_the_cell(runner):
    code = "class Odd:\n    def __repr__(self):\n        raise RuntimeError('no repr')\nOdd()"
    ending = run(runner, code)
    assert ending["type"] == "error" and ending["evalue"] == "no repr"
    assert 'File "<cell 1>", line 3, in __repr__' in ending["traceback"]


def test_writing_bytes_to_stdout_is_refused_clearly(runner):
    ending = run(runner, "import sys\nsys.stdout.write(b'x')")
    assert ending["evalue"] == "write() argument must be str, not bytes"


def test_stop_interrupts_a_sleep_at_once(runner):
    buffer = [0]
    runner._interrupt = buffer
    t0 = time.monotonic()

    def press_stop_soon(kind, text):
        buffer[0] = 2  # what the page's Stop writes into the shared buffer

    runner._emit = press_stop_soon
    ending = run(runner, "import time\nprint('sleeping')\ntime.sleep(30)")
    assert ending == {"type": "interrupted", "line": 3}
    assert time.monotonic() - t0 < 1.0 and buffer == [0]


def test_the_first_cell_that_trains_a_model_is_what_loads_the_browsers_blas(runner):
    trains = ["import nndl.deep", "from nndl import logistic", "from nndl.deep import train",
              "import nndl.shallow as s", "from nndl.dashboard import *", "x = 1\nfrom nndl import *"]
    for code in trains:
        assert runner._imports_training(runner._imported_names(code)), code
    quiet = ["import numpy as np", "from nndl import graph", "from nndl.explorables import render",
             "import nndl", "print('import nndl.deep')", "def f(:"]
    for code in quiet:
        assert not runner._imports_training(runner._imported_names(code)), code
    assert not runner._needs_blas(["nndl.deep"])  # only in Pyodide (sys.platform emscripten)


def test_running_out_of_memory_comes_with_a_hint_for_learners(runner):
    ending = run(runner, "raise MemoryError()")
    # Outside the browser there is no browser's ceiling to name: what WebAssembly allows any.
    assert ending["ename"] == "MemoryError"
    assert ending["hint"] == tracebacks.MEMORY_HINT.format(limit=tracebacks.ANY_BROWSER_LIMIT)
    assert "at most 4 GB" in ending["hint"] and "del x" in ending["hint"]
    # NumPy on 32-bit WebAssembly: more bytes than the address space has.
    ending = run(runner, "raise ValueError('array is too big; `arr.size * arr.dtype.itemsize` is larger')")
    assert ending["hint"] == tracebacks.TOO_BIG_HINT
    assert "hint" not in run(runner, "raise ValueError('shapes do not match')")


@pytest.mark.filterwarnings("default")  # as in the browser, not the test suite's "error"
def test_warnings_show_kind_and_message_and_again_in_every_run(runner):
    code = (
        "import warnings\nfrom nndl.training import gradient_descent\n"
        "h = gradient_descent(lambda i: 10.0 ** i, 5, learning_rate=10)\n"
        "warnings.warn_explicit('inside a library', UserWarning,\n"
        "                       '/lib/python3.12/site-packages/nndl/deep.py', 12)"
    )
    for _ in range(2):
        runner.messages.clear()
        run(runner, code, cell=3)
        stderr = "".join(payload["text"] for kind, payload in runner.messages if kind == "stderr")
        first, second = stderr.splitlines()
        assert first.startswith("Cell 3, line 3: TrainingDivergedWarning: Training diverged at iteration 2")
        assert "Try a smaller learning rate, for example α = 1." in first
        assert second == "UserWarning: inside a library"  # not the library's file the reader did not write


# ---- A matrix product whose shapes do not match, in the course's notation ----


@pytest.mark.parametrize(
    "product",
    ["Z = W @ X", "Z = np.dot(W, X)", "Z = np.matmul(W, X)", "Z = W.dot(X)", "Z = W @ X + b"],
)
def test_a_mismatched_product_is_explained_with_the_cells_own_names(runner, product):
    run(runner, "import numpy as np\nW = np.ones((3, 4))\nX = np.ones((3, 4))\nb = 0", cell=1)
    ending = run(runner, f"m = 4\n{product}", cell=2)
    expected = "W is (3, 4) and X is (3, 4): its 4 columns need 4 rows in X, but X has 3"
    assert ending["ename"] == "ValueError" and ending["line"] == 2
    assert ending["evalue"] == expected
    assert ending["traceback"].splitlines()[-1] == f"ValueError: {expected}"
    assert "gufunc" not in ending["traceback"] and "not aligned" not in ending["traceback"]
    # NumPy's own words are kept in the hint, after the rule in the course's terms.
    assert ending["hint"].startswith("In a matrix product A @ B (or np.dot(A, B))")
    assert "(n, k) @ (k, m) gives (n, m)" in ending["hint"]
    assert ("gufunc" in ending["hint"]) or ("not aligned" in ending["hint"])


def test_the_names_come_from_the_failing_line_even_inside_a_function(runner):
    run(runner, "import numpy as np\ndef layer(W, A_prev):\n    return W @ A_prev\n", cell=1)
    ending = run(runner, "params = {'W1': np.ones((5, 2))}\nlayer(params['W1'], np.ones((3, 7)))",
                 cell=2)
    assert ending["evalue"] == (
        "W is (5, 2) and A_prev is (3, 7): its 2 columns need 2 rows in A_prev, but A_prev has 3"
    )
    ending = run(runner, "params['W1'] @ np.ones((3, 7)).T", cell=3)
    assert ending["evalue"] == (  # the right factor is a call: not re-run, NumPy's sizes are used
        "the left matrix has 2 columns, which need 2 rows in the right one, but it has 7"
    )


def test_a_rank_1_operand_is_named_as_such(runner):
    ending = run(runner, "import numpy as np\nW = np.ones((3, 4))\nv = np.ones(3)\nW @ v", cell=1)
    assert ending["evalue"].startswith("W is (3, 4) and v is (3,): its 4 columns need 4 rows in v")
    assert "rank-1 array" in ending["evalue"]


def test_other_errors_keep_numpys_message(runner):
    ending = run(runner, "import numpy as np\nnp.ones((3, 4)) + np.ones((2, 1))", cell=1)
    assert ending["evalue"].startswith("operands could not be broadcast together")
    assert "hint" not in ending
    ending = run(runner, "raise ValueError('shapes (3,4) and (3,4) not aligned, says a test')", cell=2)
    assert ending["evalue"] == (
        "the left matrix is (3, 4) and the right one is (3, 4): its 4 columns need 4 rows in the "
        "right one, but the right one has 3"
    )


# ---- Calls: the widgets' targets, by name, with JSON arguments ------------------------------------


def call(runner, target, args, call_id=7):
    """Call like the worker does: the arguments as JSON text, the ending back as JSON text."""
    captured = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = runner.streams
    try:
        return json.loads(in_own_loop(runner.call(call_id, target, json.dumps(args))))
    finally:
        sys.stdout, sys.stderr = captured


def test_a_call_of_an_explorable_answers_its_view_as_data(runner):
    from nndl.explorables import render

    ending = call(runner, "explorables.render", {"name": "computation-graph", "values": {"a": 2}})
    view = render("computation-graph", {"a": 2})
    assert ending["type"] == "reply" and set(ending["data"]) == {"html", "summary", "data"}
    assert ending["data"]["html"].startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert ending["data"]["summary"] == view.summary
    assert ending["data"]["data"] == json.loads(view.json())
    assert ending["data"]["data"]["values"]["J"] == 24  # 3(a + bc) with b = 3, c = 2
    refused = call(runner, "explorables.render", {"name": "computation-graph", "values": {"a": "x"}})
    assert refused == {"type": "reply", "error": {"message": "a must be a number, not 'x'."}}
    assert runner.messages == []  # nothing printed, nothing displayed


def test_a_call_of_the_dashboard_carries_its_session_and_the_engines_refusals(runner):
    from nndl import dashboard

    board = dashboard.session()
    state = call(runner, "dashboard.state", {})["data"]
    assert state["session"] == board.id and set(state["models"]) == set(dashboard.MODELS)
    assert state["runs"] == [run.summary() for run in board.runs]
    assert call(runner, "dashboard.advance", {"seconds": 0}) == {"type": "reply", "error": {
        "message": "A time slice lasts more than 0 seconds, got 0."}}
    runs = len(board.runs)
    wrong = call(runner, "dashboard.start", {"model": "deep", "speed": 2})["error"]["message"]
    assert wrong == ("Wrong arguments for dashboard.start: got an unexpected keyword argument "
                     "'speed'.")
    assert len(board.runs) == runs


def test_a_call_the_page_got_wrong_says_so(runner):
    def error(target, args):
        ending = call(runner, target, args)
        assert set(ending) == {"type", "error"}, ending
        return ending["error"]["message"]

    assert error("dance", {}).startswith("Unknown target 'dance'; the targets are dashboard.state,")
    assert error("dashboard.state", [1]) == "The arguments of dashboard.state are a JSON object, not [1]."
    assert error("explorables.render", {"nom": "x"}) == (
        "Wrong arguments for explorables.render: missing a required argument: 'name'.")


def test_a_target_that_fails_or_prints_is_reported_by_its_call(runner):
    def broken(**args):
        print("computing")
        raise ZeroDivisionError("division by zero")

    runner.TARGETS["test.broken"] = broken
    runner.TARGETS["test.nan"] = lambda: {"cost": float("nan")}
    assert call(runner, "test.broken", {}, call_id=9) == {
        "type": "reply", "error": {"message": "ZeroDivisionError: division by zero"}}
    assert runner.messages == [("stdout", {"id": 9, "text": "computing\n"})]
    assert call(runner, "test.nan", {})["error"]["message"].startswith(
        "TypeError: test.nan returned data that is not JSON")
