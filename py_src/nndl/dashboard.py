r"""The training dashboard of lesson 13, on the engine's side: training in short time slices.

The dashboard of the lesson "Training on images" trains the course's three models on the sample
pictures in the reader's browser, and draws the cost while it falls. Python runs in a Web Worker
that does one thing at a time: while Python computes, the worker cannot even hear a "pause". So
the page asks for **time slices**: "train for about a quarter of a second and tell me what
happened" (:meth:`Dashboard.advance`). Python trains, returns the new costs, and is free again;
the page draws them and asks for the next slice, unless the reader paused or stopped. Between
two slices any cell of the page can run.

Each slice calls the very function a cell calls, :func:`nndl.logistic.optimize` for logistic
regression and :func:`nndl.deep.train` for the two networks, with a progress callback that returns
:data:`nndl.training.STOP` once the slice's time is used up; the next slice starts from the
parameters and the :class:`nndl.training.History` the last one returned. Gradient descent keeps
nothing between iterations but the parameters, so a run trained in slices computes exactly the
costs of one uninterrupted call with the same seed: the tests check equality, not closeness. The
engine judges divergence as in one call, against the run's first cost (the history carries it).

- :data:`MODELS`: the three models and the course's defaults for them.
- :class:`Run`: one training run: its hyperparameters, parameters, costs and results.
- :class:`Dashboard`: the data, the runs, and what the page asks (the page calls its methods by
  name, through the cell runner's registry of targets, with JSON arguments and answers).
- :func:`session`: the dashboard of this Python process. It lives as long as Python does (in the
  browser: as long as the tab), so runs survive navigating to another page and back; a cell can
  look at them too, e.g. ``session().runs[-1].parameters``.

Pure Python and NumPy, like the rest of the engine: no browser code.
"""

import math
import time
import uuid
import warnings
from dataclasses import dataclass

import numpy as np

from . import data, deep, logistic, training
from .activations import sigmoid
from .dashboard_input import (
    MAX_ITERATIONS,
    MAX_WEIGHTS,
    DashboardError,
    check_iterations,
    check_layer_dims,
    check_learning_rate,
    check_seconds,
    check_seed,
    decode_base64,
    decode_pixels,
)
from .dashboard_pictures import SAMPLE_SOURCE, Pictures, class_name, png_base64

__all__ = [
    "MODELS",
    "MAX_ITERATIONS",
    "MAX_WEIGHTS",
    "Model",
    "DashboardError",
    "Run",
    "Dashboard",
    "session",
]


@dataclass(frozen=True)
class Model:
    """A model the dashboard can train, with the course's hyperparameters for it.

    layer_dims: the default ``[n[0], …, n[L]]``, or None for logistic regression (no layers to
    choose); init: how the weights start (see the engine's ``initialize_parameters``).
    """

    key: str
    name: str
    learning_rate: float
    num_iterations: int
    layer_dims: tuple
    init: str


MODELS = {
    "logistic": Model("logistic", "Logistic regression", 0.005, 2000, None, "zeros"),
    # The course's two_layer_model: LINEAR -> RELU -> LINEAR -> SIGMOID, weights × 0.01.
    "two_layer": Model("two_layer", "2-layer network", 0.0075, 2500, (12288, 7, 1), "small"),
    # The course's L_layer_model: [LINEAR -> RELU] × 3 -> LINEAR -> SIGMOID, W × 1/√n[l-1].
    "deep": Model("deep", "L-layer network", 0.0075, 2500, (12288, 20, 7, 5, 1), "scaled"),
}
"""The three models, by the key the page sends: "logistic", "two_layer", "deep"."""

HIDDEN_ACTIVATION = "relu"

STATUSES = ("training", "done", "stopped", "diverged")
"""A run is "training" until it has run all its iterations ("done"), the reader stopped it
("stopped") or its cost diverged ("diverged"). A paused run is still "training": only the page
knows it is not asking for slices."""


def _number(value):
    """A float for JSON: NaN and ±∞ (a diverged cost) become None, which JSON can carry."""
    value = float(value)
    return value if math.isfinite(value) else None


# --------------------------------------------------------------------------------------------
# One run
# --------------------------------------------------------------------------------------------


