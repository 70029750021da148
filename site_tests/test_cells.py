"""The cells of the built site, driven in Chromium: real Pyodide, real NumPy, the real engine.

Every test runs in a fresh browser context (its own cache and localStorage) against site/ served
under /nndl/, and fails if the page logs a console error or requests anything from another host
(the `watch` fixture of conftest.py). The demo page's cells, numbered as on the page:
1 print · 2 n_x (last value) · 3 nndl sigmoid · 4 streamed loop · 5 error (manual) ·
6 pictures · 7 cost plot.

Stop, edits kept across reloads and instant navigation are tested in every engine the site
supports, by test_engines.py.
"""

import base64
import re
import struct
import time

from conftest import SCREENSHOTS, Cells, shown_text
from playwright.sync_api import expect

HELLO = "Hello, neural networks!"


def png_size(src):
    data = base64.b64decode(src.split(",", 1)[1])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


# ---- The page and one cell ----------------------------------------------------------------------


def test_page_has_accessible_cells_readable_before_python_starts(open_page, page):
    cells = open_page("demo/")
    assert len(cells) == 7
    assert cells.states() == ["idle"] * 7
    for number in range(1, 8):
        cell = cells[number]
        for name in ("Run", "Stop", "Reset"):
            expect(cell.button(name)).to_have_count(1)
        assert cell.root.get_by_role("button").evaluate_all("els => els.map(el => el.tagName)") == [
            "BUTTON"
        ] * 3
        expect(cell.output).to_have_attribute("aria-live", "polite")
        expect(cell.editor).to_have_attribute("aria-label", f"Python code of cell {number}")
        expect(cell.root).to_have_attribute("role", "group")
    assert cells[1].code() == 'print("Hello, neural networks!")'
    # The server-rendered code is there for readers without JavaScript, highlighted.
    html = page.request.get("demo/").text()
    assert html.count('class="nndl-cell"') == 7
    assert '<span class="nb">print</span>' in html
    assert html.count('data-run="manual"') == 1


def test_a_cell_runs_and_shows_its_output_even_when_run_before_python_is_ready(open_page, page):
    page.add_init_script(
        """
        window.__status = [];
        new MutationObserver(() => {
          const el = document.querySelector('.nndl-runtime');
          if (el && window.__status.at(-1) !== el.textContent) window.__status.push(el.textContent);
        }).observe(document, { subtree: true, childList: true, characterData: true });
        window.__workers = [];  // [address, call stack] of each worker the page creates
        const PageWorker = window.Worker;
        window.Worker = class extends PageWorker {
          constructor(...args) {
            super(...args);
            window.__workers.push([String(args[0]), new Error().stack]);
          }
        };
        """
    )
    cells = open_page("demo/")
    cells[1].run()  # at once: Python is still downloading
    cells[1].expect_state("running", timeout=5_000)
    expect(cells[1].root.locator(".nndl-cell__status")).to_have_text("Waiting for Python")
    cells[1].expect_state("done")
    assert cells[1].text() == HELLO
    expect(cells[1].root.locator(".nndl-cell__count")).to_have_text("[1]")
    expect(cells[1].root.locator(".nndl-cell__status")).to_contain_text("Done in")
    assert cells.states()[1:] == ["idle"] * 6  # only the cell that was run
    status = page.evaluate("window.__status")
    assert any(re.search(r"Downloading Python… · \d+\.\d MB of \d+\.\d MB", s) for s in status), status
    assert any(s.startswith("Loading NumPy and nndl…") for s in status), status
    assert any(s.startswith("Python is ready (Python 3.12.7, NumPy 2.0.2)") for s in status), status
    # One Python worker, started from the page's <head> (boot.js), which the cells then adopted.
    workers = [stack for url, stack in page.evaluate("window.__workers") if "/nndl/worker.js" in url]
    assert len(workers) == 1 and "/assets/nndl/boot.js" in workers[0], workers


# ---- Editing and the keyboard ---------------------------------------------------------------------


