"""The lessons' explorables: every explorable of the built site driven once in Chromium (change an
input, see the drawing change). The fence itself: tests/site/test_explorable_fence.py."""

import re

import pytest
from conftest import PYTHON_TIMEOUT_MS, SCROLL_BOXES_UNCHECKED, SITE, shown_text
from playwright.sync_api import expect

from nndl import explorables

# ---- In the browser -----------------------------------------------------------------------------


def pages_with_explorables():
    """{explorable name: page path under the site} for every explorable in the built site."""
    found = {}
    for path in sorted(SITE.glob("**/index.html")):
        for name in re.findall(r'class="nndl-explorable" data-explorable="([^"]+)"', path.read_text("utf-8")):
            found.setdefault(name, path.parent.relative_to(SITE).as_posix() + "/")
    return found


def test_every_explorable_of_the_engine_is_on_a_lesson_page():
    assert sorted(pages_with_explorables()) == sorted(explorables.REGISTRY)


def change(form, control):
    """Set one input to another valid value, as a reader would; returns the new value."""
    field = form.locator(f'[name="{control.name}"]')
    if control.kind == "choice":
        current = field.input_value()
        new = next(value for value in control.values if value != current)
        field.select_option(new)
    elif control.kind in ("slider", "number"):
        current = float(field.input_value())
        new = control.min if current != control.min else control.max
        new = f"{new:g}"
        field.fill(new)
    else:  # text: the explorables' texts are lists; add an entry the explorable accepts
        new = field.input_value() + ", 1" if control.name != "learning_rates" else "0.1, 1"
        field.fill(new)
    return new


@pytest.mark.parametrize("name", sorted(explorables.REGISTRY))
def test_each_explorable_redraws_when_an_input_changes(name, page, watch, base_url):
    explorable = explorables.get(name)
    path = pages_with_explorables()[name]
    page.goto(base_url + path)
    root = page.locator(f'.nndl-explorable[data-explorable="{name}"]')
    expect(root).to_have_attribute("data-mounted", "")
    view = root.locator(".nndl-explorable__view")
    before = view.get_attribute("data-values")
    form = root.locator("form")
    control = explorable.controls[0]
    change(form, control)
    if explorable.action:
        root.get_by_role("button", name=explorable.action).click()
    expect(root).to_have_attribute("data-state", "done", timeout=PYTHON_TIMEOUT_MS)
    after = view.get_attribute("data-values")
    assert after != before
    assert root.locator(".nndl-explorable__message").is_hidden()
    assert view.locator("svg, table").count() >= 1
    summary = shown_text(root.locator(".nndl-explorable__summary"))
    assert summary.strip()


def test_a_mistyped_input_explains_itself_and_keeps_the_last_view(page, watch, base_url):
    page.goto(base_url + pages_with_explorables()["dimension-calculator"])
    root = page.locator('.nndl-explorable[data-explorable="dimension-calculator"]')
    expect(root).to_have_attribute("data-mounted", "")
    view = root.locator(".nndl-explorable__view")
    expect(page.locator(SCROLL_BOXES_UNCHECKED)).to_have_count(0)  # its table marked (scrollable.js)
    before = view.inner_html()
    field = root.locator('input[type="text"]')
    field.fill("2, three, 1")
    message = root.locator(".nndl-explorable__message")
    expect(message).to_be_visible(timeout=PYTHON_TIMEOUT_MS)
    assert "three" in shown_text(message)
    assert view.inner_html() == before
    assert field.input_value() == "2, three, 1"  # the reader's input is kept
    field.fill("4, 3, 1")
    expect(message).to_be_hidden(timeout=PYTHON_TIMEOUT_MS)
    assert view.inner_html() != before
