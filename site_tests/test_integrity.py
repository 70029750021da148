"""A damaged or incomplete runtime in the built site: the reader is told which file, at once.

Each test serves a copy of site/ with one runtime file damaged (a byte changed) or missing, runs
a cell, and expects the cell and the page's status line to say that Python could not start and
which file is at fault — within the usual wait for Python, never an endless "Starting Python".
The worker checks every runtime file against the sha256 bundled into it when the site was built
(docs/javascripts/worker.js), so a changed byte is caught even where the size stays the same.
"""

import shutil

import pytest
from conftest import BASE_PATH, PYTHON_TIMEOUT_MS, SITE, Cells, PageWatch, SiteServer
from playwright.sync_api import expect

RUNTIME = SITE / "pyodide"


def numpy_wheel():
    return next(RUNTIME.glob("numpy-*.whl")).name


def damage(path):
    """Change one byte in the middle of the file: same size, different sha256."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def remove(path):
    path.unlink()


CASES = {
    # The interpreter: without the check, Pyodide's loader waits forever for this module.
    "damaged pyodide.asm.wasm": ("pyodide.asm.wasm", damage, "is damaged"),
    # Scripts the worker imports: checked by fetching them before the import.
    "damaged pyodide.asm.js": ("pyodide.asm.js", damage, "is damaged"),
    "missing pyodide.mjs": ("pyodide.mjs", remove, "is missing from the site (the server answered 404)"),
    "missing python_stdlib.zip": ("python_stdlib.zip", remove, "is missing from the site"),
    # A package wheel, loaded after the interpreter has started.
    "damaged NumPy wheel": (numpy_wheel, damage, "is damaged"),
}


@pytest.fixture
def damaged_site(request, tmp_path):
    """A server of a copy of the site with one runtime file harmed, and that file's name."""
    name, harm, words = CASES[request.param]
    name = name() if callable(name) else name
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    harm(root / "pyodide" / name)
    server = SiteServer(root=root)
    yield server, name, words
    server.close()


def demo_cell(page, server):
    """Open the demo page of `server` in `page`; its first cell, once mounted."""
    page.goto(server.url + "demo/")
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    return Cells(page)[1]


@pytest.mark.parametrize("damaged_site", list(CASES), indirect=True)
def test_a_damaged_or_missing_runtime_file_is_named_and_the_edit_is_kept(browser, damaged_site):
    server, name, words = damaged_site
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(context, page)
    cell = demo_cell(page, server)
    cell.set_code("print('my own edit')")
    cell.run()

    cell.expect_state("error", timeout=PYTHON_TIMEOUT_MS)
    message = f"the file {name} of the Python runtime {words}"
    expect(cell.output).to_contain_text("Python could not start")
    expect(cell.output).to_contain_text(message)
    status = page.get_by_role("status").filter(has_text="Python could not start")
    expect(status).to_contain_text(message)
    assert cell.code() == "print('my own edit')", "the reader's edit was lost"
    assert watch.foreign_requests() == []
    context.close()


def test_a_repaired_site_starts_when_run_is_pressed_again(browser, tmp_path):
    """A file that was missing (a deployment caught half-way) and is there again: Run retries."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    stdlib = root / "pyodide" / "python_stdlib.zip"
    kept = stdlib.rename(tmp_path / stdlib.name)
    server = SiteServer(root=root)
    try:
        context = browser.new_context()
        page = context.new_page()
        cell = demo_cell(page, server)
        cell.set_code("print(6 * 7)")
        cell.run()
        cell.expect_state("error")
        expect(cell.output).to_contain_text("python_stdlib.zip of the Python runtime is missing")

        kept.rename(stdlib)
        cell.run()
        cell.expect_state("done")
        assert cell.text() == "42"
        assert f"{BASE_PATH}pyodide/python_stdlib.zip" in server.requests
        context.close()
    finally:
        server.close()


#: How long the Python worker waits for an inflating worker that says nothing (compile-ahead.js).
INFLATER_SILENCE_MS = 15_000


def test_without_the_inflating_worker_python_starts_all_the_same(browser, tmp_path):
    """The worker that downloads and inflates NumPy's and nndl's wheels while Python starts
    (inflate-worker.js, started by the page) is missing, as from a site copied without it: the
    page tells the Python worker at once, which fetches the wheels itself, and Pyodide unpacks
    them. The result comes sooner after the page began to load than the Python worker would wait
    for an inflating worker that says nothing, so it did not wait for that."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    (root / "assets" / "nndl" / "inflate-worker.js").unlink()
    server = SiteServer(root=root)
    try:
        context = browser.new_context()
        page = context.new_page()
        cell = demo_cell(page, server)
        cell.set_code("import numpy, nndl\nprint(numpy.arange(4).sum())")
        cell.run()
        cell.expect_state("done", timeout=PYTHON_TIMEOUT_MS)
        assert cell.text() == "6"
        assert page.evaluate("performance.now()") < INFLATER_SILENCE_MS
        assert f"{BASE_PATH}assets/nndl/inflate-worker.js" in server.requests
        assert f"{BASE_PATH}pyodide/{numpy_wheel()}" in server.requests
        context.close()
    finally:
        server.close()
