"""The course's site, built from the lessons: the MkDocs plugin and what it renders.

One module per concern; :mod:`nndl_site.plugin` only calls them on MkDocs' events:

- :mod:`~nndl_site.lessons`      checked figures of the prose (``{{93.8 %: accuracy}}``)
- :mod:`~nndl_site.cells`        the ```pycell fence, and the browser code and runtime copied in
- :mod:`~nndl_site.exercises`    exercises declared on their cells, and the ```quiz fence
- :mod:`~nndl_site.explorables`  the ```explorable fence, first drawn by the engine
- :mod:`~nndl_site.notebooks`    each page with cells as a Jupyter notebook; the engine's wheel
- :mod:`~nndl_site.accessibility`, :mod:`~nndl_site.security`  names and the
  Content-Security-Policy added to every page
- :mod:`~nndl_site.maths`        the maths drawn by KaTeX at build time
- :mod:`~nndl_site.offline`      the service worker and its manifest

This package is built with the site and is not part of the engine's wheel (``nndl``): the
notebooks install the engine without MkDocs.
"""
