"""The site's notebooks, run as a learner runs them: in a real Jupyter kernel, in a fresh virtual
environment where the engine comes from the notebook's own first cell.

The built site is served locally. A new virtual environment gets nbclient and ipykernel only
(requirements/notebooks.txt, from PyPI); `nndl` is not in it. Then site_tests/run_notebooks.py
executes every notebook of site/notebooks/ in a python3 kernel of that environment: its first
cell, ``%pip install --quiet <site>/dist/nndl-<version>-py3-none-any.whl``, installs the engine
from the served site (the site's address swapped for the server's, nothing else changed), and
every cell must run without error, except the cells tagged ``raises-exception``.

No output may offer a MIME type that JupyterLab would show instead of the HTML: see
RANKED_AFTER_HTML. The terminal summary lists each notebook: executed, seconds, tagged cells.
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SESSION_REPORT, SITE

pytestmark = pytest.mark.slow

REQUIREMENTS = ROOT / "requirements" / "notebooks.txt"
RUNNER = Path(__file__).with_name("run_notebooks.py")
NOTEBOOKS = sorted((SITE / "notebooks").glob("*.ipynb"))
EXECUTED = ROOT / "build" / "notebooks-executed"
WHEEL = re.compile(r"^%pip install --quiet (?P<site>\S+/)dist/(?P<wheel>nndl-[^/\s]+-py3-none-any\.whl)\s*$")
RUN_TIMEOUT_S = 1800
REPORT = "the site's notebooks in a Jupyter kernel (nbclient + ipykernel), nndl from the site's wheel"

#: The MIME types that JupyterLab 4 shows only when a bundle has no text/html: its renderers'
#: ranks (lower wins), read from JupyterLab 4.6.6's own bundle (@jupyterlab/rendermime's
#: standard factories and the default extensions). text/html is 50. Ranked above it, and so
#: shown instead of the drawing: application/json and the JSON-lines types (the JSON viewer,
#: rank 0), application/javascript and text/javascript (rank 0), and the
#: application/vnd.jupyter.widget-view+json of ipywidgets (rank 0); any other type is refused
#: too, since an extension may rank it anywhere.
RANKED_AFTER_HTML = {
    "text/html": 50,
    "application/vnd.vega.v5+json": 57,
    "application/vnd.vegalite.v5+json": 57,
    "text/markdown": 60,
    "text/latex": 70,
    "image/svg+xml": 80,
    "image/bmp": 90,
    "image/png": 90,
    "image/jpeg": 90,
    "image/gif": 90,
    "image/webp": 90,
    "application/vnd.jupyter.stderr": 110,
    "text/plain": 120,
    "application/vnd.jupyter.stdout": 120,
}
SHOWN_IN_NOTEBOOKS = {"text/html", "text/plain", "image/png", "image/svg+xml"}


def published_install(notebook):
    """(site address, wheel file name) of the install line in the notebook's first code cell."""
    book = json.loads(notebook.read_text(encoding="utf-8"))
    first = next(cell for cell in book["cells"] if cell["cell_type"] == "code")
    match = WHEEL.match("".join(first["source"]))
    assert match, f"{notebook.name}: the first code cell is not the install line: {first['source']}"
    return match["site"], match["wheel"]


@pytest.fixture(scope="module")
def kernel_environment(tmp_path_factory):
    """A virtual environment of its own with nbclient and ipykernel, and without nndl: the one
    make test-site made ($NNDL_NOTEBOOK_ENV), else a fresh one."""
    folder = tmp_path_factory.mktemp("jupyter")
    made = os.environ.get("NNDL_NOTEBOOK_ENV")  # make test-site's, made beside the engine's tests
    venv = Path(made).resolve() if made else folder / "venv"
    python = venv / "bin" / "python"
    if made:  # nndl left by an earlier run's first cell goes: the notebooks must install it
        subprocess.run([python, "-m", "pip", "uninstall", "--quiet", "--yes", "nndl"], check=True)
    else:
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", REQUIREMENTS], check=True)
    home = folder / "home"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER", "IPYTHON"))}
    env.update({
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        "PYTHONNOUSERSITE": "1",  # nothing from the user's own site-packages
        "JUPYTER_CONFIG_DIR": str(home / "config"),  # no kernel spec or setting of this machine
        "JUPYTER_DATA_DIR": str(home / "data"),
        "IPYTHONDIR": str(home / "ipython"),
        "OPENBLAS_NUM_THREADS": "1",  # as make test-engine: a busy 2-core machine
    })
    missing = subprocess.run([python, "-c", "import nndl"], env=env, cwd=folder, capture_output=True)
    assert missing.returncode != 0, "the fresh environment must not have nndl before the notebooks run"
    return {"folder": folder, "python": python, "venv": venv, "env": env}


