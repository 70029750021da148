"""nndl: the NumPy engine of the course "Neural Networks and Deep Learning".

One module per concept, in the order the course meets them:

- :mod:`nndl.graph`        scalar computation graph and backpropagation (``Value``)
- :mod:`nndl.activations`  sigmoid, tanh, ReLU, leaky ReLU, each with its backward
- :mod:`nndl.logistic`     logistic regression, looped exactly as taught and vectorized
- :mod:`nndl.shallow`      a network with one hidden layer
- :mod:`nndl.deep`         the deep L-layer network, built from forward/backward blocks
- :mod:`nndl.gradcheck`    gradient checking by finite differences
- :mod:`nndl.training`     the gradient-descent loop: progress callback, early stop, divergence
- :mod:`nndl.shapes`       shape checks that explain errors in the course's notation
- :mod:`nndl.tracebacks`   the cells' errors for a learner: trimmed tracebacks, hints, shapes
- :mod:`nndl.data`         sample images, the course's HDF5 files, planar datasets, image helpers
- :mod:`nndl.matmul`       the heavy matrix products, by the browser's BLAS when it is loaded
- :mod:`nndl.display`      pictures and plots for the cells (PNG, SVG), by IPython's protocol
- :mod:`nndl.plots`        the line plots that :mod:`nndl.display` offers (cost per iteration, …)
- :mod:`nndl.exercises`    checking a reader's exercise against the engine, in course notation
- :mod:`nndl.comparison`   the comparison behind it: the first difference, explained
- :mod:`nndl.explorables`  the lessons' interactive widgets: inputs in, a drawing out
- :mod:`nndl.dashboard`    lesson 13's training dashboard: training in short time slices

Conventions: examples are columns (``X`` is ``(n_x, m)``, ``Y`` is ``(1, m)``); names follow the
course (``W1``, ``b1``, ``dZ2``, ``dA_prev``, ``AL``, ``caches``); maths functions return values
and never print.
"""

__version__ = "0.1.0"
