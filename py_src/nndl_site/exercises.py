"""Site build: a lesson's exercises know their parts, and ```quiz fences become quizzes.

Exercises. A lesson declares an exercise on its cells (nndl_site/cells.py renders the options):

    ```pycell exercise="flatten"      the cell(s) the reader writes (its starter)
    ```pycell check="flatten"         the cell that checks it

and puts its ``??? tip "Hint"`` and ``??? success "Solution"`` between the start of its section
(the ``##`` heading) and the check cell. on_page_content marks them for the page's script:

    <details class="tip" data-exercise="flatten" data-exercise-part="hint">
    <details class="success" data-exercise="flatten" data-exercise-part="solution">

and stops the build when an exercise has no starter before its check, two checks, a solution
without a check, or its solution before its hint. docs/javascripts/cells.js then re-runs the
exercise's edited cells before its check and shows the check's verdict; exercises.js offers the
solution only after the hint was opened or a check failed.

Quizzes. A ```quiz fence holds questions, each one of these blocks (blank lines between them):

    ? x-shape                               the question's id (never changes: progress uses it)
    For 209 pictures, what is the shape of $X$?
    - $(209, 12288)$                        a wrong answer
    + $(12288, 209)$                        the right answer (exactly one)
    > One picture per column: …             the explanation, shown after any answer

Text is Markdown (inline code, emphasis, $maths$, drawn at build time by nndl_site/maths.py).
The quiz is static HTML, readable before any script runs: each question is an element carrying
``data-quiz-question``, a fieldset of radio buttons, and its answer and explanation in a
<details> that works without JavaScript. docs/javascripts/quiz.js adds a Check button, says
whether the answer is right, opens the explanation and records the result for the course map.

The course map (the home page's links marked ``data-lesson``) is told what each lesson holds:
on_post_page adds ``data-exercises`` and ``data-quiz-questions`` (ids, space-separated) to each
such link, from what the lessons' pages declared, so that docs/javascripts/progress.js can count
exercises passed and questions answered against stable ids.
"""

import posixpath
import re
from html import escape
from urllib.parse import urljoin, urlparse

import markdown
from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException

from nndl_site import fences

FENCE = "quiz"
QUESTION_ID = re.compile(r"[a-z0-9][a-z0-9-]*")

#: page url → {"exercises": [ids], "quiz": [question ids]}, filled as the pages are converted
#: (mkdocs converts every page before it writes any, so the home page sees all the lessons).
COURSE = {}


# ---- Quizzes ----------------------------------------------------------------------------------


def parse_quiz(source):
    """[{id, prompt, options: [(text, right)], explanation}] from a quiz fence's text."""
    questions = []
    current = None
    field = None
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            field = None
            continue
        mark, rest = line[:1], line[2:].strip() if line[1:2] == " " else None
        if mark == "?" and rest is not None:
            if not QUESTION_ID.fullmatch(rest):
                raise ValueError(f"line {number}: a question id is lower-case letters, digits "
                                 f"and hyphens, like `? x-shape`, not {rest!r}")
            current = {"id": rest, "prompt": [], "options": [], "explanation": [], "line": number}
            questions.append(current)
            field = "prompt"
            continue
        if current is None:
            raise ValueError(f"line {number}: a quiz starts with `? <id>`, got {line!r}")
        if mark in "+-" and rest is not None:
            current["options"].append([rest, mark == "+"])
            field = "option"
        elif mark == ">" and (rest is not None or line == ">"):
            current["explanation"].append(rest or "")
            field = "explanation"
        elif field == "prompt":
            current["prompt"].append(line.strip())
        elif field == "option":
            current["options"][-1][0] += " " + line.strip()
        elif field == "explanation":
            current["explanation"].append(line.strip())
        else:
            raise ValueError(f"line {number}: expected `- `, `+ ` or `> ` after an answer, got {line!r}")
    if not questions:
        raise ValueError("an empty quiz: write questions as `? <id>`, the question, `- `/`+ ` answers and `> ` the explanation")
    seen = set()
    for q in questions:
        where = f"question {q['id']!r} (line {q['line']})"
        if q["id"] in seen:
            raise ValueError(f"{where}: two questions have this id")
        seen.add(q["id"])
        if not q["prompt"]:
            raise ValueError(f"{where}: no question text after `? {q['id']}`")
        if len(q["options"]) < 2:
            raise ValueError(f"{where}: give at least two answers (`- ` wrong, `+ ` right)")
        if sum(right for _, right in q["options"]) != 1:
            raise ValueError(f"{where}: mark exactly one answer right with `+ `")
        if not q["explanation"]:
            raise ValueError(f"{where}: add its explanation as `> ` lines; it follows every answer")
    return questions


_MARKDOWN = None


