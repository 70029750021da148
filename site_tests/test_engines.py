"""What a reader does, in every engine the site supports: Chromium, Firefox and WebKit (Safari's
engine). Each test body runs once per engine (the `engine` fixture of conftest.py), each time in
a fresh browser profile, against the built site served under /nndl/ without cross-origin
isolation, as GitHub Pages serves it.

- Stop, in each mode: without isolation Python restarts and the cells that had run are run
  again; with isolation (a server sending COOP/COEP) the interrupt buffer stops the loop and
  Python keeps its variables.
- Edits are kept across reloads; Reset brings the lesson's code back.
- Instant navigation keeps Python, and each page visit gets its own namespace; on the next
  page, a quick result comes before the editors near the screen are built.
- A new tab of the same browser is a second visit in the same profile (what `make bench` calls
  warm); a fresh profile keeps nothing of another.
- The dashboard of lesson 13 trains a model and classifies a picture the reader gives it.
- An explorable redraws when an input changes.
- After one visit, the page opens and its cells run with the site's server gone.
- A damaged runtime file is named to the reader, whose edit is kept.
- NumPy's libraries and the matrix-product kernel reach Python compiled ahead, and NumPy's and
  nndl's wheels are unpacked by the browser: every file is the wheel's, byte for byte.
- A module of the standard library that no lesson imports is fetched when first imported.
- WebKit starts Python from the saved start (a snapshot of its memory), with `random` reseeded;
  the other engines start it afresh; a damaged saved start falls back to a fresh start.

Every page's cells, in every engine: test_every_page.py.
"""

import base64
import contextlib
import hashlib
import io
import json
import shutil
import zipfile

import pytest
from conftest import SITE, SiteServer
from reader import PYTHON_TIMEOUT, Reader, shown
from test_dashboard import gradient_png

LOOP = 'print("looping")\nx = 0\nwhile True:\n    x += 1'


def stop_infinite_loop(reader):
    """Run cell 2 of the demo (n_x), then an infinite loop in cell 4, and press Stop."""
    assert reader.run_and_wait(2) == ("done", "12288")
    reader.type_code(4, LOOP)
    reader.run(4)
    output = reader.cell(4) + ".querySelector('.nndl-output')"
    reader.wait(f"{shown(output)}.includes('looping')")
    reader.wait(f"{reader.cell(4)}.querySelector('.nndl-button--stop').getAttribute('aria-disabled') === 'false'")
    reader.stop(4)
    reader.wait_until_ended(4, timeout=10)
    assert reader.state(4) == "error"


def notice(reader, number):
    found = f"{reader.cell(number)}.querySelector('.nndl-notice')"
    return reader.js(f"{found} ? {shown(found)} : ''")


def test_stop_without_isolation_restarts_python_and_restores_the_cells(reader):
    # Firefox reports the end of a worker terminated in the middle of running code as an
    # "uncaught exception: undefined" of the page, which no listener of the page receives.
    reader.tab.allow_errors("uncaught exception: undefined")
    reader.open("demo/")
    assert reader.js("crossOriginIsolated") is False  # as on GitHub Pages
    stop_infinite_loop(reader)
    assert "Python was restarted" in notice(reader, 4)
    assert "running cells 1, 2 and 3 again" in notice(reader, 4)
    # The next run works and finds what the earlier cells defined (n_x of cell 2, np of cell 3).
    reader.type_code(1, "print(n_x, np.zeros(2).sum())")
    assert reader.run_and_wait(1) == ("done", "12288 0.0")
    assert "ran again and their variables are restored" in notice(reader, 4)
    assert reader.states()[:4] == ["done", "done", "done", "error"]
    assert reader.code(4) == LOOP  # the reader's code is untouched


#: Whether the engine gives a cross-origin isolated page SharedArrayBuffer, which the interrupt
#: buffer needs. WebKitGTK does not (Safari does, from 15.2): there, Stop restarts Python.
SHARED_MEMORY = {"chromium": True, "firefox": True, "webkit": False}


