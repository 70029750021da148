"""Site build: a Content-Security-Policy on every page, as a <meta> element.

GitHub Pages cannot send HTTP headers, so the policy travels in the page itself, first in <head>,
before any script. It allows what the course needs and nothing from any other origin:

- scripts: the site's own files, plus the few small inline scripts of Material's template, each
  allowed by the sha256 of its exact text (computed here, page by page, after the build wrote the
  page); ``'wasm-unsafe-eval'`` lets WebAssembly compile (Pyodide, in the page's worker);
- workers: the site's own (the Python worker);
- styles: the site's own, and inline ``style`` attributes, which Temml's display maths and the
  engine's drawings rely on (styles cannot run code);
- images: the site's own and ``data:`` (pictures made by cells arrive as data: URLs);
- fonts, fetches: the site's own; no plugins (<object>/<embed>), no <base> from elsewhere, forms
  submit nowhere (the explorables' forms are handled by the page's script).

A script injected into a page (a reader pasting HTML somewhere it would run, a compromised
dependency writing an inline handler) is refused by the browser, which reports it.
"""

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s+[^>]*)?)>(?P<body>.*?)</script>", re.S)
HEAD = re.compile(r"<head[^>]*>", re.I)

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "worker-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'none'"],
}


def inline_script_hashes(html):
    """'sha256-…' for each inline script that a browser would run (not JSON data blocks)."""
    hashes = []
    for match in INLINE_SCRIPT.finditer(html):
        attrs = match["attrs"] or ""
        if "src=" in attrs:
            continue
        kind = re.search(r'type="([^"]*)"', attrs)
        if kind and kind.group(1) not in ("text/javascript", "module"):
            continue  # data, such as Material's <script id="__config" type="application/json">
        digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sorted(set(hashes))


def policy(html):
    directives = {name: list(values) for name, values in POLICY.items()}
    directives["script-src"] += inline_script_hashes(html)
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def with_policy(html):
    """The page with its policy as the first element of <head>."""
    head = HEAD.search(html)
    if head is None:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return html[: head.end()] + meta + html[head.end() :]


def on_post_page(output, page, config):
    return with_policy(output)


def on_post_template(output_content, template_name, config):
    """The pages made from templates alone (404.html)."""
    return with_policy(output_content) if template_name.endswith(".html") else output_content
