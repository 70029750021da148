"""The engine's wheel in the runtime (stages 2 and 4 of scripts/build_runtime.py): nndl built
from py_src/ without the site's build, then given bytecode beside its sources."""

from __future__ import annotations

import compileall
import importlib.util
import json
import py_compile
import shutil
import sys
import tomllib
import zipfile
from pathlib import Path

from runtime_common import ENGINE, ROOT, BuildError, log, repack, run, sha256_of

#: Project files that the nndl wheel is built from.
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in")
#: The site's build, installed from the same pyproject.toml but never shipped in the engine's
#: wheel: its package and the entry point by which MkDocs finds its plugin are left out.
SITE_PACKAGE = "nndl_site"
ENTRY_POINTS = "[project.entry-points."


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
