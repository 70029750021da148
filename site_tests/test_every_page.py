"""Every page of the built site with cells, run the way a reader runs it, in every engine the
site supports (Chromium, Firefox and WebKit: the `reader` fixture, reader.py).

For each page and engine (one test each; in each engine one reader goes through the pages in the
course's order in one tab, from a fresh browser profile, reaching each next page as the site's
links do, so Python starts once per engine, as it does for a reader going through the course):

- each cell's Run button is pressed in turn (the first one while Python starts), waiting for the
  cell to end. Every cell must end "done", except that a cell marked ```pycell manual may end in
  an error the lesson tests count as deliberate (nndl_site/pages.py); the page must
  report no uncaught error;
- the outputs the lessons promise are there (EXPECTED_OUTPUTS); every exercise's check, run on
  the starter code, shows a "not yet" verdict, and the reader's progress counts no exercise of
  the page as passed (running cells is not learning);
- in Chromium, axe-core finds no serious or critical violation of the WCAG 2 A/AA rules on the
  page as its cells left it, in the light and the dark scheme (test_accessibility.py checks the
  pages without cells, and every page at 375 pixels).

Each page's notebook is downloaded through its "Download as notebook" button (Chromium), and must
be nbformat 4 JSON whose code cells are the page's cells, in order (besides the code cells that
stand for the page's explorables, marked as such).

The time from the first Run to the end of the last cell is measured for each page and engine,
written to build/lesson-times.json ({engine: {page: seconds}}) and printed in a table at the end
of the session, with each page's slowest cell. Then the progress of the home page's course map
(progress.js: lessons read, exercises passed, quiz answers) is driven through instant
navigation, a reload and a reset, and screenshots of the map are taken.
"""

import contextlib
import json
import posixpath
import re
import time

import pytest
from conftest import ROOT, SCREENSHOTS, SESSION_REPORT, Cells, check_with_axe, shown_text
from playwright.sync_api import expect
from reader import PYTHON_TIMEOUT, Reader

# The notebooks: which pages have no notebook, which cells only the page can run.
from nndl_site import notebooks as notebooks_hook
# The lessons' pages as the lesson tests read them: which have cells, which cells are manual, which
# errors are deliberate.
from nndl_site import pages as harness


DOCS = ROOT / "docs"


def load(page):
    return harness.read_page((DOCS / page).read_text(encoding="utf-8"), page)


ALL_PAGES = harness.pages(DOCS)
PAGES = [page for page in ALL_PAGES if load(page).cells]
LESSONS = [page for page in PAGES if page.startswith("lessons/")]
TIMES_FILE = ROOT / "build" / "lesson-times.json"
#: How long one cell may run, in seconds. WebAssembly is several times slower than CPython; a
#: cell that comes near this is reported in the session's table, not skipped.
CELL_TIMEOUT = 300
#: A cell slower than this is named in the table at the end of the session.
SLOW_CELL_SECONDS = 10.0
PROGRESS_KEY = "nndl.progress"

#: Measured in this session, keyed by (engine, page): seconds to run all its cells;
#: [(cell, seconds, manual)]; seconds from opening the page to Python being ready.
run_all_seconds = {}
cell_seconds = {}
startup_seconds = {}


def url_of(page):
    """docs path → address under the site root: index.md → "", lessons/x.md → lessons/x/."""
    stem = posixpath.splitext(page)[0]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def page_key(page):
    """The key progress.js and cells.js give the page: its path from the site root."""
    return "/" + url_of(page)


# ---- What the lessons promise their cells show --------------------------------------------


def at_least(threshold):
    return lambda match: float(match.group(1)) >= threshold


