"""What every part of the benchmark (scripts/bench.py) shares: the project's paths and the
browser engines of site_tests/ (put on sys.path here: site_tests/ is not a package), the workloads
and pages, the machine measured, and a figure's repeated measurements (Series)."""

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "site_tests"))
import engines  # noqa: E402  (site_tests/engines.py: the three engines behind one interface)

WORKLOADS = ("startup", "network", "lr", "deep", "dot", "lighthouse")
#: The workloads measured in every engine asked for; the others in Chromium only.
ALL_ENGINES_WORKLOADS = ("startup", "lr")
ENGINE_LABELS = {"chromium": "Chromium", "firefox": "Firefox", "webkit": "WebKit"}
#: What "warm" (the second visit) keeps, per engine (see engines.py's PROFILE of each).
WARM = {
    "chromium": "a new tab of the same browser, whose profile folder on disk keeps the HTTP "
                "cache with the code compiled from scripts and WebAssembly",
    "firefox": "a new tab (WebDriver BiDi browsingContext.create) of the same browser, whose "
               "profile folder on disk keeps the HTTP cache",
    "webkit": "a new tab of the same WebDriver session: the same MiniBrowser process and its "
              "ephemeral (in-memory) data store, which keeps the HTTP cache for the session's "
              "life; WebKitGTK gives automation no profile on disk",
}
STARTUP_TIMEOUT = 180  # s: a cold first result in WebKit on a busy 2-core machine

TRAINING_PAGE = "lessons/13-training-on-images/"
BARE_PAGE = "bench-bare/"  # the start-up reference, added to the private copy (add_bare_page)
DOT_PAGE = "lessons/05-vectorization/"
FIRST_PAGE = "demo/"
NEXT_PAGE = "lessons/03-computation-graph/"


# ---- The machine ------------------------------------------------------------------------------


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def chromium_version():
    try:
        return subprocess.run([engines.CHROMIUM, "--version"], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def engine_versions(engine_names):
    versions = {}
    for engine in engine_names:
        if engine == "chromium":
            versions[engine] = chromium_version()
        else:
            versions[engine] = {"firefox": engines.Firefox, "webkit": engines.WebKit}[engine]().version()
    return versions


def machine():
    import numpy

    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "chromium": chromium_version(),
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


class Series:
    """Repeated measurements of one figure, each with the machine's 1-minute load at the time."""

    def __init__(self):
        self.values = []
        self.loads = []

    def add(self, value):
        self.values.append(value)
        self.loads.append(round(os.getloadavg()[0], 2))
        return value

    @property
    def median(self):
        return statistics.median(self.values) if self.values else None

    def summary(self):
        if not self.values:
            return None
        return {"median": self.median, "min": min(self.values), "max": max(self.values),
                "runs": self.values, "load_1min": self.loads}


def key(engine, figure):
    """A figure's name in the results: Chromium's under its own name (as before there were three
    engines), the others' prefixed with the engine."""
    return figure if engine == "chromium" else f"{engine}_{figure}"
