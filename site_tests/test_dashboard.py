"""The training dashboard of lesson 13, driven in Chromium: real Pyodide, real training.

The site is served as GitHub Pages serves it (no cross-origin isolation), so a cell's Stop
restarts Python; every test fails on a console error or a request to another host (the `watch`
fixture). Runs use few iterations so that each test takes seconds, not minutes.
"""

import gzip
import io
import re
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
from conftest import PYTHON_TIMEOUT_MS, SCREENSHOTS, Cells, shown_text
from playwright.sync_api import expect

from nndl import display
from nndl.dashboard import MODELS

ROOT = Path(__file__).resolve().parent.parent
LESSON = "lessons/13-training-on-images/"
TRAINING_TIMEOUT_MS = 180_000

# The curve's redraws, recorded by the page itself: (iteration shown, status of the run then).
RECORD_DRAWS = """
window.__draws = [];
new MutationObserver(() => {
  const svg = document.querySelector('.nndl-dash__chart svg');
  const row = document.querySelector('.nndl-dash__table tbody tr[data-run]');
  const path = svg && svg.querySelector('path[data-run="1"]');
  if (!svg || !row || !path) return;
  const last = window.__draws.at(-1);
  const draw = [Number(svg.dataset.iteration), row.dataset.status, path.getAttribute('d').length];
  if (!last || last[0] !== draw[0] || last[1] !== draw[1]) window.__draws.push(draw);
}).observe(document, { subtree: true, childList: true });
"""


class Dashboard:
    """The dashboard of the lesson page, as a reader uses it."""

    def __init__(self, page):
        self.page = page
        self.root = page.locator(".nndl-dashboard")
        expect(self.root).to_have_attribute("data-mounted", "", timeout=30_000)

    def field(self, label):
        return self.root.get_by_label(label, exact=True)

    def button(self, name):
        return self.root.get_by_role("button", name=name, exact=True)

    def choose(self, model, alpha=None, iterations=None, layers=None):
        self.field("Model").select_option(label=model)
        if alpha is not None:
            self.field("Learning rate α").fill(str(alpha))
        if iterations is not None:
            self.field("Iterations").fill(str(iterations))
        if layers is not None:
            self.field("Layer sizes").fill(layers)

    def train(self, model, alpha=None, iterations=None, layers=None):
        self.choose(model, alpha, iterations, layers)
        self.button("Train").click()

    def row(self, run):
        return self.root.locator(f".nndl-dash__table tbody tr[data-run='{run}']")

    def wait_for(self, run, status, timeout=TRAINING_TIMEOUT_MS):
        expect(self.row(run)).to_have_attribute("data-status", status, timeout=timeout)

    def cells_of(self, run):
        return self.row(run).locator("th, td").all_inner_texts()

    def iteration(self):
        return int(self.root.locator(".nndl-dash__chart svg").get_attribute("data-iteration") or 0)

    def message(self):
        return self.root.locator(".nndl-dash__message").first

    def picture_message(self):
        return self.root.locator(".nndl-dash__picture .nndl-dash__message")

    def verdict(self):
        return self.root.locator(".nndl-dash__verdict")

    def upload(self, name, data, mime="image/png"):
        self.root.locator(".nndl-dash__picture input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": mime, "buffer": data}]
        )


@pytest.fixture
def dashboard(page, watch):
    page.goto(LESSON)
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    return Dashboard(page)