#: page → [(pattern a cell's output must match, optional test of the match)].
EXPECTED_OUTPUTS = {
    "lessons/01-images-as-vectors.md": [
        (r"train_x_orig: \(209, 64, 64, 3\) uint8", None),
        (r"train_x: +\(12288, 209\)", None),
        (r"x has shape \(12288, 1\)", None),
    ],
    "lessons/02-logistic-regression.md": [
        (r"J\(w = 0, b = 0\) = 0\.69314718", None),  # log 2: ŷ = 0.5 everywhere
    ],
    "lessons/03-computation-graph.md": [
        (r"\bJ = 33\.0\b", None),
        (r"\bdv = dJ/dv = 3\.0\b", None),
        (r"\bda = dJ/da = 3\.0\b", None),
        (r"\bdb = dJ/db = 6\.0\b", None),
        (r"\bdc = dJ/dc = 9\.0\b", None),
    ],
    "lessons/09-deep-networks.md": [
        (r"gradient check: difference = \S+, passed: True", None),
        (r"accuracy on the flower: (\d+(?:\.\d+)?)%", at_least(90.0)),
    ],
    "lessons/10-dimensions.md": [
        (r"all \d+ shapes agree with the table", None),
        (r"A\[L\] is \(1, 7\)", None),
    ],
    "lessons/13-training-on-images.md": [
        (r"training set: X \(12288, 209\), Y \(1, 209\)", None),
    ],
}


def test_the_expected_outputs_name_pages_that_have_cells():
    assert set(EXPECTED_OUTPUTS) <= set(PAGES)
    assert "lessons/03-computation-graph.md" in EXPECTED_OUTPUTS


