// The Python modules a lesson page imports before its first result, as JSON on stdout: the
// runtime folder is loaded in Node.js as the site's Python worker loads it (Pyodide, then
// loadPackage("nndl"), which brings NumPy), the cells' runner is imported and one cell is run.
// scripts/build_runtime.py compiles exactly these modules to bytecode, so that the browser does
// not compile them from source on every visit.
//
//   node scripts/startup-modules.mjs --runtime DIR --runner docs/javascripts/cell_runner.py
//
// Output: {"files": [absolute paths in Pyodide's file system of the modules' sources]}

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const RUNNER_DIR = "/nndl-runtime"; // as in docs/javascripts/worker.js
const RUNNER_MODULE = "_nndl_cells";

async function main() {
  const { values } = parseArgs({ options: { runtime: { type: "string" }, runner: { type: "string" } } });
  const indexURL = path.resolve(values.runtime) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
  await pyodide.loadPackage(["nndl"], { messageCallback: () => {} });
  pyodide.FS.mkdirTree(RUNNER_DIR);
  pyodide.FS.writeFile(`${RUNNER_DIR}/${RUNNER_MODULE}.py`, await readFile(values.runner, "utf8"));
  const files = await pyodide.runPythonAsync(`
import json, sys
sys.path.append(${JSON.stringify(RUNNER_DIR)})
import numpy, nndl, ${RUNNER_MODULE} as runner
runner.setup(lambda type, text: None)
await runner.run(1, "page", 1, "import numpy as np\\nprint(np.arange(3).sum())")
json.dumps(sorted({m.__file__ for m in list(sys.modules.values())
                   if (getattr(m, "__file__", None) or "").endswith(".py")}))
`);
  process.stdout.write(JSON.stringify({ files: JSON.parse(files) }) + "\n");
}

main().catch((error) => {
  console.error(`startup-modules: error: ${error.message ?? error}`);
  process.exit(1);
});
