// Run a pytest suite inside Pyodide under Node.js, on the runtime folder the site ships.
//
//   node scripts/pyodide-pytest.mjs --runtime build/runtime --wheels .cache/pyodide-tests \
//        [--gemm build/wasm/gemm.wasm] [--project .] [--include docs ...] \
//        [--package py_src/nndl_site ...] \
//        [--junit build/test-results/pyodide.xml] TESTS_DIR [-- PYTEST_ARGS...]
//   node scripts/pyodide-pytest.mjs --runtime build/runtime --import-only
//
// Stages, each a small function below, in the order main() runs them:
//   1. verifyRuntime    every file of the folder matches runtime-manifest.json (sha256)
//   2. startPyodide     loadPyodide from the folder, as the site's worker does
//   2b. installLazyStdlib  the rest of the standard library, found on its first import as in the
//                       site's worker (py_src/nndl_site/lazy_stdlib.py), read from the folder
//   3. loadEngine       loadPackage("nndl") (the site lock brings NumPy), then "openblas" as a
//                       page does before training; with --gemm, the matrix-product kernel put
//                       where the site's worker puts it; then import both and check which route
//                       nndl.matmul takes for float64: the kernel if given, else OpenBLAS
//   4. loadTestWheels   pytest and its pure dependencies, from the hash-checked download folder
//   5. copyProject      TESTS_DIR, pyproject.toml (pytest's settings) and the --include folders of
//                       the project (the lessons, whose cells tests/ runs) into Pyodide's file system;
//                       each --package (a pure-Python package of the project that the tests import,
//                       such as the cells' runner in nndl_site) into its site-packages, as installed
//   6. runPytest        pytest.main with sys-level capture (fd capture does not work there)
// With --import-only it stops after stage 3: the runtime build's smoke test.
// The exit code is pytest's (0 when every test passed), or 1 when a stage fails.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const PROJECT_IN_PYODIDE = "/home/pyodide/project";
const JUNIT_IN_PYODIDE = "/tmp/pytest-junit.xml";
const SKIPPED_NAMES = new Set(["__pycache__", ".pytest_cache"]);

const seconds = (start) => ((performance.now() - start) / 1000).toFixed(1);

/** Check every file listed in runtime-manifest.json, so the tests run on exactly what the build made. */
async function verifyRuntime(runtimeDir) {
  const manifest = JSON.parse(await readFile(path.join(runtimeDir, "runtime-manifest.json"), "utf8"));
  for (const [name, { sha256 }] of Object.entries(manifest.files)) {
    const actual = createHash("sha256").update(await readFile(path.join(runtimeDir, name))).digest("hex");
    if (actual !== sha256) {
      throw new Error(`${name} in ${runtimeDir} has sha256 ${actual}, the manifest says ${sha256}`);
    }
  }
  return manifest;
}

/** Load Pyodide from the runtime folder; Python's output goes straight to this process's streams. */
async function startPyodide(runtimeDir) {
  const indexURL = path.resolve(runtimeDir) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL });
  const writer = (stream) => ({ write: (bytes) => (stream.write(Buffer.from(bytes)), bytes.length) });
  pyodide.setStdout(writer(process.stdout));
  pyodide.setStderr(writer(process.stderr));
  return pyodide;
}

/** The rest of the standard library (scripts/runtime_stdlib.py), fetched as the site's worker
 *  fetches it: by lazy_stdlib.py's finder, the first time a module of it is imported (pytest
 *  imports several), here read from the runtime folder. Its file and modules are the manifest's. */
async function installLazyStdlib(pyodide, runtimeDir, manifest) {
  const rest = manifest.stdlib_rest;
  if (!rest) return;
  const dir = "/nndl-runtime"; // as in docs/javascripts/worker.js
  const source = await readFile(new URL("../py_src/nndl_site/lazy_stdlib.py", import.meta.url), "utf8");
  pyodide.FS.mkdirTree(dir);
  pyodide.FS.writeFile(`${dir}/_nndl_stdlib.py`, source);
  pyodide.runPython(`import sys; sys.path.append(${JSON.stringify(dir)})`);
  const read = () => new Uint8Array(readFileSync(path.join(runtimeDir, rest.file)));
  pyodide.pyimport("_nndl_stdlib").install(rest.modules, read, async () => read(),
    manifest.files[rest.file].sha256);
}

/** Load the engine the way a lesson page does: one loadPackage call, which brings NumPy along;
 *  then the matrix-product kernel (gemmFile, if given) as the site's worker installs it, and
 *  OpenBLAS, as a page loads it before its first cell that trains when it has no kernel (and the
 *  float32 products still use it), so that the tests run the engine's matrix products by the
 *  browser's routes (nndl.matmul) and check that they work. */