# ---- The session's table -------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def report_times():
    """After the module: the times in build/lesson-times.json and in the session's summary."""
    yield
    if not run_all_seconds:
        return
    TIMES_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:  # a run of some of the pages updates theirs and keeps the others'
        times = json.loads(TIMES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        times = {}
    for (engine, page), seconds in run_all_seconds.items():
        times.setdefault(engine, {})[page] = round(seconds, 2)
    text = json.dumps(dict(sorted(times.items())), indent=1) + "\n"
    TIMES_FILE.write_text(text, encoding="utf-8")
    lines = [f"{'engine':<9} {'page':<40} {'cells':>5} {'Python ready':>12} {'run all':>8}  slowest cell"]
    for (engine, page), seconds in sorted(run_all_seconds.items()):
        number, slowest, _ = max(cell_seconds[engine, page], key=lambda item: item[1])
        lines.append(
            f"{engine:<9} {page:<40} {len(cell_seconds[engine, page]):>5} "
            f"{startup_seconds[engine, page]:>11.1f}s {seconds:>7.1f}s  cell {number}: {slowest:.1f} s"
        )
    for engine in sorted({engine for engine, _ in run_all_seconds}):
        total = sum(s for (e, _), s in run_all_seconds.items() if e == engine)
        lines.append(f"{engine}: {total:.0f} s to run every cell of the pages above")
    slow = [
        f"{engine} {page} cell {number}{' (manual)' if manual else ''}: {seconds:.1f} s"
        for (engine, page), cells in cell_seconds.items()
        for number, seconds, manual in cells
        if seconds > SLOW_CELL_SECONDS
    ]
    lines.append(f"cells slower than {SLOW_CELL_SECONDS:.0f} s: {'; '.join(slow) or 'none'}")
    lines.append(f"(written to {TIMES_FILE.relative_to(ROOT)})")
    SESSION_REPORT["time to run every cell of each page, per engine"] = lines


# ---- Every page ---------------------------------------------------------------------------------


def notebook_name(page):
    """As nndl_site/notebooks.py names it: lessons/03-x.md → lessons-03-x.ipynb."""
    return posixpath.splitext(page)[0].replace("/", "-") + ".ipynb"


def lesson_code_of(page, url):
    """The code of the page's cells as the site serves it (before the editors replace it)."""
    html = page.request.get(url).text()
    return page.evaluate(
        """html => [...new DOMParser().parseFromString(html, 'text/html')
                      .querySelectorAll('.nndl-cell .nndl-cell__source')]
                   .map(source => (source.querySelector('code') || source).textContent)""",
        html,
    )


def check_notebook(page, name, url, count):
    link = page.get_by_role("link", name="Download as notebook")
    if name in notebooks_hook.WITHOUT_NOTEBOOK:
        expect(link).to_have_count(0)
        return
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("download", notebook_name(name))
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == notebook_name(name)
    with open(download.path(), encoding="utf-8") as file:
        book = json.load(file)  # valid JSON, or the test fails here
    assert book["nbformat"] == 4 and book["nbformat_minor"] >= 4
    assert book["metadata"]["kernelspec"]["language"] == "python"
    for cell in book["cells"]:
        assert cell["cell_type"] in ("markdown", "code") and isinstance(cell["source"], list)
    # The page's cells, but those only the page can run (notebooks_hook.BROWSER_ONLY); the
    # install line and the explorables are code cells too, marked in their metadata.
    code = [
        "".join(cell["source"])
        for cell in book["cells"]
        if cell["cell_type"] == "code" and "nndl" not in cell["metadata"]
    ]
    served = lesson_code_of(page, url)
    assert len(served) == count
    served = [source for source in served if not notebooks_hook.BROWSER_ONLY.search(source)]
    assert len(code) == len(served)
    for number, (source, original) in enumerate(zip(code, served), start=1):
        assert source.rstrip("\n") == original.rstrip("\n"), f"{name}: notebook cell {number}"


def wait_for_python_on(page):
    """The same wait, on a Playwright page (the tests that stay in Chromium)."""
    status = page.locator(".nndl-runtime")
    expect(status).to_have_attribute("data-phase", re.compile(r"^(ready|failed)$"),
                                      timeout=PYTHON_TIMEOUT * 1000)
    assert status.get_attribute("data-phase") == "ready", shown_text(status)


def wait_for_python(reader):
    phase = reader.wait(
        "['ready', 'failed'].includes(document.querySelector('.nndl-runtime')?.dataset.phase)"
        " && document.querySelector('.nndl-runtime').dataset.phase",
        timeout=PYTHON_TIMEOUT, message="Python to be ready",
    )
    assert phase == "ready", reader.text_of(".nndl-runtime")


@pytest.mark.parametrize("name", PAGES)
def test_the_page_downloads_as_its_notebook_of_its_cells(name, open_page, page):
    url = url_of(name)
    cells = open_page(url)
    check_notebook(page, name, url, len(cells))


#: The reader of each engine going through the course: engine name → Reader, while its pages pass.
course_readers = {}


@pytest.fixture
def course_reader(engine, site_server):
    """One reader per engine reads every page, in the course's order, in one tab: the first page
    opened in a fresh profile, each next one reached as the site's links reach it (instant
    navigation, which keeps Python running, as a reader going through the course has it). A page
    that fails ends that visit: the next page starts a fresh one. The test fails on any
    uncaught error its page reported."""
    reader = course_readers.pop(engine.name, None)
    if reader is None:
        reader = Reader(engine.open_tab(), site_server.url)
    seen = len(reader.tab.unexpected_errors())
    yield reader
    errors = reader.tab.unexpected_errors()[seen:]
    passed = course_readers.get(engine.name) is reader
    if not passed or getattr(reader, "page_name", None) == PAGES[-1]:
        course_readers.pop(engine.name, None)
        reader.tab.close()
    assert errors == [], "errors reported by the page"


@pytest.fixture(scope="module", autouse=True)
def close_course_readers():
    yield
    while course_readers:
        _, reader = course_readers.popitem()
        with contextlib.suppress(Exception):  # its engine may have been closed already
            reader.tab.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_every_cell_of_the_page_runs_with_the_outputs_the_lesson_promises(name, course_reader):
    reader = course_reader
    parsed = load(name)
    engine = reader.engine
    opened = time.monotonic()
    if getattr(reader, "page_name", None) is None:
        reader.open(url_of(name))
    else:
        reader.go(url_of(name))
    reader.page_name = name
    count = reader.count()
    assert count == len(parsed.cells), (
        f"{name}: the page shows {count} cells, the Markdown has {len(parsed.cells)}"
    )
    manual = reader.js("[...document.querySelectorAll('.nndl-cell')].map(el => el.dataset.run === 'manual')")
    assert manual == ["manual" in cell.options for cell in parsed.cells]

    reader.run(1)  # the first cell starts Python, as a reader's first Run does
    wait_for_python(reader)
    startup_seconds[engine, name] = time.monotonic() - opened
    times = []
    started = time.monotonic()
    for number in range(1, count + 1):
        t0 = time.monotonic()
        if number > 1:
            reader.run(number)
        reader.wait_until_ended(number, timeout=CELL_TIMEOUT)
        times.append((number, time.monotonic() - t0, manual[number - 1]))
        if reader.state(number) == "done":
            continue
        status = reader.status(number)
        raised = reader.js(f"!!{reader.cell(number)}.querySelector('.nndl-traceback__message')")
        where = f"{engine}, {name}: cell {number} (```pycell at line {parsed.cells[number - 1].line})"
        assert raised, f"{where} ended with {status!r}:\n{reader.text(number)}"
        assert manual[number - 1], f"{where} raised {status}:\n{reader.text(number)}"
        assert harness.deliberate(status), (
            f"{where} is manual, but {status} is never deliberate:\n{reader.text(number)}"
        )
    run_all_seconds[engine, name] = time.monotonic() - started
    cell_seconds[engine, name] = times

    outputs = [reader.text(number) for number in range(1, count + 1)]
    for pattern, test in EXPECTED_OUTPUTS.get(name, []):
        matches = [m for m in (re.search(pattern, text) for text in outputs) if m]
        assert matches, f"{engine}, {name}: no cell shows {pattern!r}"
        if test:
            assert test(matches[0]), f"{engine}, {name}: {matches[0].group(0)!r}"

    # Every check, run on the starter code, says "not yet", and no exercise counts as passed.
    exercises, _ = course_ids(name)
    checks = "[...document.querySelectorAll('.nndl-cell[data-exercise-part=\"check\"]')]"
    assert reader.js(f"{checks}.map((el) => el.dataset.exercise)") == exercises
    verdicts = reader.js(
        f"{checks}.map((el) => [el.dataset.verdict, el.querySelector('.nndl-verdict')?.dataset.verdict])"
    )
    assert verdicts == [["fail", "fail"]] * len(exercises)
    stored = reader.js(f"JSON.parse(localStorage.getItem('{PROGRESS_KEY}'))") or {}
    lesson = stored.get("lessons", {}).get(page_key(name), {})
    for exercise in exercises:
        assert "failed" in lesson["exercises"][exercise]
        assert "passed" not in lesson["exercises"][exercise]

    # axe-core on the page as its cells left it (outputs, figures; lesson 13's dashboard), light
    # and dark: no serious or critical violation (conftest.check_with_axe). Chromium only: axe
    # is put into the page through Playwright.
    if engine == "chromium":
        check_with_axe(reader.tab.page, name, "cells run")
    course_readers[engine] = reader  # the page passed: the visit goes on to the next page


# ---- The reader's progress on the course map ----------------------------------------------


def lesson_link(page, name):
    """The map's link to the lesson (instant navigation may have made its href absolute)."""
    url = url_of(name)
    return page.locator(f'a[data-lesson][href$="/{url}"], a[data-lesson][href="{url}"]')


def lesson_card(page, name):
    return page.locator(".md-content li").filter(has=lesson_link(page, name))


def wait_for_map(page):
    page.wait_for_selector("#your-progress[data-mounted]")
    return page.locator("#your-progress")


def course_ids(name):
    """(exercise ids, quiz question ids) a page declares, in order (nndl_site/exercises.py)."""
    text = (DOCS / name).read_text(encoding="utf-8")
    exercises = re.findall(r'^```pycell check="([^"]+)"', text, re.M)
    questions = re.findall(r"^\? ([a-z0-9-]+)$", text, re.M)
    return exercises, questions


def course_totals():
    exercises = sum(len(course_ids(name)[0]) for name in LESSONS)
    questions = sum(len(course_ids(name)[1]) for name in LESSONS)
    return exercises, questions


def overall(done, passed, right, read):
    exercises, questions = course_totals()
    lessons = len(LESSONS)
    return (f"{done} of {lessons} lessons done · {passed} of {exercises} exercises passed · "
            f"{right} of {questions} quiz questions right · {read} {'lesson' if read == 1 else 'lessons'} read")


def lesson_progress(passed, exercises, right, questions, read=False):
    parts = ["Read"] if read else []
    parts.append(f"{passed} of {exercises} {'exercise' if exercises == 1 else 'exercises'} passed")
    parts.append(f"{right} of {questions} quiz questions right")
    return " · ".join(parts)


def test_the_home_page_counts_learning_not_clicks_through_navigation_reloads_and_reset(open_page, page):
    lesson = "lessons/03-computation-graph.md"
    exercises, questions = course_ids(lesson)
    cells = open_page(url_of(lesson))
    count = len(cells)
    cells[count].run()  # runs every cell above it, the exercise's check with the starter code
    cells[count].expect_state("done")
    assert cells.states() == ["done"] * count

    page.evaluate("window.__sameDocument = true")
    page.locator(".md-nav--primary").get_by_role("link", name="Home", exact=True).click()
    page.wait_for_url(re.compile(r".*/nndl/$"))
    summary = wait_for_map(page)
    assert page.evaluate("window.__sameDocument === true")  # instant navigation, no reload

    status = lesson_card(page, lesson).locator(".nndl-lesson-progress")
    lessons = page.locator("a[data-lesson]").count()
    assert lessons == len(LESSONS)  # every lesson is on the map

    def shows(lesson_text, overall_text):
        expect(status).to_have_text(lesson_text)
        expect(summary.locator(".nndl-progress__text")).to_have_text(overall_text)

    # Every cell ran, and the lesson is not done: its exercise's check said "not yet".
    started = lesson_progress(0, len(exercises), 0, len(questions))
    shows(started, overall(0, 0, 0, 0))
    expect(status).to_have_attribute("data-progress", "started")
    others = page.locator(".nndl-lesson-progress")
    expect(others).to_have_count(lessons)
    expect(others.filter(has_text="Not started")).to_have_count(lessons - 1)
    # The link says where the reader is; the bar has a name and a value.
    link = lesson_link(page, lesson)
    expect(link).to_have_accessible_description(started)
    bar = page.get_by_role("progressbar", name=re.compile(r"Your progress: 0 of \d+ lessons done"))
    expect(bar).to_have_count(1)
    exercise_total, question_total = course_totals()
    assert bar.evaluate("el => [el.value, el.max]") == [0, exercise_total + question_total]

    page.reload()
    summary = wait_for_map(page)
    shows(started, overall(0, 0, 0, 0))

    # A lesson read, whose exercise passed and whose quiz is answered right, is done (here as if
    # the reader had done lesson 1).
    first_exercises, first_questions = course_ids(LESSONS[0])
    page.evaluate(
        """([key, page, exercises, questions]) => {
             const data = JSON.parse(localStorage.getItem(key));
             const t = new Date().toISOString();
             data.lessons[page] = {
               read: t,
               exercises: Object.fromEntries(exercises.map((id) => [id, { passed: t }])),
               quiz: Object.fromEntries(questions.map((id) => [id, { right: true, choice: 0, answered: t }])),
             };
             localStorage.setItem(key, JSON.stringify(data));
           }""",
        [PROGRESS_KEY, page_key(LESSONS[0]), first_exercises, first_questions],
    )
    page.reload()
    summary = wait_for_map(page)
    first = lesson_card(page, LESSONS[0]).locator(".nndl-lesson-progress")
    expect(first).to_have_text("Done ✓")
    expect(first).to_have_attribute(
        "title", lesson_progress(1, len(first_exercises), len(first_questions), len(first_questions), read=True))
    done_overall = overall(1, len(first_exercises), len(first_questions), 1)
    shows(started, done_overall)

    reset = summary.get_by_role("button", name="Reset progress")
    page.once("dialog", lambda dialog: dialog.dismiss())  # "Cancel" keeps everything
    reset.click()
    shows(started, done_overall)
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    reset.click()
    shows("Not started", overall(0, 0, 0, 0))
    assert "Forget your progress" in messages[0]
    expect(summary.get_by_role("status")).to_contain_text("Progress reset")
    expect(reset).to_be_focused()
    assert page.evaluate(f"localStorage.getItem('{PROGRESS_KEY}')") is None
    page.reload()
    wait_for_map(page)
    shows("Not started", overall(0, 0, 0, 0))

    # The page that explains it keeps its own heading "Your progress" as written.
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="How to use this site").first.click()
    page.wait_for_url("**/nndl/how-to-use/")
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    expect(page.locator("#your-progress")).to_have_text(re.compile(r"^\s*Your progress\W*$"))
    assert page.evaluate("window.__sameDocument === true")


