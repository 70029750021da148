"""The ```explorable fence of nndl_site/explorables.py, rendered by Python-Markdown as MkDocs does
(the widgets in the browser: site_tests/test_explorables.py)."""

import json
import re
from types import SimpleNamespace

import markdown
import pytest
from pymdownx.superfences import SuperFencesException

from nndl import explorables
from nndl_site import explorables as hook


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