def inline(text, block=False):
    """Markdown to HTML with the pages' maths (arithmatex, drawn later by nndl_site/maths.py)."""
    global _MARKDOWN
    if _MARKDOWN is None:
        _MARKDOWN = markdown.Markdown(
            extensions=["pymdownx.arithmatex"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
        )
    html = _MARKDOWN.reset().convert(text)
    if not block and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def render_quiz(source, language, class_name, options, md, **kwargs):
    try:
        questions = parse_quiz(source)
    except ValueError as error:
        raise SuperFencesException(f"```{FENCE}: {error}") from error
    total = len(questions)
    parts = [f'<div class="nndl-quiz" data-quiz="" data-quiz-size="{total}">']
    for number, q in enumerate(questions, start=1):
        qid = escape(q["id"])
        name = f"nndl-quiz-{qid}"
        right = next(i for i, (_, ok) in enumerate(q["options"]) if ok)
        prompt = inline(" ".join(q["prompt"]))
        items = "".join(
            f'<li><label class="nndl-quiz__option">'
            f'<input type="radio" name="{name}" value="{i}"> '
            f'<span class="nndl-quiz__letter">{"ABCDEFGH"[i]}.</span> '
            f'<span class="nndl-quiz__option-text">{inline(text)}</span></label></li>'
            for i, (text, _) in enumerate(q["options"])
        )
        explanation = inline("\n".join(q["explanation"]), block=True)
        if len(q["options"]) > 8:
            raise SuperFencesException(f"```{FENCE}: question {q['id']!r} has more than 8 answers")
        parts.append(
            f'<div class="nndl-quiz__question" data-quiz-question="{qid}" data-answer="{right}" '
            f'id="{name}">'
            f'<fieldset class="nndl-quiz__fieldset">'
            f'<legend class="nndl-quiz__prompt"><span class="nndl-quiz__number">'
            f"Question {number} of {total}.</span> {prompt}</legend>"
            f'<ul class="nndl-quiz__options">{items}</ul>'
            f"</fieldset>"
            f'<p class="nndl-quiz__actions" hidden><button type="button" '
            f'class="nndl-button nndl-quiz__check">Check</button> '
            f'<span class="nndl-quiz__feedback" role="status"></span></p>'
            f'<details class="nndl-quiz__answer"><summary>Answer and explanation</summary>'
            f'<p class="nndl-quiz__right">The answer: {"ABCDEFGH"[right]}. '
            f'{inline(q["options"][right][0])}</p>'
            f"{explanation}</details>"
            f"</div>"
        )
    parts.append("</div>")
    return "".join(parts)


def on_config(config):
    fences.register(config, {"name": FENCE, "class": "nndl-quiz", "format": render_quiz})
    return config


# ---- Exercises --------------------------------------------------------------------------------

_CELL = re.compile(r'<div class="nndl-cell"[^>]*?data-exercise="([^"]+)" data-exercise-part="(starter|check)"')
_DETAILS = re.compile(r'<details class="(?:tip|success)"(?P<open> open="open")?>\s*<summary>(?P<title>Hint|Solution)</summary>')
_H2 = re.compile(r"<h2[\s>]")
_QUESTION = re.compile(r'data-quiz-question="([^"]+)"')


def exercises_of(html, where):
    """Mark each exercise's hint and solution; return (html, [exercise ids in order])."""
    events = sorted(
        [(m.start(), "cell", m) for m in _CELL.finditer(html)]
        + [(m.start(), "details", m) for m in _DETAILS.finditer(html)]
        + [(m.start(), "h2", m) for m in _H2.finditer(html)],
        key=lambda event: event[0],
    )
    starters, checks, order = {}, {}, []
    pending = []  # hints and solutions waiting for the check cell of their section
    marks = {}  # position of a <details> → (exercise id, part)
    for _, kind, m in events:
        if kind == "h2":
            pending = []
        elif kind == "details":
            pending.append(m)
        elif m.group(2) == "starter":
            starters.setdefault(m.group(1), 0)
            starters[m.group(1)] += 1
        else:
            exercise = m.group(1)
            if exercise in checks:
                raise PluginError(f"{where}: the exercise {exercise!r} has two check cells")
            if not starters.get(exercise):
                raise PluginError(f'{where}: the check of {exercise!r} comes before any ```pycell exercise="{exercise}"')
            checks[exercise] = True
            order.append(exercise)
            titles = [d.group("title") for d in pending]
            if "Solution" in titles and "Hint" in titles and titles.index("Solution") < titles.index("Hint"):
                raise PluginError(f"{where}: the exercise {exercise!r} shows its solution before its hint")
            for d in pending:
                marks[d.start()] = (exercise, d.group("title").lower(), d)
            pending = []
    for exercise in starters:
        if exercise not in checks:
            raise PluginError(f'{where}: the exercise {exercise!r} has no ```pycell check="{exercise}"')
    for start in sorted(marks, reverse=True):
        exercise, part, d = marks[start]
        tag_end = html.index(">", start)
        html = (html[:tag_end] + f' data-exercise="{escape(exercise)}" data-exercise-part="{part}"'
                + html[tag_end:])
    return html, order


def on_page_content(html, page, config, files):
    html, exercises = exercises_of(html, page.file.src_uri)
    quiz = _QUESTION.findall(html)
    if exercises or quiz:
        COURSE[page.url] = {"exercises": exercises, "quiz": quiz}
    else:
        COURSE.pop(page.url, None)
    return html


_LESSON_LINK = re.compile(r"<a\b[^>]*\bdata-lesson\b[^>]*>")


def on_post_page(output, page, config):
    """The course map's links learn which exercises and questions their lesson has."""
    if "data-lesson" not in output:
        return output
    base = "http://site/" + page.url

    def tell(match):
        tag = match.group(0)
        href = re.search(r'\bhref="([^"]*)"', tag)
        if not href or "data-exercises=" in tag:
            return tag
        path = posixpath.normpath(urlparse(urljoin(base, href.group(1))).path).lstrip("/")
        path = path + "/" if path and not path.endswith((".html", "/")) else path
        lesson = COURSE.get(path, {"exercises": [], "quiz": []})
        extra = (f' data-exercises="{escape(" ".join(lesson["exercises"]))}"'
                 f' data-quiz-questions="{escape(" ".join(lesson["quiz"]))}"')
        return tag[:-1] + extra + ">"

    return _LESSON_LINK.sub(tell, output)
