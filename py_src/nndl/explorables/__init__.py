"""Explorables: the lessons' interactive widgets, computed by the engine.

An explorable is a small form (sliders, menus, number and text fields) next to a picture. The
reader changes an input; the page's Python worker calls :func:`render` with the form's values;
the engine computes and draws; the page shows the :class:`View` it returns. The same call, with
the form's defaults, is made by the site's build, so a page shows every explorable's first view
before Python has even started.

Each explorable is one function of this package, registered with :func:`explorable`, that takes
the controls' values as keyword arguments and returns a :class:`View` (an SVG or HTML drawing, a
one-sentence summary for screen readers, and the key numbers as data). Bad input raises
``ValueError`` with a message for the reader; the page shows it and keeps the last view.

- :mod:`nndl.explorables.computation_graph`  J = 3(a + bc), values forward and derivatives back
- :mod:`nndl.explorables.activations`        g(z) and g'(z) for the four activations
- :mod:`nndl.explorables.vectorization`      a Python loop against ``np.dot``, timed live
- :mod:`nndl.explorables.symmetry`           zero versus random initialization of W[1]
- :mod:`nndl.explorables.dimensions`         the shapes of W, b, Z, A, dW, db for any layer sizes
- :mod:`nndl.explorables.learning_rates`     cost curves for several learning rates on one plot
- :mod:`nndl.explorables.planar`             a straight boundary against a one-hidden-layer one
"""

from ._base import REGISTRY, Choice, Explorable, Number, Slider, Text, View, explorable, get, render

__all__ = ["REGISTRY", "Choice", "Explorable", "Number", "Slider", "Text", "View",
           "explorable", "get", "render"]


def _register_all():
    """Import every public module of this package: importing one registers its explorables."""
    import importlib
    import pkgutil

    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if not module.startswith("_"):
            importlib.import_module(f"{__name__}.{module}")


_register_all()
