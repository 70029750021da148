"""Wheels unpacked by the browser, not by Python's zipfile.

Pyodide installs a wheel by writing its bytes to a temporary file, unpacking it with
``shutil.unpack_archive`` (which, for the ``whl`` format Pyodide registers, inflates and writes
every file with Python's ``zipfile``), then reading the archive again for its metadata and its
shared libraries. The site's worker has by then inflated NumPy's and nndl's wheels itself, off
Python's thread, with the browser's own ``DecompressionStream`` (docs/javascripts/compile-ahead.js):
unpacking them again in Python was about 0.1 s of a visit's start in Chromium, more in WebKit.

:func:`install` puts a function in front of the ``whl`` format's own: for a wheel the worker
inflated, ``write_ahead`` writes its files where Python would have written them; for any other,
Python unpacks it as before. Everything else Pyodide does with the wheel (its metadata, the
list of its libraries) is unchanged.

Nothing here imports ``js``: ``write_ahead`` is given to :func:`install`, so this module also runs
on plain CPython (tests/site/test_wheels_ahead.py).
"""

import shutil

FORMAT = "whl"


def install(write_ahead):
    """Unpack wheels with ``write_ahead(archive_path, extract_dir)`` first: it returns True when it
    wrote the archive's files into ``extract_dir``, False to leave the archive to the format's own
    function. Returns a function that puts the format back as it was."""
    # shutil has no public way to read a format's function; its table is stable since 3.2.
    extensions, unpack, extra_args, description = shutil._UNPACK_FORMATS[FORMAT]

    def unpack_wheel(filename, extract_dir, **kwargs):
        if not write_ahead(filename, extract_dir):
            unpack(filename, extract_dir, **kwargs)

    def restore():
        shutil.unregister_unpack_format(FORMAT)
        shutil.register_unpack_format(FORMAT, extensions, unpack, extra_args, description)

    shutil.unregister_unpack_format(FORMAT)
    shutil.register_unpack_format(FORMAT, extensions, unpack_wheel, extra_args, description)
    return restore
