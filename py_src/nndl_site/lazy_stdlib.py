"""The rest of Python's standard library, fetched the first time code imports one of its modules.

The runtime ships the standard library in two zips (scripts/runtime_stdlib.py): Python starts
with ``python_stdlib.zip``, which holds what the lessons import; ``python_stdlib_rest.zip`` holds
the other modules (email, unittest, xml, http…), about 2.3 MB that most readers never use, so a
first visit does not download them.

The site's worker writes this file into Pyodide's file system as the module ``_nndl_stdlib``
and calls :func:`install` once Python has started. From then on:

- :class:`RestFinder`, appended to ``sys.meta_path`` after Python's own finders, is asked only
  about a module that Python found nowhere. If the rest holds it, the finder fetches the rest,
  checks its sha256, writes it beside the standard library's zip and puts it on ``sys.path``
  and on the ``__path__`` of the packages split between the two zips; Python's own path finder
  then finds the module there. This fetch is synchronous: Python waits for it.
- The cells' runner fetches the rest *before* a cell runs when the cell's own import statements
  name one of its modules (:func:`needed_by`, :func:`load`), without blocking Python: the finder is for
  imports that only show when the code runs (``importlib.import_module``, an import inside a
  function).

Nothing here imports ``js``: the fetches are functions given to :func:`install`, so this module
also runs on plain CPython (tests/site/test_lazy_stdlib.py) and under Node.js.
"""

import hashlib
import importlib.machinery
import sys

#: Where the rest is written, beside the standard library's own /lib/python312.zip.
PATH = "/lib/python312-rest.zip"

_finder = None


class RestUnavailable(ImportError):
    """The rest of the standard library could not be had: the message says why, for a learner."""


class RestFinder:
    """A meta path finder for the modules of the rest of the standard library (see the module)."""

    def __init__(self, modules, fetch, fetch_async, sha256, path=PATH):
        self.modules = frozenset(str(name) for name in modules)
        self.packages = frozenset(name.rpartition(".")[0] for name in self.modules) - {""}
        self.fetch = fetch  # () -> the rest's bytes
        self.fetch_async = fetch_async  # () -> awaitable of the rest's bytes
        self.sha256 = sha256
        self.path = path
        self.mounted = False

    def find_spec(self, name, path=None, target=None):
        if name not in self.modules:
            return None
        if not self.mounted:
            self.mount(_fetched(self.fetch, name))
        parent = name.rpartition(".")[0]
        search = self._extend(sys.modules[parent]) if parent else [self.path]
        return importlib.machinery.PathFinder.find_spec(name, search)

    def mount(self, data):
        """Check the rest's bytes, write them and put them where Python's path finder looks."""
        data = _as_bytes(data)
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise RestUnavailable(
                "the part of Python's standard library that this site downloads when it is first"
                " needed arrived damaged (its bytes differ from the ones the site was built"
                " with); reload the page and run the cell again")
        with open(self.path, "wb") as file:
            file.write(data)
        sys.path.append(self.path)
        sys.path_importer_cache.pop(self.path, None)
        self.mounted = True
        for name in self.packages & set(sys.modules):
            self._extend(sys.modules[name])

    def _extend(self, package):
        """The package's __path__, with its folder in the rest added (once)."""
        folder = f"{self.path}/{package.__name__.replace('.', '/')}"
        if folder not in package.__path__:
            package.__path__.append(folder)
        return package.__path__

    def needs(self, names):
        """True if any of the dotted module names (or a package above one) is in the rest."""
        if self.mounted:
            return False
        for name in names:
            parts = name.split(".")
            if any(".".join(parts[:end]) in self.modules for end in range(1, len(parts) + 1)):
                return True
        return False


def _as_bytes(data):
    """Bytes from what a fetch returned: bytes, or a JavaScript Uint8Array (Pyodide's proxy)."""
    return data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)


def _fetched(fetch, name):
    try:
        return fetch()
    except Exception as error:  # a JavaScript network error arrives as pyodide's JsException
        raise RestUnavailable(_unavailable(name, error)) from None


def _unavailable(name, error):
    reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
    return (f"the module {name} is part of Python's standard library, which this site downloads"
            f" the first time one of its less common modules is imported, and the download"
            f" failed ({reason}). Check the connection, then run the cell again.")


def install(modules, fetch, fetch_async, sha256, path=PATH):
    """Append the finder of the rest (module names `modules`, bytes from `fetch()` or
    `await fetch_async()`, checked against `sha256`) to sys.meta_path; once per Python."""
    global _finder
    if _finder is None:
        _finder = RestFinder(modules, fetch, fetch_async, sha256, path)
        sys.meta_path.append(_finder)
    return _finder


def needed_by(names):
    """True if the dotted module names (a cell's imports) include a module of the rest and the
    rest is not there yet."""
    return _finder is not None and _finder.needs(names)


async def load():
    """Fetch and mount the rest without blocking (before a cell that imports from it runs). A
    failure is left to the import itself, which then explains it."""
    try:
        _finder.mount(await _finder.fetch_async())
    except Exception:
        pass