class Run:
    """One training run of one model on ``X`` (n_x, m) and ``Y`` (1, m).

    model: a key of :data:`MODELS`; learning_rate, num_iterations, layer_dims: as the model's
    defaults when None; seed: the random start of the networks' weights (logistic regression
    starts at zero); X_test, Y_test: a test set to evaluate on when the run ends (optional);
    source: what the pictures are, in words, when they are not the sample images; dataset: the
    dashboard's number for them.

    Attributes: ``parameters`` (the engine's dict: ``{"w", "b"}`` or ``{"W1", "b1", …}``),
    ``history`` (the engine's :class:`nndl.training.History`, carried on by each slice),
    ``costs`` (the cost of every iteration so far), ``elapsed`` (seconds spent training),
    ``status`` (see :data:`STATUSES`), ``message`` (why it diverged), ``result`` (accuracies and
    test predictions, once it has ended).
    """

    def __init__(self, number, model, X, Y, learning_rate=None, num_iterations=None,
                 layer_dims=None, seed=1, X_test=None, Y_test=None, source=None, dataset=1):
        if model not in MODELS:
            known = ", ".join(repr(key) for key in MODELS)
            raise DashboardError(f"Unknown model {model!r}: choose one of {known}.")
        self.number = number
        self.model = MODELS[model]
        self.X, self.Y = X, Y
        self.X_test, self.Y_test = X_test, Y_test
        self.source, self.dataset = source, dataset
        n_x = X.shape[0]
        self.learning_rate = check_learning_rate(
            self.model.learning_rate if learning_rate is None else learning_rate
        )
        self.num_iterations = check_iterations(
            self.model.num_iterations if num_iterations is None else num_iterations
        )
        self.seed = check_seed(seed)
        if self.model.layer_dims is None:
            self.layer_dims = None
            w, b = logistic.initialize_with_zeros(n_x)
            self.parameters = {"w": w, "b": b}
        else:
            default = [n_x, *self.model.layer_dims[1:]]
            dims = default if layer_dims is None else layer_dims
            self.layer_dims = check_layer_dims(self.model, dims, n_x)
            self.parameters = deep.initialize_parameters(
                self.layer_dims, self.model.init, self.seed
            )
        self.history = training.History()
        self.elapsed = 0.0
        self.status = "training"
        self.message = ""
        self.result = None

    @property
    def costs(self):
        """The cost of every iteration so far."""
        return self.history.costs

    @property
    def iteration(self):
        """How many iterations have run."""
        return self.history.iterations

    @property
    def active(self):
        return self.status == "training"

    def describe(self):
        """The model and its hyperparameters, in words: "L-layer network [12288, 20, 7, 5, 1],
        α = 0.0075"."""
        layers = f" {self.layer_dims}" if self.layer_dims else ""
        on = f", on {self.source}" if self.source else ""
        return f"{self.model.name}{layers}, α = {self.learning_rate:g}{on}"

    # ---- Training ----

    def _train(self, num_iterations, callback):
        """The engine's own training function for this model, carrying on the run from its
        parameters and history: ``num_iterations`` more iterations, ``callback`` after each ->
        the parameters.

        The 2-layer network is the L = 2 case of :func:`nndl.deep.train` (the same formulas as
        :mod:`nndl.shallow`, and the same costs), which the engine computes fastest."""
        p = self.parameters
        if self.model.key == "logistic":
            params, _, _ = logistic.optimize(
                p["w"], p["b"], self.X, self.Y, num_iterations, self.learning_rate,
                callback=callback, callback_every=1, history=self.history,
            )
            return params
        params, _ = deep.train(
            self.X, self.Y, None, self.learning_rate, num_iterations,
            hidden_activation=HIDDEN_ACTIVATION, callback=callback, callback_every=1, parameters=p,
            history=self.history,
        )
        return params

    def advance(self, seconds, clock=time.perf_counter):
        """Train for about ``seconds`` (at least one iteration, at most the iterations left) and
        return the costs of the iterations just run.

        The engine's training function carries on the run's :class:`nndl.training.History`,
        with a callback after every iteration that returns STOP once ``clock()`` says the time is
        used up. The engine judges divergence against the run's first cost, as in one
        uninterrupted call; the run then ends as "diverged" with the engine's message.
        """
        if not self.active:
            return []
        start = self.iteration
        t0 = clock()

        def callback(i, cost):
            return training.STOP if clock() - t0 >= seconds else None

        # The run reports divergence in its status and message, for the page, not as a warning.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", training.TrainingDivergedWarning)
            self.parameters = self._train(self.num_iterations - start, callback)
        self.elapsed += clock() - t0
        if self.history.diverged:
            self.status = "diverged"
            self.message = self.history.message
        elif self.iteration >= self.num_iterations:
            self.status = "done"
        if not self.active:
            self.evaluate()
        return self.costs[start:]

    def stop(self):
        """End the run now, keeping the parameters learned so far, and evaluate them."""
        if self.active:
            self.status = "stopped"
            self.evaluate()

    # ---- Predictions ----

    def predict_proba(self, X):
        """The model's probability of "cat" for each column of X (n_x, m) -> (1, m)."""
        p = self.parameters
        with np.errstate(all="ignore"):  # a diverged run's parameters may be NaN
            if self.model.key == "logistic":
                return sigmoid(p["w"].T @ X + p["b"])
            return deep.predict_proba(X, p, HIDDEN_ACTIVATION)

    def predict(self, X):
        """Predicted labels (1, m) of 0.0 / 1.0, by the engine's own predict function."""
        p = self.parameters
        with np.errstate(all="ignore"):
            if self.model.key == "logistic":
                return logistic.predict(p["w"], p["b"], X)
            return deep.predict(X, p, HIDDEN_ACTIVATION)

    def accuracy(self, X, Y):
        """Percentage of the columns of X whose predicted label is Y's."""
        return float(np.mean(self.predict(X) == Y) * 100)

    def evaluate(self):
        """Accuracies on the training set and the test set, and the test set's predictions
        (probability of "cat" and label); kept in ``result``."""
        self.result = {"train_accuracy": self.accuracy(self.X, self.Y)}
        if self.X_test is not None:
            self.result.update(
                test_accuracy=self.accuracy(self.X_test, self.Y_test),
                probabilities=[_number(p) for p in self.predict_proba(self.X_test)[0]],
                predictions=[int(p) for p in self.predict(self.X_test)[0]],
            )
        return self.result

    # ---- For the page ----

    def summary(self):
        """The run as JSON-ready data, all its costs included."""
        return {
            "number": self.number,
            "model": self.model.key,
            "model_name": self.model.name,
            "description": self.describe(),
            "learning_rate": self.learning_rate,
            "num_iterations": self.num_iterations,
            "layer_dims": self.layer_dims,
            "seed": self.seed,
            "dataset": self.dataset,
            "iteration": self.iteration,
            "elapsed": self.elapsed,
            "status": self.status,
            "message": self.message,
            "result": self.result,
            "costs": [_number(c) for c in self.costs],
        }


