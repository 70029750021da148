"""The Python runtime as the built site serves it (site/pyodide/, from scripts/build_runtime.py):
a fully compiled distribution, NumPy trimmed, every file recorded with its sha256.

Whether the browser's interpreter reads this bytecode is checked where it runs: the build's own
check (scripts/startup-modules.mjs: no start-up module compiled from source) and `make
test-pyodide`, which runs the engine's and lessons' tests on the same folder.
"""

import hashlib
import importlib.util
import json
import marshal
import zipfile

from conftest import ROOT, SITE

RUNTIME = SITE / "pyodide"
OFFICIAL_LOCK = ROOT / "node_modules" / "pyodide" / "pyodide-lock.json"
PYC_HEADER = 16  # magic, flags, then 8 bytes of source hash (PEP 552)


def lock_entry(name):
    return json.loads((RUNTIME / "pyodide-lock.json").read_text(encoding="utf-8"))["packages"][name]


def manifest_entry(file_name):
    return json.loads((RUNTIME / "runtime-manifest.json").read_text(encoding="utf-8"))["files"][file_name]


def code_of(pyc):
    """The code object of a .pyc, checked to be this Python's, hash-based and unchecked."""
    assert pyc[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, never checked against a source
    return marshal.loads(pyc[PYC_HEADER:])


def test_numpy_is_bytecode_only_trimmed_and_recorded_with_its_new_hash():
    entry = lock_entry("numpy")
    wheel = RUNTIME / entry["file_name"]
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert entry["sha256"] == digest == manifest_entry(wheel.name)["sha256"]
    # Accepted only as the official wheel, then changed: its origin names the official hash.
    official = json.loads(OFFICIAL_LOCK.read_text(encoding="utf-8"))["packages"]["numpy"]["sha256"]
    assert official != digest and f"official sha256 {official}" in manifest_entry(wheel.name)["origin"]

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (record,) = [name for name in names if name.endswith(".dist-info/RECORD")]
        listed = {line.split(",")[0] for line in archive.read(record).decode().splitlines() if line}
        assert listed == set(names)  # the wheel's RECORD describes the trimmed wheel
        modules = [name for name in names if name.endswith(".pyc")]
        assert len(modules) > 100
        for name in modules:
            code = code_of(archive.read(name))
            assert code.co_filename == f"/lib/python3.12/site-packages/{name[:-1]}"
    assert not [name for name in names if name.endswith((".py", ".pyi", ".pxd", ".a", ".h"))]
    assert not [name for name in names if name.startswith("numpy/f2py/")]
    extensions = {name.rsplit("/", 1)[-1].split(".")[0] for name in names if name.endswith(".so")}
    assert "_multiarray_umath" in extensions and "_pocketfft_umath" in extensions
    assert "_multiarray_tests" in extensions  # import numpy imports it
    assert not extensions & {"_umath_tests", "_rational_tests", "_operand_flag_tests",
                             "_struct_ufunc_tests"}
    for module in ("numpy/__init__.pyc", "numpy/linalg/__init__.pyc", "numpy/random/__init__.pyc",
                   "numpy/testing/__init__.pyc", "numpy/typing/__init__.pyc"):
        assert module in names


def test_the_standard_library_is_bytecode_only_named_as_python_finds_it():
    """In two zips: what Python starts with, and the rest, which the worker writes to
    /lib/python312-rest.zip when code first imports one of its modules (lazy_stdlib.py)."""
    rest_entry = json.loads((RUNTIME / "runtime-manifest.json").read_text(encoding="utf-8"))["stdlib_rest"]
    modules = {}
    for zip_name, in_pyodide in (("python_stdlib.zip", "/lib/python312.zip/"),
                                 (rest_entry["file"], "/lib/python312-rest.zip/")):
        path = RUNTIME / zip_name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == manifest_entry(zip_name)["sha256"]
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            assert not [name for name in names if name.endswith(".py")]
            modules[zip_name] = {name for name in names if name.endswith(".pyc")}
            for name in sorted(modules[zip_name])[::25]:
                assert code_of(archive.read(name)).co_filename == f"{in_pyodide}{name[:-1]}"
    core, rest = modules["python_stdlib.zip"], modules[rest_entry["file"]]
    assert len(core | rest) > 500 and not core & rest
    assert {"json/__init__.pyc", "_pyodide/_base.pyc", "pyodide/ffi/__init__.pyc", "ast.pyc"} <= core
    assert {"unittest/__init__.pyc", "email/mime/text.pyc", "xml/dom/minidom.pyc"} <= rest
    dotted = {name[:-4].replace("/", ".").removesuffix(".__init__") for name in rest}
    assert dotted == set(rest_entry["modules"])


def test_nndl_keeps_its_sources_beside_its_bytecode():
    entry = lock_entry("nndl")
    wheel = RUNTIME / entry["file_name"]
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    sources = [name for name in names if name.startswith("nndl/") and name.endswith(".py")]
    assert "nndl/deep.py" in sources
    for source in sources:
        assert importlib.util.cache_from_source(source) in names, source
