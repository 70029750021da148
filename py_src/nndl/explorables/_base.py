"""The machinery every explorable shares: controls, the registry, :func:`render` and :class:`View`.

A control describes one input of the form: its name (the keyword argument it fills), the label
the reader sees, its default and its limits. The page builds the form from :meth:`Explorable.spec`
and sends back what the reader entered, as text or numbers; :meth:`Explorable.parse` turns that
into checked Python values, so every explorable function receives clean arguments and can be
called from a cell just as well.
"""

import json
import math
from dataclasses import dataclass, field
from typing import Callable, ClassVar

__all__ = [
    "REGISTRY",
    "Choice",
    "Explorable",
    "Number",
    "Slider",
    "Text",
    "View",
    "explorable",
    "get",
    "render",
]


# ==================================================================================================
# Controls
# ==================================================================================================


def _as_number(control, raw):
    if isinstance(raw, bool):
        raise ValueError(f"{control.label} must be a number, not {raw}.")
    if isinstance(raw, str):
        text = raw.strip().replace("−", "-")
        if not text:
            raise ValueError(f"{control.label} is empty: enter a number.")
        try:
            raw = float(text)
        except ValueError:
            raise ValueError(f"{control.label} must be a number, not {raw!r}.") from None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{control.label} must be a number, not {raw!r}.") from None
    if not math.isfinite(value):
        raise ValueError(f"{control.label} must be a finite number, not {raw!r}.")
    return value


@dataclass(frozen=True)
class Number:
    """A number typed into a field, between ``min`` and ``max``. With an integer default and
    step, the value is an ``int`` (a whole number is required)."""

    name: str
    label: str
    default: float
    min: float
    max: float
    step: float = 1
    kind: ClassVar[str] = "number"

    @property
    def integer(self):
        return all(float(v).is_integer() for v in (self.default, self.step))

    def parse(self, raw):
        value = _as_number(self, raw)
        if self.integer:
            if not value.is_integer():
                raise ValueError(f"{self.label} must be a whole number, not {_show(value)}.")
            value = int(value)
        if not self.min <= value <= self.max:
            raise ValueError(
                f"{self.label} must be between {_show(self.min)} and {_show(self.max)}; "
                f"{_show(value)} is outside."
            )
        return value

    def spec(self):
        return _spec(self, min=self.min, max=self.max, step=self.step)


@dataclass(frozen=True)
class Slider(Number):
    """A number chosen on a slider (the page also shows its value)."""

    kind: ClassVar[str] = "slider"


@dataclass(frozen=True)
class Choice:
    """One of a few options, from a menu. options: ``((value, label), …)``."""

    name: str
    label: str
    default: str
    options: tuple
    kind: ClassVar[str] = "choice"

    def __post_init__(self):
        if self.default not in self.values:
            raise ValueError(f"Choice {self.name}: default {self.default!r} is not an option")

    @property
    def values(self):
        return [value for value, _ in self.options]

    def parse(self, raw):
        if raw not in self.values:
            known = ", ".join(repr(v) for v in self.values)
            raise ValueError(f"{self.label} must be one of {known}, not {raw!r}.")
        return raw

    def spec(self):
        return _spec(self, options=[list(option) for option in self.options])


@dataclass(frozen=True)
class Text:
    """A line of text (a list of layer sizes, of learning rates…). The explorable parses it, and
    raises ``ValueError`` with an example of what it expects when it cannot."""

    name: str
    label: str
    default: str
    hint: str = ""
    max_length: int = 200
    kind: ClassVar[str] = "text"

    def parse(self, raw):
        if not isinstance(raw, str):
            raise ValueError(f"{self.label} must be text, not {type(raw).__name__}.")
        if len(raw) > self.max_length:
            raise ValueError(f"{self.label} is too long: at most {self.max_length} characters.")
        return raw.strip()

    def spec(self):
        return _spec(self, hint=self.hint, maxLength=self.max_length)