# --------------------------------------------------------------------------------------------
# The dashboard: data, runs, commands
# --------------------------------------------------------------------------------------------


class Dashboard:
    """The data, the runs, and what the page can ask.

    images: ``(train_x, train_y, test_x, test_y, classes)`` as :func:`nndl.data.load_sample_images`
    returns them (loaded on first use when None); source: their name, for the page; clock: the
    timer of the time slices (a test may pass a fake one).
    """

    def __init__(self, images=None, source=SAMPLE_SOURCE, clock=time.perf_counter):
        self.id = uuid.uuid4().hex
        self.clock = clock
        self.runs = []
        self.pictures = Pictures(images, source)

    # ---- Data ----

    @property
    def source(self):
        """What the current pictures are, in words."""
        return self.pictures.source

    def use_images(self, images, source):
        """Train on other pictures from now on (the runs so far keep theirs)."""
        self.pictures.use(images, source)

    def test_images(self, dataset=None):
        """The test pictures of the current pictures (or of the earlier ``dataset``), for the
        page's grid: PNGs (base64), labels, class names."""
        return self.pictures.test_grid(dataset)

    # ---- Runs ----

    def active(self):
        """The run being trained (perhaps paused by the page), or None."""
        return next((run for run in self.runs if run.active), None)

    def run(self, number):
        for run in self.runs:
            if run.number == number:
                return run
        raise DashboardError(f"There is no run {number!r}.")

    def start(self, model, learning_rate=None, num_iterations=None, layer_dims=None, seed=1):
        """Create a run (it trains with :meth:`advance`); only one trains at a time."""
        current = self.active()
        if current is not None:
            raise DashboardError(
                f"Run {current.number} is still training: stop it before starting another."
            )
        X, Y, X_test, Y_test = self.pictures.arrays()
        number = self.runs[-1].number + 1 if self.runs else 1
        source = None if self.source == SAMPLE_SOURCE else self.source
        run = Run(number, model, X, Y, learning_rate, num_iterations, layer_dims, seed,
                  X_test, Y_test, source, self.pictures.number)
        self.runs.append(run)
        return run

    def advance(self, seconds=0.25):
        """Train the active run for about ``seconds``; what the page needs to draw the slice."""
        seconds = check_seconds(seconds)
        run = self.active()
        if run is None:
            raise DashboardError("No run is training: start one first.")
        start = run.iteration
        costs = run.advance(min(seconds, 10.0), self.clock)
        return self._progress(run, start, costs)

    def stop(self):
        """Stop the active run, keeping its parameters, and evaluate them."""
        run = self.active()
        if run is None:
            raise DashboardError("No run is training.")
        run.stop()
        return self._progress(run, run.iteration, [])

    def _progress(self, run, start, costs):
        return {
            "run": run.number,
            "start": start,
            "costs": [_number(c) for c in costs],
            "iteration": run.iteration,
            "num_iterations": run.num_iterations,
            "elapsed": run.elapsed,
            "status": run.status,
            "message": run.message,
            "result": run.result,
        }

    def clear(self):
        """Forget the runs that have ended (the active one, if any, stays)."""
        self.runs = [run for run in self.runs if run.active]
        return self.state()

    def state(self):
        """Everything the page draws: the models, the runs with their costs and results."""
        return {
            "models": {
                key: {
                    "name": m.name,
                    "learning_rate": m.learning_rate,
                    "num_iterations": m.num_iterations,
                    "layer_dims": list(m.layer_dims) if m.layer_dims else None,
                }
                for key, m in MODELS.items()
            },
            "runs": [run.summary() for run in self.runs],
            "source": self.source,
            "dataset": self.pictures.number,
        }

    # ---- The course's files ----

    def load_h5(self, train, test, train_name="the training file", test_name="the test file"):
        """Train on the course's HDF5 files from now on: ``train`` and ``test`` are the base64
        of ``train_catvnoncat.h5`` and ``test_catvnoncat.h5`` (read with
        :func:`nndl.data.load_h5_bytes`, whose :class:`nndl.data.H5Error` is a ValueError)."""
        if self.active() is not None:
            raise DashboardError("Stop the run in progress before loading other pictures.")
        files = []
        for raw, name in ((train, train_name), (test, test_name)):
            files.append(decode_base64(raw, f"{name} did not arrive whole (not valid base64)."))
        self.use_images(data.load_h5_bytes(*files, train_name, test_name),
                        f"the course's files ({train_name}, {test_name})")
        return {"dataset": self.pictures.info(), "source": self.source}

    def sample(self):
        """Train on the sample images again."""
        if self.active() is not None:
            raise DashboardError("Stop the run in progress before changing the pictures.")
        self.use_images(None, SAMPLE_SOURCE)
        return {"dataset": self.pictures.info(), "source": self.source}

    # ---- The reader's picture ----

    def classify(self, pixels, width, height, run=None):
        """Classify a picture the page decoded: ``pixels`` the base64 of its RGBA bytes, row by
        row (as a canvas gives them), ``width`` × ``height``; with run number ``run`` (the latest
        run that has trained when None).

        Returns the label, the probability of "cat", and the 64×64 picture the model saw (PNG).
        """
        if not self.runs:
            raise DashboardError(
                "No model has been trained yet: train one above, then classify your picture."
            )
        if run is None:
            trained = [r for r in self.runs if r.iteration > 0]
            if not trained:
                raise DashboardError("The run has not finished an iteration yet: wait a moment.")
            chosen = trained[-1]
        else:
            chosen = self.run(run)
            if chosen.iteration == 0:
                raise DashboardError(f"Run {chosen.number} has not trained yet.")
        picture = decode_pixels(pixels, width, height)
        X = data.image_to_input(picture)
        if X.shape[0] != chosen.X.shape[0]:
            raise DashboardError(  # pragma: no cover - every dataset the page loads is 64×64
                f"Run {chosen.number} was trained on pictures of {chosen.X.shape[0]} numbers."
            )
        probability = float(chosen.predict_proba(X)[0, 0])
        label = int(chosen.predict(X)[0, 0])
        classes = self.pictures.get(chosen.dataset)[4]
        return {
            "run": chosen.number,
            "description": chosen.describe(),
            "iteration": chosen.iteration,
            "probability": _number(probability),
            "label": label,
            "class_name": class_name(classes[label]),
            "input_png": png_base64(X, 2),
        }


# --------------------------------------------------------------------------------------------
# The session
# --------------------------------------------------------------------------------------------


_session = None


def session():
    """The dashboard of this Python process, created on first use."""
    global _session
    if _session is None:
        _session = Dashboard()
    return _session