def gradient_png(width=160, height=120):
    """A PNG made here, and the pixels it holds: a colour gradient, (height, width, 3) uint8."""
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.stack(
        [x * 255 // (width - 1), y * 255 // (height - 1), (x + y) * 255 // (width + height - 2)],
        axis=2,
    ).astype(np.uint8)
    return display.image(pixels, scale=1)._repr_png_(), pixels


def accuracy_of(text):
    return float(text.rstrip(" %"))


# ---- Training with a live curve ------------------------------------------------------------------


def test_a_short_run_updates_the_curve_several_times_before_it_ends(page, watch):
    # 2000 iterations of logistic regression: one to two seconds in the browser, so several
    # quarter-second slices even on a machine twice as fast as the ones it was measured on
    # (1000 iterations there took three or four slices).
    page.add_init_script(RECORD_DRAWS)
    page.goto(LESSON)
    board = Dashboard(page)
    live = board.root.locator(".nndl-dash__live")
    expect(live).to_have_attribute("role", "status")
    expect(live).to_have_attribute("aria-live", "polite")
    board.choose("Logistic regression", iterations=2000)
    board.field("Iterations").press("Enter")  # the form is keyboard-operable: Enter trains
    board.wait_for(1, "done")
    draws = page.evaluate("window.__draws")
    during = [d for d in draws if d[1] == "training" and 0 < d[0] < 2000]
    assert len({d[0] for d in during}) >= 3, draws  # the curve grew while it trained…
    lengths = [d[2] for d in during]
    assert lengths == sorted(lengths) and lengths[0] < lengths[-1], draws
    assert draws[-1][:2] == [2000, "done"]  # …and ends with all 2000 iterations
    cells = board.cells_of(1)
    assert cells[:4] == ["1", "Logistic regression", "0.005", "2000"]
    assert re.fullmatch(r"\d+(\.\d)? %", cells[5]) and re.fullmatch(r"\d+(\.\d)? %", cells[6])
    expect(board.root.locator(".nndl-dash__progress-text")).to_contain_text(
        "Run 1 (done) · iteration 2000 of 2000")
    expect(live).to_contain_text("Run 1 finished 2000 iterations")
    # The test pictures, with the predictions; the mistakes say so in words, not only colour.
    pictures = board.root.locator(".nndl-dash__grid li")
    expect(pictures).to_have_count(50, timeout=PYTHON_TIMEOUT_MS)
    wrong = board.root.locator(".nndl-dash__grid li[data-correct=false]")
    assert wrong.count() == round(50 * (1 - accuracy_of(cells[6]) / 100))
    expect(wrong.first.locator(".nndl-dash__wrong")).to_contain_text("wrong: it is a")
    alt = pictures.first.locator("img").get_attribute("alt")
    assert re.fullmatch(r"Test picture 1, labelled (cat|non-cat)", alt)


def test_stop_keeps_the_parameters_and_the_accuracy_shown_is_theirs(dashboard, page):
    dashboard.train("2-layer network")  # the course's 2500 iterations: Stop comes long before
    expect(dashboard.button("Pause")).to_have_attribute("aria-disabled", "false",
                                                        timeout=PYTHON_TIMEOUT_MS)
    page.wait_for_function(
        "() => Number(document.querySelector('.nndl-dash__chart svg').dataset.iteration) >= 3",
        timeout=TRAINING_TIMEOUT_MS,
    )
    dashboard.button("Pause").click()
    expect(dashboard.button("Resume")).to_be_visible()
    # The slice under way ends (a fraction of a second), then nothing more is sent.
    expect(dashboard.root.locator("form")).to_have_attribute("data-state", "paused")
    expect(dashboard.root.locator(".nndl-dash__progress-text")).to_contain_text("(paused)")
    paused_at = dashboard.iteration()
    time.sleep(1.0)
    assert dashboard.iteration() == paused_at  # paused: no slice is sent
    dashboard.button("Resume").click()
    page.wait_for_function(
        "at => Number(document.querySelector('.nndl-dash__chart svg').dataset.iteration) > at",
        arg=paused_at, timeout=TRAINING_TIMEOUT_MS,
    )
    dashboard.button("Stop").click()
    dashboard.wait_for(1, "stopped", timeout=30_000)
    cells = dashboard.cells_of(1)
    stopped_at = int(cells[3].split(" of ")[0])
    assert cells[3] == f"{stopped_at} of 2500" and stopped_at > paused_at
    # The run's parameters, evaluated by the engine in a cell, and trained again from the start.
    cell = Cells(page)[1]
    cell.set_code(
        "import numpy as np\n"
        "from nndl import dashboard, data, deep\n"
        "run = dashboard.session().runs[-1]\n"
        "tx, ty, vx, vy, _ = data.load_sample_images()\n"
        "X, X_test = data.flatten_images(tx), data.flatten_images(vx)\n"
        "p = run.parameters\n"
        "test = np.mean(deep.predict(X_test, p) == vy) * 100\n"
        "train = np.mean(deep.predict(X, p) == ty) * 100\n"
        "again, _ = deep.train(X, ty, [12288, 7, 1], learning_rate=0.0075,\n"
        "                      num_iterations=run.iteration, init='small', seed=1)\n"
        "same = all(np.array_equal(again[k], p[k]) for k in p)\n"
        "print(run.status, run.iteration, round(train, 1), round(test, 1), same)"
    )
    status, iteration, train, test, same = cell.run_and_wait().split()
    assert (status, int(iteration), same) == ("stopped", stopped_at, "True")
    assert accuracy_of(cells[5]) == float(train)
    assert accuracy_of(cells[6]) == float(test)
    expect(dashboard.root.locator(".nndl-dash__grid li")).to_have_count(50)


# ---- The reader's picture ------------------------------------------------------------------------


def test_a_generated_png_uploaded_through_the_file_input_is_classified(dashboard, page):
    png, pixels = gradient_png()
    dashboard.upload("gradient.png", png)  # before any training: a clear message, no crash
    expect(dashboard.picture_message()).to_contain_text("No model has been trained yet")
    dashboard.train("Logistic regression", iterations=20)
    dashboard.wait_for(1, "done")
    dashboard.button("Classify").click()
    verdict = dashboard.verdict()
    expect(verdict).to_contain_text("the probability of \"cat\" according to run 1", timeout=30_000)
    label = shown_text(verdict.locator("strong"))
    assert label in ("cat", "non-cat")
    probability = float(re.search(r"ŷ = ([0-9.]+)", shown_text(verdict)).group(1))
    assert (probability > 0.5) == (label == "cat")
    shown = dashboard.root.locator(".nndl-dash__shot img")
    expect(shown).to_have_count(2)
    assert shown.nth(1).evaluate("img => img.complete && img.naturalWidth") == 128  # 64×64, ×2
    expect(dashboard.root.locator(".nndl-dash__shot figcaption").first).to_have_text(
        "gradient.png: PNG, 160 × 120 pixels")
    # The engine, given the same pixels (the middle square, as the page cropped them), agrees.
    cell = Cells(page)[1]
    cell.set_code(
        "import numpy as np\n"
        "from nndl import dashboard, data\n"
        "y, x = np.mgrid[0:120, 0:160]\n"
        "pixels = np.stack([x * 255 // 159, y * 255 // 119, (x + y) * 255 // 278], axis=2)\n"
        "X = data.image_to_input(pixels.astype(np.uint8)[:, 20:140])\n"
        "print(f'{dashboard.session().runs[0].predict_proba(X)[0, 0]:.3f}')"
    )
    assert pixels[0, 20].tolist() == [32, 0, 18]  # the test's picture is the cell's picture
    assert float(cell.run_and_wait()) == pytest.approx(probability, abs=0.002)


def test_files_that_are_not_pictures_are_refused_politely(dashboard, page):
    dashboard.button("Classify").click()
    expect(dashboard.picture_message()).to_contain_text("Choose a picture first")
    dashboard.upload("notes.png", b"These are my notes, not a picture.\n")
    message = dashboard.picture_message()
    expect(message).to_contain_text('"notes.png" is not a JPEG, PNG, WebP or GIF picture')
    expect(message).to_contain_text("Nothing was changed.")
    expect(message).to_have_attribute("data-kind", "error")
    dashboard.upload("empty.jpg", b"", mime="image/jpeg")
    expect(message).to_contain_text('"empty.jpg" is empty (0 bytes)')
    # A PNG whose header says 5000 × 5000: refused before anything is decoded.
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (5000).to_bytes(4, "big") * 2 + b"\x08\x02"
    dashboard.upload("huge.png", header + b"\x00" * 64)
    expect(message).to_contain_text("5000 × 5000 pixels, 25.0 megapixels")
    dashboard.upload("broken.gif", b"GIF89a\x10\x00\x10\x00" + b"\x00" * 20, mime="image/gif")
    expect(message).to_contain_text("could not be decoded")
    expect(dashboard.root.locator(".nndl-dash__shot:not([hidden])")).to_have_count(0)
    assert shown_text(dashboard.verdict()) == ""


def course_h5(prefix, m, cats, seed):
    """The bytes of an HDF5 file shaped like the course's train_catvnoncat.h5 (prefix "train")
    or test_catvnoncat.h5 ("test"), with m pictures of which `cats` are cats, written by h5py."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as file:
        i = np.arange(m * 64 * 64 * 3, dtype=np.int64)
        file[f"{prefix}_set_x"] = ((i * (7 + seed)) % 251).astype(np.uint8).reshape(m, 64, 64, 3)
        file[f"{prefix}_set_y"] = np.array([1] * cats + [0] * (m - cats))
        file["list_classes"] = np.array([b"non-cat", b"cat"])
    return buffer.getvalue()


def test_the_course_hdf5_files_can_be_loaded_and_trained_on(dashboard):
    files = dashboard.root.locator("details.nndl-dash__files")
    files.locator("summary").click()
    for label, name, raw in (("Training file (train_catvnoncat.h5)", "train_catvnoncat.h5",
                              course_h5("train", 4, 2, 0)),
                             ("Test file (test_catvnoncat.h5)", "test_catvnoncat.h5",
                              course_h5("test", 2, 1, 1))):
        files.get_by_label(label).set_input_files(
            files=[{"name": name, "mimeType": "application/x-hdf5", "buffer": raw}])
    dashboard.button("Load the files").click()
    message = files.locator(".nndl-dash__message")
    expect(message).to_have_text(
        "Training on the course's files (train_catvnoncat.h5, test_catvnoncat.h5) from now on: "
        "4 training pictures (2 cats) and 2 test pictures (1 cat).", timeout=PYTHON_TIMEOUT_MS)
    dashboard.train("Logistic regression", iterations=5)
    dashboard.wait_for(1, "done")
    expect(dashboard.root.locator(".nndl-dash__legend li")).to_have_text(
        "Run 1: Logistic regression, α = 0.005, on the course's files (train_catvnoncat.h5, "
        "test_catvnoncat.h5)")
    expect(dashboard.root.locator(".nndl-dash__grid li")).to_have_count(2)
    dashboard.button("Back to the sample images").click()
    expect(message).to_contain_text("Training on the sample images from now on: 209 training")
    dashboard.train("Logistic regression", iterations=5)
    dashboard.wait_for(2, "done")
    expect(dashboard.root.locator(".nndl-dash__grid li")).to_have_count(50)
    # A file that is not HDF5 changes nothing.
    files.get_by_label("Training file (train_catvnoncat.h5)").set_input_files(files=[{
        "name": "train_catvnoncat.h5", "mimeType": "text/plain", "buffer": b"not HDF5"}])
    dashboard.button("Load the files").click()
    expect(message).to_have_text(
        "train_catvnoncat.h5 is not an HDF5 file: it does not start with HDF5's signature. "
        "Nothing was changed.")
    source = dashboard.root.locator(".nndl-dash__source")
    expect(source).to_have_text("Pictures: the sample images.")


def test_compressed_hdf5_files_written_by_h5py_are_read_in_the_browser(dashboard):
    """h5py's gzip, shuffle and libver="latest" chunked files (tests/h5_files/), read by the
    engine's own reader in the page's Python, where h5py does not exist."""
    files = dashboard.root.locator("details.nndl-dash__files")
    files.locator("summary").click()
    raw = gzip.decompress((ROOT / "tests" / "h5_files" / "latest_chunked_gzip.h5.gz").read_bytes())
    for label in ("Training file (train_catvnoncat.h5)", "Test file (test_catvnoncat.h5)"):
        files.get_by_label(label).set_input_files(
            files=[{"name": "course.h5", "mimeType": "application/x-hdf5", "buffer": raw}])
    dashboard.button("Load the files").click()
    expect(files.locator(".nndl-dash__message")).to_have_text(
        "Training on the course's files (course.h5, course.h5) from now on: "
        "3 training pictures (2 cats) and 2 test pictures (1 cat).", timeout=PYTHON_TIMEOUT_MS)


# ---- Navigation and restarts ---------------------------------------------------------------------


def test_the_dashboard_works_after_navigating_away_and_back(dashboard, page):
    dashboard.train("Logistic regression", iterations=40)
    dashboard.wait_for(1, "done")
    page.evaluate("window.__sameDocument = true")
    dashboard.train("Logistic regression", alpha=0.001, iterations=400)
    expect(dashboard.button("Stop")).to_have_attribute("aria-disabled", "false",
                                                       timeout=PYTHON_TIMEOUT_MS)
    left_at = dashboard.iteration()
    page.get_by_role("link", name="← 12. Parameters and hyperparameters").click()
    page.wait_for_url("**/lessons/12-hyperparameters/")
    time.sleep(2.0)  # training goes on meanwhile
    page.go_back()
    page.wait_for_url(f"**/{LESSON}")
    board = Dashboard(page)
    assert page.evaluate("window.__sameDocument === true")  # no reload: the same Python
    board.wait_for(2, "done")
    assert board.cells_of(1)[:4] == ["1", "Logistic regression", "0.005", "40"]
    assert board.cells_of(2)[:4] == ["2", "Logistic regression", "0.001", "400"]
    assert left_at < 400
    expect(board.root.locator(".nndl-dash__chart path[data-run]")).to_have_count(2)
    expect(board.root.locator(".nndl-dash__legend li")).to_have_count(2)
    board.train("L-layer network", iterations=2, layers="12288, 3, 1")
    board.wait_for(3, "done")
    assert board.cells_of(3)[1] == "L-layer network [12288, 3, 1]"
    lines = board.root.locator(".nndl-dash__chart path[data-run]")
    expect(lines).to_have_count(3)
    # Runs are drawn in the colours of the engine's own plots.
    assert lines.evaluate_all("paths => paths.map((p) => p.getAttribute('stroke'))") == list(
        display.PALETTE[:3])


def test_the_form_offers_the_engines_defaults_for_each_model(dashboard):
    for model in MODELS.values():
        dashboard.field("Model").select_option(label=model.name)
        assert dashboard.field("Learning rate α").input_value() == str(model.learning_rate)
        assert dashboard.field("Iterations").input_value() == str(model.num_iterations)
        layers = dashboard.field("Layer sizes")
        if model.layer_dims:
            assert layers.input_value() == ", ".join(map(str, model.layer_dims))
        else:
            expect(layers).to_be_hidden()


def test_bad_settings_are_explained_and_start_nothing(dashboard):
    dashboard.train("L-layer network", layers="12288, 20, x, 1")
    expect(dashboard.message()).to_contain_text("The layer sizes are whole numbers")
    expect(dashboard.field("Layer sizes")).to_have_attribute("aria-invalid", "true")
    dashboard.train("L-layer network", layers="100, 5, 1")
    expect(dashboard.message()).to_contain_text("n[0] = 12288, not 100", timeout=PYTHON_TIMEOUT_MS)
    dashboard.train("Logistic regression", alpha=0)
    expect(dashboard.message()).to_contain_text("The learning rate α must be a number above 0")
    expect(dashboard.root.locator(".nndl-dash__table tbody tr[data-run]")).to_have_count(0)


def test_a_restart_of_python_is_noticed_and_the_dashboard_goes_on(dashboard, page):
    dashboard.train("Logistic regression", iterations=10)
    dashboard.wait_for(1, "done")
    cell = Cells(page)[1]
    cell.set_code('print("looping")\nwhile True:\n    pass')
    cell.run()
    expect(cell.output).to_contain_text("looping", timeout=PYTHON_TIMEOUT_MS)
    cell.button("Stop").click()  # not cross-origin isolated: Python restarts
    expect(dashboard.message()).to_contain_text("Python was restarted", timeout=PYTHON_TIMEOUT_MS)
    expect(dashboard.message()).to_contain_text("the runs trained so far are gone")
    expect(dashboard.root.locator(".nndl-dash__table tbody tr[data-run]")).to_have_count(0)
    dashboard.train("Logistic regression", iterations=10)
    dashboard.wait_for(1, "done")


# ---- How it looks --------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme, width", [("light", 1200), ("dark", 1200), ("light", 375),
                                           ("dark", 375)])
def test_screenshots_of_the_dashboard(browser, base_url, scheme, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=base_url, color_scheme=scheme,
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(LESSON)
    board = Dashboard(page)
    board.train("Logistic regression", iterations=60)
    board.wait_for(1, "done")
    board.train("Logistic regression", alpha=0.001, iterations=40)
    board.wait_for(2, "done")
    board.upload("gradient.png", gradient_png()[0])
    expect(board.verdict()).to_contain_text("according to run", timeout=30_000)
    expect(board.root.locator(".nndl-dash__grid li")).to_have_count(50)
    # Nothing of the dashboard sticks out of the window (its table scrolls in its own box).
    outside = page.evaluate(
        """() => [...document.querySelectorAll('.nndl-dashboard *')]
             .filter(el => !el.closest('.nndl-dash__table-wrap'))
             .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
             .map(el => el.tagName + '.' + el.getAttribute('class'))"""
    )
    assert outside == []
    path = SCREENSHOTS / f"dashboard-{scheme}-{width}.png"
    board.root.screenshot(path=path)
    assert path.stat().st_size > 50_000
    assert errors == []
    context.close()
