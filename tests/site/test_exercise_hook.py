"""nndl_site/exercises.py: exercises declared on their cells, and the ```quiz fence, rendered by
Python-Markdown as MkDocs does; and what the built site holds of them."""

import re
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException

from nndl_site import cells, exercises

ROOT = Path(__file__).resolve().parents[2]

EXERCISE = """## Exercise: flatten

```pycell exercise="flatten"
def flatten(images):
    return None
```

??? tip "Hint"

    Transpose.

??? success "Solution"

    ```python
    def flatten(images):
        return images.reshape(images.shape[0], -1).T / 255
    ```

```pycell check="flatten"
check_function("flatten", flatten, reference, images)
```
"""

QUIZ = """```quiz
? x-shape
What is the shape of $X$ for `m` pictures?
- $(m, n_x)$
+ $(n_x, m)$
> One picture per **column**.

? second
Is $\\sigma(0) = 0.5$?
+ Yes
- No
> $1 / (1 + 1)$.
```
"""


def render(text, where="lessons/x.md"):
    config = SimpleNamespace(
        markdown_extensions=["pymdownx.highlight", "admonition", "pymdownx.details", "pymdownx.arithmatex"],
        mdx_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    cells.on_config(config)
    exercises.on_config(config)
    html = markdown.markdown(text, extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    page = SimpleNamespace(file=SimpleNamespace(src_uri=where), url=where.replace(".md", "/"))
    return exercises.on_page_content(html, page, None, None)


def test_an_exercise_knows_its_starter_hint_solution_and_check():
    html = render(EXERCISE)
    assert 'data-exercise="flatten" data-exercise-part="starter"' in html
    assert 'data-exercise="flatten" data-exercise-part="check"' in html
    assert re.search(r'<details class="tip" data-exercise="flatten" data-exercise-part="hint">', html)
    assert re.search(r'<details class="success" data-exercise="flatten" data-exercise-part="solution">', html)
    assert exercises.COURSE["lessons/x/"] == {"exercises": ["flatten"], "quiz": []}


@pytest.mark.parametrize(
    "text, message",
    [
        (EXERCISE.replace('check="flatten"', 'check="other"'), "comes before any"),
        (EXERCISE.replace('exercise="flatten"', 'exercise="other"'), "comes before any"),
        (EXERCISE + '\n```pycell check="flatten"\nx\n```\n', "two check cells"),
        (EXERCISE.replace('??? tip "Hint"\n\n    Transpose.\n\n', "")
         + '\n??? tip "Hint"\n\n    late\n', None),  # a hint after the check belongs to nothing
        (EXERCISE.replace('??? tip "Hint"\n\n    Transpose.\n\n', "").replace(
            '```pycell check', '??? tip "Hint"\n\n    Transpose.\n\n```pycell check'), "solution before its hint"),
    ],
)
def test_a_malformed_exercise_stops_the_build(text, message):
    if message is None:
        html = render(text)
        assert html.count("data-exercise-part=\"hint\"") == 0
        return
    with pytest.raises(PluginError, match=message):
        render(text)


def test_an_exercise_id_is_checked():
    with pytest.raises(SuperFencesException, match="an exercise id is lower-case"):
        render('```pycell exercise="Flatten It"\nx\n```\n')


def test_a_quiz_is_static_html_with_its_questions_answers_and_explanations():
    html = render(QUIZ)
    questions = re.findall(r'data-quiz-question="([^"]+)" data-answer="(\d)"', html)
    assert questions == [("x-shape", "1"), ("second", "0")]
    assert html.count('type="radio"') == 4
    assert '<legend class="nndl-quiz__prompt"><span class="nndl-quiz__number">Question 1 of 2.</span>' in html
    assert "<code>m</code>" in html and "<strong>column</strong>" in html
    assert '<span class="arithmatex">\\((n_x, m)\\)</span>' in html  # drawn later by Temml
    assert html.count('<details class="nndl-quiz__answer">') == 2  # readable without JavaScript
    assert '<p class="nndl-quiz__actions" hidden>' in html  # Check appears with the script
    assert exercises.COURSE["lessons/x/"] == {"exercises": [], "quiz": ["x-shape", "second"]}


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "an empty quiz"),
        ("What?\n+ a\n- b\n> c\n", "starts with `? <id>`"),
        ("? Bad Id\nQ\n+ a\n- b\n> c\n", "a question id is lower-case"),
        ("? a\nQ\n- a\n- b\n> c\n", "exactly one answer right"),
        ("? a\nQ\n+ a\n+ b\n> c\n", "exactly one answer right"),
        ("? a\nQ\n+ a\n> c\n", "at least two answers"),
        ("? a\nQ\n+ a\n- b\n", "explanation"),
        ("? a\n+ a\n- b\n> c\n", "no question text"),
        ("? a\nQ\n+ a\n- b\n> c\n\n? a\nQ\n+ a\n- b\n> c\n", "two questions have this id"),
    ],
)
def test_a_malformed_quiz_stops_the_build_with_a_clear_message(text, message):
    with pytest.raises(SuperFencesException, match=re.escape(message)):
        render(f"```quiz\n{text}```\n")