def test_stop_with_isolation_interrupts_in_place_where_the_engine_can(open_tab, isolated_server):
    reader = Reader(open_tab(), isolated_server.url)
    reader.open("demo/")
    assert reader.js("crossOriginIsolated") is True
    shared = SHARED_MEMORY[reader.engine]
    assert reader.js("typeof SharedArrayBuffer === 'function'") is shared
    stop_infinite_loop(reader)
    if shared:  # the interrupt buffer: Python keeps running, with its variables
        assert "KeyboardInterrupt" in notice(reader, 4)
        reader.type_code(1, "print(n_x, x > 0)")  # the loop's own variable survives
        assert reader.run_and_wait(1) == ("done", "12288 True")
    else:  # detected, not assumed: the page restarts Python and runs cells 1 to 3 again
        reader.tab.allow_errors("uncaught exception: undefined")
        assert "Python was restarted" in notice(reader, 4)
        reader.type_code(1, "print(n_x, 'x' in globals())")
        assert reader.run_and_wait(1) == ("done", "12288 False")


def test_edits_survive_a_reload_and_reset_brings_the_lesson_back(reader):
    reader.open("demo/")
    reader.type_code(2, "n_x = 28 * 28\nn_x")
    reader.reload()
    assert reader.code(2) == "n_x = 28 * 28\nn_x"
    assert reader.js(f"!{reader.cell(2)}.querySelector('.nndl-cell__badge').hidden")  # "edited"
    assert reader.run_and_wait(2) == ("done", "784")
    reader.js(f"{reader.cell(2)}.querySelector('.nndl-button--reset').click()")
    assert reader.code(2).startswith("n_x = 64 * 64 * 3")
    reader.reload()
    assert reader.code(2).startswith("n_x = 64 * 64 * 3")
    assert reader.js("Object.keys(localStorage).filter(k => k.startsWith('nndl.edits:'))") == []


def test_python_survives_instant_navigation_and_each_page_has_its_namespace(reader):
    reader.open("")
    reader.type_code(1, "secret = 42\nprint('home', secret)")
    assert reader.run_and_wait(1) == ("done", "home 42")
    reader.js("window.__sameDocument = true")
    reader.follow(".md-content a", "Try a cell", "/nndl/demo/")
    assert reader.js("window.__sameDocument === true")  # no reload: Material swapped the page
    assert reader.python_phase() == "ready"  # the same Python, already started
    reader.type_code(1, "print('secret' in globals())")
    assert reader.run_and_wait(1) == ("done", "False")  # a fresh namespace for this page
    reader.js("document.querySelector('.md-content').dataset.left = 'yes'")
    reader.js("history.back()")
    reader.wait("location.pathname.endsWith('/nndl/') && !document.querySelector('.md-content[data-left]')")
    reader.wait_for_cells()
    assert reader.states() == ["idle"]
    assert reader.js("window.__sameDocument === true")
    reader.type_code(1, "print('secret' in globals())")
    assert reader.run_and_wait(1) == ("done", "False")  # a new visit, a new namespace
    assert reader.python_phase() == "ready"


#: On the next page of an instant navigation: press Run on its first cell as soon as it is
#: mounted, as a quick reader would, and record in order the editors built in its cells, the
#: first cell's result and the frames the browser draws (window.nextPage).
PRESS_ON_THE_NEXT_PAGE = """(() => {
  window.nextPage = [];
  const before = new Set(document.querySelectorAll('.nndl-cell'));
  const frame = () => {
    if (window.nextPage.at(-1) !== 'frame') window.nextPage.push('frame');
    if (!window.nextPage.includes('editor')) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new MutationObserver((records) => {
    const first = [...document.querySelectorAll('.nndl-cell')].find((cell) => !before.has(cell));
    if (!first) return;
    const run = first.querySelector('.nndl-button--run');
    if (run && first.dataset.mounted !== undefined && !first.pressed) {
      first.pressed = true;
      run.click();
    }
    for (const record of records) {
      for (const node of record.addedNodes) {
        const cell = node.classList?.contains('cm-editor') && node.closest('.nndl-cell');
        if (cell && !before.has(cell)) window.nextPage.push('editor');
      }
    }
    if (first.dataset.state === 'done' && !window.nextPage.includes('result')) window.nextPage.push('result');
  }).observe(document, { subtree: true, childList: true, attributes: true });
})()"""


def test_on_the_next_page_a_quick_result_comes_before_the_editors(reader):
    """Building an editor near the screen lays out the page, and a result that arrives meanwhile
    waits for it (in WebKit about 50 ms). With Python ready, the next lesson's first result (a few
    tens of ms of Python) comes first and is drawn, and the editors come after that frame."""
    reader.open("demo/")
    assert reader.run_and_wait(1)[0] == "done"
    reader.js(PRESS_ON_THE_NEXT_PAGE)
    reader.js("document.querySelector(\"a[href$='lessons/03-computation-graph/']\").click()")
    order = reader.wait("window.nextPage.includes('result') && window.nextPage.includes('editor')"
                        " && window.nextPage", message="the next page's result and an editor")
    result, editor = order.index("result"), order.index("editor")
    assert result < editor and "frame" in order[result:editor], order
    assert reader.js(f"{shown(reader.cell(1) + '.querySelector(`.nndl-output`)')}").startswith("u = 6.0")


