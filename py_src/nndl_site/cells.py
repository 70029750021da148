"""Site build: turn ```pycell fences into runnable cells and ship the cells' browser code.

- on_config: registers ``pycell`` as a custom fence of pymdownx.superfences. A cell renders, on the
  server, as its code highlighted like any Python block (readable without JavaScript) inside the
  element the page's script upgrades to an editor with Run, Stop and Reset:

      <div class="nndl-cell" data-state="idle">
        <div class="nndl-cell__source"> …the original code, highlighted:
          <pre><span class="nndl-served"><code>…</code></span></pre> </div>
        <div class="nndl-output" aria-live="polite"></div>
      </div>

  Options (OPTIONS): ```` ```pycell manual ```` marks a cell the page never runs on its own as an
  earlier cell of the one the reader runs (a deliberate error, a slow demonstration);
  ```` ```pycell greeting ```` a greeting (data-greeting), and a page whose cells are all
  greetings does not start Python before a Run; ``exercise``/``check`` are exercises' parts.
- on_post_page: a page with cells (other than greetings) loads boot.js from its <head>, asynchronously: it starts the
  Python worker while the browser is still reading the page, ahead of the page's larger scripts.
- on_post_build: copies the bundled browser code (build/assets/nndl/, made by esbuild) into
  site/assets/nndl/ and the Python runtime (build/runtime/) into site/pyodide/, so that site/ is
  complete. `make site` builds both first; a plain `mkdocs build` without them warns, which
  `--strict` turns into a failure.
"""

import logging
import re
import shutil
from html import escape
from pathlib import Path

from mkdocs.utils import get_relative_url
from pymdownx.superfences import SuperFencesException

from nndl_site import fences

log = logging.getLogger("mkdocs.plugins.nndl.cells")

FENCE = "pycell"
OPTIONS = {
    "manual": "run only when the reader runs this cell, never as an earlier cell of another",
    "exercise": 'exercise="<id>": a cell of the exercise <id> that the reader writes (its starter)',
    "check": 'check="<id>": the cell that checks the exercise <id>',
    "greeting": "a greeting: a page whose cells are all greetings starts Python at the first Run, "
    "not as it loads",
}
#: A cell's highlighted code, as Pygments writes it through pymdownx.highlight: (<pre> and the
#: empty span before the code) (the <code> element).
SERVED_CODE = re.compile(r"(<pre[^>]*>(?:<span></span>)?)(<code>.*</code>)(?=</pre>)", re.S)
#: An exercise's id: part of the keys of the reader's progress, so it must never change.
EXERCISE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")

#: (folder made by the build, relative to mkdocs.yml) → (folder inside site/)
SHIPPED = {
    "build/assets/nndl": "assets/nndl",
    "build/runtime": "pyodide",
}


def on_config(config):
    extensions = config.markdown_extensions
    if "pymdownx.superfences" not in extensions:
        extensions.append("pymdownx.superfences")
    fences.register(config, {"name": FENCE, "class": "nndl-cell", "validator": validate, "format": render})
    return config


def validate(language, inputs, options, attrs, md):
    """Accept the known options (```pycell manual); stop the build on anything else."""
    for key, value in inputs.items():
        if key not in OPTIONS:
            known = ", ".join(f"{name} ({meaning})" for name, meaning in OPTIONS.items())
            raise SuperFencesException(
                f"```{FENCE} does not know the option {key!r}. Known options: {known}."
            )
        if key in ("exercise", "check") and not EXERCISE_ID.fullmatch(value or ""):
            raise SuperFencesException(
                f'```{FENCE} {key}="{value}": an exercise id is lower-case letters, digits and '
                'hyphens, like exercise="flatten"; it names the exercise in readers\' progress.'
            )
        options[key] = value
    return True


def render(source, language, class_name, options, md, **kwargs):
    """The cell's HTML: the highlighted original code and an empty, announced output area."""
    highlighted = md.preprocessors["fenced_code_block"].highlight(
        src=source, language="python", options={}, md=md, classes=[], id_value="", attrs={}
    )
    # The code one element deeper than a plain block's <pre><code> (SERVED_CODE), with the same look
    # (cells.css): Material measures every `pre > code` of a page as it mounts, each in its own
    # layout of the page, and adds a copy button; a cell's editor replaces this code anyway.
    highlighted, found = SERVED_CODE.subn(
        r'\1<span class="nndl-served">\2</span>', highlighted, count=1
    )
    if not found:
        raise SuperFencesException(f"```{FENCE}: the highlighted code is not the <pre><code> expected")
    manual = ' data-run="manual"' if "manual" in options else ""
    if "greeting" in options:
        manual += " data-greeting"
    if "exercise" in options and "check" in options:
        raise SuperFencesException(f"```{FENCE}: a cell is an exercise's starter or its check, not both")
    for part, key in (("starter", "exercise"), ("check", "check")):
        if key in options:
            manual += f' data-exercise="{escape(options[key])}" data-exercise-part="{part}"'
    return (
        f'<div class="{escape(class_name)}" data-state="idle"{manual}>'
        f'<div class="nndl-cell__source">{highlighted}</div>'
        '<div class="nndl-output" aria-live="polite"></div>'
        "</div>"
    )


#: The script that starts Python from a page's <head> (docs/javascripts/boot.js, bundled).
BOOT_SCRIPT = "assets/nndl/boot.js"


def on_post_page(output, page, config):
    """A page with cells starts Python from its <head>: see docs/javascripts/boot.js. A page whose
    cells are all greetings waits for a Run (docs/javascripts/light.js)."""
    cells = re.findall(r'<div class="nndl-cell"[^>]*>', output)
    if all(" data-greeting" in cell for cell in cells):
        return output
    src = escape(get_relative_url(BOOT_SCRIPT, page.url))
    return output.replace("</head>", f'<script type="module" async src="{src}"></script></head>', 1)


def on_post_build(config):
    root = Path(config.config_file_path).parent
    site = Path(config.site_dir)
    for built, target in SHIPPED.items():
        source = root / built
        if not source.is_dir():
            log.warning(
                "%s is missing, so the site's cells cannot run: build it with `make site`", built
            )
            continue
        destination = site / target
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(source, destination)
