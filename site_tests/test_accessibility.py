"""Accessibility of the built site, in Chromium: axe-core, the keyboard, live regions, a phone.

- axe-core (from node_modules, put into the page by the test; the site never ships it) checks
  every page against the WCAG 2 A/AA rules, in the light and the dark scheme (switched with
  Material's palette toggle): pages without cells here, as they load; pages with cells in
  test_every_page.py, once all their cells have run; the explorables here after a reader used
  them; every page at 375 pixels.
  No serious or critical violation is allowed; the counts by impact go to the session's report
  and to build/axe-results.json.
- Every control of the site's own (the cells' editors and buttons, the explorables' inputs and
  buttons, the dashboard's controls, the course map's Export, Import and Reset, the quizzes'
  Check buttons, the exercises' hint and solution, the notebook download) is reached with Tab,
  shows where the focus is, and works with the keyboard alone.
- Results are announced politely: the cells' outputs, the explorables' summaries and the
  dashboard's status are live regions (aria-live="polite" or role="status"), and new results
  land inside them.
- At 375×812 pixels (a small phone), in both schemes, no page scrolls sideways (wide tables,
  drawings, maths and code scroll inside their own boxes, which the keyboard reaches: axe-core
  checks the page again at that width), and the cells' buttons and editors are on screen and not
  covered. Full-page screenshots: build/screenshots/375/<page>-<scheme>.png.
"""

import re

import pytest
from conftest import (
    PYTHON_TIMEOUT_MS,
    SCREENSHOTS,
    SCROLL_BOXES_UNCHECKED,
    Cells,
    axe_violations,
    check_with_axe,
    set_scheme,
    shown_text,
)
from playwright.sync_api import expect
from test_every_page import PAGES as CELL_PAGES
# ALL_PAGES: every page of the site, with or without cells (PAGES has those with cells).
from test_every_page import ALL_PAGES, DOCS, seed_progress, url_of, wait_for_python_on

PHONE = {"width": 375, "height": 812}
PHONE_SCREENSHOTS = SCREENSHOTS / "375"
#: The controls of the site's own, on any page: the focus must reach each and show on it.
OUR_CONTROLS = ", ".join([
    ".nndl-cell .cm-content",
    ".nndl-cell button",
    ".nndl-explorable :is(input, select, button)",
    ".nndl-dashboard :is(input, select, button, summary, [tabindex='0'])",
    ".nndl-progress button",
    ".nndl-quiz__check",
    "details[data-exercise-part] > summary",
    "a.md-button[download]",
])

EXPLORABLES = {}  # explorable → the page it is on
for _name in ALL_PAGES:
    for _explorable in re.findall(r"```explorable\s*\n\s*(\S+)", (DOCS / _name).read_text()):
        EXPLORABLES[_explorable] = _name


def wait_until_ready(page):
    """The page's widgets are mounted, its cells' editors built (in idle time, lazy-editor.js)
    and, if it has cells, Python is ready, unless the page waits for a Run (light.js: its Run
    buttons say what the Run downloads, as the home page's greeting does)."""
    page.wait_for_load_state("load")
    for selector in (".nndl-cell", ".nndl-explorable", ".nndl-dashboard"):
        expect(page.locator(f"{selector}:not([data-mounted])")).to_have_count(0, timeout=30_000)
    expect(page.locator(".nndl-cell__source:not(:has(.cm-content))")).to_have_count(0, timeout=30_000)
    if page.locator(".nndl-cell").count() and not page.locator(".nndl-button__cost").count():
        wait_for_python_on(page)


# ---- axe-core on every page, and every page on a phone --------------------------------------------


