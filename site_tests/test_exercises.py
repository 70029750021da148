"""Exercises and quizzes as a learner meets them, in Chromium with the real Python of the site.

- A check grades the code the reader sees: a starter cell edited since it ran is marked "changed
  since it ran" (and announced), and running the check runs it again first.
- The verdict is an element .nndl-verdict with data-verdict pass|fail, inline code drawn as
  <code>, announced; pass and fail look different, and a failed check's cell bar is not green.
- The hint comes before the solution; the solution is offered after the hint was opened or a
  check failed, and opens after a confirmation.
- The "Check your understanding" quiz: static HTML before any script, keyboard operation, an
  explanation after every answer, and the answers counted on the course map.
- The course map counts exercises passed, quiz answers and lessons read; progress exported to a
  file comes back after the browser's storage is cleared.

Screenshots of the exercise flow and a quiz: build/screenshots/exercises/.
"""

import json
import re

from conftest import PYTHON_TIMEOUT_MS, SCREENSHOTS, check_with_axe, set_scheme, shown_text
from playwright.sync_api import expect

SHOTS = SCREENSHOTS / "exercises"
LESSON_1 = "lessons/01-images-as-vectors/"
LESSON_12 = "lessons/12-hyperparameters/"
PROGRESS_KEY = "nndl.progress"

FLATTEN = '''def flatten(images):
    """images: (m, 64, 64, 3), pixels 0-255 -> X: (12288, m), one picture per column, in [0, 1]."""
    m = images.shape[0]
    X = images.reshape(m, -1).T / 255
    return X'''

COUNT_PARAMETERS = '''def count_parameters(layer_dims):
    return sum(layer_dims[l] * (layer_dims[l - 1] + 1) for l in range(1, len(layer_dims)))'''


def exercise_cells(page, cells, exercise):
    """(starter Cell, check Cell) of the exercise, found by the attributes the build gives them."""
    parts = page.locator(".nndl-cell").evaluate_all(
        """(els, id) => els.map((el, i) => [i + 1, el.dataset.exercise === id ? el.dataset.exercisePart : null])
                          .filter(([, part]) => part)""",
        exercise,
    )
    starters = [n for n, part in parts if part == "starter"]
    checks = [n for n, part in parts if part == "check"]
    assert len(starters) == 1 and len(checks) == 1, parts
    return cells[starters[0]], cells[checks[0]]


def stored_progress(page):
    return page.evaluate(f"JSON.parse(localStorage.getItem('{PROGRESS_KEY}'))")


