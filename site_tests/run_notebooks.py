"""Execute the site's notebooks in a real Jupyter kernel (nbclient + ipykernel), one after another.

Run by site_tests/test_notebooks_in_jupyter.py with the Python of a fresh virtual environment
that holds requirements/notebooks.txt, never imported by pytest:

    python run_notebooks.py --published URL --served URL --output results.json --executed DIR NB...

Each notebook's first code cell installs the engine from the site (``%pip install <published>
dist/nndl-….whl``); it is pointed at the same path on the site served for the test (--served),
and nothing else in the notebook is changed. Errors are allowed only in cells tagged
``raises-exception`` (nbclient's rule, and JupyterLab's "Run All"). For each notebook the results
give: executed or not (and the error), seconds, the tagged cells and which of them raised, and
every MIME type of every output. The executed notebooks are written to --executed.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

RAISES = "raises-exception"
CELL_TIMEOUT_S = 600


def run(path, published, served, executed):
    book = nbformat.read(path, as_version=4)
    install = next(cell for cell in book.cells if cell.cell_type == "code")
    if published not in install.source:
        return {"executed": False, "error": f"the first code cell does not install from {published}: "
                f"{install.source!r}"}
    install.source = install.source.replace(published, served)
    client = NotebookClient(book, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(executed)}})
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as exc:
        error = str(exc)[-3000:]
    seconds = time.perf_counter() - start
    nbformat.write(book, executed / Path(path).name)
    tagged, raised, mimes, failed = [], [], [], []
    for number, cell in enumerate(book.cells, 1):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if RAISES in cell.metadata.get("tags", []):
            tagged.append(number)
            if errors:
                raised.append(number)
        elif errors:
            failed.append({"cell": number, "ename": errors[0].ename, "evalue": errors[0].evalue})
        for output in cell.outputs:
            if "data" in output:
                mimes.append({"cell": number, "mimes": sorted(output.data)})
    return {"executed": error is None and not failed, "error": error, "seconds": seconds,
            "tagged": tagged, "raised": raised, "failed": failed, "outputs": mimes}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", required=True, help="the site's address in the notebooks")
    parser.add_argument("--served", required=True, help="the same site, served for the test")
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--executed", required=True, type=Path)
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    args.executed.mkdir(parents=True, exist_ok=True)
    results = {}
    for path in args.notebooks:
        results[Path(path).name] = result = run(path, args.published, args.served, args.executed)
        print(f"{Path(path).name}: executed={result['executed']} "
              f"{result.get('seconds', 0):.1f} s", file=sys.stderr, flush=True)
    args.output.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