CHECK_PHONE_LAYOUT = """async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const problems = [];
  const width = innerWidth;
  const clipped = (el) => {  // inside a box of its own that scrolls or clips
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  // Wider than the screen and not inside a box that scrolls: the page scrolls sideways, or, inside
  // a block of the text laid out only near the screen (site.css), the element is cut off.
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
    .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`);
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width} (${wide.join(", ")})`);
  } else if (wide.length) {
    problems.push(`wider than the screen, and cut off: ${wide.join(", ")}`);
  }
  const cells = [...document.querySelectorAll(".nndl-cell")];
  for (const [i, cell] of cells.entries()) {
    const where = `cell ${i + 1}`;
    cell.scrollIntoView({ block: "center" });
    await frame(); // the editor measures its lines once on screen
    for (const el of [...cell.querySelectorAll(".nndl-cell__buttons button"), cell.querySelector(".cm-editor")]) {
      if (!el) { problems.push(`${where}: no editor`); continue; }
      el.scrollIntoView({ block: "center" });
      const box = el.getBoundingClientRect();
      const name = el.textContent.trim().slice(0, 20) || el.className;
      if (box.width < 24 || box.height < 18) problems.push(`${where}: ${name} is ${box.width}×${box.height}`);
      if (box.left < 0 || box.right > width) problems.push(`${where}: ${name} is off screen (${box.left}…${box.right})`);
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (!hit || !(el === hit || el.contains(hit))) problems.push(`${where}: ${name} is covered by ${hit && hit.className}`);
    }
    const editor = cell.querySelector(".cm-editor");
    if (editor && editor.getBoundingClientRect().width < width * 0.75) {
      problems.push(`${where}: the editor is only ${editor.getBoundingClientRect().width} pixels wide`);
    }
  }
  scrollTo(0, 0);
  return problems;
}"""


def screenshot_name(name):
    stem = url_of(name).strip("/").replace("/", "-")
    return stem or "home"


def check_phone(page, name, scheme):
    set_scheme(page, scheme)
    problems = page.evaluate(CHECK_PHONE_LAYOUT)
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Python's start-up status is fixed to the screen's corner: a full-page picture would show it
    # in the middle of the page.
    page.screenshot(path=PHONE_SCREENSHOTS / f"{screenshot_name(name)}-{scheme}.png", full_page=True,
                    style=".nndl-runtime { visibility: hidden; }")
    return [f"{scheme}: {problem}" for problem in problems]


@pytest.mark.parametrize("name", ALL_PAGES)
def test_the_page_passes_axe_in_both_schemes_and_fits_a_phone(name, page, watch):
    # A page with cells is checked by test_every_page.py once its cells have run (what the page
    # shows before is a part of that); the others are checked here as they load.
    if name not in CELL_PAGES:
        page.goto(url_of(name))
        wait_until_ready(page)
        check_with_axe(page, name, "as loaded")

    # The page on a phone. Its layout is there before Python starts: the cells are built into the
    # page, so their editors and buttons are checked without waiting for Python.
    page.set_viewport_size(PHONE)
    page.goto(url_of(name))
    page.wait_for_load_state("load")
    for selector in (".nndl-cell", ".nndl-explorable", ".nndl-dashboard"):
        expect(page.locator(f"{selector}:not([data-mounted])")).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(300)  # the maths font settles
    problems = check_phone(page, name, "dark") + check_phone(page, name, "light")
    assert problems == [], f"{name} at 375 pixels:\n" + "\n".join(problems)
    # What a narrow screen changes is the layout (boxes that now scroll), not the colours, which
    # are checked at full width (color-contrast is also axe's slowest rule).
    check_with_axe(page, name, "375 px", schemes=("light",), skipped=["color-contrast"])


#: Whether an element's content waits to be laid out (a block of the text far from the screen).
WAITS = "(el) => !(el.firstElementChild ?? el).checkVisibility({ contentVisibilityAuto: true })"


def test_far_below_the_screen_the_text_waits_and_the_keyboard_reaches_it_all_the_same(browser, base_url):
    """On a phone, the blocks of a lesson far below the screen are not laid out as it loads
    (site.css); a formula down there too wide for the screen still joins the Tab order without
    the reader scrolling (scrollable.js); and a block is laid out when the reader comes to it."""
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    page = context.new_page()
    page.goto("lessons/04-gradient-descent/?nndl-save-data")  # no Python: nothing else moves
    page.wait_for_load_state("load")
    blocks = page.locator(".md-content__inner > *")
    waiting = blocks.evaluate_all(f"(els) => els.map({WAITS})")
    # The first sixteen hold the first screen, and are always laid out; most of the rest wait.
    assert not any(waiting[:16]) and sum(waiting[16:]) > len(waiting[16:]) / 2, waiting
    boxes = page.locator("div.arithmatex, .md-typeset__scrollwrap")
    box_waited = boxes.evaluate_all(f"(els) => els.map((el) => ({WAITS})(el))")
    assert any(box_waited), "no formula below the screen inside a block that waits"

    expect(page.locator(SCROLL_BOXES_UNCHECKED)).to_have_count(0, timeout=15_000)
    # Read only now: reading a width lays the block out.
    checked = boxes.evaluate_all(
        "(els) => els.map((el) => [el.scrollWidth > el.clientWidth + 1, el.getAttribute('tabindex')])")
    assert [tabindex for _, tabindex in checked] == ["0" if wide else None for wide, _ in checked]
    assert any(wide for (wide, _), waited in zip(checked, box_waited) if waited)

    # While it waits, a block clips what it holds (blocks.js); shown, it no longer does.
    quiz = page.locator(".md-content__inner > .nndl-quiz").last
    assert quiz.evaluate("(el) => getComputedStyle(el).overflow") == "hidden"
    quiz.scroll_into_view_if_needed()
    page.wait_for_function(f"(el) => !({WAITS})(el)", arg=quiz.element_handle(), timeout=5_000)
    assert quiz.evaluate("(el) => el.getBoundingClientRect().height") > 0
    expect(quiz).not_to_have_attribute("data-waits", "")
    assert quiz.evaluate("(el) => [getComputedStyle(el).overflow, el.scrollTop]") == ["visible", 0]
    context.close()


