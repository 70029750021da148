"""Site build: the service worker that keeps the course working with no network (site/sw.js).

- manifest(site, site_url) lists every file of the built site a reader could need offline, with
  its size and sha256: the pages, their assets, the search index, the sitemap, the notebooks and
  the Python runtime (site/pyodide/). Left out: source maps (for developers' tools only), the
  gzipped sitemap (for search engines), the runtime's own manifest (build records), the
  search's language packs (assets/javascripts/lunr/) when the search is in English
  only: Material loads them for other languages, and the runtime's packages that no page needs
  to start Python (OpenBLAS: the cells load it only in a browser without WebAssembly SIMD, and
  fall back to NumPy's own product when it cannot be had, as offline). The rest of the standard
  library (the modules no lesson imports, fetched when a reader's code first imports one) is
  kept, so that such code works offline too.
  The version is a digest of every path and hash, so it changes whenever any file does.
- Two groups of files are named in it: "shell", the few files any visit caches besides the pages
  themselves (the page shown when an unsaved page is asked for offline, the search index that
  Material's search worker fetches on every page, the sitemap that instant navigation reads, the
  favicon), and
  "runtime", what the Python worker loads before the first cell runs (its script, Pyodide's
  core, the site lock, the saved start that the runtime's manifest names if any, and the wheels
  that `nndl` depends on, read from that lock): with the rest of the standard library, the only
  files of the runtime folder in the manifest.
- The sitemap names the site's own address, which the host may write differently (a test server
  standing in for the published address does): its hash is taken with site_url replaced by
  "{root}", and the service worker replaces its own root the same way before comparing.
- write_worker(site, site_url) writes site/sw.js: docs/javascripts/sw.js with the manifest in it.
  A service worker must sit at the site's root to control every page (GitHub Pages cannot send
  a Service-Worker-Allowed header), and browsers install a new one only when its bytes change:
  with the manifest inside, every deployment that changes any file ships a new worker.
- on_post_build calls it, after nndl_site/cells.py has copied the runtime into site/pyodide/
  (nndl_site.plugin calls this module after that one).
"""

import hashlib
import json
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "docs" / "javascripts" / "sw.js"
WORKER = "sw.js"
PLACEHOLDER = "/* manifest */ null"
OFFLINE_PAGE = "offline/index.html"
SITEMAP = "sitemap.xml"
FAVICON = "assets/images/favicon.png"  # asked for by the browser itself, never by the page
RUNTIME = "pyodide/"
RUNTIME_CORE = ("pyodide.mjs", "pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
PYTHON_WORKERS = ["assets/nndl/worker.js", "assets/nndl/worker-classic.js", "assets/nndl/inflate-worker.js"]
ENGINE = "nndl"
LEFT_OUT_SUFFIXES = (".map",)
LEFT_OUT_FILES = {WORKER, "sitemap.xml.gz"}
SEARCH_INDEX = "search/search_index.json"
LANGUAGE_PACKS = "assets/javascripts/lunr/"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def sitemap_bytes(data, site_url):
    """The sitemap as hashed: its own address replaced by "{root}" (see the module's notes)."""
    return data.replace(site_url.encode("utf-8"), b"{root}") if site_url else data


def english_only(site):
    index = Path(site) / SEARCH_INDEX
    if not index.is_file():
        return True
    return json.loads(index.read_text(encoding="utf-8"))["config"]["lang"] == ["en"]


def wanted(path, english):
    if english and path.startswith(LANGUAGE_PACKS):
        return False
    return path not in LEFT_OUT_FILES and not path.endswith(LEFT_OUT_SUFFIXES)


def engine_wheels(site):
    """The wheels of `nndl` and of everything it depends on, from the site's lock file."""
    lock = json.loads((site / RUNTIME / "pyodide-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    names, todo = set(), [ENGINE]
    while todo:
        name = todo.pop()
        if name not in names and name in packages:
            names.add(name)
            todo.extend(packages[name].get("depends", []))
    return sorted(RUNTIME + packages[name]["file_name"] for name in names)


def runtime_manifest(site):
    """The runtime's own manifest (build/runtime/runtime-manifest.json, copied with it), or {}."""
    path = site / RUNTIME / "runtime-manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def snapshot_file(site):
    """The runtime's saved start (a snapshot of Python's memory), if the runtime has one: its
    manifest names it. The worker restores it before the first cell runs."""
    snapshot = runtime_manifest(site).get("snapshot")
    return [RUNTIME + snapshot["file"]] if snapshot else []


def stdlib_rest_file(site):
    """The rest of the standard library, if the runtime has one: the modules no lesson imports,
    fetched when a reader's code first imports one (py_src/nndl_site/lazy_stdlib.py). Not part
    of the runtime a visit keeps, but of the whole course saved for offline use."""
    rest = runtime_manifest(site).get("stdlib_rest")
    return [RUNTIME + rest["file"]] if rest else []


def manifest(site, site_url=""):
    """{"version", "files": {path: {"size", "sha256"}}, "shell": [path], "runtime": [path]} of the
    built site in the folder `site`; paths are relative to the site root, with "/"."""
    site = Path(site)
    files = {}
    english = english_only(site)
    runtime = (PYTHON_WORKERS + [RUNTIME + name for name in RUNTIME_CORE] + snapshot_file(site)
               + engine_wheels(site))
    kept_from_runtime = set(runtime) | set(stdlib_rest_file(site))
    for file in sorted(site.rglob("*")):
        path = file.relative_to(site).as_posix()
        if not file.is_file() or not wanted(path, english):
            continue
        if path.startswith(RUNTIME) and path not in kept_from_runtime:
            continue
        data = file.read_bytes()
        if path == SITEMAP:
            data = sitemap_bytes(data, site_url)
        files[path] = {"size": file.stat().st_size, "sha256": sha256(data)}
    shell = [OFFLINE_PAGE, SEARCH_INDEX, SITEMAP] + [path for path in (FAVICON,) if path in files]
    for path in shell + runtime:
        if path not in files:
            raise FileNotFoundError(f"{path} is not in the built site, so it cannot work offline")
    listing = "\n".join(f"{path} {entry['sha256']}" for path, entry in files.items())
    version = sha256(listing.encode("utf-8"))[:16]
    return {"version": version, "files": files, "shell": shell, "runtime": runtime}


def write_worker(site, site_url=""):
    """Write site/sw.js for the built site in `site`; returns its manifest."""
    data = manifest(site, site_url)
    source = SOURCE.read_text(encoding="utf-8")
    if source.count(PLACEHOLDER) != 1:
        raise ValueError(f"{SOURCE} must contain {PLACEHOLDER!r} exactly once")
    text = source.replace(PLACEHOLDER, json.dumps(data, separators=(",", ":")))
    (Path(site) / WORKER).write_text(text, encoding="utf-8")
    return data


def on_post_build(config):
    write_worker(config.site_dir, config.site_url or "")
