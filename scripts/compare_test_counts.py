"""Compare the engine test runs on CPython and in Pyodide; fail if they did not pass the same tests.

    python scripts/compare_test_counts.py build/test-results/cpython.xml build/test-results/pyodide.xml

Both runs write a JUnit XML report (pytest --junitxml). The browser runs the very engine the
offline suite checks, so a test skipped, deselected or missing in WebAssembly is a test the
browser never passed: the counts must be equal. When they are not, the script names the tests
that passed on one side only (ids match when both runs load the same pytest plugins).
"""

from __future__ import annotations

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


def main(cpython_report: str, pyodide_report: str) -> int:
    cpython, pyodide = passed_tests(Path(cpython_report)), passed_tests(Path(pyodide_report))
    print(f"engine tests: CPython {len(cpython)} passed, Pyodide {len(pyodide)} passed")
    if len(cpython) == len(pyodide):
        return 0
    for label, only in (("CPython", cpython - pyodide), ("Pyodide", pyodide - cpython)):
        for test in sorted(only):
            print(f"  passed on {label} only: {test}")
    print("error: the browser's engine must pass as many tests as CPython's", file=sys.stderr)
    return 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
