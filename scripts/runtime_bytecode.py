"""The standard library and NumPy as bytecode only, NumPy's wheel trimmed of what no reader uses,
and the check that a page's start-up compiles nothing from source (stages 6 and 7 of
scripts/build_runtime.py)."""

from __future__ import annotations

import importlib.util
import io
import json
import marshal
import subprocess
import zipfile
from pathlib import Path

from runtime_common import ROOT, BuildError, log, repack, sha256_of


# --- 6. A fully pre-compiled distribution, trimmed to what readers use -------------------------

#: Where Pyodide keeps the standard library (the zip, imported by zipimport) and the packages.
STDLIB_IN_PYODIDE = "/lib/python312.zip/"
PACKAGES_IN_PYODIDE = "/lib/python3.12/site-packages/"

#: Parts of NumPy's wheel that no reader's code uses in a browser, left out of the wheel the site
#: serves: f2py (builds Fortran extensions), the type stubs (read by type checkers, never
#: imported), the C headers, static libraries and Cython declarations (for compiling against
#: NumPy), the Cython examples, and the extension modules that only NumPy's own test suite
#: imports (not _multiarray_tests: `import numpy` imports it, in numpy/_core/_add_newdocs.py).
#: Pyodide's wheel already holds no tests/ folders: they are a package of their own.
NUMPY_LEFT_OUT_FOLDERS = ("numpy/f2py/", "numpy/_core/include/", "numpy/_core/lib/",
                          "numpy/random/lib/", "numpy/random/_examples/")
NUMPY_LEFT_OUT_SUFFIXES = (".pyi", ".pxd", "py.typed")
NUMPY_TEST_EXTENSIONS = ("_operand_flag_tests", "_rational_tests",
                         "_struct_ufunc_tests", "_umath_tests")


def numpy_left_out(name: str) -> bool:
    """True for a member of NumPy's wheel (path relative to site-packages) the site leaves out."""
    if name.startswith(NUMPY_LEFT_OUT_FOLDERS) or name.endswith(NUMPY_LEFT_OUT_SUFFIXES):
        return True
    module = name.rsplit("/", 1)[-1].split(".", 1)[0]
    return name.endswith(".so") and module in NUMPY_TEST_EXTENSIONS


def bytecode(source: bytes, filename: str) -> bytes:
    """A .pyc for one module: compiled with the file name Python gives it in Pyodide (for
    tracebacks), in "unchecked-hash" mode (PEP 552), so the interpreter never looks for a
    source or a timestamp. The host is CPython 3.12, whose bytecode Pyodide 0.27.7's CPython
    3.12.7 reads (same magic number; the smoke test imports it)."""
    code = compile(source, filename, "exec", dont_inherit=True)
    flags = (0b01).to_bytes(4, "little")  # hash-based, unchecked
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + marshal.dumps(code)


