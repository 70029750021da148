// The Python worker: Pyodide, NumPy and nndl in a Web Worker, so the page never freezes.
//
// Start-up is a sequence of named stages, each its own small function (as in Pyodide's own
// loader): countDownloads → importPyodide → startPython → loadEngine → installRunner. The page
// talks to this worker only through the messages of protocol.js; runs execute one at a time, in
// the order they arrive. The Python side of running a cell lives in cell_runner.py.

import { check, message } from "./protocol.js";
import RUNNER_SOURCE from "./cell_runner.py";

const RUNNER_DIR = "/nndl-runtime";
const RUNNER_MODULE = "_nndl_cells";

let pyodide = null;
let runner = null;
let interruptBuffer = null;
let startup = null; // promise: resolves when ready, rejects when start-up failed
let work = Promise.resolve(); // runs and forgets, one after the other

const post = (type, fields) => self.postMessage(message(type, fields));

self.onmessage = ({ data }) => {
  const msg = check(data);
  if (msg.type === "init") {
    if (!startup) startup = start(msg);
    startup.catch((error) => post("failed", { message: describe(error) }));
  } else if (msg.type === "run") {
    work = work.then(() => startup).then(() => runCell(msg), () => {});
  } else if (msg.type === "forget") {
    work = work.then(() => startup).then(() => runner.forget(msg.ns), () => {});
  }
};

async function start({ runtimeURL, interruptBuffer: buffer }) {
  const t0 = performance.now();
  countDownloads();
  const loadPyodide = await importPyodide(runtimeURL);
  pyodide = await startPython(loadPyodide, runtimeURL);
  if (buffer) {
    interruptBuffer = buffer;
    pyodide.setInterruptBuffer(buffer);
  }
  await loadEngine();
  runner = installRunner();
  const versions = pyodide.runPython(
    "import sys, numpy; f'{sys.version.split()[0]} {numpy.__version__}'",
  );
  const [python, numpy] = versions.split(" ");
  post("ready", { python, numpy, seconds: (performance.now() - t0) / 1000 });
  started = true;
}

// ---- Stage 0: byte counts for every download, reported as progress --------------------------

const downloads = new Map(); // file name → { stage, loaded, total }
let stage = "download";
let detail = "Downloading Python";
let lastReport = 0;
let started = false; // after "ready", downloads (OpenBLAS, loaded on demand) are not start-up

function report(force = false) {
  if (started) return; // a progress message would put the page back into "starting"
  const now = performance.now();
  if (!force && now - lastReport < 100) return;
  lastReport = now;
  let loaded = 0;
  let total = 0;
  for (const file of downloads.values()) {
    if (file.stage !== stage) continue;
    loaded += file.loaded;
    total += file.total;
  }
  post("progress", { stage, detail, loaded, total: total >= loaded ? total : 0 });
}

function setStage(name, words) {
  stage = name;
  detail = words;
  report(true);
}

/** Wrap fetch so that each response's bytes are counted as they stream in. Pyodide fetches the
 *  interpreter, the standard library, the lock file and the wheels through it. The count reads a
 *  clone, so Pyodide still gets the browser's own response (and WebAssembly its code cache). */
function countDownloads() {
  const realFetch = self.fetch.bind(self);
  self.fetch = async (input, init) => {
    const response = await realFetch(input, init);
    if (!response.ok || !response.body) return response;
    const name = new URL(typeof input === "string" ? input : input.url, self.location.href)
      .pathname.split("/").pop();
    const file = {
      stage: name.endsWith(".whl") ? "packages" : "download",
      loaded: 0,
      total: Number(response.headers.get("content-length")) || 0,
    };
    downloads.set(name, file);
    count(response.clone().body.getReader(), file);
    return response;
  };
}

async function count(reader, file) {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      file.loaded += value.byteLength;
      report();
    }
  } catch {
    // The download failed; Pyodide reports that through its own copy of the response.
  }
  report(true);
}

// ---- Stage 1: the Pyodide loader, from the site's own runtime folder ------------------------

async function importPyodide(runtimeURL) {
  setStage("download", "Downloading Python");
  const url = new URL("pyodide.mjs", runtimeURL).href;
  try {
    const module = await import(/* webpackIgnore: true */ url);
    return module.loadPyodide;
  } catch (error) {
    throw new Error(`could not load ${url} (${error.message})`);
  }
}

// ---- Stage 2: the interpreter and its standard library (still the "download" stage) -------

async function startPython(loadPyodide, runtimeURL) {
  const py = await loadPyodide({
    indexURL: runtimeURL,
    lockFileURL: new URL("pyodide-lock.json", runtimeURL).href,
    // Until the cells' own streams are installed, Python's output goes to the console.
    stdout: (text) => console.log(text),
    stderr: (text) => console.warn(text),
  });
  return py;
}

// ---- Stage 3: NumPy and nndl, from the site's lock file --------------------------------------

async function loadEngine() {
  setStage("packages", "Loading NumPy and nndl");
  const problems = [];
  await pyodide.loadPackage(["nndl"], {
    messageCallback: () => {},
    errorCallback: (text) => problems.push(text),
  });
  if (problems.length) throw new Error(problems.join("; "));
  pyodide.pyimport("numpy");
  pyodide.pyimport("nndl");
}

// ---- Stage 4: the cells' Python side ----------------------------------------------------------

function installRunner() {
  setStage("cells", "Preparing the cells");
  pyodide.FS.mkdirTree(RUNNER_DIR);
  pyodide.FS.writeFile(`${RUNNER_DIR}/${RUNNER_MODULE}.py`, RUNNER_SOURCE);
  pyodide.runPython(`import sys; sys.path.append(${JSON.stringify(RUNNER_DIR)})`);
  const module = pyodide.pyimport(RUNNER_MODULE);
  module.setup((type, json) => self.postMessage(message(type, JSON.parse(json))), interruptBuffer);
  return module;
}

// ---- Running a cell -------------------------------------------------------------------------

async function runCell({ id, ns, cell, code }) {
  if (interruptBuffer) Atomics.store(interruptBuffer, 0, 0); // a late Stop must not hit this run
  let ending;
  try {
    const coroutine = runner.run(id, ns, cell, code);
    ending = JSON.parse(await coroutine);
  } catch (error) {
    // Something escaped the runner itself (an interrupt while it was flushing output…).
    const text = describe(error);
    ending = /KeyboardInterrupt/.test(text)
      ? { type: "interrupted", line: null }
      : { type: "error", ename: "RuntimeError", evalue: text, traceback: text, line: null };
  }
  const { type, ...fields } = ending;
  post(type, { id, ...fields });
}

function describe(error) {
  return error && error.message ? error.message : String(error);
}
