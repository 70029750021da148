// A started Python, saved as a memory snapshot for the site's worker to restore instead of
// starting the interpreter and importing the standard library's start-up modules on every visit.
//
//   node scripts/make-snapshot.mjs --runtime DIR --modules a,b.c,... --output FILE.gz
//
// Pyodide 0.27.7's private API: loadPyodide({_makeSnapshot: true}), imports, makeMemorySnapshot();
// a page restores it with loadPyodide({_loadSnapshot: bytes}). What may be imported first: only
// pure-Python modules (no binary extension may be loaded before the snapshot; NumPy is loaded
// after the restore). The snapshot is the interpreter's memory: it is valid only with the exact
// pyodide.asm.wasm, pyodide.asm.js and python_stdlib.zip it was made with (zipimport's index of
// the zip is in it); scripts/build_runtime.py records their sha256 beside it.
//
// The written file is gzip-compressed (20 MiB raw, about 5 MB); the worker decompresses it with
// DecompressionStream. Before writing, the snapshot is restored in a fresh interpreter, which
// loads nndl and NumPy and computes with them, so that a snapshot that does not work never ships.
// Prints one line: {"bytes": raw size, "gzip": written size, "modules": number imported}.

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

async function main() {
  const { values } = parseArgs({
    options: { runtime: { type: "string" }, modules: { type: "string" }, output: { type: "string" } },
  });
  const indexURL = path.resolve(values.runtime) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const quiet = { indexURL, stdout: () => {}, stderr: () => {} };
  const modules = values.modules.split(",").filter(Boolean);

  const maker = await loadPyodide({ ...quiet, _makeSnapshot: true });
  maker.globals.set("wanted", maker.toPy(modules));
  const imported = maker.runPython(`
import importlib, sys
for name in wanted:
    importlib.import_module(name)
binary = sorted(name for name, module in sys.modules.items()
                if (getattr(module, "__file__", None) or "").endswith(".so"))
if binary:
    raise RuntimeError("binary extensions loaded before the snapshot: " + ", ".join(binary))
del wanted, binary, name
len(sys.modules)
`);
  const snapshot = maker.makeMemorySnapshot();

  const restored = await loadPyodide({ ...quiet, _loadSnapshot: snapshot });
  await restored.loadPackage(["nndl"], { messageCallback: () => {} });
  const check = restored.runPython(`
import numpy as np, nndl
float(np.linalg.inv(np.eye(3) * 2).sum() + np.random.default_rng(0).random() * 0)
`);
  if (check !== 1.5) throw new Error(`the restored snapshot computes ${check}, not 1.5`);

  const compressed = gzipSync(snapshot, { level: 9 });
  await writeFile(values.output, compressed);
  process.stdout.write(JSON.stringify({ bytes: snapshot.length, gzip: compressed.length, modules: imported }) + "\n");
}

main().catch((error) => {
  console.error(`make-snapshot: error: ${error.message ?? error}`);
  process.exit(1);
});