REFUSE_STORAGE = """Storage.prototype.setItem = function () {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
};"""
DISABLE_STORAGE = """Object.defineProperty(window, 'localStorage', {
  get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });"""


def check_without_storage(page, cells):
    assert cells[1].run_and_wait().startswith("u = 6.0")  # the cell runs; nothing is recorded
    page.locator(".md-nav--primary").get_by_role("link", name="Home", exact=True).click()
    page.wait_for_url(re.compile(r".*/nndl/$"))
    summary = wait_for_map(page)
    expect(summary).to_have_attribute("data-progress", "unavailable")
    expect(summary).to_contain_text("this browser does not let the site store anything")
    expect(page.locator(".nndl-lesson-progress")).to_have_count(0)
    expect(summary.get_by_role("button")).to_have_count(0)


def test_when_the_browser_refuses_to_store_the_map_says_so_quietly(open_page, page):
    page.add_init_script(REFUSE_STORAGE)
    check_without_storage(page, open_page("lessons/03-computation-graph/"))


def test_when_storage_is_disabled_the_cells_and_the_map_still_work(browser, base_url):
    """Accessing localStorage throws (a browser set to block site data). Material's own script
    then reports errors of its own; the site's code must not add any."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.add_init_script(DISABLE_STORAGE)
    errors = []
    page.on("pageerror", lambda error: errors.append(error.stack or str(error)))
    page.goto("lessons/03-computation-graph/")
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    check_without_storage(page, Cells(page))
    assert [e for e in errors if "assets/nndl/" in e] == []
    context.close()


def test_without_javascript_the_map_says_what_progress_is(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("")
    expect(page.locator("#your-progress")).to_contain_text("Your progress appears here")
    expect(page.locator("a[data-lesson]")).to_have_count(len(LESSONS))
    context.close()


# ---- How the map looks ---------------------------------------------------------------------------


def seed_progress(page):
    """Lessons 1–4 done, lesson 5 read with half of its quiz right, lesson 6 just read. Returns
    what the map's summary then says."""
    lessons = {}
    t = "2026-12-01T10:00:00.000Z"
    passed = right = 0
    for i, name in enumerate(LESSONS[:6]):
        exercises, questions = course_ids(name)
        entry = {"read": t, "exercises": {}, "quiz": {}}
        if i < 4:
            entry["exercises"] = {e: {"passed": t} for e in exercises}
            answered = questions
            passed += len(exercises)
        else:
            answered = questions[: len(questions) // 2] if i == 4 else []
        entry["quiz"] = {q: {"right": True, "choice": 0, "answered": t} for q in answered}
        right += len(answered)
        lessons[page_key(name)] = entry
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, JSON.stringify(value))",
        [PROGRESS_KEY, {"version": 2, "lessons": lessons}],
    )
    return overall(4, passed, right, 6)


@pytest.mark.parametrize("width", [1200, 375], ids=["desktop", "375px"])
def test_screenshots_of_the_course_map_with_progress(browser, base_url, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        context = browser.new_context(
            base_url=base_url, color_scheme=scheme, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto("")
        expected = seed_progress(page)
        page.reload()
        summary = wait_for_map(page)
        expect(summary.locator(".nndl-progress__text")).to_have_text(expected)
        summary.scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, document.getElementById('your-progress').offsetTop - 80)")
        name = "desktop" if width > 600 else f"{width}px"
        page.screenshot(path=SCREENSHOTS / f"home-progress-{name}-{scheme}.png")
        page.evaluate(
            "scrollBy(0, document.getElementById('part-2-shallow-networks')"
            ".getBoundingClientRect().top - 80)"
        )
        page.screenshot(path=SCREENSHOTS / f"home-progress-{name}-{scheme}-part-2.png")
        full = SCREENSHOTS / f"home-progress-{name}-{scheme}-full.png"
        page.screenshot(path=full, full_page=True)
        assert errors == []
        context.close()