def test_edit_and_run_with_ctrl_enter_stays_in_the_cell(open_page, page):
    cells = open_page("demo/")
    cells[1].set_code(
        "total = sum(range(10))\n"
        "for percent in (10, 50, 100):\n"
        "    print(f'\\r{percent}%', end='')  # a progress line, rewritten in place\n"
        "print()\n"
        "print('total', total)\n"
        "total * 2"
    )
    page.keyboard.press("Control+Enter")
    cells[1].expect_state("done")
    assert cells[1].text() == "100%\ntotal 45\n\n90"
    assert page.evaluate("document.activeElement.closest('.nndl-cell') === document.querySelector('.nndl-cell')")
    expect(cells[1].root.locator(".nndl-cell__badge")).to_be_visible()


def test_shift_enter_runs_and_moves_to_the_next_cell(open_page, page):
    cells = open_page("demo/")
    cells[1].editor.click()
    page.keyboard.press("Shift+Enter")
    cells[1].expect_state("done")
    assert cells[1].text() == HELLO
    focused = page.evaluate(
        "[...document.querySelectorAll('.nndl-cell')].indexOf(document.activeElement.closest('.nndl-cell'))"
    )
    assert focused == 1  # the second cell's editor
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
    assert cells[2].code() == "n_x = 64 * 64 * 3   # inputs of a 64×64 colour picture\nn_x"


def test_keyboard_users_tab_in_escape_out_and_operate_buttons(open_page, page):
    cells = open_page("demo/")
    active = "document.activeElement.classList.contains('cm-content') ? 'editor' : document.activeElement.textContent"
    cells[1].editor.click()
    page.keyboard.press("End")
    page.keyboard.press("Tab")  # Tab indents inside the editor…
    assert cells[1].code() == 'print("Hello, neural networks!")    '
    page.keyboard.press("Escape")  # …and Esc leaves it, onto the cell's Run button
    assert page.evaluate(active) == "Run"
    tab_order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        tab_order.append(page.evaluate(active))
    assert tab_order == ["Stop", "Reset", "editor"]  # Stop is disabled now, yet reachable
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")  # the focused Run button runs the cell
    cells[1].expect_state("done")
    assert cells[1].text() == HELLO
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(active) == "Reset"
    page.keyboard.press("Space")  # Reset puts the lesson's code back
    assert cells[1].code() == 'print("Hello, neural networks!")'


# ---- Errors ---------------------------------------------------------------------------------------


def test_an_error_shows_a_trimmed_traceback_and_the_page_keeps_working(open_page):
    cells = open_page("demo/")
    cells[1].set_code("def inverse(n):\n    return 1 / n\n\ninverse(0)")
    output = cells[1].run_and_wait("error")
    assert output.startswith("Traceback (most recent call last):")
    assert 'File "<cell 1>", line 4, in <module>' in output
    assert 'File "<cell 1>", line 2, in inverse' in output
    assert output.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "_nndl_cells" not in output and "pyodide" not in output  # only the reader's code
    marked = cells[1].root.locator(".cm-nndl-error-line")
    expect(marked).to_have_count(1)
    expect(marked).to_have_text("    return 1 / n")
    expect(cells[1].root.locator(".nndl-traceback__message")).to_have_text(
        "ZeroDivisionError: division by zero"
    )
    # A syntax error, then a fix: the same Python keeps going.
    cells[1].set_code("x = (1,\nprint(x)")
    output = cells[1].run_and_wait("error")
    assert 'File "<cell 1>", line 1' in output and "SyntaxError: '(' was never closed" in output
    cells[1].set_code("print(inverse(4))")
    assert cells[1].run_and_wait() == "0.25"
    expect(cells[1].root.locator(".cm-nndl-error-line")).to_have_count(0)


