"""Site build: turn ```explorable fences into the lessons' interactive widgets.

A lesson names an explorable of :mod:`nndl.explorables` in a fence; further lines may set the
first values of its inputs::

    ```explorable
    computation-graph
    a = 1
    ```

It renders, at build time and with the engine itself, the widget's form (from the
explorable's controls) and its first view (``render(name, values, initial=True)``), so the page
shows a real drawing before Python starts in the browser, and without JavaScript at all:

    <div class="nndl-explorable" data-explorable="computation-graph" data-action="">
      <form class="nndl-explorable__form"> <fieldset disabled> …inputs… [button] </fieldset> </form>
      <div class="nndl-explorable__view" data-values="{…}"> …the engine's SVG or HTML… </div>
      <p class="nndl-explorable__summary" aria-live="polite">…</p>
      <p class="nndl-explorable__message" role="alert" hidden></p>
    </div>

docs/javascripts/explorables.js enables the form and asks the page's Python worker for a new
view whenever an input changes (or the button is pressed). An unknown explorable, input or value
stops the build with the engine's message.
"""

from html import escape

from pymdownx.superfences import SuperFencesException

from nndl_site import fences

FENCE = "explorable"


def parse(source):
    """(name, {input: text}) from a fence's lines: the name first, then ``input = value``."""
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    if not lines:
        raise ValueError(f"an empty ```{FENCE} fence: its first line must name an explorable")
    name, values = lines[0], {}
    for line in lines[1:]:
        key, equals, value = line.partition("=")
        if not equals or not key.strip():
            raise ValueError(f"```{FENCE} {name}: expected `input = value`, got {line!r}")
        values[key.strip()] = value.strip()
    return name, values


def on_config(config):
    fences.register(config, {"name": FENCE, "class": "nndl-explorable", "format": render})
    return config


def render(source, language, class_name, options, md, **kwargs):
    from nndl import explorables

    try:
        name, texts = parse(source)
        explorable = explorables.get(name)
        values = explorable.parse(texts)
        view = explorables.render(name, values, initial=True)
    except ValueError as error:
        raise SuperFencesException(str(error)) from error
    return html(explorable, values, view)


def html(explorable, values, view):
    """The widget's HTML: its form with ``values`` filled in, and ``view``."""
    uid = f"nndl-x-{explorable.name}"
    controls = "".join(control_html(control, values[control.name], uid) for control in explorable.controls)
    button = ""
    if explorable.action:
        button = (
            '<button type="submit" class="nndl-button nndl-button--run nndl-explorable__run">'
            f"{escape(explorable.action)}</button>"
        )
    data = escape(view.json(), quote=True)
    return (
        f'<div class="nndl-explorable" data-explorable="{escape(explorable.name)}" '
        f'data-action="{escape(explorable.action or "")}" data-state="idle">'
        f'<form class="nndl-explorable__form" aria-label="{escape(explorable.title)}">'
        f'<p class="nndl-explorable__title">{escape(explorable.title)}</p>'
        f'<fieldset class="nndl-explorable__controls" disabled>{controls}{button}</fieldset>'
        "</form>"
        f'<div class="nndl-explorable__view" data-values="{data}">{view.html}</div>'
        f'<p class="nndl-explorable__summary" aria-live="polite">{escape(view.summary)}</p>'
        '<p class="nndl-explorable__message" role="alert" hidden></p>'
        "</div>"
    )


def control_html(control, value, uid):
    """One labelled input of the form; its name is the explorable function's argument."""
    ident = f"{uid}-{control.name}"
    label = f'<label for="{ident}">{escape(control.label)}</label>'
    common = f'id="{ident}" name="{escape(control.name)}" data-kind="{control.kind}"'
    if control.kind in ("slider", "number"):
        kind = "range" if control.kind == "slider" else "number"
        field = (
            f'<input type="{kind}" {common} min="{control.min:g}" max="{control.max:g}" '
            f'step="{control.step:g}" value="{value:g}">'
        )
        if control.kind == "slider":
            field += f'<output for="{ident}" class="nndl-explorable__value">{value:g}</output>'
    elif control.kind == "choice":
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if v == value else ""}>{escape(text)}</option>'
            for v, text in control.options
        )
        field = f"<select {common}>{options}</select>"
    elif control.kind == "text":
        hint = ""
        if control.hint:
            hint = f'<small id="{ident}-hint" class="nndl-explorable__hint">{escape(control.hint)}</small>'
        described = f' aria-describedby="{ident}-hint"' if control.hint else ""
        field = (
            f'<input type="text" {common} value="{escape(value)}" maxlength="{control.max_length}" '
            f'spellcheck="false" autocomplete="off"{described}>{hint}'
        )
    else:  # pragma: no cover - a new kind of control needs its HTML here
        raise ValueError(f"no HTML for controls of kind {control.kind!r}")
    return f'<div class="nndl-explorable__control nndl-explorable__control--{control.kind}">{label}{field}</div>'
