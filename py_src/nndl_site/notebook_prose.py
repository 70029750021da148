"""The prose of a page, for its notebook (nndl_site.notebooks): Material's admonitions become
HTML that Jupyter renders, links and images point to the published site, and the sentences that
describe the browser say what a notebook does instead.
"""

import posixpath
import re
from html import escape

from nndl_site import fences

#: Sentences of the pages that describe the browser, and what a notebook says instead (a space
#: matches any run of spaces and line breaks). Each must match some page
#: (tests/site/test_notebooks.py checks), so a rewritten page retires its rule.
PHRASES = (
    (r"press \*\*Stop\*\* to end it early",
     "interrupt the kernel (the ■ button, or Kernel → Interrupt) to end it early"),
    (r"Run them in order, or jump to any cell: the cells above it that have not run yet run first\.",
     "Run them in order: each cell uses what the cells above it made."),
    (r"Mistakes show Python's traceback, trimmed to your code, and the failing line is marked in the editor\.",
     "Mistakes show Python's traceback, which points at the failing line."),
    (r"You will train them in your browser, in the dashboard below or in a cell",
     "You will train them in cells"),
)
#: In the prose that introduces an explorable: the form's words, and the notebook's.
EXPLORABLE_PHRASES = (
    (r"\bthe page (trains|runs|draws|paints)\b", r"the cell \1"),
    (r"\b[Yy]our browser (runs|trains)\b", r"Python \1"),
    (r",? in your browser\b", ""),
)
LINK = re.compile(r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<target>[^()\s]+)(?P<title>\s+\"[^\"]*\")?\)")
#: Maths and inline code, where brackets and parentheses are not links.
PROTECTED = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$|`+[^`]*?`+", re.S)
ADMONITION = re.compile(r'^(?P<kind>\?\?\?\+?|!!!)[ \t]+(?P<type>[\w-]+)(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$')


def base(site_url):
    """The site's address, ending in "/"."""
    return site_url if site_url.endswith("/") else site_url + "/"


def page_url(site_url, src_uri):
    """The published address of a page: lessons/02-x.md → <site>/lessons/02-x/ (index.md → <site>)."""
    path = posixpath.splitext(src_uri)[0]
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")]
    else:
        path += "/"
    return base(site_url) + path


def absolute_links(text, src_uri, site_url):
    """Relative links and images of a page's prose → addresses on the published site."""

    def replace(match, protected):
        target = match["target"]
        if any(start <= match.start("target") < end for start, end in protected):
            return match[0]  # maths such as $a^{[l](i)}$, or code, that only looks like a link
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
            return match[0]  # already absolute (https:, mailto:…)
        path, hash_, fragment = target.partition("#")
        if not path:
            url = page_url(site_url, src_uri)
        else:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path))
            url = page_url(site_url, resolved) if resolved.endswith(".md") else base(site_url) + resolved
        url += hash_ + fragment
        return f"{match['bang']}[{match['text']}]({url}{match['title'] or ''})"

    def change(prose):
        protected = [match.span() for match in PROTECTED.finditer(prose)]
        return LINK.sub(lambda match: replace(match, protected), prose)

    return _outside_code(text, change)


def _outside_code(text, change):
    """Apply change() to the text outside fenced code blocks."""
    out = []
    lines = text.splitlines(keepends=True)
    position = 0
    for block in fences.blocks(lines):
        out.append(change("".join(lines[position : block.start])))
        position = block.end + 1
        out.extend(lines[block.start : position])
    out.append(change("".join(lines[position:])))
    return "".join(out)


def fold_admonitions(text):
    """Material's admonitions → HTML that Jupyter renders: ``??? success "Solution"`` (a
    collapsible block) becomes ``<details><summary>Solution</summary> … </details>``, folded;
    ``!!! note "Title"`` a quote whose first line is the title in bold."""
    lines = text.splitlines()
    out = []
    i = 0
    while i < len(lines):
        match = ADMONITION.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        body, j = [], i + 1
        while j < len(lines) and (not lines[j].strip() or lines[j].startswith(("    ", "\t"))):
            body.append(lines[j][4:] if lines[j].startswith("    ") else lines[j].lstrip("\t"))
            j += 1
        while body and not body[-1].strip():
            body.pop()
            j -= 1
        while body and not body[0].strip():
            body.pop(0)
        title = match["title"] if match["title"] is not None else match["type"].capitalize()
        if match["kind"].startswith("???"):
            opened = " open" if match["kind"] == "???+" else ""
            out += [f"<details{opened}><summary>{escape(title)}</summary>", "", *body, "", "</details>"]
        else:
            out += [f"> **{title}**" if title else ">", ">", *(f"> {line}".rstrip() for line in body)]
        i = j
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def phrase(pattern):
    """A pattern of PHRASES as a regular expression: its spaces match line breaks too."""
    return re.compile(pattern.replace(" ", r"\s+"))


def rewrite_phrases(text, phrases=PHRASES):
    for pattern, replacement in phrases:
        text = phrase(pattern).sub(replacement, text)
    return text


def explorable_intro(text, action):
    """The prose just before an explorable, for a notebook: its button is the cell's Run."""
    if action:
        text = re.sub(rf"\b[Pp]ress \*\*{re.escape(action)}\*\*", "run the cell below", text)
    return rewrite_phrases(text, EXPLORABLE_PHRASES)


def adapt_prose(text, src_uri, site_url):
    return absolute_links(fold_admonitions(rewrite_phrases(text)), src_uri, site_url)