def test_training_products_take_the_webassembly_kernel_without_downloading_openblas(open_page, context):
    """The worker brings nndl.matmul's SIMD kernel (gemm.wat): a cell that trains uses it, and the
    6 MB OpenBLAS package, the slower route, is never downloaded."""
    asked = []
    context.on("request", lambda request: asked.append(request.url))
    cells = open_page("demo/")
    cells[1].set_code(
        "import numpy as np\n"
        "import nndl.deep\n"
        "from nndl import matmul\n"
        "rng = np.random.default_rng(0)\n"
        "W, X = rng.standard_normal((20, 12288)), np.asfortranarray(rng.random((12288, 209)))\n"
        "error = np.abs(matmul.matmul(W, X) - W @ X).max()\n"
        "print(matmul.backend(), error <= 1e-12 * (np.abs(W) @ X).max())"
    )
    assert cells[1].run_and_wait() == "simd True"
    assert not [url for url in asked if "openblas" in url]


# ---- Streaming, notebook order, rich output -----------------------------------------------------------


def test_output_streams_while_the_cell_runs(open_page, page):
    cells = open_page("demo/")
    cells[4].run()
    expect(cells[4].output).to_contain_text("epoch 1: cost 0.700", timeout=60_000)
    assert cells[4].state() == "running"
    assert "epoch 6" not in cells[4].text()
    cells[4].expect_state("done")
    assert cells[4].text().splitlines() == [
        f"epoch {e}: cost {0.7 / e:.3f}" for e in range(1, 7)
    ]


def test_running_a_later_cell_first_runs_the_earlier_ones(open_page):
    cells = open_page("demo/")
    cells[7].run()
    cells[7].expect_state("done")
    # Every earlier cell ran first, in order, except the one marked manual (the error).
    assert cells.states() == ["done", "done", "done", "done", "idle", "done", "done"]
    counts = [shown_text(cells[n].root.locator(".nndl-cell__count")) for n in range(1, 8)]
    assert counts == ["[1]", "[2]", "[3]", "[4]", "[ ]", "[5]", "[6]"]
    expect(cells[3].root.locator(".nndl-cell__status")).to_contain_text("run first for cell 7")
    assert cells[1].text() == HELLO
    assert cells[2].text() == "12288"  # the value of the last line
    # The engine, with n_x from cell 2: one namespace for the page.
    assert cells[3].text() == (
        "inputs of the picture: 12288\n\narray([0.01798621, 0.5       , 0.98201379])"
    )
    # Cell 6: a picture from an array, shown by display() and as the last value, each with its
    # title shown above it: a drawing named by its title, holding the PNG.
    figures = cells[6].output.locator("svg.nndl-pictures")
    expect(figures).to_have_count(2)
    expect(figures.nth(0)).to_have_attribute("role", "img")
    expect(figures.nth(0).locator("title")).to_have_text("A colour gradient, 64 by 64 pixels")
    expect(figures.nth(0).locator("desc")).to_have_text(
        "A colour gradient, 64 by 64 pixels (64×64 pixels, RGB)")
    expect(figures.nth(1).locator("text")).to_have_text("Its negative")
    assert png_size(figures.nth(0).locator("image").get_attribute("href")) == (192, 192)
    box = figures.nth(1).locator("image").bounding_box()
    assert (round(box["width"]), round(box["height"])) == (192, 192)
    # Cell 7: training progress, then the cost plot as an accessible SVG.
    text = cells[7].text()
    assert "Cost after iteration 0: 0.693147" in text and "Cost after iteration 250:" in text
    svg = cells[7].output.locator("svg.nndl-plot")
    expect(svg).to_have_attribute("role", "img")
    expect(svg.locator("title")).to_have_text("Cost vs iteration")
    assert svg.locator("path").count() >= 2  # the axes and the series
    assert svg.evaluate("svg => svg.getBoundingClientRect().width") > 300


def test_cells_share_one_namespace(open_page):
    cells = open_page("demo/")
    cells[1].set_code("shared = [1, 2]")
    cells[1].run_and_wait()
    cells[2].set_code("shared.append(3)\nshared")
    assert cells[2].run_and_wait() == "[1, 2, 3]"
    cells[1].set_code("print(len(shared), _)")  # `_` is the last value, as in a notebook
    assert cells[1].run_and_wait() == "3 [1, 2, 3]"