async function loadEngine(pyodide, gemmFile) {
  await pyodide.loadPackage("nndl", { messageCallback: () => {} });
  await pyodide.loadPackage("openblas", { messageCallback: () => {} });
  if (gemmFile) {
    const path = pyodide.runPython("import nndl.matmul; nndl.matmul.GEMM_PATH"); // where it looks
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    pyodide.FS.writeFile(path, await readFile(gemmFile));
  }
  pyodide.globals.set("expected_route", gemmFile ? "simd" : "openblas");
  // The engine ships its sources (for tracebacks and inspect.getsource) with bytecode compiled at
  // build time: check that this interpreter reads that bytecode instead of compiling again.
  return pyodide.runPython(`
import importlib.util, pathlib
import nndl, numpy
pyc = pathlib.Path(importlib.util.cache_from_source(nndl.__file__))
if not pyc.exists() or pyc.read_bytes()[:4] != importlib.util.MAGIC_NUMBER:
    raise RuntimeError(f"nndl's shipped bytecode {pyc.name} is missing or not for this Python")
# NumPy and the standard library ship as bytecode only (scripts/build_runtime.py,
# compile_distribution): Python names such a module after its .pyc.
import json
for module in (numpy, json):
    if not module.__file__.endswith(".pyc"):
        raise RuntimeError(f"{module.__name__} is compiled from source ({module.__file__})")
from nndl import matmul
if matmul.backend() != expected_route:
    raise RuntimeError(f"nndl.matmul takes the route {matmul.backend()}, not {expected_route}")
f"nndl {nndl.__version__} ({nndl.__file__.rsplit('/', 1)[-1]} + {pyc.name}), numpy {numpy.__version__}, matmul by {matmul.backend()}"
`);
}

/** Install the test-only wheels (pytest and its dependencies); the site never ships these. */
async function loadTestWheels(pyodide, wheelsDir) {
  const wheels = (await readdir(wheelsDir)).filter((name) => name.endsWith(".whl")).sort();
  if (!wheels.some((name) => name.startsWith("pytest-"))) {
    throw new Error(`no pytest wheel in ${wheelsDir}`);
  }
  await pyodide.loadPackage(wheels.map((name) => path.resolve(wheelsDir, name)), { messageCallback: () => {} });
  return wheels;
}

/** Copy a host folder into Pyodide's in-memory file system, leaving caches behind. */
async function copyTree(pyodide, hostDir, pyodideDir) {
  pyodide.FS.mkdirTree(pyodideDir);
  for (const entry of await readdir(hostDir, { withFileTypes: true })) {
    if (SKIPPED_NAMES.has(entry.name)) continue;
    const from = path.join(hostDir, entry.name);
    const to = `${pyodideDir}/${entry.name}`;
    if (entry.isDirectory()) await copyTree(pyodide, from, to);
    else if (entry.isFile()) pyodide.FS.writeFile(to, await readFile(from));
  }
}

/** Lay out the project as the tests expect it: pyproject.toml (pytest's settings), tests/ and the
 *  included project folders beside it. */
async function copyProject(pyodide, projectDir, testsDir, includedDirs, packageDirs) {
  pyodide.FS.mkdirTree(PROJECT_IN_PYODIDE);
  pyodide.FS.writeFile(`${PROJECT_IN_PYODIDE}/pyproject.toml`, await readFile(path.join(projectDir, "pyproject.toml")));
  await copyTree(pyodide, testsDir, `${PROJECT_IN_PYODIDE}/tests`);
  for (const name of includedDirs) {
    await copyTree(pyodide, path.join(projectDir, name), `${PROJECT_IN_PYODIDE}/${name}`);
  }
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  for (const name of packageDirs) {
    await copyTree(pyodide, path.join(projectDir, name), `${sitePackages}/${path.basename(name)}`);
  }
}

/** Run pytest on the copied tests and return its exit code. */
function runPytest(pyodide, extraArgs) {
  const args = ["tests", "-q", "--capture=sys", "-p", "no:cacheprovider", `--junitxml=${JUNIT_IN_PYODIDE}`, ...extraArgs];
  pyodide.globals.set("pytest_args", args);
  return pyodide.runPython(`
import os, sys, pytest
os.chdir("${PROJECT_IN_PYODIDE}")
sys.dont_write_bytecode = True
int(pytest.main(list(pytest_args)))
`);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runtime: { type: "string", default: "build/runtime" },
      wheels: { type: "string" },
      gemm: { type: "string" },
      project: { type: "string", default: "." },
      include: { type: "string", multiple: true, default: [] },
      package: { type: "string", multiple: true, default: [] },
      junit: { type: "string" },
      "import-only": { type: "boolean", default: false },
    },
  });
  const [testsDir, ...pytestArgs] = positionals;
  if (!values["import-only"] && (!testsDir || !values.wheels)) {
    throw new Error("give the tests folder and --wheels (the folder of pytest's wheels), or --import-only");
  }

  const manifest = await verifyRuntime(values.runtime);
  let start = performance.now();
  const pyodide = await startPyodide(values.runtime);
  await installLazyStdlib(pyodide, values.runtime, manifest);
  const ready = seconds(start);
  const versions = await loadEngine(pyodide, values.gemm);
  console.log(`pyodide ${manifest.pyodide}: ready in ${ready} s; loadPackage("nndl") + import nndl, numpy ` +
              `done at ${seconds(start)} s: ${versions}`);
  if (values["import-only"]) return 0;

  if (values.junit) await rm(values.junit, { force: true });
  const wheels = await loadTestWheels(pyodide, values.wheels);
  await copyProject(pyodide, values.project, testsDir, values.include, values.package);
  const copied = [testsDir, ...values.include, ...values.package];
  console.log(`pytest in pyodide: ${wheels.join(", ")}; ${copied.join(", ")} copied`);

  start = performance.now();
  const exitCode = runPytest(pyodide, pytestArgs);
  console.log(`pytest in pyodide: exit code ${exitCode} after ${seconds(start)} s`);
  if (values.junit && pyodide.FS.analyzePath(JUNIT_IN_PYODIDE).exists) {
    await mkdir(path.dirname(values.junit), { recursive: true });
    await writeFile(values.junit, pyodide.FS.readFile(JUNIT_IN_PYODIDE));
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`pyodide-pytest: error: ${error.message ?? error}`);
    process.exit(1);
  },
);
