// The Python modules a lesson page imports before its first result, and whether each was read
// from bytecode or compiled from source, as JSON on stdout: the runtime folder is loaded in
// Node.js as the site's Python worker loads it (Pyodide, then loadPackage("nndl"), which brings
// NumPy), the cells' runner is imported and one cell is run. scripts/build_runtime.py ships a
// fully compiled distribution and checks with this that start-up compiles nothing from source.
//
//   node scripts/startup-modules.mjs --runtime DIR --runner py_src/nndl_site/cell_runner.py [--also a,b]
//
// Output: {"modules": {name: "bytecode" | "source" | "built-in"}, "stdlib": [name],
// "lessons_stdlib": [name]}: built-in means compiled into the interpreter or frozen in it;
// "stdlib" names the modules read from the standard library's zip (pure Python), which a
// start-up snapshot may hold; "lessons_stdlib" names the files of that zip read once every
// module of nndl and the modules named by --also (comma-separated) are imported too: the part of
// the standard library that the runtime ships with Python's start (scripts/runtime_stdlib.py). A module counts as compiled
// from source if Python's source loaders compiled it once the interpreter was up, or if it was
// imported while the interpreter started from a file whose name ends in .py (zipimport names a
// module after the file it read: .pyc when it read bytecode).

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const RUNNER_DIR = "/nndl-runtime"; // as in docs/javascripts/worker.js
const RUNNER_MODULE = "_nndl_cells";

async function main() {
  const { values } = parseArgs({
    options: { runtime: { type: "string" }, runner: { type: "string" }, also: { type: "string", default: "" } },
  });
  const indexURL = path.resolve(values.runtime) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
  pyodide.runPython(`
import sys, zipimport, importlib._bootstrap_external as external
_at_boot = set(sys.modules)
_compiled_from_source = set()
def _recording(compile_source, path_of):
    def wrapper(*args, **kwargs):
        _compiled_from_source.add(path_of(args))
        return compile_source(*args, **kwargs)
    return wrapper
external.SourceLoader.source_to_code = _recording(external.SourceLoader.source_to_code, lambda a: a[2])
zipimport._compile_source = _recording(zipimport._compile_source, lambda a: a[0])
`);
  await pyodide.loadPackage(["nndl"], { messageCallback: () => {} });
  pyodide.FS.mkdirTree(RUNNER_DIR);
  pyodide.FS.writeFile(`${RUNNER_DIR}/${RUNNER_MODULE}.py`, await readFile(values.runner, "utf8"));
  const files = await pyodide.runPythonAsync(`
import json, sys
sys.path.append(${JSON.stringify(RUNNER_DIR)})
import numpy, nndl, ${RUNNER_MODULE} as runner
runner.setup(lambda type, text: None)
await runner.run(1, "page", 1, "import numpy as np\\nprint(np.arange(3).sum())")
def _origin(name, module):
    file = getattr(module, "__file__", None) or ""
    if not file or getattr(getattr(module, "__spec__", None), "origin", None) == "frozen":
        return "built-in"
    if file in _compiled_from_source or (name in _at_boot and file.endswith(".py")):
        return "source"
    return "bytecode"
def _from_stdlib():
    return [name for name, module in sorted(sys.modules.items())
            if (getattr(module, "__file__", None) or "").startswith("/lib/python312.zip/")]
found = {
    "modules": {name: _origin(name, module) for name, module in sorted(sys.modules.items())},
    "stdlib": _from_stdlib(),
}
import importlib, pkgutil
for _name in [info.name for info in pkgutil.walk_packages(nndl.__path__, "nndl.")] + ${JSON.stringify(values.also)}.split(","):
    if _name:
        importlib.import_module(_name)
found["lessons_stdlib"] = sorted({sys.modules[name].__file__.removeprefix("/lib/python312.zip/")
                                  for name in _from_stdlib()})
json.dumps(found)
`);
  process.stdout.write(files + "\n");
}

main().catch((error) => {
  console.error(`startup-modules: error: ${error.message ?? error}`);
  process.exit(1);
});