# ---- Persistence ------------------------------------------------------------------------------------


def test_an_edit_of_code_the_lesson_has_since_changed_is_kept_and_flagged(open_page, page):
    cells = open_page("demo/")
    # As if the reader had edited cell 2 when the lesson's code was different.
    page.evaluate(
        """localStorage.setItem('nndl.edits:/demo/', JSON.stringify({
             oldhash: { code: 'n_x = 32 * 32 * 3  # my version', index: 1, saved: '2024-01-01' } }))"""
    )
    page.reload()
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    cells = Cells(page)
    assert cells[2].code() == "n_x = 32 * 32 * 3  # my version"
    notice = cells[2].root.locator(".nndl-cell__notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("The lesson's code for this cell has changed since you edited it")
    expect(cells[3].root.locator(".nndl-cell__notice")).to_be_hidden()
    cells[2].button("Reset").click()
    expect(notice).to_be_hidden()
    assert cells[2].code().startswith("n_x = 64 * 64 * 3")
    assert page.evaluate("localStorage.getItem('nndl.edits:/demo/')") is None


# ---- Notebooks -------------------------------------------------------------------------------------


def test_a_lesson_downloads_as_a_notebook_of_its_cells(open_page, page):
    cells = open_page("lessons/03-computation-graph/")
    link = page.get_by_role("link", name="Download as notebook")
    expect(link).to_have_attribute("download", "lessons-03-computation-graph.ipynb")
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok
    book = response.json()
    assert book["nbformat"] == 4 and book["nbformat_minor"] == 5
    code = ["".join(cell["source"]) for cell in book["cells"]
            if cell["cell_type"] == "code" and "nndl" not in cell["metadata"]]
    assert len(code) == len(cells) > 0
    marked = [cell["metadata"]["nndl"] for cell in book["cells"] if "nndl" in cell["metadata"]]
    # First the line that installs nndl, then the page's explorable, as a cell that draws it.
    assert marked == [{"install": True}, {"explorable": "computation-graph"}]
    for number, source in enumerate(code, start=1):
        assert cells[number].code() == source.rstrip("\n"), number


# ---- How it looks ----------------------------------------------------------------------------------


def test_screenshots_of_the_demo_page_in_light_and_dark_with_its_error(browser, base_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme, palette in (("light", "default"), ("dark", "slate")):
        context = browser.new_context(
            base_url=base_url, color_scheme=scheme, viewport={"width": 1200, "height": 900}
        )
        page = context.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto("demo/")
        page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
        cells = Cells(page)
        cells[7].run()
        cells[7].expect_state("done")
        cells[5].run()  # the page's deliberate error: shapes that do not match
        cells[5].expect_state("error")
        assert 'File "<cell 5>", line 3, in <module>' in cells[5].text()
        # In the course's notation, with the names of the failing line; NumPy's words in the hint.
        text = cells[5].text()
        assert ("ValueError: W is (3, 4) and X is (3, 4): its 4 columns need 4 rows in X, "
                "but X has 3") in text
        assert "NumPy's own words: matmul: Input operand 1 has a mismatch" in text
        expect(cells[5].root.locator(".cm-nndl-error-line")).to_have_text("Z = W @ X")
        assert page.evaluate("document.body.dataset.mdColorScheme") == palette
        for number in range(1, 8):  # the editors lay out their gutters once seen
            cells[number].root.scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, 0)")
        path = SCREENSHOTS / f"demo-{scheme}.png"
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 50_000
        assert errors == []
        context.close()


# ---- A page light until Python is wanted ---------------------------------------------------------

#: Requests of Python's runtime: its worker, or the files of pyodide/.
def runtime_requests(watch):
    return [url for url in watch.requests if "/pyodide/" in url or url.endswith("/worker.js")]


def test_the_home_page_greeting_starts_python_only_when_run(open_page, page, watch):
    cells = open_page("")
    assert len(cells) == 1
    assert cells[1].root.get_attribute("data-greeting") == ""
    page.wait_for_load_state("load")
    time.sleep(2)
    assert runtime_requests(watch) == []
    assert cells[1].button("Run").count() == 0  # its name says what the first Run downloads
    expect(cells[1].root.locator(".nndl-button--run")).to_have_text(re.compile(r"^Run \(\d+\.\d MB\)$"))
    cells[1].root.locator(".nndl-button--run").click()
    cells[1].expect_state("done")
    assert cells[1].text() == "Hello from Python, running in this page."
    assert runtime_requests(watch)


SAVE_DATA = """Object.defineProperty(Navigator.prototype, "connection", {
  configurable: true, get: () => ({ saveData: %s, effectiveType: %r }) });"""


def test_a_browser_saving_data_downloads_python_at_the_first_run(context, page, watch, base_url):
    """navigator.connection as Chromium reports it when Save-Data is on, or on a 2G connection."""
    for save_data, effective_type in (("true", "4g"), ("false", "slow-2g")):
        page.add_init_script(SAVE_DATA % (save_data, effective_type))
        watch.requests.clear()
        page.goto(base_url + "lessons/03-computation-graph/")
        page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
        page.wait_for_load_state("load")
        time.sleep(1)
        assert runtime_requests(watch) == [], (save_data, effective_type)
        run = page.locator(".nndl-cell").first.locator(".nndl-button--run")
        expect(run).to_have_text(re.compile(r"^Run \(\d+\.\d MB\)$"))
    run.click()
    Cells(page)[1].expect_state("done")
    expect(run).to_have_text("Run")
    assert runtime_requests(watch)


#: No idle time ever comes (a busy browser): editors are built only as cells come near the
#: screen, or when the reader reaches them.
NO_IDLE_TIME = "window.requestIdleCallback = () => 0;"


def test_editors_are_built_near_the_screen_or_when_the_reader_reaches_them(page, watch, base_url):
    page.add_init_script(NO_IDLE_TIME)
    page.goto(base_url + "lessons/13-training-on-images/")
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    cells = page.locator(".nndl-cell")
    count = cells.count()
    built = "els => els.map((el) => !!el.querySelector('.cm-content'))"
    shown = cells.evaluate_all(built)
    assert shown[0] and not shown[-1], shown  # the last cell, far below, shows its served code
    last = cells.nth(count - 1)
    served = shown_text(last.locator(".nndl-cell__source code")).rstrip("\n")
    placeholder = last.locator(".nndl-cell__source [role=textbox]")
    expect(placeholder).to_have_attribute("aria-label", f"Python code of cell {count}")
    # Material mounts the lesson's plain code block (its copy button), not a cell's served code,
    # which the editor replaces in a box of the same size.
    expect(page.locator(".md-content .md-code__button")).not_to_have_count(0)
    expect(cells.locator(".md-code__button")).to_have_count(0)
    served_box = last.locator(".nndl-cell__source").bounding_box()
    # The keyboard reaches it as it reaches an editor: the focus lands in the editor, built now.
    placeholder.focus()
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
    editor_box = last.locator(".nndl-cell__source").bounding_box()
    assert (editor_box["width"], editor_box["height"]) == (served_box["width"], served_box["height"])
    assert Cells(page)[count].code() == served
    page.keyboard.press("End")
    page.keyboard.type("  # mine")
    assert Cells(page)[count].code().splitlines()[0].endswith("# mine")  # typed where it lands
    # A click on the served code of another cell puts the cursor where it was clicked.
    other = next(i for i, b in enumerate(cells.evaluate_all(built)) if not b)
    # (In one task: scrolled to, then pressed at its start, before the cell comes near the screen
    # for the observer, which would build the editor first.)
    page.evaluate(f"""(() => {{
      const code = document.querySelectorAll('.nndl-cell')[{other}].querySelector('.nndl-cell__source code');
      code.scrollIntoView({{ block: 'center' }});
      const box = code.getBoundingClientRect();
      code.dispatchEvent(new PointerEvent('pointerdown', {{ bubbles: true, cancelable: true,
        clientX: box.left + 2, clientY: box.top + 4 }}));
    }})()""")
    assert page.evaluate("document.activeElement.closest('.nndl-cell')") is not None
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
    assert page.evaluate("getSelection().anchorOffset") == 0
    one_stop = "els => els.map((el) => el.querySelectorAll('[tabindex]:not([tabindex=\"-1\"])').length)"
    assert cells.evaluate_all(one_stop) == [1] * count  # one Tab stop per code, built or not
    # Scrolling through the lesson builds the rest.
    for i in range(count):
        cells.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(f"() => document.querySelectorAll('.nndl-cell .cm-content').length === {count}")


#: For each batch of changes to the page that a MutationObserver is given (one per task, or per
#: callback within a task), how many editors it added: window.editorsPerBatch.
EDITORS_PER_BATCH = """
window.editorsPerBatch = [];
new MutationObserver((records) => {
  const added = records.flatMap((record) => [...record.addedNodes])
    .filter((node) => node.classList?.contains('cm-editor')).length;
  if (added) window.editorsPerBatch.push(added);
}).observe(document, { childList: true, subtree: true });
"""


def test_the_editors_near_the_screen_are_built_one_per_task(page, watch, base_url):
    """On a phone several cells of a page are within reach of the screen as it opens: their
    editors are built one per task, so that building them makes no long task of the page's
    start (each lays out the page)."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.add_init_script(NO_IDLE_TIME + EDITORS_PER_BATCH)
    page.goto(base_url + "demo/")
    page.wait_for_function("() => document.querySelectorAll('.nndl-cell .cm-editor').length >= 3")
    page.wait_for_timeout(500)  # any editor still to come near the screen is built
    batches = page.evaluate("window.editorsPerBatch")
    built = page.evaluate("document.querySelectorAll('.nndl-cell .cm-editor').length")
    assert sum(batches) == built >= 3
    assert batches == [1] * built, batches
    assert built < len(Cells(page))  # the cells far below still show their served code


#: Idle time every 10 ms, as a timer (WebKit has no requestIdleCallback: lazy-editor.js then
#: builds its editors on a 50 ms timer, whatever else the page is doing), from the moment the test
#: calls window.startIdleTime().
IDLE_ON_A_TIMER = """
const waiting = [];
const later = (callback) => setTimeout(() => callback({ timeRemaining: () => 50, didTimeout: false }), 10);
window.requestIdleCallback = (callback) => (window.idleTime ? later(callback) : waiting.push(callback));
window.startIdleTime = () => { window.idleTime = true; waiting.splice(0).forEach(later); };
"""


def test_editors_wait_in_idle_time_while_a_run_waits_for_its_result(page, base_url):
    """Building an editor lays out the page: while a run the reader asked for waits for its
    result, the idle builds wait too, so that the result is not held up behind them."""
    page.add_init_script(IDLE_ON_A_TIMER)
    page.goto(base_url + "lessons/13-training-on-images/")
    cells = Cells(page)
    first = cells[1]
    first.set_code("import time\ntime.sleep(3)\n'slept'")
    built = "document.querySelectorAll('.nndl-cell .cm-content').length"
    first.run()
    expect(first.root).to_have_attribute("data-state", "running")
    page.evaluate("window.startIdleTime()")
    while_running = page.evaluate(built)
    page.wait_for_timeout(2000)
    assert first.state() == "running"
    assert page.evaluate(built) == while_running < len(cells)  # none built as the run waits
    # A cell the reader scrolls to gets its editor all the same: the builds near the screen wait
    # for a result only a moment (lazy-editor.js, NEAR_HOLD_MS).
    last = page.locator(".nndl-cell").last
    last.scroll_into_view_if_needed()
    expect(last.locator(".cm-content")).to_have_count(1)
    assert first.state() == "running"
    first.expect_state("done")
    assert first.text() == "'slept'"
    # Then the rest are built in idle time, with no scrolling.
    page.wait_for_function(f"() => {built} === {len(cells)}", timeout=10_000)
