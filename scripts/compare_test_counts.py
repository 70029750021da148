"""Compare the engine test runs on CPython and in Pyodide; fail if they did not pass the same tests.

    python scripts/compare_test_counts.py [--host-only tests/site] \
        build/test-results/cpython.xml build/test-results/pyodide.xml

Both runs write a JUnit XML report (pytest --junitxml). The browser runs the very engine the
offline suite checks, so a test skipped, deselected or missing in WebAssembly is a test the
browser never passed: the counts must be equal. When they are not, the script names the tests
that passed on one side only (ids match when both runs load the same pytest plugins).

--host-only names a folder of tests that the Pyodide run leaves out (--ignore): the tests of the
site's build, which needs MkDocs and Node.js. They are not the engine's, and are not counted.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def passed_tests(report: Path) -> set[str]:
    """Ids (module.name) of the test cases that passed: no failure, error or skipped element."""
    passed = set()
    for case in ET.parse(report).getroot().iter("testcase"):
        if not any(case.find(outcome) is not None for outcome in ("failure", "error", "skipped")):
            passed.add(f"{case.get('classname')}::{case.get('name')}")
    return passed


def main(cpython_report: str, pyodide_report: str, host_only: list[str] = ()) -> int:
    cpython, pyodide = passed_tests(Path(cpython_report)), passed_tests(Path(pyodide_report))
    # JUnit names a test of tests/site/test_x.py "tests.site.test_x::name".
    prefixes = tuple(folder.strip("/").replace("/", ".") + "." for folder in host_only)
    left_out = {test for test in cpython if test.startswith(prefixes)} if prefixes else set()
    cpython -= left_out
    if left_out:
        print(f"host-only tests ({', '.join(host_only)}): {len(left_out)} passed on CPython, not counted")
    print(f"engine tests: CPython {len(cpython)} passed, Pyodide {len(pyodide)} passed")
    if len(cpython) == len(pyodide):
        return 0
    for label, only in (("CPython", cpython - pyodide), ("Pyodide", pyodide - cpython)):
        for test in sorted(only):
            print(f"  passed on {label} only: {test}")
    print("error: the browser's engine must pass as many tests as CPython's", file=sys.stderr)
    return 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host-only", action="append", default=[], metavar="FOLDER",
                        help="a folder of tests that runs on CPython only (not counted)")
    parser.add_argument("cpython_report")
    parser.add_argument("pyodide_report")
    args = parser.parse_args()
    sys.exit(main(args.cpython_report, args.pyodide_report, args.host_only))