def test_a_new_tab_is_a_second_visit_in_the_same_profile(open_tab, site_server):
    page = site_server.url + "performance/"  # a page without cells: no Python started
    tab = open_tab(on_disk=True)
    tab.goto(page + "?first")
    tab.goto(page)
    assert tab.js("history.length") >= 2
    tab.js("localStorage.setItem('probe', 'kept')")
    tab.new_tab()
    tab.goto(page + "?second")
    # A new tab: its history is this page (after the blank page a new tab may start with).
    assert tab.js("history.length") <= 2
    assert tab.js("localStorage.getItem('probe')") == "kept"  # of the same profile
    other = open_tab(on_disk=True)
    other.goto(page)
    assert other.js("localStorage.getItem('probe')") is None  # a fresh profile is fresh


# ---- Lesson 13's dashboard ----------------------------------------------------------------------

DASHBOARD = "document.querySelector('.nndl-dashboard')"


def set_field(reader, label, value):
    """Type a value into the dashboard's field of that label, as the browser reports typing."""
    reader.js(
        f"(() => {{ const label = [...{DASHBOARD}.querySelectorAll('label')]"
        f".find(l => l.textContent.trim() === {json.dumps(label)});"
        " const field = document.getElementById(label.htmlFor);"
        f" field.value = {json.dumps(value)};"
        " field.dispatchEvent(new Event('input', { bubbles: true }));"
        " field.dispatchEvent(new Event('change', { bubbles: true })); })()"
    )


def test_the_dashboard_trains_and_classifies_the_readers_picture(reader):
    reader.open("lessons/13-training-on-images/")
    reader.wait(f"{DASHBOARD}?.hasAttribute('data-mounted')")
    set_field(reader, "Iterations", "20")
    reader.click(".nndl-dashboard button", "Train")
    row = f"{DASHBOARD}.querySelector(\".nndl-dash__table tbody tr[data-run='1']\")"
    reader.wait(f"{row}?.dataset.status === 'done'", timeout=300, message="run 1 to end")
    cells = reader.js(f"[...{row}.querySelectorAll('th, td')].map(c => {shown('c')}.trim())")
    percents = [float(c.rstrip(" %")) for c in cells if c.endswith("%")]
    assert len(percents) == 2 and all(0 <= p <= 100 for p in percents), cells

    png = base64.b64encode(gradient_png()[0]).decode()  # a PNG made here (test_dashboard.py)
    reader.js(
        f"(() => {{ const input = {DASHBOARD}.querySelector('.nndl-dash__picture input[type=file]');"
        f" const bytes = Uint8Array.from(atob({json.dumps(png)}), (c) => c.charCodeAt(0));"
        " const transfer = new DataTransfer();"
        " transfer.items.add(new File([bytes], 'gradient.png', { type: 'image/png' }));"
        " input.files = transfer.files;"
        " input.dispatchEvent(new Event('change', { bubbles: true })); })()"
    )
    reader.wait(f"{DASHBOARD}.querySelectorAll('.nndl-dash__shot img').length === 2", timeout=30)
    caption = reader.text_of(".nndl-dash__shot figcaption")
    assert caption == "gradient.png: PNG, 160 × 120 pixels"
    reader.click(".nndl-dashboard button", "Classify")
    verdict = reader.wait(
        f"{DASHBOARD}.querySelector('.nndl-dash__verdict')?.innerText.includes('according to run 1')"
        f" && {DASHBOARD}.querySelector('.nndl-dash__verdict').innerText",
        timeout=60,
    )
    assert "the probability of \"cat\" according to run 1" in verdict
    label = reader.text_of(".nndl-dash__verdict strong")
    assert label in ("cat", "non-cat")


# ---- An explorable -----------------------------------------------------------------------------


