"""The standard library in two parts (stage 8 of scripts/build_runtime.py): python_stdlib.zip
keeps what the lessons use, python_stdlib_rest.zip the rest, fetched only if a reader's code
imports a module of it (py_src/nndl_site/lazy_stdlib.py, installed by the site's worker).

Pyodide's standard library is one 4 MB zip that Python needs before it starts, so every byte of
it is on the way to a first result. A lesson imports fewer than a third of its modules: on a
first visit over a 25 Mbit/s connection the other 2.3 MB cost close to a second.
"""

from __future__ import annotations

import copy
import io
import marshal
import types
import zipfile
from pathlib import Path

from runtime_bytecode import STDLIB_IN_PYODIDE
from runtime_common import BuildError, log

STDLIB = "python_stdlib.zip"
REST = "python_stdlib_rest.zip"
#: Where the worker writes the rest in Python's file system (lazy_stdlib.PATH), as a folder prefix.
REST_IN_PYODIDE = "/lib/python312-rest.zip/"
PYC_HEADER = 16  # magic, flags, source hash (PEP 552)

#: Modules imported, besides a lesson's start-up and every module of nndl, to find the part of
#: the standard library that ships with Python's start (whatever they import comes with them):
#: NumPy's submodules that `import numpy` leaves until first used (numpy.random imports
#: `secrets`), and the standard library's modules that a learner's own code in this course
#: reaches for (timing a loop, a data class, printing a nested structure, simple statistics).
ALSO_IMPORTED = ("numpy.fft", "numpy.linalg", "numpy.ma", "numpy.polynomial", "numpy.random",
                 "bisect", "copy", "csv", "dataclasses", "datetime", "decimal", "fractions",
                 "heapq", "pprint", "statistics", "string", "textwrap", "timeit")


def module_of(member: str) -> str | None:
    """The dotted name of the module a member of the zip holds ("json/decoder.pyc" →
    "json.decoder", "json/__init__.pyc" → "json"), or None for a folder or a data file."""
    if not member.endswith(".pyc"):
        return None
    name = member[: -len(".pyc")].replace("/", ".")
    return name.removesuffix(".__init__")


def renamed(pyc: bytes, old_prefix: str, new_prefix: str) -> bytes:
    """A .pyc whose code objects name their file under new_prefix instead of old_prefix (each
    module was compiled with the file name Python gives it in the one zip: tracebacks through a
    module of the rest name the file where Python found it)."""
    def rename(code):
        consts = tuple(rename(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
        return code.replace(co_filename=new_prefix + code.co_filename.removeprefix(old_prefix),
                            co_consts=consts)

    return pyc[:PYC_HEADER] + marshal.dumps(rename(marshal.loads(pyc[PYC_HEADER:])))


def split_stdlib(staging: Path, kept_files: list[str], origins: dict[str, str]) -> dict:
    """Move every module of the staged python_stdlib.zip whose file is not in kept_files (read
    by a lesson's start-up, by nndl or by ALSO_IMPORTED: scripts/startup-modules.mjs lists them) into
    python_stdlib_rest.zip. Data files stay. Returns what the runtime's manifest
    records for the worker: {"file": the rest's name, "modules": the dotted names it holds}."""
    kept = set(kept_files)
    source = staging / STDLIB
    core, rest = io.BytesIO(), io.BytesIO()
    moved = []
    with (zipfile.ZipFile(source) as zip_in,
          zipfile.ZipFile(core, "w", zipfile.ZIP_DEFLATED) as core_out,
          zipfile.ZipFile(rest, "w", zipfile.ZIP_DEFLATED) as rest_out):
        missing = kept - set(zip_in.namelist())
        if missing:
            raise BuildError(f"files the lessons read are not in {STDLIB}: {', '.join(sorted(missing))}")
        files = [info for info in zip_in.infolist() if not info.is_dir()]
        goes = {info.filename: module_of(info.filename) is not None and info.filename not in kept
                for info in files}
        for info in files:
            data = zip_in.read(info)
            if goes[info.filename]:
                rest_out.writestr(info, renamed(data, STDLIB_IN_PYODIDE, REST_IN_PYODIDE))
                moved.append(module_of(info.filename))
            else:
                core_out.writestr(info, data)
        # A folder goes where files of it went: a folder entry with no package in it would make
        # Python's path finder take the folder for a namespace package and stop looking.
        for folder in (info for info in zip_in.infolist() if info.is_dir()):
            inside = [moves for name, moves in goes.items() if name.startswith(folder.filename)]
            # (a copy for each zip: writing a ZipInfo records that zip's offset in it)
            if not all(inside):
                core_out.writestr(copy.copy(folder), b"")
            if any(inside):
                rest_out.writestr(copy.copy(folder), b"")
    before = source.stat().st_size
    source.write_bytes(core.getvalue())
    (staging / REST).write_bytes(rest.getvalue())
    origins[REST] = origins[STDLIB] + f", the {len(moved)} modules no lesson imports"
    origins[STDLIB] += f", the {len(kept)} modules the lessons import"
    log(f"{STDLIB}: {before / 1e6:.2f} MB → {source.stat().st_size / 1e6:.2f} MB with the"
        f" {len(kept)} modules the lessons import; {REST}: {len(moved)} modules,"
        f" {(staging / REST).stat().st_size / 1e6:.2f} MB")
    return {"file": REST, "modules": sorted(moved)}
