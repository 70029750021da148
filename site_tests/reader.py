"""A reader of the course in any engine: what a person does on a page (open it, type into a
cell, press Run, read the output), done through the page's own JavaScript so that the same steps
run in Chromium, Firefox and WebKit (engines.py). Cells are numbered from 1, as the page numbers
them."""

import json

from engines import EngineError

#: Long enough for a cold start of Python in a fresh profile on a slow machine, in WebKit too.
PYTHON_TIMEOUT = 120
#: How long one cell may run (lesson 13 trains networks).
CELL_TIMEOUT = 120

CELL = "document.querySelectorAll('.nndl-cell')[{index}]"

#: An element's text as the page shows it (innerText) when its block of the text is on screen. A
#: block far from the screen is not laid out (site.css), and innerText is then empty: it is laid
#: out for the reading, within this one task, so that nothing on screen changes.
SHOWN_TEXT = """(el) => {
  const block = el.closest(".md-content__inner > *");
  const was = block ? block.style.contentVisibility : "";
  if (block) block.style.contentVisibility = "visible";
  const text = el.innerText;
  if (block) block.style.contentVisibility = was;
  return text;
}"""


def shown(element):
    """A JavaScript expression: the text of `element` (an expression) as SHOWN_TEXT reads it."""
    return f"({SHOWN_TEXT})({element})"


