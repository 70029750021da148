"""Wheels unpacked ahead (py_src/nndl_site/wheels_ahead.py) on CPython: the `whl` format that
Pyodide registers with shutil, put in front of by a writer, as the site's worker does. The
browser side (every file of NumPy's and nndl's wheels in Python's file system, byte for byte) is
tested in every engine by site_tests/test_engines.py."""

import shutil
import zipfile

import pytest

from nndl_site import wheels_ahead

FILES = {"pkg/__init__.py": b"VALUE = 1\n", "pkg-1.0.dist-info/METADATA": b"Name: pkg\n"}


@pytest.fixture
def whl_format():
    """The `whl` unpack format as Pyodide registers it (pyodide/_package_loader.py)."""
    shutil.register_unpack_format("whl", [".whl", ".wheel"], shutil._unpack_zipfile, description="Wheel file")
    yield
    shutil.unregister_unpack_format("whl")


@pytest.fixture
def wheel(tmp_path):
    path = tmp_path / "tmpab12cd34pkg-1.0-py3-none-any.whl"  # as Pyodide's temporary copy is named
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in FILES.items():
            archive.writestr(name, data)
    return path


def unpacked(folder):
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_a_wheel_the_writer_takes_is_not_unpacked_by_python(whl_format, wheel, tmp_path):
    calls = []

    def write_ahead(archive, folder):
        calls.append((archive, folder))
        return True

    restore = wheels_ahead.install(write_ahead)
    try:
        shutil.unpack_archive(wheel, tmp_path / "site")
    finally:
        restore()
    assert calls == [(str(wheel), str(tmp_path / "site"))]
    assert unpacked(tmp_path / "site") == {}


def test_a_wheel_the_writer_leaves_is_unpacked_as_before(whl_format, wheel, tmp_path):
    restore = wheels_ahead.install(lambda archive, folder: False)
    try:
        shutil.unpack_archive(wheel, tmp_path / "site")
    finally:
        restore()
    assert unpacked(tmp_path / "site") == FILES


def test_restoring_puts_the_formats_own_function_back(whl_format, wheel, tmp_path):
    restore = wheels_ahead.install(lambda archive, folder: True)
    restore()
    assert [name for name, *_ in shutil.get_unpack_formats()].count("whl") == 1
    shutil.unpack_archive(wheel, tmp_path / "site")
    assert unpacked(tmp_path / "site") == FILES
