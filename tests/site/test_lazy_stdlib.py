"""The finder of the rest of the standard library (py_src/nndl_site/lazy_stdlib.py) on CPython,
with CPython's own zipimport: a package split between a "core" zip on sys.path and a "rest" zip
that the finder fetches, as the runtime build splits Python's standard library
(scripts/runtime_stdlib.py). In the browser: site_tests/test_engines.py."""

import asyncio
import hashlib
import importlib
import sys
import zipfile

import pytest

from nndl_site import lazy_stdlib

# A package `lzpkg` whose __init__ and `core` module ship with Python's start, whose `extra`
# module and subpackage `deep` are in the rest, and a top-level module `lztop` of the rest.
CORE = {"lzpkg/__init__.py": "NAME = 'lzpkg'\n", "lzpkg/core.py": "VALUE = 1\n"}
REST = {"lzpkg/extra.py": "from lzpkg import core\nVALUE = core.VALUE + 1\n",
        "lzpkg/deep/__init__.py": "", "lzpkg/deep/leaf.py": "VALUE = 3\n",
        "lztop.py": "VALUE = 4\n"}
REST_MODULES = ["lzpkg.deep", "lzpkg.deep.leaf", "lzpkg.extra", "lztop"]


def write_zip(path, files):
    """A zip with each file and its folders' entries, as the standard library's zip holds them."""
    with zipfile.ZipFile(path, "w") as archive:
        folders = {name.rsplit("/", 1)[0] + "/" for name in files if "/" in name}
        for folder in sorted(folders):
            archive.writestr(folder, b"")
        for name, text in files.items():
            archive.writestr(name, text)
    return path.read_bytes()


@pytest.fixture
def split(tmp_path):
    """The core zip on sys.path; a finder of the rest (not installed) whose fetches are counted.
    Python's import state is restored after."""
    core = tmp_path / "core.zip"
    write_zip(core, CORE)
    rest = write_zip(tmp_path / "rest-source.zip", REST)
    fetches = []

    def fetch():
        fetches.append("sync")
        return rest

    async def fetch_async():
        fetches.append("async")
        return rest

    finder = lazy_stdlib.RestFinder(REST_MODULES, fetch, fetch_async, hashlib.sha256(rest).hexdigest(),
                                    path=str(tmp_path / "rest.zip"))
    saved_path, saved_meta = list(sys.path), list(sys.meta_path)
    sys.path.insert(0, str(core))
    sys.meta_path.append(finder)
    importlib.invalidate_caches()
    try:
        yield finder, fetches
    finally:
        sys.path[:], sys.meta_path[:] = saved_path, saved_meta
        for name in [name for name in sys.modules if name.split(".")[0] in ("lzpkg", "lztop")]:
            del sys.modules[name]
        sys.path_importer_cache.pop(str(core), None)
        sys.path_importer_cache.pop(finder.path, None)


def test_the_core_imports_without_fetching_anything(split):
    finder, fetches = split
    import lzpkg.core

    assert lzpkg.core.VALUE == 1
    assert fetches == [] and not finder.mounted


def test_a_module_of_the_rest_is_fetched_once_then_every_module_of_it_imports(split):
    finder, fetches = split
    import lzpkg

    extra = importlib.import_module("lzpkg.extra")  # a submodule of a package of the core
    assert extra.VALUE == 2
    assert fetches == ["sync"] and finder.mounted
    assert importlib.import_module("lzpkg.deep.leaf").VALUE == 3  # a subpackage of the rest
    assert importlib.import_module("lztop").VALUE == 4  # a top-level module of the rest
    assert fetches == ["sync"]
    assert extra.__file__.startswith(finder.path)
    assert lzpkg.deep.__file__.endswith("__init__.py"), "taken for a namespace package"


def test_a_package_of_the_core_imported_after_the_fetch_still_finds_its_modules_in_the_rest(split):
    finder, fetches = split
    assert importlib.import_module("lztop").VALUE == 4  # fetched before lzpkg is imported
    assert importlib.import_module("lzpkg.extra").VALUE == 2
    assert fetches == ["sync"]


def test_the_runner_fetches_without_blocking_before_a_cell_that_names_a_module_of_the_rest(split):
    finder, fetches = split
    assert not finder.needs(["lzpkg", "lzpkg.core", "numpy"])
    assert finder.needs(["lzpkg.extra"])
    assert finder.needs(["lzpkg.deep.leaf.VALUE"])  # `from lzpkg.deep.leaf import VALUE`
    asyncio.run(finder_load(finder))
    assert fetches == ["async"] and finder.mounted
    assert not finder.needs(["lzpkg.extra"])
    assert importlib.import_module("lzpkg.extra").VALUE == 2
    assert fetches == ["async"]


async def finder_load(finder):
    saved = lazy_stdlib._finder
    lazy_stdlib._finder = finder
    try:
        assert lazy_stdlib.needed_by(["lztop"])
        await lazy_stdlib.load()
    finally:
        lazy_stdlib._finder = saved


def test_damaged_bytes_are_refused_with_a_message_and_nothing_is_mounted(split):
    finder, fetches = split
    finder.fetch = lambda: b"PK not the rest"
    with pytest.raises(ImportError, match="arrived damaged"):
        importlib.import_module("lztop")
    assert not finder.mounted and finder.path not in sys.path


def test_a_failed_download_says_what_the_module_is_and_what_to_do(split):
    finder, fetches = split

    def offline():
        raise OSError("NetworkError: Failed to execute 'send' on 'XMLHttpRequest'")

    good, finder.fetch = finder.fetch, offline
    with pytest.raises(ImportError) as error:
        importlib.import_module("lzpkg.extra")
    message = str(error.value)
    assert "lzpkg.extra is part of Python's standard library" in message
    assert "NetworkError" in message and "run the cell again" in message
    finder.fetch = good  # the connection is back
    assert importlib.import_module("lzpkg.extra").VALUE == 2


def test_a_module_the_rest_does_not_hold_is_left_to_python(split):
    with pytest.raises(ModuleNotFoundError, match="no_such_module"):
        importlib.import_module("lzpkg.no_such_module")
    assert split[1] == []