class Reader:
    def __init__(self, tab, site_url):
        self.tab = tab
        self.site_url = site_url

    @property
    def engine(self):
        return self.tab.engine

    def js(self, expression):
        return self.tab.js(expression)

    def wait(self, expression, timeout=PYTHON_TIMEOUT, message=None):
        return self.tab.wait(expression, timeout=timeout, message=message)

    # ---- Pages ------------------------------------------------------------------------------

    def open(self, path=""):
        """Open a page of the site (a path under its root, or a whole address); wait for its
        cells' editors when it has cells."""
        url = path if path.startswith("http") else self.site_url + path
        self.tab.goto(url)
        self.wait_for_cells()

    def wait_for_cells(self):
        self.wait(
            "!document.querySelector('.nndl-cell')"
            " || !!document.querySelector('.nndl-cell[data-mounted] .cm-content')",
            message="the cells' editors",
        )

    def follow(self, selector, text, path):
        """Click a link of the page to another page of the site (Material's instant navigation
        swaps the page's content without a reload); wait for the new page's cells."""
        self.js("document.querySelector('.md-content').dataset.left = 'yes'")
        self.click(selector, text)
        self.wait(f"location.pathname.endsWith({json.dumps(path)})"
                  " && !document.querySelector('.md-content[data-left]')",
                  message=f"the page {path} to replace this one")
        self.wait_for_cells()

    def go(self, path):
        """Go to another page of the site the way its links do (Material's instant navigation:
        no reload, the same Python); wait for the new page's cells."""
        self.js("document.querySelector('.md-content').dataset.left = 'yes'")
        self.js(
            "(() => { const a = document.createElement('a');"
            f" a.href = {json.dumps(self.site_url + path)};"
            " document.body.append(a); a.click(); a.remove(); })()"
        )
        self.wait(f"location.pathname.endsWith({json.dumps(path)})"
                  " && !document.querySelector('.md-content[data-left]')",
                  message=f"the page {path} to replace this one")
        self.wait_for_cells()

    def reload(self):
        self.tab.reload()
        self.wait_for_cells()

    def click(self, selector, text=None):
        """Click the element the selector finds (the one showing `text`, if given)."""
        found = (
            f"[...document.querySelectorAll({json.dumps(selector)})]"
            f".find(el => {json.dumps(text)} === null || el.textContent.trim() === {json.dumps(text)})"
        )
        if not self.js(f"(() => {{ const el = {found}; if (!el) return false; el.click(); return true; }})()"):
            raise EngineError(f"{self.engine}: nothing to click at {selector} {text or ''}")

    def text_of(self, selector):
        found = f"document.querySelector({json.dumps(selector)})"
        return self.js(f"{found} ? {shown(found)} : null")

    def python_phase(self):
        return self.js("document.querySelector('.nndl-runtime')?.dataset.phase ?? null")

    # ---- Cells ------------------------------------------------------------------------------

    def cell(self, number):
        return CELL.format(index=number - 1)

    def count(self):
        return self.js("document.querySelectorAll('.nndl-cell').length")

    def states(self):
        return self.js("[...document.querySelectorAll('.nndl-cell')].map(el => el.dataset.state)")

    def state(self, number):
        return self.js(f"{self.cell(number)}.dataset.state")

    def run(self, number):
        """Press the cell's Run button, once it can be pressed (a cell being run again after a
        restart of Python cannot be run meanwhile). The cell records the states it goes through
        from then on (see wait_until_ended)."""
        button = f"{self.cell(number)}.querySelector('.nndl-button--run')"
        self.wait(f"{button}.getAttribute('aria-disabled') !== 'true'",
                  message=f"the Run button of cell {number} to be enabled")
        self.js(
            f"(() => {{ const cell = {self.cell(number)}; cell.__seen = [];"
            " cell.__watch?.disconnect();"
            " cell.__watch = new MutationObserver(() => cell.__seen.push(cell.dataset.state));"
            " cell.__watch.observe(cell, { attributes: true, attributeFilter: ['data-state'] });"
            f" {button}.click(); }})()"
        )

    def stop(self, number):
        self.js(f"{self.cell(number)}.querySelector('.nndl-button--stop').click()")

    def runs(self, number):
        """The cell's execution count as shown ("" before its first run)."""
        return self.js(f"{self.cell(number)}.querySelector('.nndl-cell__count').textContent")

    def run_and_wait(self, number, timeout=CELL_TIMEOUT):
        """Run the cell, wait for its run to end; return (state, output text)."""
        self.run(number)
        self.wait_until_ended(number, timeout)
        return self.state(number), self.text(number)

    def wait_until_ended(self, number, timeout=CELL_TIMEOUT):
        """Wait until the cell, since its Run was pressed, went through a state of a run
        (queued, running) and is now done or failed."""
        cell = self.cell(number)
        self.wait(
            f"{cell}.__seen.some((s) => !['done', 'error', 'idle'].includes(s))"
            f" && ['done', 'error'].includes({cell}.dataset.state)",
            timeout=timeout,
            message=f"the run of cell {number} to end",
        )

    def text(self, number):
        """What the cell's output area shows, as text."""
        return self.js(shown(f"{self.cell(number)}.querySelector('.nndl-output')")).rstrip()

    def status(self, number):
        return self.js(f"{self.cell(number)}.querySelector('.nndl-cell__status').textContent")

    def editor(self, number):
        """Wait for the cell's code editor, scrolling to the cell as a reader does when it is not
        built yet (editors are built as their cells come near the screen, or in idle time)."""
        cell = self.cell(number)
        self.js(f"(() => {{ const cell = {cell}; if (!cell.querySelector('.cm-content'))"
                " cell.scrollIntoView({ block: 'center' }); return true; })()")
        self.wait(f"!!{cell}.querySelector('.cm-content')", timeout=10,
                  message=f"the editor of cell {number}")

    def code(self, number):
        self.editor(number)
        return self.js(
            f"[...{self.cell(number)}.querySelectorAll('.cm-line')].map(l => l.textContent).join('\\n')"
        )

    def type_code(self, number, code):
        """Replace the cell's code as typing does: a change of the editor's document, marked as
        typed input, through CodeMirror's own view of the editor. (The engines differ in how
        synthetic key presses reach an editor that is not in a focused window; the editor's
        transaction is what each key press becomes.)"""
        self.editor(number)
        self.js(
            f"(() => {{ const view = {self.cell(number)}.querySelector('.cm-content').cmTile.root.view;"
            " view.dispatch({ changes: { from: 0, to: view.state.doc.length,"
            f" insert: {json.dumps(code)} }}, userEvent: 'input.type' }}); }})()"
        )
        self.wait(
            f"[...{self.cell(number)}.querySelectorAll('.cm-line')].map(l => l.textContent).join('\\n')"
            f" === {json.dumps(code)}",
            timeout=10,
            message=f"cell {number} to show the typed code",
        )