def test_the_graph_explorer_redraws_when_an_input_changes(reader):
    reader.open("lessons/03-computation-graph/")
    root = "document.querySelector('.nndl-explorable[data-explorable=\"computation-graph\"]')"
    reader.wait(f"{root}.hasAttribute('data-mounted')")
    built = json.loads(reader.js(f"{root}.querySelector('.nndl-explorable__view').dataset.values"))
    assert built["values"]["J"] == 33  # drawn at build time
    reader.js(
        f"(() => {{ const field = {root}.querySelector('[name=\"a\"]'); field.value = '1';"
        " field.dispatchEvent(new Event('input', { bubbles: true }));"
        " field.dispatchEvent(new Event('change', { bubbles: true })); })()"
    )
    summary = root + ".querySelector('.nndl-explorable__summary')"
    reader.wait(f"{shown(summary)}.includes('21')",
                message="the explorable's summary to show J = 21")
    values = json.loads(reader.js(f"{root}.querySelector('.nndl-explorable__view').dataset.values"))
    assert values["values"]["J"] == 21  # 3 · (1 + 3 · 2); the derivatives do not depend on a
    assert values["grads"] == built["grads"]
    svg = reader.js(f"{root}.querySelectorAll('.nndl-explorable__view svg').length")
    assert svg >= 1


# ---- The rest of the standard library, fetched when first imported ------------------------------

#: Whether the rest was there before the cell's own imports ran (the worker writes lazy_stdlib.py
#: as _nndl_stdlib), then two modules of the rest at work.
STATIC_REST_IMPORT = """\
import _nndl_stdlib
print(_nndl_stdlib._finder.mounted)
import email.mime.text, unittest
print(email.mime.text.MIMEText("hi")["Content-Type"], unittest.TestCase.__name__)
"""
DYNAMIC_REST_IMPORT = """\
import _nndl_stdlib, importlib
print(_nndl_stdlib._finder.mounted)
minidom = importlib.import_module("xml.dom.minidom")  # an import no statement of the cell shows
print(minidom.parseString("<course/>").documentElement.tagName)
"""


def test_the_rest_of_the_standard_library_comes_with_the_first_import_of_one_of_its_modules(open_tab):
    """Python starts with the part of its standard library that the lessons import; a module of
    the rest is fetched when code first imports it: before the cell runs when the cell's import
    statements name it, during the import when only running shows it."""
    manifest = json.loads((SITE / "pyodide" / "runtime-manifest.json").read_text(encoding="utf-8"))
    rest = "/nndl/pyodide/" + manifest["stdlib_rest"]["file"]
    assert {"email.mime.text", "unittest", "xml.dom.minidom"} <= set(manifest["stdlib_rest"]["modules"])
    server = SiteServer()
    try:
        reader = Reader(open_tab(), server.url)
        reader.open("demo/")
        assert reader.run_and_wait(2, timeout=PYTHON_TIMEOUT) == ("done", "12288")
        assert rest not in server.requests, "Python's start fetched the rest of the standard library"
        reader.type_code(1, STATIC_REST_IMPORT)
        assert reader.run_and_wait(1) == ("done", 'True\ntext/plain; charset="us-ascii" TestCase')
        assert server.requests.count(rest) == 1
        reader.reload()  # a new Python, without the rest
        reader.type_code(1, DYNAMIC_REST_IMPORT)
        assert reader.run_and_wait(1, timeout=PYTHON_TIMEOUT) == ("done", "False\ncourse")
    finally:
        server.close()


# ---- Offline, and a damaged site ------------------------------------------------------------------


def numpy_wheel(root=SITE):
    """NumPy's wheel in the runtime folder of the site at root."""
    return next((root / "pyodide").glob("numpy-*.whl"))


def runtime_files():
    """What a reload without the server needs of the runtime: the interpreter, the standard
    library, NumPy and the saved start (which WebKit restores; the service worker keeps it for
    every engine)."""
    wheel = numpy_wheel().name
    manifest = json.loads((SITE / "pyodide" / "runtime-manifest.json").read_text(encoding="utf-8"))
    snapshot = [f"pyodide/{manifest['snapshot']['file']}"] if manifest.get("snapshot") else []
    return ["pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", f"pyodide/{wheel}", *snapshot]


