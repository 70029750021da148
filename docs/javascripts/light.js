// A page stays light until Python is wanted. Python's runtime is a download of many megabytes, so a
// page starts it as it loads only when that is what the reader wants:
//
// - when the browser asks to save data (Save-Data: navigator.connection.saveData, or a 2G
//   connection, navigator.connection.effectiveType "2g" or "slow-2g"), Python starts at the
//   first Run, and each Run button says what that costs in MB until then;
// - a page whose cells are all greetings (```pycell greeting, py_src/nndl_site/cells.py) waits for a
//   Run too: its boot.js is left out, and the cells do not start Python as they mount.
//
// A visit can be told to save data in any browser with ?nndl-save-data in the page's address
// (Firefox and Safari have no navigator.connection), to see and test what such a reader sees.

import RUNTIME_MANIFEST from "nndl-runtime-manifest";
import { snapshotPays } from "./features.js";

/** True when the reader's browser asks the page to save data. */
export function savingData(global = self) {
  if (new URL(global.location.href).searchParams.has("nndl-save-data")) return true;
  const connection = global.navigator?.connection;
  if (!connection) return false;
  return Boolean(connection.saveData) || /(^|-)2g$/.test(connection.effectiveType ?? "");
}

/** True when the cells (the page's .nndl-cell elements) should not start Python until a Run. */
export function waitForRun(roots) {
  return savingData() || (roots.length > 0 && roots.every((root) => root.dataset.greeting !== undefined));
}

/** The bytes a start of Python downloads, from the runtime's manifest (build/runtime/): every
 *  file but OpenBLAS, which only a browser without WebAssembly SIMD fetches, and only to train,
 *  the rest of the standard library, fetched only if code imports a module of it, and the
 *  saved start where it is not used. */
export function startBytes() {
  const unused = new Set(["pyodide.js"]); // the loader of a classic worker, instead of pyodide.mjs
  if (RUNTIME_MANIFEST.stdlib_rest) unused.add(RUNTIME_MANIFEST.stdlib_rest.file);
  if (RUNTIME_MANIFEST.snapshot && !snapshotPays()) unused.add(RUNTIME_MANIFEST.snapshot.file);
  return Object.entries(RUNTIME_MANIFEST.files)
    .filter(([name]) => !name.startsWith("openblas") && !unused.has(name))
    .reduce((sum, [, file]) => sum + file.size, 0);
}
