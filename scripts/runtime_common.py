"""What every stage of the runtime's build (scripts/build_runtime.py) shares: the project's
paths, the Pyodide core's files, the engine's name, the build's error and its small helpers
(progress lines, sha256, commands, unpacking and packing a wheel again)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"

#: Files of the npm package that the browser loads: the ES module, the Emscripten glue, the
#: interpreter and the standard library.
CORE_FILES = ("pyodide.mjs", "pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")

#: The package the site loads; everything it depends on in the official lock ships with it.
ENGINE = "nndl"


class BuildError(Exception):
    """A stage could not produce what the runtime needs; the message says what and why."""


def log(message: str) -> None:
    """One line of progress, prefixed like make's other output."""
    print(f"runtime: {message}", flush=True)


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, the form pyodide-lock.json uses."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def last_line(error: Exception) -> str:
    """The most telling line of an error: its last one, or its type when it says nothing."""
    lines = str(error).strip().splitlines()
    return lines[-1] if lines else type(error).__name__


def run(*command: str | Path) -> None:
    """Run a command, failing the build with its output if it fails."""
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(
            f"command failed ({done.returncode}): {' '.join(map(str, command))}\n"
            f"{done.stdout}{done.stderr}"
        )


def venv_tool(name: str) -> Path:
    """A console script installed next to this interpreter (the project's virtual environment)."""
    return Path(sys.executable).parent / name


def repack(wheel: Path, destination: Path, workdir: Path, change) -> Path:
    """Unpack the wheel, let change(root folder) add to it, and pack it again into destination
    under the same name (wheel pack writes its RECORD anew); returns the new wheel's path."""
    unpacked = workdir / f"{wheel.stem}-unpacked"
    run(sys.executable, "-m", "wheel", "unpack", "--dest", unpacked, wheel)
    (root,) = unpacked.iterdir()
    change(root)
    packed = destination / wheel.name
    packed.unlink(missing_ok=True)
    run(sys.executable, "-m", "wheel", "pack", "--dest-dir", destination, root)
    if not packed.exists():
        raise BuildError(f"wheel pack did not give back {wheel.name}")
    return packed
