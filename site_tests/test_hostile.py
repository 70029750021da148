"""What a reader may do that no lesson asks for, driven in Chromium against the built site.

A flood of output, more memory than the browser gives, a crash of Python itself, errors in every
way a cell shows things, Run pressed again and again or before Python is ready, two tabs at once,
a learning rate far too large. Each gets an explanation a learner understands, and the page keeps
working with the reader's edits intact. The demo page's cells, numbered as on the page:
1 print · 2 n_x (last value) · 3 nndl sigmoid · 4 streamed loop · 5 error (manual) ·
6 pictures · 7 cost plot.
"""

import re
from pathlib import Path

from conftest import PYTHON_TIMEOUT_MS, Cells, shown_text
from playwright.sync_api import expect

SHOTS = Path("/tmp/hostile-shots")
LESSON_13 = "lessons/13-training-on-images/"
MILLION = "for i in range(1_000_000): print(i)"


def shot(page, locator, name):
    """A picture of one part of the page, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=SHOTS / f"{name}.png")


def notices(cell):
    return cell.output.locator(".nndl-notice")


# ---- A million lines ---------------------------------------------------------------------------


def test_a_million_printed_lines_are_capped_and_the_page_keeps_answering(open_page, page):
    cells = open_page("demo/")
    cells[1].set_code(MILLION)
    cells[1].run()
    expect(cells[1].output).to_contain_text("1000", timeout=PYTHON_TIMEOUT_MS)  # the flood is on
    # While it runs, the page answers: another cell's editor takes typing, its Reset button works.
    cells[2].set_code("n_x = 28 * 28")
    assert cells[2].code() == "n_x = 28 * 28"
    cells[2].button("Reset").click()
    assert cells[2].code().startswith("n_x = 64 * 64 * 3")
    assert cells[1].state() == "running"  # all that happened during the flood
    cells[1].expect_state("done", timeout=300_000)

    # The output ends with the last lines, and a note says how much of the earlier output is hidden.
    chunks = cells[1].output.locator(".nndl-stream__chunk")
    shown = "\n".join(chunks.all_text_contents()).splitlines()
    assert shown[-1] == "999999"
    assert shown == [str(i) for i in range(1_000_000 - len(shown), 1_000_000)]
    assert 5_000 < len(shown) < 100_000
    note = cells[1].output.locator(".nndl-stream__trimmed")
    text = shown_text(note.locator(".nndl-stream__trimmed-text"))
    hidden = 1_000_000 - len(shown)
    assert re.fullmatch(rf"{hidden:,} lines of earlier output \(6\.\d MB\) hidden to keep the page responsive\.", text)
    # It scrolls in a box of its own, at its last line, instead of stretching the page.
    box = cells[1].output.locator(".nndl-stream__body")
    assert box.evaluate("el => el.scrollHeight > 2 * el.clientHeight")
    assert box.evaluate("el => el.scrollTop + el.clientHeight >= el.scrollHeight - 40")
    assert cells[1].output.evaluate("el => el.getBoundingClientRect().height") < 1_000
    shot(page, cells[1].root, "million-lines")

    # "Show earlier output", from the keyboard, puts the lines just before back on the page.
    show = note.get_by_role("button", name="Show earlier output")
    show.focus()
    page.keyboard.press("Enter")
    more = "\n".join(chunks.all_text_contents()).splitlines()
    assert more[-1] == "999999" and len(more) > len(shown)
    assert more == [str(i) for i in range(1_000_000 - len(more), 1_000_000)]
    expect(note.locator(".nndl-stream__trimmed-text")).to_contain_text(
        f"{1_000_000 - len(more):,} lines of earlier output")
    assert page.evaluate("document.activeElement.textContent") == "Show earlier output"

    # "Download the full output" gives every line as a text file.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Download the full output"
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "output-of-cell-1.txt"
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines == [str(i) for i in range(1_000_000)]

    # The same Python goes on.
    assert cells[2].run_and_wait() == "12288"


# ---- Memory ------------------------------------------------------------------------------------


def test_asking_for_more_memory_than_the_browser_gives_is_explained(open_page, page):
    cells = open_page("demo/")
    # 80 GB: more bytes than a 32-bit size can count, so NumPy refuses before trying.
    cells[2].set_code("import numpy as np\nnp.zeros((100_000, 100_000))")
    output = cells[2].run_and_wait("error")
    assert output.startswith("Traceback (most recent call last):")
    assert "ValueError: array is too big" in output
    expect(notices(cells[2])).to_have_text(re.compile(
        r"^That array is larger than NumPy in the browser can make: one array may take at most "
        r"2 GB \(and all of Python 4 GB\).* Make the array smaller\.$"))
    # 1.6 GB arrays, each possible, three of them not.
    cells[3].set_code("big = [np.zeros((14_000, 14_000)) for _ in range(3)]")
    output = cells[3].run_and_wait("error")
    assert "MemoryError: Unable to allocate" in output
    expect(notices(cells[3])).to_contain_text("Python ran out of memory. This browser lets it use at most 4.0 GB")

    # Really exhausting it: 100 MB at a time, until the browser says no.
    cells[4].set_code("blocks = []\nwhile True:\n    blocks.append(bytearray(10**8))")
    cells[4].run_and_wait("error")
    traceback = shown_text(cells[4].output.locator(".nndl-traceback"))
    assert traceback.rstrip().endswith("MemoryError")
    assert 'File "<cell 4>", line 3, in <module>' in traceback
    hint = notices(cells[4])
    expect(hint).to_contain_text("free big ones you no longer need with del (for example del x)")
    expect(cells[4].root.locator(".cm-nndl-error-line")).to_have_text("    blocks.append(bytearray(10**8))")
    shot(page, cells[4].root, "out-of-memory")
    # Python goes on: what the loop got is still there, and freeing it makes room again.
    cells[1].set_code(
        "print(len(blocks) > 10)\ndel blocks\nlots = np.ones((10_000, 10_000))\nprint(lots.sum())")
    assert cells[1].run_and_wait() == "True\n100000000.0"
    assert cells[4].code() == "blocks = []\nwhile True:\n    blocks.append(bytearray(10**8))"


FATAL_LOG = ("error: Pyodide has suffered a fatal error", "error: The cause of the fatal error was",
             "error: RuntimeError: memory access out of bounds")


def test_a_crash_of_python_restarts_it_and_restores_the_cells(open_page, page, watch):
    cells = open_page("demo/")
    assert cells[2].run_and_wait() == "12288"
    crash = "import ctypes\nprint('reading memory that does not exist')\nctypes.string_at(2**32 - 16, 64)"
    cells[4].set_code(crash)
    cells[4].run()
    cells[4].expect_state("error")
    expect(cells[4].root.locator(".nndl-cell__status")).to_have_text("Python restarted")
    notice = notices(cells[4])
    expect(notice).to_have_text(
        "Python crashed (memory access out of bounds) and stopped working. Python was restarted; "
        "running cells 1, 2 and 3 again to restore their variables. Your code is unchanged.")
    assert cells[4].text().startswith("reading memory that does not exist")
    cells[1].set_code("print(n_x, sigmoid(0.0))")
    assert cells[1].run_and_wait() == "12288 0.5"
    expect(notice).to_contain_text("cells 1, 2 and 3 ran again and their variables are restored")
    shot(page, cells[4].root, "python-crashed")
    assert cells[4].code() == crash
    page.reload()  # the reader's edits were saved as they typed
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    assert Cells(page)[4].code() == crash
    # Pyodide's own report of the crash, in the worker's console, is expected here; nothing else.
    assert any(error.startswith(FATAL_LOG[0]) for error in watch.errors)
    watch.errors[:] = [error for error in watch.errors if not error.startswith(FATAL_LOG)]


# ---- Errors in every output path -----------------------------------------------------------------


def test_errors_of_every_kind_of_output_are_shown(open_page):
    cells = open_page("demo/")
    cell = cells[1]

    cell.set_code('print("unclosed)')
    output = cell.run_and_wait("error")
    assert 'File "<cell 1>", line 1' in output and "SyntaxError: unterminated string literal" in output

    # An object display() shows, whose HTML view raises: what was printed before stays.
    cell.set_code(
        "class Broken:\n"
        "    def _repr_html_(self):\n"
        "        raise RuntimeError('the HTML view failed')\n"
        "print('before')\n"
        "display(Broken())\n"
        "print('never')")
    output = cell.run_and_wait("error")
    assert output.startswith("before\n")
    assert 'File "<cell 1>", line 3, in _repr_html_' in output
    assert output.endswith("RuntimeError: the HTML view failed") and "never" not in output
    expect(cell.root.locator(".cm-nndl-error-line")).to_have_text(
        "        raise RuntimeError('the HTML view failed')")  # the deepest line of the cell

    # The same object as the cell's last value.
    cell.set_code(cell.code().replace("print('before')\ndisplay(Broken())\nprint('never')", "Broken()"))
    assert cell.run_and_wait("error").endswith("RuntimeError: the HTML view failed")

    # An exception in the middle of streamed output, after text on stdout and stderr.
    cell.set_code(
        "import sys\n"
        "for i in range(5):\n"
        "    print(i)\n"
        "    if i == 3:\n"
        "        print('about to fail', file=sys.stderr)\n"
        "        raise KeyError(f'step {i}')")
    output = cell.run_and_wait("error")
    assert output.startswith("0\n1\n2\n3\n\nabout to fail\n")
    assert output.endswith("KeyError: 'step 3'")
    expect(cell.output.locator(".nndl-stderr")).to_have_text("about to fail")

    # An exception raised by the reader's progress callback, inside the engine's training loop.
    cell.set_code(
        "from nndl.training import gradient_descent\n"
        "def progress(i, cost):\n"
        "    print(f'iteration {i}: cost {cost}')\n"
        "    return 1 / (2 - i)\n"
        "gradient_descent(lambda i: 1.0, 5, 0.1, callback=progress, callback_every=1)")
    output = cell.run_and_wait("error")
    assert output.startswith("iteration 0: cost 1.0\niteration 1: cost 1.0\niteration 2: cost 1.0")
    assert 'File "<cell 1>", line 4, in progress' in output
    assert output.endswith("ZeroDivisionError: division by zero")

    # Through it all, the page keeps working.
    cell.set_code("print('still here')")
    assert cell.run_and_wait() == "still here"


def test_an_explorable_shows_any_error_of_its_drawing_not_only_bad_values(open_page, page):
    cells = open_page("lessons/03-computation-graph/")
    root = page.locator('.nndl-explorable[data-explorable="computation-graph"]')
    expect(root).to_have_attribute("data-mounted", "")
    view = root.locator(".nndl-explorable__view")
    before = view.inner_html()
    # Break the drawing (the engine's registry is shared by the page's cells and explorables).
    cells[1].set_code(
        "import dataclasses\n"
        "from nndl.explorables import REGISTRY\n"
        "working = REGISTRY['computation-graph']\n"
        "def broken(**values):\n"
        "    raise RuntimeError('the drawing failed')\n"
        "REGISTRY['computation-graph'] = dataclasses.replace(working, function=broken)")
    cells[1].run_and_wait()
    root.locator('[name="a"]').fill("1")
    message = root.locator(".nndl-explorable__message")
    expect(message).to_have_text("RuntimeError: the drawing failed", timeout=PYTHON_TIMEOUT_MS)
    expect(root).to_have_attribute("data-state", "error")
    assert view.inner_html() == before  # the last good view stays
    assert root.locator('[name="a"]').input_value() == "1"  # and the reader's input
    cells[1].set_code("REGISTRY['computation-graph'] = working")
    cells[1].run_and_wait()
    root.locator('[name="a"]').fill("2")
    expect(message).to_be_hidden(timeout=PYTHON_TIMEOUT_MS)
    expect(root.locator(".nndl-explorable__summary")).to_contain_text("24")  # 3 · (2 + 3 · 2)


# ---- Run, again and again -------------------------------------------------------------------------


def test_run_pressed_while_a_cell_is_queued_or_running_runs_it_once(open_page, page):
    """Run on a cell that is already waiting or running does nothing (its Run button says so with
    aria-disabled): the run under way shows the code that was run, once. Pressed after the run
    has ended, Run runs the cell again."""
    cells = open_page("demo/")
    # Ten clicks at once, before Python is even ready: one run.
    cells[1].button("Run").evaluate("button => { for (let i = 0; i < 10; i++) button.click(); }")
    cells[1].expect_state("done")
    assert cells[1].text() == "Hello, neural networks!"
    expect(cells[1].root.locator(".nndl-cell__count")).to_have_text("[1]")
    # Ten clicks, and Ctrl+Enter held down, while a three-second loop runs: still one run.
    cells[4].run()
    expect(cells[4].output).to_contain_text("epoch 1", timeout=PYTHON_TIMEOUT_MS)
    expect(cells[4].button("Run")).to_have_attribute("aria-disabled", "true")
    for _ in range(10):
        cells[4].button("Run").click(force=True)  # a reader's click is not held back by aria-disabled
    cells[4].editor.click()
    for _ in range(10):
        page.keyboard.press("Control+Enter")
    cells[4].expect_state("done")
    assert cells[4].text().splitlines() == [f"epoch {e}: cost {0.7 / e:.3f}" for e in range(1, 7)]
    counts = [shown_text(cells[n].root.locator(".nndl-cell__count")) for n in (2, 3, 4)]
    assert counts == ["[2]", "[3]", "[4]"]  # cell 4 ran the idle cells above it first, then once
    # Shift+Enter, pressed over and over, runs each cell once and moves on, like a notebook.
    cells[1].editor.click()
    for _ in range(3):
        page.keyboard.press("Shift+Enter")
    for number in (1, 2, 3):
        cells[number].expect_state("done")
    page.wait_for_function("() => !document.querySelector('.nndl-cell[data-state=running]')")
    assert [shown_text(cells[n].root.locator(".nndl-cell__count")) for n in (1, 2, 3)] == ["[5]", "[6]", "[7]"]
    assert cells[1].text() == "Hello, neural networks!" and cells[2].text() == "12288"
    assert cells.states() == ["done", "done", "done", "done", "idle", "idle", "idle"]


def test_cells_run_before_python_is_ready_all_run_in_order(open_page):
    cells = open_page("demo/")
    # Cell 3 (with cells 1 and 2 first), cell 6 (with cell 4 first; 5 is manual), cell 2 again
    # (already waiting: nothing more), all at once while Python loads.
    statuses = cells.page.evaluate(
        """() => {
          const cells = [...document.querySelectorAll('.nndl-cell')];
          const run = (n) => cells[n - 1].querySelector('.nndl-button--run').click();
          run(3); run(6); run(2);
          return cells.map((cell) => cell.querySelector('.nndl-cell__status').textContent);
        }"""
    )
    waiting = "Waiting for Python"
    assert statuses == [waiting, waiting, waiting, waiting, "", waiting, ""]
    cells[6].expect_state("done")
    counts = [shown_text(cells[n].root.locator(".nndl-cell__count")) for n in range(1, 8)]
    assert counts == ["[1]", "[2]", "[3]", "[4]", "[ ]", "[5]", "[ ]"]
    assert cells.states() == ["done", "done", "done", "done", "idle", "done", "idle"]
    assert cells[3].text().startswith("inputs of the picture: 12288")  # n_x of cell 2, in order


# ---- Two tabs -------------------------------------------------------------------------------------


def test_two_tabs_run_their_own_python_and_the_last_edit_is_kept(context, page, watch, base_url):
    """Each tab has its own Python. The same cell edited in two tabs: each tab keeps showing what
    its reader typed, and the edit typed last is the one saved (a reload shows it); edits of
    different cells in the two tabs are both saved."""
    page.goto(base_url + "demo/")
    other = context.new_page()
    other.goto(base_url + "demo/")
    third = context.new_page()
    third.goto(base_url + "lessons/02-logistic-regression/")
    for tab in (page, other, third):
        tab.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    first, second, lesson = Cells(page), Cells(other), Cells(third)
    first[2].set_code("n_x = 1\nn_x")
    second[2].set_code("n_x = 2\nn_x")
    second[3].set_code("print('tab two')")
    first[1].set_code("print('tab one')")
    first[2].run()
    second[3].run()
    lesson[1].run()
    first[2].expect_state("done")
    second[3].expect_state("done")
    lesson[1].expect_state("done")
    assert first[1].text() == "tab one" and first[2].text() == "1"
    assert second.states()[:3] == ["done", "done", "done"] and second[2].text() == "2"
    assert second[3].text() == "tab two"
    assert lesson[1].text().startswith("sigma(-10) = 0.00005")
    assert first[2].code() == "n_x = 1\nn_x"  # the other tab's edit does not replace this one
    fresh = context.new_page()
    fresh.goto(base_url + "demo/")
    fresh.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    saved = Cells(fresh)
    assert [saved[n].code() for n in (1, 2, 3)] == ["print('tab one')", "n_x = 2\nn_x", "print('tab two')"]
    for tab in (other, third, fresh):
        tab.close()


# ---- A learning rate far too large ------------------------------------------------------------------


def test_a_training_cell_with_alpha_ten_gives_the_divergence_advice_every_time(open_page):
    cells = open_page(LESSON_13)
    cell = cells[2]
    code = cell.code()
    assert "learning_rate=0.005" in code
    cell.set_code(code.replace("learning_rate=0.005", "learning_rate=10"))
    for _ in range(2):  # Python shows a warning once per place; the reader sees it at every run
        cell.run()
        cell.expect_state("done", timeout=180_000)
        advice = cell.output.locator(".nndl-stderr")
        expect(advice).to_have_count(1)
        expect(advice).to_have_text(re.compile(
            r"^TrainingDivergedWarning: Training diverged at iteration 1: the cost grew from 0\.6931 "
            r"to [\d.]+, more than 10 times where it started\. The learning rate α = 10 is probably "
            r"too large: each step overshoots the minimum, so the cost goes up instead of down\. "
            r"Try a smaller learning rate, for example α = 1\."))
        assert "site-packages" not in cell.text() and "gradient_descent(" not in cell.text()


def test_the_dashboard_with_alpha_ten_stops_with_the_advice(open_page, page):
    open_page(LESSON_13)
    board = page.locator(".nndl-dashboard")
    expect(board).to_have_attribute("data-mounted", "", timeout=30_000)
    board.get_by_label("Model", exact=True).select_option(label="Logistic regression")
    board.get_by_label("Learning rate α", exact=True).fill("10")
    board.get_by_role("button", name="Train", exact=True).click()
    row = board.locator(".nndl-dash__table tbody tr[data-run='1']")
    expect(row).to_have_attribute("data-status", "diverged", timeout=180_000)
    expect(board.locator(".nndl-dash__message").first).to_have_text(re.compile(
        r"^Run 1 diverged\. Training diverged at iteration 1: .* The learning rate α = 10 is "
        r"probably too large.* Try a smaller learning rate, for example α = 1\."))
    board.get_by_label("Learning rate α", exact=True).fill("0.005")
    board.get_by_label("Iterations", exact=True).fill("20")
    board.get_by_role("button", name="Train", exact=True).click()  # and the next run trains
    expect(board.locator(".nndl-dash__table tbody tr[data-run='2']")).to_have_attribute(
        "data-status", "done", timeout=180_000)