def test_a_cell_runs_on_a_phone_and_its_output_stays_in_the_page(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=PHONE, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto("demo/")
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    cells = Cells(page)
    last = len(cells)
    cells[last].button("Run").tap()  # runs the cells before it first
    cells[last].expect_state("done")
    assert cells[last].text()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    for number in range(1, last + 1):
        box = cells[number].output.bounding_box()
        assert box is None or box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    cells[1].editor.tap()
    page.keyboard.insert_text("# typed on a phone\n")
    expect(cells[1].root.locator(".nndl-cell__badge")).to_be_visible()
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=PHONE_SCREENSHOTS / "demo-after-run-light.png", full_page=True)
    assert errors == []
    context.close()


# ---- The keyboard -------------------------------------------------------------------------------


MARK_CONTROLS = """(selector) => {
  const controls = [...document.querySelectorAll(selector)].filter((el) =>
    el.checkVisibility() && !el.disabled && !el.closest("details:not([open]) > :not(summary)"));
  controls.forEach((el, i) => (el.dataset.control = String(i)));
  return controls.map((el) => el.textContent.trim().slice(0, 30) || el.getAttribute("aria-label") || el.id || el.tagName);
}"""

#: What has the focus, and whether it shows: an outline or a shadow on it (on the editor as a
#: whole for CodeMirror's content). `editor` names the cell whose editor has the focus.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {};
  const editor = el.classList.contains("cm-content");
  const shown = editor ? el.closest(".cm-editor") : el;
  const style = getComputedStyle(shown);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    control: el.dataset.control ?? null,
    editor: editor ? el.closest(".nndl-cell").getAttribute("aria-labelledby") : null,
    visible: outline || style.boxShadow !== "none",
    style: `outline: ${style.outlineStyle} ${style.outlineWidth}; box-shadow: ${style.boxShadow}`,
  };
}"""


def forward(page, escaped, focused):
    """One step forward through the page with the keyboard from the `focused` element (FOCUSED):
    Tab, or Esc in an editor not left yet (`escaped`: the editors left with Esc, through which
    Tab now passes). Returns what has the focus then."""
    editor = focused.get("editor")
    if editor and editor not in escaped:
        escaped.add(editor)
        page.keyboard.press("Escape")
    else:
        page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def tab_through(page, limit=400):
    """Press Tab from the top of the page, as a keyboard user does, until every control of ours
    had the focus. Tab indents in an editor: Esc leaves it, onto its Run button, and Tab then
    passes through the editor. Returns {control: focus info}."""
    names = page.evaluate(MARK_CONTROLS, OUR_CONTROLS)
    assert names, "no control of ours on the page"
    page.evaluate("window.scrollTo(0, 0); document.activeElement?.blur()")
    page.locator("body").focus()
    seen = {}
    escaped = set()
    focused = {}
    for _ in range(limit):
        focused = forward(page, escaped, focused)
        if focused.get("control") is not None:
            seen.setdefault(focused["control"], focused)
        if len(seen) == len(names):
            break
    missed = [name for i, name in enumerate(names) if str(i) not in seen]
    assert missed == [], f"never reached with Tab: {missed}"
    unseen = [f"{names[int(i)]} ({info['style']})" for i, info in seen.items() if not info["visible"]]
    assert unseen == [], f"focus not visible on: {unseen}"
    return seen


def focus_control(page, locator, start=None, limit=60):
    """Move forward with the keyboard until `locator` has the focus, from a click on `start` (the
    browser's Tab goes on from where the reader last clicked), or from where the focus is. That
    every control is reached with Tab from the top of the page is the test above."""
    if start is not None:
        start.click()
    escaped = set()
    focused = page.evaluate(FOCUSED)
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        focused = forward(page, escaped, focused)
    raise AssertionError(f"Tab never reached {locator}")


KEYBOARD_PAGES = ["demo.md", "lessons/03-computation-graph.md", "lessons/05-vectorization.md",
                  "lessons/13-training-on-images.md", "index.md"]


@pytest.mark.parametrize("name", KEYBOARD_PAGES)
def test_every_control_of_ours_is_reached_with_tab_and_shows_the_focus(name, page, watch):
    if name == "index.md":  # the course map shows Reset once there is progress to forget
        page.goto(url_of(name))
        seed_progress(page)
    page.goto(url_of(name))
    wait_until_ready(page)
    tab_through(page)


def test_tab_passes_through_an_editor_left_with_escape_until_the_reader_types(open_page, page):
    cells = open_page("demo/")
    active = """(() => { const el = document.activeElement;
      const cell = el.closest('.nndl-cell'); const number = cell && cell.getAttribute('aria-labelledby');
      return `${number}: ${el.classList.contains('cm-content') ? 'editor' : el.textContent}`; })()"""
    cells[1].editor.click()
    page.keyboard.press("Escape")
    assert page.evaluate(active) == "nndl-cell-1-label: Run"
    keys = ["Tab", "Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab"]
    order = []
    for key in keys:
        page.keyboard.press(key)
        order.append(page.evaluate(active))
    assert order == [
        "nndl-cell-1-label: Stop", "nndl-cell-1-label: Reset", "nndl-cell-1-label: editor",
        "nndl-cell-2-label: Run",  # through the editor, not indenting it
        "nndl-cell-1-label: editor", "nndl-cell-1-label: Reset",
    ]
    assert cells[1].code() == 'print("Hello, neural networks!")'
    page.keyboard.press("Tab")
    page.keyboard.press("End")  # a key typed in the editor: Tab indents again
    page.keyboard.press("Tab")
    assert page.evaluate(active) == "nndl-cell-1-label: editor"
    assert cells[1].code() == 'print("Hello, neural networks!")    '


def test_a_cell_runs_and_its_output_is_announced_from_the_keyboard(open_page, page):
    cells = open_page("demo/")
    wait_for_python_on(page)
    outputs = page.locator(".nndl-cell .nndl-output")
    assert outputs.count() == len(cells)
    for i in range(outputs.count()):
        expect(outputs.nth(i)).to_have_attribute("aria-live", "polite")
    expect(page.locator(".nndl-runtime")).to_have_attribute("role", "status")
    focus_control(page, cells[1].button("Run"), start=cells[1].root.locator(".nndl-cell__label"))
    page.keyboard.press("Enter")
    cells[1].expect_state("done")
    assert cells[1].text()  # the result is inside the polite live region
    expect(cells[1].root.locator(".nndl-output[aria-live='polite']")).to_have_text(cells[1].text())
    page.keyboard.press("Space")  # the focus stayed on Run: Space runs it again
    expect(cells[1].root.locator(".nndl-cell__count")).to_have_text("[2]", timeout=PYTHON_TIMEOUT_MS)
    cells[1].expect_state("done")


def press_to_change(page, field):
    """Change a form field with keys only; returns its new value."""
    kind = field.evaluate("el => el.type")
    before = field.input_value()
    if kind == "range":
        page.keyboard.press("ArrowRight")
        if field.input_value() == before:
            page.keyboard.press("ArrowLeft")
    elif kind == "number":
        page.keyboard.press("ArrowUp")
        if field.input_value() == before:
            page.keyboard.press("ArrowDown")
    elif kind.startswith("select"):
        page.keyboard.press("ArrowDown")
        if field.input_value() == before:
            page.keyboard.press("ArrowUp")
    else:  # a list of numbers: one more entry the explorable accepts
        page.keyboard.press("End")
        page.keyboard.type(", 1" if field.get_attribute("name") != "learning_rates" else ", 0.5")
    after = field.input_value()
    assert after != before, f"{kind} {field.get_attribute('name')}: the keys changed nothing"
    return after


@pytest.mark.parametrize("explorable", sorted(EXPLORABLES))
def test_an_explorable_works_from_the_keyboard_and_announces_its_result(explorable, page, watch):
    name = EXPLORABLES[explorable]
    page.goto(url_of(name))
    wait_until_ready(page)
    root = page.locator(f'.nndl-explorable[data-explorable="{explorable}"]')
    summary = root.locator(".nndl-explorable__summary")
    expect(summary).to_have_attribute("aria-live", "polite")
    view = root.locator(".nndl-explorable__view")
    before = (view.get_attribute("data-values"), shown_text(summary))
    first = root.locator("[name]").first
    focus_control(page, first, start=root.locator(".nndl-explorable__title"))
    press_to_change(page, first)
    action = root.get_by_role("button")
    if action.count():
        focus_control(page, action)
        page.keyboard.press("Enter")
    expect(root).to_have_attribute("data-state", "done", timeout=PYTHON_TIMEOUT_MS)
    expect(view).not_to_have_attribute("data-values", before[0])
    after = (view.get_attribute("data-values"), shown_text(summary))
    assert after[1].strip() and after != before  # the new result is in the live region
    check_with_axe(page, name, "explorable used")


def test_the_dashboard_trains_from_the_keyboard_and_announces_the_end(page, watch):
    page.goto("lessons/13-training-on-images/")
    wait_until_ready(page)
    board = page.locator(".nndl-dashboard")
    live = board.locator(".nndl-dash__live")
    expect(live).to_have_attribute("aria-live", "polite")
    # The messages about the reader's picture and files, and the verdict, speak for themselves;
    # the form's message speaks through the live region above.
    regions = board.locator(
        ".nndl-dash__verdict, :is(.nndl-dash__picture, .nndl-dash__files) .nndl-dash__message")
    expect(regions).to_have_count(3)
    for region in regions.all():
        expect(region).to_have_attribute("role", "status")
    model = board.get_by_label("Model", exact=True)
    focus_control(page, model, start=board.locator("[id$='-form-title']"))
    page.keyboard.press("Home")  # the first model, logistic regression: its defaults fill the form
    expect(model).to_have_value("logistic")
    expect(board.get_by_label("Learning rate α", exact=True)).to_have_value("0.005")
    iterations = board.get_by_label("Iterations", exact=True)
    focus_control(page, iterations)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("60")
    train = board.get_by_role("button", name="Train", exact=True)
    focus_control(page, train)
    page.keyboard.press("Enter")
    expect(live).to_contain_text("Run 1 finished 60 iterations", timeout=180_000)
    # The HDF5 section opens from the keyboard.
    summary = board.locator("details.nndl-dash__files > summary")
    focus_control(page, summary)
    page.keyboard.press("Enter")
    expect(board.locator("details.nndl-dash__files")).to_have_attribute("open", "")
    check_with_axe(page, "lessons/13-training-on-images.md", "dashboard run")


def test_the_course_map_resets_from_the_keyboard(page, watch):
    page.goto("")
    seed_progress(page)
    page.reload()
    page.wait_for_selector("#your-progress[data-mounted]")
    reset = page.get_by_role("button", name="Reset progress")
    focus_control(page, reset, start=page.locator(".nndl-progress__text"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Enter")
    status = page.locator("#your-progress").get_by_role("status")
    expect(status).to_contain_text("Progress reset")
    expect(page.locator(".nndl-progress__text")).to_have_text(re.compile(r"^0 of \d+ lessons done · 0 of "))


def test_the_notebook_downloads_from_the_keyboard(page, watch):
    page.goto("lessons/03-computation-graph/")
    page.wait_for_load_state("load")
    link = page.get_by_role("link", name="Download as notebook")
    focus_control(page, link, start=page.locator("h1"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "lessons-03-computation-graph.ipynb"


def test_axe_finds_what_it_is_asked_to_find(page, watch):
    """The check is live: a button without a name on a page is a critical violation."""
    page.goto("demo/")
    page.wait_for_load_state("load")
    page.evaluate("document.querySelector('.md-content article').append(document.createElement('button'))")
    violations = axe_violations(page)
    assert any(v["id"] == "button-name" and v["impact"] == "critical" for v in violations)
