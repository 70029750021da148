"""The course's site, built from the lessons: the MkDocs plugin, what it renders, and the cells'
runner that the browser's worker runs.

- :mod:`~nndl_site.fences`       the fenced blocks of the lessons' Markdown, read one way
- :mod:`~nndl_site.pages`        a page's cells and solutions, as the lesson tests read them
- :mod:`~nndl_site.cell_runner`  runs the cells in the page's worker (bundled by esbuild into
  worker.js as text); the lesson tests run the cells through it too

The modules of the build; :mod:`nndl_site.plugin` only calls them on MkDocs' events:

- :mod:`~nndl_site.lessons`      checked figures of the prose (``{{93.8 %: accuracy}}``)
- :mod:`~nndl_site.cells`        the ```pycell fence, and the browser code and runtime copied in
- :mod:`~nndl_site.exercises`    exercises declared on their cells, and the ```quiz fence
- :mod:`~nndl_site.explorables`  the ```explorable fence, first drawn by the engine
- :mod:`~nndl_site.notebooks`    each page with cells as a Jupyter notebook; the engine's wheel
- :mod:`~nndl_site.accessibility`, :mod:`~nndl_site.security`  names and the
  Content-Security-Policy added to every page
- :mod:`~nndl_site.maths`        the maths drawn as MathML by Temml at build time
- :mod:`~nndl_site.offline`      the service worker and its manifest

This package is installed with the engine by ``make venv`` but is not part of the engine's wheel
(``nndl``): the notebooks install the engine without MkDocs. fences, pages and cell_runner need
only the standard library and nndl, so that the lesson tests also run inside Pyodide.
"""
