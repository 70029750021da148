"""The course's speed, in the browser and natively, side by side: `make bench`.

A benchmark, not a test: it prints two tables and writes the same figures to build/bench.json
(and the tables as Markdown to build/bench.md, for docs/performance.md). Every figure is the
median of --runs repetitions with its min–max, next to its reference, with the machine and its
load.

Browsers: the three engines the site supports, driven through site_tests/engines.py (Debian's
Chromium through Playwright, Firefox ESR through WebDriver BiDi, WebKitGTK's MiniBrowser through
WebKitWebDriver under Xvfb), on a private copy of the built site (so that a rebuild of site/
during the run cannot change what is measured) served under /nndl/ as GitHub Pages would.
Workloads run through real pages, as a reader runs them:

- startup, in every engine of --engines, each run measuring them in turn: a fresh browser
  profile opens the demo page, which presses Run on its first cell as soon as it is mounted and
  records when the result shows (performance.now(), from the start of navigation; the script
  doing so is written into the private copy's pages, see RECORD_FIRST_RESULT): the "cold" figure,
  with the bytes transferred in Chromium; a new tab of the same browser opens the page again
  ("warm", a second visit: what the engine keeps between the two is in WARM); then a link of the
  site's navigation leads to lesson 3 in the same visit, whose first cell is run the same way:
  time from the click to its result ("next page"). The reference, measured in the same way in a
  fresh profile of its own of the same engine: a bare page that loads Pyodide 0.27.7 and NumPy
  exactly as published and computes one NumPy result;
- lr, in every engine of --engines; deep, in Chromium: the course's two trainings on the sample
  images, typed into the first cell of the training lesson and run (logistic regression,
  α = 0.005, 2000 iterations; the L-layer network [12288, 20, 7, 5, 1], α = 0.0075, 2500
  iterations), timed inside Python around the training alone; the same code runs natively on
  CPython (.venv) in a subprocess, for the reference;
- dot, in Chromium: the vectorization lesson's own first cell (a loop against np.dot on 10⁶
  elements), run as it is; the same code natively.
- startup also records where each visit's seconds go: each stage's end (STAGES), from User
  Timing marks the page makes (runtime.js, for the worker) or the bare page makes itself;
- network, in Chromium: the demo page's cold first result, served gzip-compressed (as GitHub
  Pages serves) under Chromium's network emulation (NETWORK: 25 Mbit/s, 40 ms round trip), goal
  ≤ 4 s; and a browser saving data (navigator.connection.saveData), whose Python starts at the
  first Run: from that Run to its result, on this machine's network and under the emulation;
- lighthouse: npm's Lighthouse with Debian's Chromium, mobile defaults, on every page (--pages
  for some), served gzip-compressed: Performance, Accessibility, Best practices, SEO and total
  blocking time, against Performance ≥ 90, Accessibility 100, TBT ≤ 200 ms.

    .venv/bin/python scripts/bench.py [--only startup,network,lr,deep,dot,lighthouse]
                                      [--engines chromium,firefox,webkit] [--runs 3] [--site DIR]
                                      [--pages PATH,PATH]

The complete default run takes about 35–45 minutes on a 2-core machine (the deep training and
Lighthouse's 19 pages dominate).

Its parts are the modules beside this file, one concept each: bench_common.py (paths, engines,
pages, the machine, Series), bench_site.py (the served copy and its recorder and bare pages),
bench_browsers.py (the engines and what is read from their pages), bench_startup.py,
bench_compute.py (lr, deep, dot), bench_network.py, bench_lighthouse.py and bench_report.py
(the tables and bench.json).
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench_browsers import Browsers
from bench_common import ALL_ENGINES_WORKLOADS, ROOT, WARM, WORKLOADS, engine_versions, engines, machine
from bench_compute import bench_dot, bench_training
from bench_lighthouse import bench_lighthouse
from bench_network import bench_network
from bench_report import report, table_from_json, write_json
from bench_site import add_bare_page, add_recorder, site_pages
from bench_startup import bench_startup


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(WORKLOADS),
                        help=f"comma-separated workloads among {', '.join(WORKLOADS)} (default: all)")
    parser.add_argument("--engines", default=",".join(engines.ENGINES),
                        help="comma-separated engines among chromium, firefox, webkit for the "
                             f"{' and '.join(ALL_ENGINES_WORKLOADS)} workloads (default: all "
                             "three); the other workloads run in Chromium only")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each (default 3)")
    parser.add_argument("--site", type=Path, default=ROOT / "site",
                        help="the built site (default site/); a private copy of it is served")
    parser.add_argument("--native-threads", type=int, default=1,
                        help="OpenBLAS threads of the native runs (default 1, the fastest on a "
                             "shared 2-core machine; 0 = OpenBLAS's default)")
    parser.add_argument("--pages", default=None,
                        help="Lighthouse's pages, comma-separated paths under the site's root, like "
                             "'lessons/03-computation-graph/' ('' is the home page; default: every page)")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--table", type=Path, nargs="+", metavar="JSON",
                        help="measure nothing: print the table of earlier results (several files "
                             "are merged, e.g. a run of startup,lr,dot and one of deep)")
    args = parser.parse_args()
    if args.table:
        print(table_from_json(args.table))
        return
    only = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = set(only) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    engine_names = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engine_names) - set(engines.ENGINES)
    if unknown or not engine_names:
        parser.error(f"unknown engines: {', '.join(sorted(unknown)) or '(none)'}; "
                     f"choose among {', '.join(engines.ENGINES)}")
    engine_names = [e for e in engines.ENGINES if e in engine_names]  # Chromium first
    if any(w not in ALL_ENGINES_WORKLOADS for w in only) and "chromium" not in engine_names:
        engine_names.insert(0, "chromium")  # deep and dot run in Chromium
    for engine in engine_names:
        absent = engines.missing(engine)
        if absent:
            parser.error(f"{engine} is not installed here ({', '.join(absent)}): "
                         "run `make browsers`")
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} is not a built site: run `make site` first")

    info = machine()
    info.update(runs=args.runs, native_threads=args.native_threads, workloads=only,
                engine_names=engine_names, engines=engine_versions(engine_names),
                warm={e: WARM[e] for e in engine_names})
    print(f"Machine: {info['cpu']}, {info['cores']} cores, load {info['load_at_start']}; "
          + ", ".join(info["engines"].values()), flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="nndl-bench-") as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.site, site)
        if "lighthouse" in only:
            shutil.copytree(args.site, Path(tmp) / "site-as-built")
        if "startup" in only or "network" in only:
            add_bare_page(site)
            add_recorder(site)
        pages = site_pages(site) if args.pages is None else args.pages.split(",")
        browsers = Browsers(site)
        try:
            if "startup" in only:
                bench_startup(browsers, engine_names, args.runs, results)
            if "network" in only:
                bench_network(browsers, args.runs, results)
            if "lighthouse" in only:
                bench_lighthouse(Path(tmp) / "site-as-built", pages, results)
            if "lr" in only:
                bench_training(browsers, "lr", engine_names, args.runs, args.native_threads, results)
            if "deep" in only:
                bench_training(browsers, "deep", ["chromium"], args.runs, args.native_threads, results)
            if "dot" in only:
                bench_dot(browsers, args.runs, args.native_threads, results)
        finally:
            browsers.close()
    info["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = report(results, info)
    print()
    print(text)
    write_json(results, info, args.output)
    args.output.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    print(f"\nWrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
          f" and {args.output.with_suffix('.md').name}")


if __name__ == "__main__":
    import importlib

    sys.modules["site_tests_conftest"] = importlib.import_module("conftest")
    main()
