"""What a browser may lack, in every engine: each case leaves the page working, with the reader's
edits, and says what it means in words.

A feature is taken away the way the reader's browser lacks it where the engine has a switch for
that (engines.FEATURE_SWITCHES: a V8 flag for a lower WebAssembly memory ceiling, Firefox's
preferences for storage, service workers and Cache Storage), and otherwise with the site's own
switch, ?nndl-without=<feature> (docs/javascripts/features.js), which takes the same path as the
browser's detection does when the feature is missing:

- WebAssembly SIMD (Safari before 16.4): training's products take OpenBLAS instead of the kernel;
- module workers (Safari before 15, Firefox before 114): Python runs in the same worker built as
  a classic script, and the cells work as with module workers;
- DecompressionStream (Safari before 16.4, Firefox before 113): Pyodide unpacks NumPy's wheel and
  compiles its libraries itself, with the same files and results;
- service workers and Cache Storage (private windows): the course works online, and the offline
  control says this window cannot keep it;
- localStorage refused, or full: edits stay on the page, with a notice, and cells run;
- a lower memory ceiling: running out of memory names this browser's own limit;
- a browser that asks to save data: Python is not downloaded before the first Run, whose button
  says how many MB that Run fetches.
"""

import json
import time
from pathlib import Path

from engines import has_switch
from reader import PYTHON_TIMEOUT, Reader, shown
from test_engines import COMPILED_AHEAD, NUMPY_AT_WORK, installed_as_the_wheels, native_output, wheel_sizes

#: A product of the size training does, by nndl.matmul; the cell imports a training module, as
#: the first training cell of a lesson does (OpenBLAS is loaded for it when there is no kernel).
PRODUCT = (
    "import numpy as np\n"
    "from nndl import deep, matmul\n"
    "A, B = np.random.rand(64, 300), np.random.rand(300, 50)\n"
    "print(matmul.backend(), np.allclose(matmul.matmul(A, B), A @ B))"
)


def test_with_and_without_webassembly_simd_training_products_are_right(reader):
    reader.open("demo/")
    reader.type_code(1, PRODUCT)
    assert reader.run_and_wait(1) == ("done", "simd True")
    reader.open("demo/?nndl-without=wasm-simd")
    reader.type_code(1, PRODUCT)
    assert reader.run_and_wait(1) == ("done", "openblas True")


def test_without_module_workers_python_runs_in_a_classic_worker(reader):
    reader.open("demo/?nndl-without=module-workers")
    reader.type_code(1, "import js, numpy\nprint(js.name, numpy.ones(3).sum())")
    assert reader.run_and_wait(1) == ("done", "nndl-python (classic) 3.0")
    reader.type_code(1, PRODUCT)
    assert reader.run_and_wait(1) == ("done", "simd True")