def _spec(control, **more):
    """A control as JSON-ready data for the page: its kind, name, label and default, then
    ``more``, what its kind adds."""
    return {
        "kind": control.kind, "name": control.name, "label": control.label,
        "default": control.default, **more,
    }


def _show(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


# ==================================================================================================
# Views
# ==================================================================================================


@dataclass
class View:
    """What an explorable shows: ``html`` (an SVG drawing or a small HTML table), ``summary``
    (one or two sentences saying what the drawing shows, announced to screen readers and shown
    under it) and ``data`` (the key numbers, JSON-ready, for automation and tests).

    In a cell or a notebook, a View shows as its drawing (IPython's display protocol): HTML, with
    the summary as text. Its data is not part of what it shows: JupyterLab ranks
    ``application/json`` above ``text/html`` and would show a tree of numbers instead."""

    html: str
    summary: str
    data: dict = field(default_factory=dict)

    def __repr__(self):
        return self.summary

    def _repr_html_(self):
        return self.html

    def json(self):
        """``data`` as JSON text (NumPy numbers as plain numbers, NaN and ±inf as null)."""
        return json.dumps(_json_ready(self.data), allow_nan=False)


def _json_ready(value):
    """NumPy scalars and arrays to Python numbers and lists; NaN and ±inf to None (JSON has none)."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if hasattr(value, "tolist"):  # NumPy arrays and scalars
        return _json_ready(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# ==================================================================================================
# The registry
# ==================================================================================================


@dataclass(frozen=True)
class Explorable:
    """One explorable: a function from the controls' values to a :class:`View`.

    name:     how lessons name it (```` ```explorable ```` fence) and the page asks for it.
    title:    its heading on the page.
    action:   None for a live explorable, redrawn at every change of an input; else the label of
              the button that runs it (for one that takes a while or measures time, like a race).
    initial:  for an explorable with an action, the view shown before the button is pressed
              (same arguments as the function); by default the function's own view.
    """

    name: str
    title: str
    function: Callable
    controls: tuple
    action: str = None
    initial: Callable = None

    def defaults(self):
        return {control.name: control.default for control in self.controls}

    def parse(self, params):
        """The function's keyword arguments from the form's values (missing ones: defaults)."""
        if not isinstance(params, dict):
            raise ValueError(f"{self.name}: the inputs must be a dict of name → value")
        controls = {control.name: control for control in self.controls}
        unknown = sorted(set(params) - set(controls))
        if unknown:
            raise ValueError(
                f"{self.name} has no input named {', '.join(map(repr, unknown))}; "
                f"its inputs are {', '.join(controls) or 'none'}."
            )
        return {
            name: control.parse(params[name]) if name in params else control.default
            for name, control in controls.items()
        }

    def spec(self):
        """The form, as JSON-ready data for the page."""
        return {
            "name": self.name,
            "title": self.title,
            "action": self.action,
            "controls": [control.spec() for control in self.controls],
        }

    def __call__(self, **params):
        return self.function(**self.parse(params))


REGISTRY = {}
"""name → :class:`Explorable`, for every explorable of the package."""


def explorable(name, title, controls=(), action=None, initial=None):
    """Register the decorated function as the explorable ``name``; the function is unchanged."""

    def register(function):
        if name in REGISTRY:
            raise ValueError(f"two explorables are named {name!r}")
        REGISTRY[name] = Explorable(name, title, function, tuple(controls), action, initial)
        return function

    return register


def get(name):
    """The :class:`Explorable` called ``name``."""
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise ValueError(f"There is no explorable named {name!r}; there are {known}.") from None


def render(name, params=None, initial=False):
    """The :class:`View` of explorable ``name`` for the form's values ``params`` (a dict; missing
    inputs take their defaults). With ``initial=True``, the view shown before the reader has
    pressed the explorable's button (for those that have one)."""
    ex = get(name)
    values = ex.parse(params or {})
    function = ex.initial if initial and ex.initial is not None else ex.function
    view = function(**values)
    if not isinstance(view, View):
        raise TypeError(f"explorable {name!r} returned {type(view).__name__}, not a View")
    return view