def test_a_visited_lesson_opens_and_runs_with_the_server_gone(open_tab):
    server = SiteServer()
    try:
        reader = Reader(open_tab(), server.url)
        page = "lessons/03-computation-graph/"
        reader.open(page)
        assert reader.run_and_wait(1)[0] == "done"
        wanted = json.dumps([server.url + path for path in [page + "index.html", *runtime_files()]])
        reader.wait(
            f"(async () => {{ for (const name of await caches.keys()) {{"
            f" const cache = await caches.open(name);"
            f" const found = await Promise.all({wanted}.map((url) => cache.match(url)));"
            f" if (found.every(Boolean)) return true; }} return false; }})()",
            timeout=PYTHON_TIMEOUT, message="the visited page and the runtime to be saved",
        )
    finally:
        server.close()
    reader.reload()  # nothing answers at the server's address now
    assert reader.js("document.title").startswith("3. The computation graph")
    state, text = reader.run_and_wait(1)
    assert (state, text) == ("done", "u = 6.0   v = 11.0   J = 33.0")


@pytest.fixture
def damaged_site(tmp_path):
    """A copy of the site whose NumPy wheel has one byte changed (same size, other sha256)."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    wheel = numpy_wheel(root)
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0xFF
    wheel.write_bytes(bytes(data))
    server = SiteServer(root=root)
    yield server, wheel.name
    server.close()


def test_a_damaged_runtime_file_is_named_and_the_edit_is_kept(open_tab, damaged_site):
    server, name = damaged_site
    tab = open_tab()
    tab.allow_errors(name)  # the browser's own report of the failed integrity check
    reader = Reader(tab, server.url)
    reader.open("demo/")
    reader.type_code(1, "print('my own edit')")
    state, text = reader.run_and_wait(1, timeout=PYTHON_TIMEOUT)
    assert state == "error"
    assert "Python could not start" in text
    assert f"the file {name} of the Python runtime is damaged" in text
    assert reader.code(1) == "print('my own edit')", "the reader's edit was lost"


# ---- The saved start: a snapshot of Python's memory made when the site was built (WebKit) ------

#: str's hash seed is chosen when Python starts, so it tells one start from another: the same in
#: every Python restored from the same snapshot, different in each Python started afresh.
DRAW = "import random\nprint(hash('nndl'), random.random())"


def draws_in_two_page_loads(reader):
    draws = []
    for load in range(2):
        if load:
            reader.reload()
        reader.type_code(1, DRAW)
        state, text = reader.run_and_wait(1, timeout=PYTHON_TIMEOUT)
        assert state == "done", text
        seed, number = text.split()
        draws.append((int(seed), float(number)))
    return draws


def test_webkit_restores_the_saved_python_and_every_load_draws_other_numbers(engine, reader):
    """Only WebKit uses the saved start (worker.js says why). Its `random` was seeded when the
    site was built: the worker reseeds it, so two loads draw different numbers everywhere."""
    reader.open("demo/")
    (seed1, number1), (seed2, number2) = draws_in_two_page_loads(reader)
    if engine.name == "webkit":
        assert seed1 == seed2, "WebKit started Python afresh, not from the saved start"
    else:
        assert seed1 != seed2, f"{engine.name} restored the saved start, which does not pay there"
    assert number1 != number2


@pytest.fixture
def damaged_snapshot_site(tmp_path):
    """A copy of the site whose saved start has one byte changed (same size, other sha256)."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    snapshot = root / "pyodide" / "snapshot.bin.gz"
    data = bytearray(snapshot.read_bytes())
    data[len(data) // 2] ^= 0xFF
    snapshot.write_bytes(bytes(data))
    server = SiteServer(root=root)
    yield server
    server.close()


@pytest.mark.parametrize("engine", ["webkit"], indirect=True)
def test_in_webkit_a_damaged_saved_start_falls_back_to_starting_python_afresh(
        engine, open_tab, damaged_snapshot_site):
    reader = Reader(open_tab(), damaged_snapshot_site.url)
    reader.open("demo/")
    (seed1, number1), (seed2, number2) = draws_in_two_page_loads(reader)
    assert seed1 != seed2, "a damaged saved start was restored"
    assert number1 != number2


# Python's answer: the route of training's products, and the libraries Emscripten's loader found
# already instantiated (preloadedWasm), which only the modules compiled ahead put there.
COMPILED_AHEAD = """\
import js, pyodide_js
from nndl import matmul

route = matmul.backend()  # opens the kernel with ctypes, as the first training does
ahead = list(js.Object.keys(pyodide_js._module.preloadedWasm))
numpy_libraries = sorted(name.split("/site-packages/")[1] for name in ahead if "/site-packages/numpy/" in name)
print(route, matmul.GEMM_PATH in ahead, *numpy_libraries)
"""


def test_numpys_libraries_and_the_kernel_are_compiled_while_python_starts(reader):
    """compile-ahead.js: every WebAssembly library of NumPy's wheel, and the matrix-product
    kernel, reach Python's loader already compiled, and NumPy works with them. NumPy's and nndl's
    wheels were unpacked by the browser, not by Python's zipfile: every file of both wheels is in
    Python's file system byte for byte as this process's zipfile reads it, each in storage of
    exactly its size (written once, whole). A file the reader writes afterwards grows as
    Emscripten grows files (worker.js gives it back its own growth)."""
    with zipfile.ZipFile(numpy_wheel()) as archive:
        libraries = sorted(name for name in archive.namelist() if name.endswith(".so"))
    assert len(libraries) > 10
    reader.open("demo/")
    reader.type_code(1, COMPILED_AHEAD)
    state, text = reader.run_and_wait(1, timeout=PYTHON_TIMEOUT)
    assert state == "done", text
    route, kernel_ahead, *found = text.split()
    assert route == "simd"
    assert kernel_ahead == "True", "the kernel was compiled when ctypes opened it"
    assert found == libraries
    # Code from three of those libraries (linalg, fft, random) agrees with NumPy here.
    reader.type_code(1, NUMPY_AT_WORK)
    assert reader.run_and_wait(1) == ("done", native_output(NUMPY_AT_WORK))
    held = installed_as_the_wheels(reader)
    assert all(held[path] == size for path, size in wheel_sizes().items()), "a file was not written whole"
    reader.type_code(1, OWN_FILE)
    state, text = reader.run_and_wait(1)
    assert state == "done", text
    own_size, own_held = map(int, text.split())
    # Emscripten's own growth, by an eighth past 1 MiB.
    assert own_size <= own_held < 1.125 * own_size, (own_size, own_held)


# Every file under site-packages: its path there → [sha256, size, bytes the file system holds].
INSTALLED = """import hashlib, json, os, pyodide_js, numpy
site = os.path.dirname(os.path.dirname(numpy.__file__))
for folder, _, names in os.walk(site):
    for name in names:
        path = os.path.join(folder, name)
        with open(path, "rb") as file:
            data = file.read()
        contents = pyodide_js.FS.lookupPath(path).node.contents
        print(os.path.relpath(path, site), hashlib.sha256(data).hexdigest(), len(data), contents.length if contents else 0)
"""


def wheel_sizes(root=SITE):
    """The size of every file of the runtime's wheels (NumPy's and nndl's), by its path."""
    sizes = {}
    for wheel in sorted((root / "pyodide").glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            sizes.update((info.filename, info.file_size) for info in archive.infolist() if not info.is_dir())
    return sizes


def installed_as_the_wheels(reader, root=SITE):
    """Check, in the reader's Python (cell 1 of the open page), that every file of the runtime's
    wheels is in site-packages with the bytes this process's zipfile reads from the wheel, and
    that nothing else is there but Pyodide's own notes on each install (in the wheels' .dist-info
    folders) and bytecode Python wrote. Returns the bytes the file system holds for each file."""
    reader.type_code(1, INSTALLED)
    state, text = reader.run_and_wait(1)
    assert state == "done", text
    installed = {path: (sha256, int(size), int(held))
                 for path, sha256, size, held in (line.split() for line in text.splitlines())}
    expected = {}
    for wheel in sorted((root / "pyodide").glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    expected[info.filename] = hashlib.sha256(archive.read(info)).hexdigest()
    assert len(expected) > 150
    assert {path: installed.get(path, [None])[0] for path in expected} == expected
    extra = [path for path in installed if path not in expected]
    assert all(".dist-info/" in path or "/__pycache__/" in path for path in extra), extra
    return {path: held for path, (_, _, held) in installed.items()}


# The bytes Python's file system holds for a file of the reader's, written 64 KiB at a time.
OWN_FILE = """import os, pyodide_js
with open("/tmp/own.bin", "wb") as own:
    for _ in range(40):
        own.write(bytes(65536))
print(os.path.getsize("/tmp/own.bin"), pyodide_js.FS.lookupPath("/tmp/own.bin").node.contents.length)
"""


NUMPY_AT_WORK = """\
import numpy as np
rng = np.random.default_rng(0)
print(round(float(np.linalg.det(np.eye(3) * 2)), 6), np.fft.fft(np.ones(4)).real[0], rng.integers(0, 10, 3).tolist())
"""


def native_output(code):
    """What `code` prints in this process's CPython and NumPy."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {})
    return out.getvalue().strip()