def test_without_decompression_streams_python_unpacks_and_compiles_numpy_itself(reader):
    reader.open("demo/?nndl-without=decompression-streams")
    reader.type_code(1, COMPILED_AHEAD)
    state, text = reader.run_and_wait(1, timeout=PYTHON_TIMEOUT)
    assert state == "done", text
    route, kernel_ahead, *numpy_ahead = text.split()
    assert (route, kernel_ahead, numpy_ahead) == ("simd", "True", []), "NumPy's libraries were compiled ahead"
    reader.type_code(1, NUMPY_AT_WORK)
    assert reader.run_and_wait(1) == ("done", native_output(NUMPY_AT_WORK))
    held = installed_as_the_wheels(reader)
    # Unpacked by Python's zipfile, 64 KiB at a time, with storage doubling as files grow
    # (worker.js, whileFilesDouble): NumPy's largest library is held in 64 KiB times a power of two.
    sizes = wheel_sizes()
    library = max((path for path in sizes if path.endswith(".so")), key=sizes.get)
    assert sizes[library] > 2**20
    assert sizes[library] <= held[library] < 2 * sizes[library]
    assert held[library] % 2**16 == 0 and (held[library] // 2**16).bit_count() == 1, held[library]


def open_without(engine, open_tab, site_server, feature):
    """A reader whose browser lacks the feature: by the engine's own switch when it has one,
    else by the site's (?nndl-without=); and the query to add to the site's addresses."""
    if has_switch(feature, engine.name):
        return Reader(open_tab(features_off=(feature,)), site_server.url), ""
    return Reader(open_tab(), site_server.url), f"?nndl-without={feature}"


def test_without_service_workers_the_course_works_and_the_control_says_so(engine, open_tab, site_server):
    reader, query = open_without(engine, open_tab, site_server, "service-worker")
    reader.open(f"how-to-use/{query}")
    found = "document.querySelector('.nndl-offline')"
    control = f"{found} ? {shown(found)} : ''"
    reader.wait(f"({control}).includes('cannot keep the course for offline use here')",
                message="the offline control to say this window cannot keep the course")
    assert not reader.js(f"({control}).includes('Make available offline')")
    reader.open(f"demo/{query}")
    assert reader.run_and_wait(1) == ("done", "Hello, neural networks!")
    registrations = "navigator.serviceWorker ? navigator.serviceWorker.getRegistrations().then((r) => r.length) : 0"
    assert reader.js(registrations) == 0


NOT_SAVED = "This browser does not let the page save your edits"


def notices(reader, number):
    return reader.js(
        f"[...{reader.cell(number)}.querySelectorAll('.nndl-notice')].map((n) => {shown('n')}).join(' ')"
    )


def test_without_local_storage_edits_stay_on_the_page_and_cells_run(engine, open_tab, site_server):
    reader, query = open_without(engine, open_tab, site_server, "local-storage")
    reader.tab.allow_errors_of_others()  # Material's own scripts fail without localStorage
    reader.open(f"demo/{query}")
    reader.type_code(1, "print('my own edit')")
    output = reader.cell(1) + ".querySelector('.nndl-output')"
    reader.wait(f"{shown(output)}.includes({NOT_SAVED!r})",
                timeout=10, message="the notice that edits cannot be saved")
    assert reader.run_and_wait(1)[0] == "done"
    assert "my own edit" in reader.text(1)
    assert reader.code(1) == "print('my own edit')"


FILL_STORAGE = """(() => {
  // Fill this site's storage to the last byte the browser allows: big entries, then smaller.
  let size = 1 << 20, n = 0;
  while (size >= 1) {
    try { localStorage.setItem(`filler ${n++}`, "x".repeat(size)); }
    catch (error) { if (error.name !== "QuotaExceededError" && error.code !== 22) throw error; size >>= 1; }
  }
  return n;
})()"""


def test_when_storage_is_full_edits_stay_on_the_page_and_cells_run(reader):
    reader.open("demo/")
    assert reader.js(FILL_STORAGE) > 1
    reader.type_code(2, "n_x = 28 * 28\nn_x")
    output = reader.cell(2) + ".querySelector('.nndl-output')"
    reader.wait(f"{shown(output)}.includes({NOT_SAVED!r})",
                timeout=10, message="the notice that edits cannot be saved")
    assert reader.run_and_wait(2) == ("done", "784")  # the run replaces the notice
    assert reader.code(2) == "n_x = 28 * 28\nn_x"
    reader.js("Object.keys(localStorage).filter((k) => k.startsWith('filler ')).forEach((k) => localStorage.removeItem(k))")


#: The most WebAssembly memory this browser gives, in GB, found from the page the way the cell
#: runner finds it (fresh memories of growing sizes), to compare with what the reader is told.
CEILING = """(() => {
  let low = 0, high = 65536;
  while (low < high) {
    const pages = Math.floor((low + high + 1) / 2);
    try { new WebAssembly.Memory({ initial: 0, maximum: 65536 }).grow(pages); low = pages; }
    catch { high = pages - 1; }
  }
  return low * 65536 / 2 ** 30;
})()"""


def test_running_out_of_memory_names_the_limit_of_this_browser(engine, open_tab, site_server):
    lowered = has_switch("low-memory", engine.name)  # a browser that gives Python 1 GB, not 4
    tab = open_tab(features_off=("low-memory",) if lowered else ())
    reader = Reader(tab, site_server.url)
    reader.open("demo/")
    ceiling = reader.js(CEILING)
    if lowered:
        assert ceiling == 1.0
    reader.type_code(4, "blocks = []\nwhile True:\n    blocks.append(bytearray(10**8))")
    state, text = reader.run_and_wait(4, timeout=300)
    assert state == "error" and "MemoryError" in text
    assert f"Python ran out of memory. This browser lets it use at most {ceiling:.1f} GB" in text
    # Python goes on: freeing what the loop kept makes room again.
    reader.type_code(1, "print(len(blocks) > 3)\ndel blocks\nprint(sum(bytearray(10**7)))")
    assert reader.run_and_wait(1) == ("done", "True\n0")


def start_megabytes(site_server, engine):
    """What the Run button says a start of Python downloads, in MB as the page writes it."""
    manifest = json.loads((Path(site_server.httpd.RequestHandlerClass.root) / "pyodide"
                           / "runtime-manifest.json").read_text(encoding="utf-8"))
    return f"{start_bytes(manifest, engine) / 1e6:.1f} MB"


def start_bytes(manifest, engine):
    """The bytes a start of Python downloads: the runtime manifest's files but OpenBLAS (fetched
    only without WebAssembly SIMD), the rest of the standard library (fetched only when code
    imports a module of it), the classic worker's loader (pyodide.js), and the saved start but
    in WebKit, the one engine that restores it."""
    unused = {"pyodide.js", manifest["stdlib_rest"]["file"]}
    unused |= {manifest["snapshot"]["file"]} if engine != "webkit" else set()
    return sum(f["size"] for name, f in manifest["files"].items()
               if not name.startswith("openblas") and name not in unused)


#: Whether the page asked for anything of Python's runtime (its worker, or the files of pyodide/).
RUNTIME_FETCHED = ("performance.getEntriesByType('resource')"
                   ".some((e) => /\\/pyodide\\/|\\/worker\\.js/.test(e.name))")


def test_when_the_browser_asks_to_save_data_python_waits_for_run_which_says_its_cost(reader, site_server):
    """Save-Data forced by the site's switch, in every engine (only Chromium has
    navigator.connection; test_cells tests it through that)."""
    reader.open("demo/?nndl-save-data")
    cost = start_megabytes(site_server, reader.engine)
    run = f"{reader.cell(1)}.querySelector('.nndl-button--run')"
    assert reader.js(f"{run}.textContent.trim()") == f"Run ({cost})"
    assert cost in reader.js(f"{run}.title")
    time.sleep(2)  # the page has loaded and been idle: still nothing of Python fetched
    assert reader.js(RUNTIME_FETCHED) is False
    assert reader.js("document.querySelector('.nndl-runtime')?.hidden ?? true") is True
    assert reader.run_and_wait(1) == ("done", "Hello, neural networks!")
    assert reader.js(f"{run}.textContent.trim()") == "Run"
    # The next page of the visit: Python runs already, nothing more to download.
    reader.follow("a", "1. Images as vectors", "lessons/01-images-as-vectors/")
    assert reader.js(f"{reader.cell(1)}.querySelector('.nndl-button--run').textContent.trim()") == "Run"
