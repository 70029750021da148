"""The Content-Security-Policy of nndl_site/security.py: on every page, nothing from elsewhere,
and the browser refuses scripts that the site did not ship.

Every other browser test also guards it: a page that breaks the policy logs a console error,
which the `watch` fixture turns into a failure.
"""

import re

from conftest import SITE, Cells
from playwright.sync_api import expect

from nndl_site import security as hook


META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def test_every_page_of_the_site_carries_the_policy_first_and_allows_no_other_origin():
    pages = sorted(SITE.glob("**/*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        head = re.search(r"<head[^>]*>(.*?)</head>", html, re.S).group(1)
        match = META.match(head)
        assert match, f"{path}: the policy is not the first element of <head>"
        policy = match.group(1)
        sources = {word for directive in policy.split(";") for word in directive.split()[1:]}
        allowed = {"'self'", "'none'", "'unsafe-inline'", "'wasm-unsafe-eval'", "data:"}
        assert all(s in allowed or s.startswith("'sha256-") for s in sources), (path, sources)
        assert hook.inline_script_hashes(html) == sorted(
            s for s in re.search(r"script-src ([^;]+)", policy).group(1).split() if s.startswith("'sha256-")
        ), path


def test_the_browser_refuses_injected_scripts_and_the_cells_still_run(page, base_url):
    violations = []
    page.on("console", lambda message: message.type == "error" and violations.append(message.text))
    page.goto(base_url + "demo/")
    page.wait_for_selector(".nndl-cell[data-mounted] .cm-content")
    ran = page.evaluate(
        """() => new Promise((resolve) => {
            window.injected = false;
            const reports = [];
            document.addEventListener("securitypolicyviolation", (e) => reports.push(e.violatedDirective));
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            const button = document.createElement("button");
            button.setAttribute("onclick", "window.injected = true");
            document.body.append(button);
            button.click();
            setTimeout(() => resolve({ injected: window.injected, reports }), 300);
        })"""
    )
    assert ran["injected"] is False
    assert ran["reports"] and all(r.startswith("script-src") for r in ran["reports"])
    assert any("Content Security Policy" in text for text in violations)
    cells = Cells(page)
    assert cells[1].run_and_wait() == "Hello, neural networks!"
    expect(cells[1].root).to_have_attribute("data-state", "done")