@pytest.fixture(scope="module")
def results(kernel_environment, site_server):
    """Every notebook executed once, in order; {notebook name: its results}."""
    assert NOTEBOOKS, "site/ has no notebooks: run make site"
    published = {published_install(notebook)[0] for notebook in NOTEBOOKS}
    assert len(published) == 1, f"the notebooks install from different sites: {published}"
    (site,) = published
    folder = kernel_environment["folder"]
    output = folder / "results.json"
    start = time.perf_counter()
    subprocess.run(
        [kernel_environment["python"], RUNNER, "--published", site, "--served", site_server.url,
         "--output", output, "--executed", EXECUTED, *NOTEBOOKS],
        env=kernel_environment["env"], cwd=folder, check=True, timeout=RUN_TIMEOUT_S,
    )
    results = json.loads(output.read_text(encoding="utf-8"))
    lines = [f"{'notebook':40} {'executed':>8} {'seconds':>8}  tagged raises-exception (raised)"]
    for name, result in results.items():
        tagged = ", ".join(f"cell {n}" + (" (raised)" if n in result["raised"] else " (did not raise)")
                           for n in result.get("tagged", [])) or "none"
        lines.append(f"{name:40} {'yes' if result['executed'] else 'NO':>8} "
                     f"{result.get('seconds', 0):8.1f}  {tagged}")
    lines.append(f"{len(results)} notebooks in {time.perf_counter() - start:.0f} s, "
                 f"executed notebooks in {EXECUTED.relative_to(ROOT)}/")
    SESSION_REPORT[REPORT] = lines
    return results


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_every_notebook_runs_all_in_a_jupyter_kernel(results, notebook):
    result = results[notebook.name]
    assert not result["failed"], f"cells without the tag raises-exception failed: {result['failed']}"
    assert result["executed"], result["error"]


def test_the_first_cell_installed_the_engine_from_the_sites_wheel(results, kernel_environment, site_server):
    site, wheel = published_install(NOTEBOOKS[0])
    assert (SITE / "dist" / wheel).is_file(), f"site/dist/{wheel} is not published"
    env, python = kernel_environment["env"], kernel_environment["python"]
    where = subprocess.run(
        [python, "-c", "import importlib.metadata as m, json, nndl; d = m.distribution('nndl'); "
         "print(json.dumps([nndl.__file__, d.version, json.loads(d.read_text('direct_url.json'))['url']]))"],
        env=env, cwd=kernel_environment["folder"], capture_output=True, text=True, check=True,
    )
    module, version, url = json.loads(where.stdout)
    assert Path(module).is_relative_to(kernel_environment["venv"]), module  # not the source tree
    assert url == f"{site_server.url}dist/{wheel}"
    assert wheel == f"nndl-{version}-py3-none-any.whl"


def test_no_output_offers_a_mime_type_jupyterlab_shows_instead_of_html(results):
    offending = [
        f"{name} cell {output['cell']}: {mime}"
        for name, result in results.items()
        for output in result["outputs"]
        for mime in output["mimes"]
        if RANKED_AFTER_HTML.get(mime, -1) < RANKED_AFTER_HTML["text/html"]
    ]
    assert not offending, "JupyterLab would show these instead of the HTML: " + "; ".join(offending)
    seen = {mime for result in results.values() for output in result["outputs"] for mime in output["mimes"]}
    assert seen == SHOWN_IN_NOTEBOOKS  # the explorables' HTML, the pictures and plots, and text


def test_the_explorables_show_as_html_in_a_notebook(results):
    """Every explorable cell (metadata nndl.explorable) shows its drawing as HTML, with its
    summary as text, and nothing else."""
    explorables = 0
    for notebook in NOTEBOOKS:
        book = json.loads(notebook.read_text(encoding="utf-8"))
        numbers = [n for n, cell in enumerate(book["cells"], 1)
                   if "explorable" in cell["metadata"].get("nndl", {})]
        outputs = {output["cell"]: output["mimes"] for output in results[notebook.name]["outputs"]}
        for number in numbers:
            assert outputs.get(number) == ["text/html", "text/plain"], (notebook.name, number)
        explorables += len(numbers)
    fences = sum(len(re.findall(r"^```explorable", path.read_text(encoding="utf-8"), re.M))
                 for path in (ROOT / "docs").rglob("*.md"))
    assert explorables == fences > 0