def shot(page, locator, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator.evaluate("el => { el.scrollIntoView({ block: 'start' }); window.scrollBy(0, -70); }")
    page.evaluate("document.querySelectorAll('.cm-scroller').forEach((el) => (el.scrollLeft = 0))")
    page.wait_for_timeout(400)  # the cells' colour transitions settle
    page.screenshot(path=SHOTS / name, full_page=False)


def colour(locator, prop):
    """The element's colour `prop` once its transitions have ended (cells.css fades a cell's
    border from one state's colour to the next)."""
    return locator.evaluate(
        f"el => Promise.all(el.getAnimations().map((a) => a.finished)).then(() => getComputedStyle(el).{prop})")


def test_the_check_grades_the_edited_code_and_says_pass_or_not_yet(open_page, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    cells = open_page(LESSON_1)
    starter, check = exercise_cells(page, cells, "flatten")

    # Wrong answer: the starter returns None. Running the check runs the cells above it first.
    check.run()
    check.expect_state("done")
    verdict = check.output.locator(".nndl-verdict")
    expect(verdict).to_have_count(1)
    expect(verdict).to_have_attribute("data-verdict", "fail")
    expect(verdict).to_contain_text("Not yet")
    # Backticks of the message are drawn as code, not shown.
    expect(verdict.locator("code")).to_have_text(["return"])
    assert "`" not in shown_text(verdict)
    expect(check.root).to_have_attribute("data-verdict", "fail")
    expect(check.root.locator(".nndl-cell__status")).to_have_text("Check: not yet")
    announcer = page.locator(".nndl-announcer")
    expect(announcer).to_have_attribute("role", "status")
    expect(announcer).to_contain_text("Not yet")
    fail_bar = colour(check.root, "borderLeftColor")
    fail_background = colour(verdict, "backgroundColor")
    ok_green = colour(starter.root, "borderLeftColor")  # a cell that ran without a check: green
    assert fail_bar != ok_green, "a failed check's cell must not show the green bar of success"
    shot(page, check.root, "1-wrong-answer.png")
    exercise = stored_progress(page)["lessons"]["/lessons/01-images-as-vectors/"]["exercises"]["flatten"]
    assert "failed" in exercise and "passed" not in exercise
    # A failed check offers the solution (behind its confirmation), as opening the hint does.
    solution = page.locator('details[data-exercise="flatten"][data-exercise-part="solution"]')
    expect(solution).not_to_have_attribute("data-locked", "")

    # Edit: the starter now differs from the code it ran; it says so, and it is announced.
    count_before = shown_text(starter.root.locator(".nndl-cell__count"))
    starter.set_code(FLATTEN)
    changed = starter.root.locator(".nndl-cell__changed")
    expect(changed).to_be_visible()
    expect(changed).to_have_text("changed since it ran")
    expect(starter.root).to_have_attribute("data-changed", "")
    expect(announcer).to_contain_text(re.compile(r"Cell \d+ changed since it ran"))
    shot(page, starter.root, "2-edit.png")

    # Check: only the check cell is run, and the edited starter runs again first.
    check.run()
    expect(starter.root).not_to_have_attribute("data-changed", "", timeout=PYTHON_TIMEOUT_MS)
    check.expect_state("done")
    starter.expect_state("done")
    shot(page, starter.root, "3-check.png")  # the starter ran again, first, for the check
    expect(changed).to_be_hidden()
    assert shown_text(starter.root.locator(".nndl-cell__count")) != count_before
    expect(verdict).to_have_attribute("data-verdict", "pass")
    expect(verdict).to_contain_text("Correct")
    expect(check.root).to_have_attribute("data-verdict", "pass")
    expect(check.root.locator(".nndl-cell__status")).to_have_text("Check passed")
    expect(announcer).to_contain_text("Correct")
    assert colour(verdict, "backgroundColor") != fail_background
    assert colour(check.root, "borderLeftColor") == ok_green
    shot(page, check.root, "4-pass.png")
    exercise = stored_progress(page)["lessons"]["/lessons/01-images-as-vectors/"]["exercises"]["flatten"]
    assert "passed" in exercise

    # Pass and fail differ in the dark scheme too.
    set_scheme(page, "dark")
    dark_pass = colour(verdict, "backgroundColor")
    starter.set_code(FLATTEN.replace(".T / 255", " / 255"))  # one picture per row: wrong shape
    check.run()
    expect(verdict).to_have_attribute("data-verdict", "fail", timeout=PYTHON_TIMEOUT_MS)
    expect(verdict.locator("code")).to_have_count(0)
    assert colour(verdict, "backgroundColor") != dark_pass
    shot(page, check.root, "5-fail-dark.png")
    # A pass once earned stays on the map.
    exercise = stored_progress(page)["lessons"]["/lessons/01-images-as-vectors/"]["exercises"]["flatten"]
    assert "passed" in exercise
    set_scheme(page, "light")


def test_the_hint_comes_before_the_solution_which_asks_first(open_page, page):
    cells = open_page(LESSON_1)
    hint = page.locator('details[data-exercise="flatten"][data-exercise-part="hint"]')
    solution = page.locator('details[data-exercise="flatten"][data-exercise-part="solution"]')
    expect(hint).to_have_count(1)
    expect(solution).to_have_count(1)
    assert hint.evaluate(
        "(h, s) => Boolean(h.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING)",
        solution.element_handle(),
    )
    summary = solution.locator("summary")
    expect(solution).to_have_attribute("data-locked", "")
    expect(summary).to_have_attribute("aria-disabled", "true")
    expect(summary).to_contain_text("open the hint or run the check first")
    dialogs, replies = [], []  # the messages of the dialogs; True accepts the next one

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        if replies and replies.pop(0):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", on_dialog)
    summary.click()
    assert not solution.evaluate("el => el.open")
    assert dialogs == []  # locked: nothing to confirm yet
    expect(page.locator(".nndl-announcer")).to_contain_text("The solution is offered after you")

    # The hint opens at once and offers the solution.
    hint.locator("summary").click()
    assert hint.evaluate("el => el.open")
    expect(solution).not_to_have_attribute("data-locked", "")
    expect(summary).to_have_attribute("aria-disabled", "false")
    # The solution asks first; Cancel keeps it closed (the keyboard takes the same path).
    summary.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert len(dialogs) == 1 and "Show the solution?" in dialogs[0]
    assert not solution.evaluate("el => el.open")
    replies.append(True)
    summary.click()
    expect(solution).to_have_attribute("open", "")
    assert len(dialogs) == 2
    # Seen once, it opens again without asking.
    summary.click()
    expect(solution).not_to_have_attribute("open", "")
    summary.click()
    expect(solution).to_have_attribute("open", "")
    assert len(dialogs) == 2
    state = stored_progress(page)["lessons"]["/lessons/01-images-as-vectors/"]["exercises"]["flatten"]
    assert "hint" in state and "solution" in state
    assert len(cells) > 0


def answer(question, option_index, page):
    """Choose an answer with the keyboard, as a reader without a mouse does, and press Check."""
    radios = question.locator('input[type="radio"]')
    radios.first.focus()
    page.keyboard.press("Space")  # selects the first answer
    for _ in range(option_index):
        page.keyboard.press("ArrowDown")
    expect(radios.nth(option_index)).to_be_checked()
    page.keyboard.press("Tab")
    expect(question.get_by_role("button", name="Check")).to_be_focused()
    page.keyboard.press("Enter")


def test_the_quiz_reads_before_scripts_and_explains_every_answer(browser, base_url, open_page, page):
    # Without JavaScript: questions, answers and, behind a disclosure, the answer and explanation.
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    bare = context.new_page()
    bare.goto(LESSON_1)
    questions = bare.locator("[data-quiz-question]")
    expect(questions).to_have_count(5)
    expect(questions.first.locator("legend")).to_contain_text("Question 1 of 5.")
    expect(questions.first.locator('input[type="radio"]')).to_have_count(3)
    expect(questions.first.locator(".nndl-quiz__check")).to_be_hidden()
    questions.first.locator("summary").click()
    expect(questions.first.locator(".nndl-quiz__answer")).to_contain_text("The answer:")
    context.close()

    open_page(LESSON_1)
    page.set_viewport_size({"width": 1280, "height": 900})
    question = page.locator('[data-quiz-question="x-shape"]')
    explanation = question.locator(".nndl-quiz__answer")
    expect(explanation).to_be_hidden()  # asked before it tells
    feedback = question.get_by_role("status")
    question.get_by_role("button", name="Check").click()
    expect(feedback).to_have_text("Choose an answer first.")

    answer(question, 0, page)  # (209, 12288): wrong
    expect(question).to_have_attribute("data-quiz-result", "wrong")
    expect(feedback).to_contain_text("Not quite")
    expect(explanation).to_be_visible()
    expect(explanation).to_have_attribute("open", "")
    expect(explanation).to_contain_text("Each picture becomes one column")
    shot(page, question, "quiz-wrong.png")
    progress = stored_progress(page)["lessons"]["/lessons/01-images-as-vectors/"]["quiz"]
    assert progress["x-shape"]["right"] is False

    answer(question, 1, page)  # (12288, 209): right
    expect(question).to_have_attribute("data-quiz-result", "right")
    expect(feedback).to_have_text("Right.")
    expect(explanation).to_be_visible()
    shot(page, question, "quiz-right.png")
    progress = stored_progress(page)["lessons"]["/lessons/01-images-as-vectors/"]["quiz"]
    assert progress["x-shape"] == {"right": True, "choice": 1, "answered": progress["x-shape"]["answered"]}

    # axe-core: the answered quiz, the map of answers and explanations, in both schemes.
    check_with_axe(page, "lessons/01-images-as-vectors.md", "quiz answered")

    # Reloaded, the question shows its last answer.
    page.reload()
    expect(question).to_have_attribute("data-quiz-result", "right")
    expect(question.locator('input[type="radio"]').nth(1)).to_be_checked()


def test_the_map_counts_exercises_quizzes_and_reading_and_survives_export_and_import(
    open_page, page, tmp_path
):
    cells = open_page(LESSON_12)
    starter, check = exercise_cells(page, cells, "count-parameters")
    starter.set_code(COUNT_PARAMETERS)
    check.run()
    expect(check.output.locator(".nndl-verdict")).to_have_attribute(
        "data-verdict", "pass", timeout=PYTHON_TIMEOUT_MS
    )
    answer(page.locator('[data-quiz-question="count-parameters"]'), 2, page)  # 21: right
    lesson = stored_progress(page)["lessons"][f"/{LESSON_12}"]
    assert "read" not in lesson  # not at the end of the lesson yet
    page.locator(".md-content article > :last-child").scroll_into_view_if_needed()  # the end: read
    for _ in range(50):
        if "read" in stored_progress(page)["lessons"][f"/{LESSON_12}"]:
            break
        page.wait_for_timeout(100)
    assert "read" in stored_progress(page)["lessons"][f"/{LESSON_12}"]

    page.goto("./")
    page.wait_for_selector("#your-progress[data-mounted]")
    link = page.locator(f'a[data-lesson][href$="{LESSON_12}"]')
    questions = len(link.get_attribute("data-quiz-questions").split())
    status = page.locator(".md-content li").filter(has=link).locator(".nndl-lesson-progress")
    lesson_text = f"Read · 1 of 1 exercise passed · 1 of {questions} quiz questions right"
    expect(status).to_have_text(lesson_text)
    expect(link).to_have_accessible_description(lesson_text)
    summary = page.locator(".nndl-progress__text")
    overall = re.compile(r"^0 of 13 lessons done · 1 of \d+ exercises passed · 1 of \d+ quiz questions right · 1 lesson read$")
    expect(summary).to_have_text(overall)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#your-progress").screenshot(path=SHOTS / "map-progress.png")

    # Export to a file, forget everything, import the file: the map is as it was.
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert re.fullmatch(r"nndl-progress-\d{4}-\d{2}-\d{2}\.json", saved.name)
    data = json.loads(saved.read_text())
    assert data["format"] == "nndl-progress"
    assert data["progress"]["lessons"][f"/{LESSON_12}"]["exercises"]["count-parameters"]["passed"]
    assert any("count_parameters" in entry["code"] for entry in data["edits"][f"/{LESSON_12}"].values())

    page.evaluate("localStorage.clear()")
    page.reload()
    page.wait_for_selector("#your-progress[data-mounted]")
    expect(status).to_have_text("Not started")
    page.locator(".nndl-progress__file").set_input_files(str(saved))
    expect(page.locator("#your-progress").get_by_role("status")).to_have_text(
        "Progress imported: 1 lesson and 1 edited cell."
    )
    expect(status).to_have_text(lesson_text)
    expect(summary).to_have_text(overall)
    page.reload()
    page.wait_for_selector("#your-progress[data-mounted]")
    expect(status).to_have_text(lesson_text)

    # A file that is not a progress file is refused with a sentence, and changes nothing.
    wrong = tmp_path / "notes.json"
    wrong.write_text('{"hello": 1}')
    page.locator(".nndl-progress__file").set_input_files(str(wrong))
    expect(page.locator("#your-progress").get_by_role("status")).to_contain_text(
        "not a progress file of this course"
    )
    expect(status).to_have_text(lesson_text)


def test_progress_kept_by_an_earlier_version_of_the_site_is_not_lost(page, watch):
    """The site used to count cells run (version 1 of the entry): a lesson where cells ran shows
    as read after the update, and the first new record keeps it."""
    page.goto("")
    page.evaluate(
        """key => localStorage.setItem(key, JSON.stringify({ version: 1, pages: {
             '/lessons/03-computation-graph/': { run: [1, 2, 3], total: 9, manual: [],
                                                 updated: '2026-11-26T07:30:00.000Z' } } }))""",
        PROGRESS_KEY,
    )
    page.reload()
    page.wait_for_selector("#your-progress[data-mounted]")
    link = page.locator('a[data-lesson][href$="lessons/03-computation-graph/"]')
    status = page.locator(".md-content li").filter(has=link).locator(".nndl-lesson-progress")
    expect(status).to_have_text(re.compile(r"^Read · 0 of 1 exercise passed · 0 of \d+ quiz questions right$"))
    page.goto(LESSON_1)
    answer(page.locator('[data-quiz-question="n-x"]'), 1, page)
    lessons = stored_progress(page)["lessons"]
    assert lessons["/lessons/03-computation-graph/"]["read"] == "2026-11-26T07:30:00.000Z"
    assert lessons["/lessons/01-images-as-vectors/"]["quiz"]["n-x"]["right"] is True


def test_a_browser_that_stores_nothing_still_offers_the_solution_after_the_hint(page, watch):
    from test_every_page import REFUSE_STORAGE

    page.add_init_script(REFUSE_STORAGE)
    page.goto(LESSON_1)
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    solution = page.locator('details[data-exercise="flatten"][data-exercise-part="solution"]')
    expect(solution).to_have_attribute("data-locked", "")
    page.locator('details[data-exercise="flatten"][data-exercise-part="hint"] > summary').click()
    expect(solution).not_to_have_attribute("data-locked", "")
