"""The runtime's manifest (stage 10 of scripts/build_runtime.py): runtime-manifest.json, the
sha256, size and origin of every shipped file, against which the site's worker checks them."""

from __future__ import annotations

import json
from pathlib import Path

from runtime_common import BuildError, log, sha256_of

# --- 10. Manifest --------------------------------------------------------------------------------


def write_manifest(version: str, staging: Path, origins: dict[str, str], snapshot: dict | None,
                   stdlib_rest: dict) -> None:
    """Write runtime-manifest.json: sha256, size and origin of every other file in the folder,
    the snapshot's file with the sha256 of the files it was made with, and the standard library's
    rest: its file and the modules it holds.

    The worker refuses any runtime file whose bytes differ from these, restores the snapshot
    only if the files it was made with are the ones it checks, and fetches the rest of the
    standard library when a reader's code imports one of its modules.
    """
    strays = {path.name for path in staging.iterdir()} - set(origins)
    if strays:
        raise BuildError(f"unexpected files in the runtime: {', '.join(sorted(strays))}")
    files = {
        name: {"sha256": sha256_of(staging / name), "size": (staging / name).stat().st_size, "origin": origin}
        for name, origin in sorted(origins.items())
    }
    manifest = {"pyodide": version, "files": files, "snapshot": snapshot, "stdlib_rest": stdlib_rest}
    (staging / "runtime-manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    total = sum(f["size"] for f in files.values())
    log(f"{len(files)} files, {total / 1e6:.1f} MB")