def compile_distribution(lock: dict, staging: Path, workdir: Path, origins: dict[str, str]) -> None:
    """Ship the standard library and NumPy as bytecode only, as `pyodide py-compile` does.

    Python compiling sources was most of start-up: measured in a Chromium worker, start to
    `import numpy` took 2–2.5 times longer from sources than from a fully compiled distribution
    (see docs/performance.md). Every module of python_stdlib.zip and of NumPy's wheel is
    replaced by its .pyc (legacy layout, name.pyc where name.py was: zipimport and Python's
    sourceless loader read it with no __pycache__ look-up). Sources are not kept: they would
    add about 2 MB that only tracebacks into the standard library or NumPy would read, and those
    still name the file and line. (nndl keeps its sources: lessons show them; see stage 4.)
    pyodide-build's own `py-compile` is not used: it names each module by its path inside the
    archive ("json/decoder.py"), not where Python finds it, and writes timestamp bytecode.

    NumPy's wheel was accepted only with the official sha256 (stage 5); it is trimmed
    (NUMPY_LEFT_OUT_*), compiled, packed again (wheel pack writes its RECORD anew), and the
    lock and the manifest's origin record its new sha256 beside the official one.
    """
    zip_path = staging / "python_stdlib.zip"
    compiled, kept = compile_zip(zip_path)
    origins[zip_path.name] += f", {compiled} modules compiled to bytecode"
    log(f"{zip_path.name}: {compiled} modules compiled to bytecode"
        + (f", {len(kept)} kept as sources (not Python 3.12: {', '.join(kept)})" if kept else ""))

    entry = lock["packages"]["numpy"]
    official = entry["sha256"]
    counts = {"left out": 0, "compiled": 0}

    def trim_and_compile(root: Path) -> None:
        for path in sorted(root.rglob("*")):
            if not path.is_file():
                continue
            name = path.relative_to(root).as_posix()
            if numpy_left_out(name):
                path.unlink()
                counts["left out"] += 1
            elif name.endswith(".py"):
                data = bytecode(path.read_bytes(), PACKAGES_IN_PYODIDE + name)
                path.with_suffix(".pyc").write_bytes(data)
                path.unlink()
                counts["compiled"] += 1
        for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()

    wheel = repack(staging / entry["file_name"], staging, workdir, trim_and_compile)
    entry["sha256"] = sha256_of(wheel)
    (staging / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")
    origins[wheel.name] += (f", trimmed ({counts['left out']} files left out: f2py, stubs, C headers"
                            f" and libraries, test extensions) and {counts['compiled']} modules"
                            f" compiled to bytecode (official sha256 {official})")
    log(f"{wheel.name}: {counts['left out']} files left out, {counts['compiled']} modules compiled")


def compile_zip(zip_path: Path) -> tuple[int, list[str]]:
    """Replace each name.py of the zip by name.pyc (where zipimport looks for it); return how
    many were compiled and the names of the few kept as sources because Python 3.12 cannot
    compile them (data files of the standard library written in older syntax, if any)."""
    out = io.BytesIO()
    compiled, kept = 0, []
    with zipfile.ZipFile(zip_path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if not info.filename.endswith(".py"):
                target.writestr(info, data)
                continue
            try:
                pyc = bytecode(data, STDLIB_IN_PYODIDE + info.filename)
            except SyntaxError:
                target.writestr(info, data)
                kept.append(info.filename)
                continue
            target.writestr(info.filename + "c", pyc, compress_type=zipfile.ZIP_DEFLATED)
            compiled += 1
    zip_path.write_bytes(out.getvalue())
    return compiled, kept


def check_startup_bytecode(staging: Path, also: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """Check that a lesson page's start-up compiles nothing from source: every module imported
    before a first result (scripts/startup-modules.mjs loads the staged folder as the site's
    worker does and runs a first cell) was read from bytecode, except the cells' runner, which
    the worker writes into Python's file system itself. Returns what was read from the standard
    library's zip (pure Python): the names of the start-up's modules, for the snapshot (stage 9),
    and the zip's files read once every module of nndl and the modules `also` are imported too,
    for the part of the standard library that ships with Python's start (stage 8)."""
    done = subprocess.run(
        ["node", str(ROOT / "scripts" / "startup-modules.mjs"), "--runtime", str(staging),
         "--runner", str(ROOT / "py_src" / "nndl_site" / "cell_runner.py"), "--also", ",".join(also)],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise BuildError(f"could not list the start-up modules:\n{done.stdout}{done.stderr}")
    found = json.loads(done.stdout)
    modules = found["modules"]
    from_source = sorted(f"{name} ({origin})" for name, origin in modules.items()
                         if origin == "source" and name != "_nndl_cells")
    if from_source:
        raise BuildError("start-up compiles these modules from source: " + ", ".join(from_source))
    log(f"start-up imports {len(modules)} modules, none compiled from source")
    return found["stdlib"], found["lessons_stdlib"]
