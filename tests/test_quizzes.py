"""The lessons' "Check your understanding" quizzes (```quiz fences): every lesson has one, of five
questions or more, each with exactly one right answer and an explanation; and the numbers their
right answers state are computed here with the engine, so that a quiz never teaches a wrong one.
"""

import math
import re
from pathlib import Path

import numpy as np
import pytest
from nndl import activations, deep, graph

DOCS = Path(__file__).resolve().parent.parent / "docs"
LESSONS = sorted(p.relative_to(DOCS).as_posix() for p in (DOCS / "lessons").glob("*.md"))


def quiz_of(page):
    """{id: {"prompt", "right", "wrong": [...], "explanation"}} of the page's ```quiz fences."""
    text = (DOCS / page).read_text(encoding="utf-8")
    questions = {}
    for body in re.findall(r"^```quiz\n(.*?)^```$", text, re.M | re.S):
        for block in re.split(r"\n\s*\n", body.strip()):
            lines = block.splitlines()
            assert lines[0].startswith("? "), f"{page}: a question starts with `? <id>`: {lines[0]!r}"
            qid = lines[0][2:].strip()
            q = {"prompt": [], "right": [], "wrong": [], "explanation": []}
            for line in lines[1:]:
                key = {"+ ": "right", "- ": "wrong", "> ": "explanation"}.get(line[:2], "prompt")
                q[key].append(line[2:] if key != "prompt" else line)
            assert qid not in questions, f"{page}: two questions {qid!r}"
            questions[qid] = q
    return questions


@pytest.mark.parametrize("page", LESSONS)
def test_every_lesson_ends_with_a_quiz_of_five_questions_or_more(page):
    questions = quiz_of(page)
    assert len(questions) >= 5, f"{page}: {len(questions)} quiz questions"
    for qid, q in questions.items():
        assert q["prompt"], f"{page}, {qid}: no question"
        assert len(q["right"]) == 1, f"{page}, {qid}: exactly one right answer"
        assert q["wrong"], f"{page}, {qid}: no wrong answer"
        assert q["explanation"], f"{page}, {qid}: no explanation"
    text = (DOCS / page).read_text(encoding="utf-8")
    assert text.index("## Check your understanding") > text.index("## What you should take away")


def right(page, qid):
    return quiz_of(page)[qid]["right"][0]


def test_the_numbers_of_the_right_answers_are_the_engines():
    lesson = "lessons/{}.md".format
    # Lesson 1: 209 pictures of 64 × 64 × 3.
    assert 64 * 64 * 3 == 12288
    assert "(12288, 209)" in right(lesson("01-images-as-vectors"), "x-shape")
    # Lesson 2: sigma(0) and the cost at w = 0, b = 0.
    assert activations.sigmoid(np.array([[0.0]]))[0, 0] == 0.5
    assert "0.5" in right(lesson("02-logistic-regression"), "sigmoid-at-zero")
    Y = np.array([[1.0, 0.0, 1.0]])
    A = activations.sigmoid(np.zeros((1, 3)))
    cost = deep.compute_cost(A, Y)
    assert math.isclose(cost, math.log(2)) and f"{cost:.3f}" == "0.693"
    assert "0.693" in right(lesson("02-logistic-regression"), "cost-at-zero")
    # Lesson 3: J = 3(a + bc) at a = 5, b = 3, c = 2, with the engine's graph.
    a, b, c = graph.Value(5.0), graph.Value(3.0), graph.Value(2.0)
    J = 3 * (a + b * c)
    J.backward()
    assert (J.data, b.grad, c.grad) == (33.0, 6.0, 9.0)
    page = lesson("03-computation-graph")
    assert (right(page, "forward-value"), right(page, "dj-db"), right(page, "dj-dc")) == ("$33$", "$6$", "$9$")
    # Lesson 7: the sigmoid's slope at 0.
    assert activations.sigmoid_backward(np.array([[1.0]]), np.array([[0.0]]))[0, 0] == 0.25
    assert "0.25" in right(lesson("07-activation-functions"), "sigmoid-slope-at-zero")
    # Lesson 9: L for [3, 5, 5, 3, 1].
    assert len(deep.initialize_parameters([3, 5, 5, 3, 1])) // 2 == 4
    assert right(lesson("09-deep-networks"), "count-l") == "$4$"
    # Lesson 10: W3 for [2, 3, 5, 4, 2, 1].
    assert deep.layer_shapes([2, 3, 5, 4, 2, 1], 1)[3]["W"] == (4, 5)
    assert "(4, 5)" in right(lesson("10-dimensions"), "w3-shape")
    # Lesson 12: parameter counts.
    def count(dims):
        params = deep.initialize_parameters(dims)
        return sum(p.size for p in params.values())

    assert count([3, 4, 1]) == 21
    assert right(lesson("12-hyperparameters"), "count-parameters") == "$21$"
    big = deep.initialize_parameters([12288, 20, 7, 5, 1])
    first = big["W1"].size + big["b1"].size
    rest = count([12288, 20, 7, 5, 1]) - first
    assert (first, rest) == (245780, 193)
    page = lesson("12-hyperparameters")
    assert "245780" in right(page, "first-layer")
    assert "193" in " ".join(quiz_of(page)["first-layer"]["explanation"])
    # Lesson 13: 10 points of 50 test pictures.
    assert round(0.10 * 50) == 5
    assert right(lesson("13-training-on-images"), "small-test-set") == "5"
