"""A started Python, saved (stage 9 of scripts/build_runtime.py): snapshot.bin.gz, which the
site's worker restores instead of starting the interpreter and importing the start-up modules."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from runtime_common import ROOT, BuildError, log, sha256_of

# --- 9. A started Python, saved ----------------------------------------------------------------

SNAPSHOT = "snapshot.bin.gz"
#: The files a snapshot is valid with: the interpreter it is the memory of, its glue code, and the
#: standard library whose zip index it holds. The manifest records their sha256 with it.
SNAPSHOT_MADE_WITH = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")


def make_snapshot(staging: Path, stdlib_modules: list[str], origins: dict[str, str]) -> dict:
    """Save a started interpreter, with the standard library's start-up modules imported, as
    snapshot.bin.gz (scripts/make-snapshot.mjs: Pyodide's private _makeSnapshot API, in Node.js).
    The worker restores it instead of starting Python and importing them; NumPy's binary
    extensions cannot be in a snapshot and are loaded after the restore. Returns what the
    manifest records with it: the sha256 of the files it was made with."""
    done = subprocess.run(
        ["node", str(ROOT / "scripts" / "make-snapshot.mjs"), "--runtime", str(staging),
         "--modules", ",".join(stdlib_modules), "--output", str(staging / SNAPSHOT)],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise BuildError(f"could not make the start-up snapshot:\n{done.stdout}{done.stderr}")
    made = json.loads(done.stdout)
    origins[SNAPSHOT] = (f"scripts/make-snapshot.mjs: Python started, {made['modules']} modules "
                         f"imported, {made['bytes']} bytes of memory, gzip-compressed")
    log(f"{SNAPSHOT}: {made['bytes'] / 2**20:.0f} MiB of memory, {made['gzip'] / 1e6:.1f} MB compressed, "
        f"{made['modules']} modules imported")
    return {"file": SNAPSHOT, "made_with": {name: sha256_of(staging / name) for name in SNAPSHOT_MADE_WITH}}
