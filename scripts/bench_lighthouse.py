"""The benchmark's Lighthouse workload: npm's Lighthouse with Debian's Chromium, mobile defaults,
on every page of the site as built, served gzip-compressed."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_common import ROOT, Series, engines
from bench_site import gzip_server

# ---- Lighthouse: every page, mobile defaults ------------------------------------------------------

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Audits left out: pictures of the page (heavy to encode, and not a score).
LIGHTHOUSE_SKIPPED = ("full-page-screenshot", "screenshot-thumbnails", "final-screenshot")
#: Chromium for Lighthouse: headless, nothing of its own in the background, and no host but this
#: machine's reachable at all (any other name does not resolve), so no request leaves it.
LIGHTHOUSE_CHROME_FLAGS = " ".join([
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
    "--disable-domain-reliability", "--metrics-recording-only",
    '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"',
])
LIGHTHOUSE_GOALS = {"performance": 90, "accessibility": 100, "tbt_ms": 200}


def bench_lighthouse(site, pages, results):
    """Lighthouse (npm, package-lock.json) with Debian's Chromium and its default mobile settings
    (simulated slow 4G, 4× slower CPU) on each page of `site`, served gzip-compressed (a copy of the site as built, without
    the start-up workloads' recorder, which would press Run). Results: lighthouse_<page>_<figure>."""
    server = gzip_server(site)  # compressed, as GitHub Pages serves the site
    try:
        lighthouse_pages(server, pages, results)
    finally:
        server.close()


def lighthouse_pages(server, pages, results):
    if not LIGHTHOUSE.is_file():
        sys.exit("bench: Lighthouse is not installed: run `npm ci` (make node-modules)")
    env = dict(os.environ, CHROME_PATH=engines.CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="nndl-lighthouse-") as tmp:
        for page in pages:
            report_path = Path(tmp) / "report.json"
            command = [str(LIGHTHOUSE), server.url + page, "--quiet", "--output=json",
                       f"--output-path={report_path}", f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
                       f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
                       f"--skip-audits={','.join(LIGHTHOUSE_SKIPPED)}"]
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
            if done.returncode != 0 or not report_path.is_file():
                sys.exit(f"bench: Lighthouse failed on {page or 'the home page'}:\n{done.stderr[-2000:]}")
            lh = json.loads(report_path.read_text(encoding="utf-8"))
            if lh.get("runtimeError"):
                sys.exit(f"bench: Lighthouse on {page}: {lh['runtimeError']}")
            figures = {name: round(100 * lh["categories"][name]["score"])
                       for name in LIGHTHOUSE_CATEGORIES if lh["categories"][name]["score"] is not None}
            figures["tbt_ms"] = lh["audits"]["total-blocking-time"]["numericValue"]
            requests = lh["audits"].get("network-requests", {}).get("details", {}).get("items", [])
            foreign = sorted({item["url"] for item in requests
                              if item["url"].startswith("http") and "//127.0.0.1:" not in item["url"]})
            if foreign:
                sys.exit(f"bench: Lighthouse on {page} asked other hosts: {foreign}")
            failed = sorted(audit_id for audit_id, audit in lh["audits"].items()
                            if audit.get("score") is not None and audit["score"] < 1
                            and audit.get("scoreDisplayMode") == "binary"
                            and any(ref["id"] == audit_id for ref in lh["categories"]["accessibility"]["auditRefs"]))
            for name, value in figures.items():
                results.setdefault(f"lighthouse_{page}_{name}", Series()).add(value)
            print(f"  lighthouse {page or '(home)'}: " + ", ".join(f"{k} {v:.0f}" for k, v in figures.items())
                  + (f"; accessibility audits failed: {', '.join(failed)}" if failed else ""), flush=True)
