"""The lessons' explorables: the ```explorable fence of nndl_site/explorables.py, and every
explorable of the built site driven once in Chromium (change an input, see the drawing change)."""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from conftest import PYTHON_TIMEOUT_MS, SITE
from playwright.sync_api import expect
from pymdownx.superfences import SuperFencesException

from nndl import explorables
from nndl_site import explorables as hook

ROOT = Path(__file__).resolve().parent.parent


def render(text):
    config = SimpleNamespace(markdown_extensions=["pymdownx.superfences"], mdx_configs={})
    hook.on_config(config)
    return markdown.markdown(text, extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def values_of(html):
    match = re.search(r'data-values="([^"]*)"', html)
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


# ---- The fence ----------------------------------------------------------------------------------


def test_the_fence_names_an_explorable_and_may_set_its_first_values():
    assert hook.parse("computation-graph\n") == ("computation-graph", {})
    assert hook.parse("\n computation-graph \n a = 1\nb=-2\n") == ("computation-graph", {"a": "1", "b": "-2"})
    with pytest.raises(ValueError, match="expected `input = value`"):
        hook.parse("computation-graph\na 1\n")
    with pytest.raises(ValueError, match="empty"):
        hook.parse("\n\n")


def test_an_explorable_renders_its_form_and_the_engines_first_view():
    html = render("```explorable\ncomputation-graph\na = 1\n```\n")
    assert html.startswith('<div class="nndl-explorable" data-explorable="computation-graph"')
    assert '<fieldset class="nndl-explorable__controls" disabled>' in html  # enabled by the script
    assert re.search(r'<input type="range" id="nndl-x-computation-graph-a" name="a"[^>]* value="1">', html)
    assert '<label for="nndl-x-computation-graph-a">' in html
    view = explorables.render("computation-graph", {"a": "1"})
    unique = re.compile(r"-[0-9a-f]{8,}\b")  # drawings number their ids uniquely
    assert unique.sub("", view.html) in unique.sub("", html)  # drawn at build time, by the engine
    assert view.summary in html
    assert values_of(html) == json.loads(view.json())


def test_every_kind_of_control_has_its_input_and_actions_their_button():
    for name, explorable in explorables.REGISTRY.items():
        html = hook.html(explorable, explorable.defaults(), explorables.render(name, initial=True))
        for control in explorable.controls:
            tag = {"slider": 'type="range"', "number": 'type="number"', "choice": "<select",
                   "text": 'type="text"'}[control.kind]
            assert re.search(rf'{tag}[^>]*name="{control.name}"|<select id="[^"]+" name="{control.name}"', html), (
                name, control.name)
        assert ('class="nndl-button nndl-button--run nndl-explorable__run"' in html) == bool(explorable.action)


def test_unknown_explorables_inputs_and_values_stop_the_build():
    with pytest.raises(SuperFencesException, match="no explorable named 'computation-grpah'"):
        render("```explorable\ncomputation-grpah\n```\n")
    with pytest.raises(SuperFencesException, match="no input named 'd'"):
        render("```explorable\ncomputation-graph\nd = 1\n```\n")
    with pytest.raises(SuperFencesException, match="between -10 and 10"):
        render("```explorable\ncomputation-graph\na = 99\n```\n")


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
    summary = root.locator(".nndl-explorable__summary").inner_text()
    assert summary.strip()


def test_a_mistyped_input_explains_itself_and_keeps_the_last_view(page, watch, base_url):
    page.goto(base_url + pages_with_explorables()["dimension-calculator"])
    root = page.locator('.nndl-explorable[data-explorable="dimension-calculator"]')
    expect(root).to_have_attribute("data-mounted", "")
    view = root.locator(".nndl-explorable__view")
    before = view.inner_html()
    field = root.locator('input[type="text"]')
    field.fill("2, three, 1")
    message = root.locator(".nndl-explorable__message")
    expect(message).to_be_visible(timeout=PYTHON_TIMEOUT_MS)
    assert "three" in message.inner_text()
    assert view.inner_html() == before
    assert field.input_value() == "2, three, 1"  # the reader's input is kept
    field.fill("4, 3, 1")
    expect(message).to_be_hidden(timeout=PYTHON_TIMEOUT_MS)
    assert view.inner_html() != before
