// The Python worker: Pyodide, NumPy and nndl in a Web Worker, so the page never freezes.
//
// Start-up is a sequence of named stages, each its own small function (as in Pyodide's own
// loader): watchDownloads → startDownloads → importPyodide → startPython → loadEngine →
// installKernel → installRunner. The page
// talks to this worker only through the messages of protocol.js; runs execute one at a time, in
// the order they arrive. The Python side of running a cell lives in cell_runner.py.

import { check, message } from "./protocol.js";
import RUNNER_SOURCE from "./cell_runner.py";
// build/runtime/runtime-manifest.json, bundled in (the Makefile aliases this name to it): the
// sha256 of every runtime file, written when the runtime was built and checked against the
// official lock. The worker refuses any file whose bytes differ.
import RUNTIME_MANIFEST from "nndl-runtime-manifest";
// build/wasm/gemm.wasm (gemm.wat compiled by scripts/build_gemm.mjs), bundled in as bytes: the
// matrix-product kernel of nndl.matmul, 3 KB, which comes with this script and is checked with it.
import KERNEL from "nndl-gemm-wasm";

const RUNNER_DIR = "/nndl-runtime";
const RUNNER_MODULE = "_nndl_cells";
// Where nndl.matmul looks for its matrix-product kernel in Python's file system (GEMM_PATH).
const KERNEL_PATH = "/usr/lib/nndl-gemm.wasm";

let pyodide = null;
let runner = null;
let interruptBuffer = null;
let startup = null; // promise: resolves when ready, rejects when start-up failed
let work = Promise.resolve(); // runs and forgets, one after the other
let crashed = false;

const post = (type, fields) => self.postMessage(message(type, fields));

// A fatal error of Pyodide (a crash in compiled code, memory the browser refused to give) leaves
// Python unusable. It may surface outside the run's own promise, in a callback of Python's event
// loop, so it is caught here too; the page then starts a fresh worker.
self.addEventListener("unhandledrejection", (event) => {
  if (isFatal(event.reason)) {
    event.preventDefault();
    reportCrash(event.reason);
  }
});
self.addEventListener("error", (event) => {
  if (isFatal(event.error)) {
    event.preventDefault();
    reportCrash(event.error);
  }
});

self.onmessage = ({ data }) => {
  const msg = check(data);
  if (msg.type === "init") {
    if (!startup) startup = start(msg);
    startup.catch(reportFailure);
  } else if (msg.type === "run") {
    work = work.then(() => startup).then(() => runCell(msg), () => {});
  } else if (msg.type === "forget") {
    work = work.then(() => startup).then(() => runner.forget(msg.ns), () => {});
  }
};

async function start({ runtimeURL, interruptBuffer: buffer, without }) {
  const t0 = performance.now();
  watchDownloads(runtimeURL);
  startDownloads(runtimeURL);
  const loadPyodide = await importPyodide(runtimeURL);
  pyodide = await startPython(loadPyodide, runtimeURL);
  const interpreter = Date.now();
  if (buffer) {
    interruptBuffer = buffer;
    pyodide.setInterruptBuffer(buffer);
  }
  await loadEngine();
  const numpyReady = Date.now();
  installKernel(without);
  runner = installRunner();
  await interpreterChecked;
  const versions = pyodide.runPython(
    "import sys, numpy; f'{sys.version.split()[0]} {numpy.__version__}'",
  );
  const [python, numpy] = versions.split(" ");
  const stages = { download: downloadsEnded(runtimeURL), interpreter, numpy: numpyReady, python: Date.now() };
  post("ready", { python, numpy, seconds: (performance.now() - t0) / 1000, stages });
  started = true;
}

/** When the last byte of the start-up's downloads arrived (ms since the epoch), from the
 *  worker's Resource Timing: the stages' figures of `make bench` (scripts/bench.py). */
function downloadsEnded(runtimeURL) {
  const ends = performance.getEntriesByType("resource")
    .filter((entry) => entry.name.startsWith(runtimeURL)).map((entry) => entry.responseEnd);
  return ends.length ? Math.round(performance.timeOrigin + Math.max(...ends)) : null;
}

// ---- Stage 0: byte counts for every download, reported as progress --------------------------

const downloads = new Map(); // file name → { stage, loaded, total }
let stage = "download";
let detail = "Downloading Python";
let lastReport = 0;
let started = false; // after "ready", downloads (OpenBLAS, loaded on demand) are not start-up
let failureReported = false;

function report(force = false) {
  // After "ready" or "failed", a progress message would put the page back into "starting".
  if (started || failureReported) return;
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

/** Wrap fetch so that every runtime file is checked and each response's bytes are counted as
 *  they stream in. Pyodide fetches the interpreter, the standard library, the lock file and the
 *  wheels through it.
 *  - Check: a request for a file of the runtime folder carries its sha256 as Subresource
 *    Integrity, so the browser refuses bytes that differ from the build. A refused, missing or
 *    unreachable file becomes an error naming the file, and start-up fails at once with it:
 *    Pyodide's own loader would otherwise wait forever for a WebAssembly module that never comes.
 *  - Count: the count reads a clone, so Pyodide still gets the browser's own response (and
 *    WebAssembly its code cache). */
function watchDownloads(runtimeURL) {
  const realFetch = self.fetch.bind(self);
  const checkedFetch = async (url, input, init) => {
    const name = url.pathname.split("/").pop();
    const integrity = url.href.startsWith(runtimeURL) ? INTEGRITY.get(name) : undefined;
    if (integrity && name === INTERPRETER) return fetchInterpreter(url, realFetch);
    let response;
    try {
      response = await realFetch(input, integrity ? { ...init, integrity } : init);
    } catch (error) {
      if (!integrity) throw error;
      throw runtimeFileError(name, await diagnose(url, realFetch));
    }
    if (integrity && !response.ok) throw runtimeFileError(name, missing(response.status));
    if (!response.ok || !response.body) return response;
    const file = {
      stage: name.endsWith(".whl") ? "packages" : "download",
      loaded: 0,
      total: Number(response.headers.get("content-length")) || 0,
    };
    downloads.set(name, file);
    count(response.clone().body.getReader(), file);
    return response;
  };
  self.fetch = (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), self.location.href);
    const response = early.get(url.href);
    if (!response) return checkedFetch(url, input, init);
    early.delete(url.href);
    return response;
  };
}

/** Downloads started before anyone asked for them: URL → promise of the checked response. */
const early = new Map();

/** Ask for the big runtime files at once. Pyodide's loader asks for them one after the other
 *  (the interpreter, then the standard library, then the wheels once Python runs); started here
 *  they download while the loader starts up, and its first fetch of each gets the response
 *  already on its way. */
function startDownloads(runtimeURL) {
  const wheels = [...INTEGRITY.keys()].filter((name) => /^(numpy|nndl)-.*\.whl$/.test(name));
  for (const name of ["pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json", ...wheels]) {
    const url = new URL(name, runtimeURL).href;
    const response = self.fetch(url);
    response.catch(() => {}); // a failure is reported at once by the checked fetch
    early.set(url, response);
  }
}

/** The runtime's files as Subresource Integrity values: name → "sha256-<base64>". */
const INTEGRITY = new Map(
  Object.entries(RUNTIME_MANIFEST.files).map(([name, { sha256 }]) => [
    name,
    "sha256-" + btoa(String.fromCharCode(...sha256.match(/../g).map((byte) => parseInt(byte, 16)))),
  ]),
);

/** Why a checked download failed: fetch only says "failed", so ask again without the check. */
async function diagnose(url, realFetch) {
  try {
    const response = await realFetch(url, { cache: "no-store" });
    if (!response.ok) return missing(response.status);
    return DAMAGED;
  } catch {
    return "could not be downloaded: the site cannot be reached (are you offline?)";
  }
}

const missing = (status) => `is missing from the site (the server answered ${status})`;
const DAMAGED = "is damaged: its bytes differ from the ones this site was built with (a download cut short, or an incomplete copy of the site)";

// ---- The interpreter's WebAssembly: untouched on its way, checked beside it ----------------
//
// Chromium keeps the machine code it compiled from a WebAssembly file beside the file's entry in
// the HTTP cache, so that a second visit skips compiling the 10 MB interpreter (about a second
// on this course's benchmark machine). It does so only for a response that reaches WebAssembly
// untouched: a request with Subresource Integrity is read whole and checked before it is handed
// over, and a cloned response (to count its bytes) loses its link to the cache entry; both were
// measured to cost that second, on every visit. So the interpreter is fetched plainly and handed
// to Pyodide as it is, and a second request for the same address, which the browser answers from
// the same download or from its cache, is read in parallel: its bytes drive the progress bar and
// their sha256 is compared with the manifest's. Python is not declared ready before the bytes
// check out, and a mismatch is reported at once. (The service worker, for the same reason, leaves
// requests to the browser while it is online.)

const INTERPRETER = "pyodide.asm.wasm";
let interpreterChecked = null; // promise: resolves once the interpreter's bytes are the build's

async function fetchInterpreter(url, realFetch) {
  const response = await fetchFile(url, realFetch);
  if (!response.ok) throw runtimeFileError(INTERPRETER, missing(response.status));
  interpreterChecked ??= checkInterpreter(url, realFetch);
  interpreterChecked.catch(() => {}); // reported at once by runtimeFileError; awaited in start()
  return response;
}

/** The interpreter, from the network or a cache; an error naming it when it cannot be had. */
async function fetchFile(url, realFetch) {
  try {
    return await realFetch(url.href);
  } catch {
    throw runtimeFileError(INTERPRETER, await diagnose(url, realFetch));
  }
}

async function checkInterpreter(url, realFetch) {
  const { sha256, size } = RUNTIME_MANIFEST.files[INTERPRETER];
  const file = { stage: "download", loaded: 0, total: size };
  downloads.set(INTERPRETER, file);
  if (!self.crypto?.subtle) {
    // No WebCrypto outside a secure context (a copy served over plain http): the browser checks.
    const response = await realFetch(url.href, { integrity: INTEGRITY.get(INTERPRETER) }).catch(() => null);
    if (!response?.ok || !(await response.arrayBuffer().catch(() => null))) {
      throw runtimeFileError(INTERPRETER, await diagnose(url, realFetch));
    }
    file.loaded = size;
    return;
  }
  let bytes;
  try {
    const response = await fetchFile(url, realFetch);
    count(response.clone().body.getReader(), file); // this second copy may be cloned freely
    bytes = await response.arrayBuffer();
  } catch (error) {
    if (error.runtimeFile) throw error;
    throw runtimeFileError(INTERPRETER, await diagnose(url, realFetch));
  }
  if (toHex(await crypto.subtle.digest("SHA-256", bytes)) !== sha256) {
    throw runtimeFileError(INTERPRETER, DAMAGED);
  }
}

const toHex = (digest) => [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");

/** An error about one runtime file. During start-up it is reported to the page at once. */
function runtimeFileError(name, words) {
  const error = new Error(`the file ${name} of the Python runtime ${words}`);
  error.runtimeFile = name;
  if (!started) reportFailure(error);
  return error;
}

/** Tell the page that Python could not start (once: the first reason is the telling one). */
function reportFailure(error) {
  if (failureReported) return;
  failureReported = true;
  post("failed", { message: describe(error) });
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
  // import() takes no integrity, so both scripts are first fetched through the checked fetch, in
  // parallel; each import then finds its verified bytes in the browser's cache. Importing the
  // core script here also tells loadPyodide not to load it again.
  const [loader, core] = ["pyodide.mjs", "pyodide.asm.js"].map((name) => new URL(name, runtimeURL).href);
  const verified = [loader, core].map((url) => self.fetch(url));
  verified[1].catch(() => {}); // reported when awaited below (and at once by the checked fetch)
  await verified[0];
  const module = await importScript(loader);
  await verified[1];
  await importScript(core);
  return module.loadPyodide;
}

async function importScript(url) {
  try {
    return await import(/* webpackIgnore: true */ url);
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

// ---- Stage 4: the matrix-product kernel ------------------------------------------------------

// Checked as the worker starts, while WebAssembly has nothing else to compile: WebKit validates a
// module through the same queue that compiles the 10 MB interpreter and NumPy's libraries in the
// background, and a check made after them waited 0.2–7 s there (Chromium: under 15 ms).
const KERNEL_VALID = WebAssembly.validate(KERNEL);

/** Put the kernel where nndl.matmul finds it: Python opens it with ctypes, as a shared library
 *  that works in Python's own memory. A browser without WebAssembly SIMD (Safari before 16.4)
 *  cannot compile it (or the page was asked to do without it: features.js); training then takes
 *  the slower OpenBLAS route, or NumPy's own product when OpenBLAS cannot be had. */
function installKernel(without) {
  if (without.includes("wasm-simd") || !KERNEL_VALID) {
    console.warn("nndl: this browser has no WebAssembly SIMD; matrix products take the slower route");
    return;
  }
  pyodide.FS.mkdirTree(KERNEL_PATH.slice(0, KERNEL_PATH.lastIndexOf("/")));
  pyodide.FS.writeFile(KERNEL_PATH, KERNEL);
}

// ---- Stage 5: the cells' Python side ----------------------------------------------------------

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
    if (isFatal(error)) {
      reportCrash(error);
      return; // the page restarts Python; this run ends there
    }
    // Something escaped the runner itself (an interrupt while it was flushing output…).
    const text = describe(error);
    ending = /KeyboardInterrupt/.test(text)
      ? { type: "interrupted", line: null }
      : { type: "error", ename: "RuntimeError", evalue: text, traceback: text, line: null };
  }
  const { type, ...fields } = ending;
  post(type, { id, ...fields });
}

function isFatal(error) {
  return Boolean(error && error.pyodide_fatal_error);
}

/** Tell the page (once) that Python died, and whether running out of memory is the likely cause. */
function reportCrash(error) {
  if (crashed) return;
  crashed = true;
  const text = describe(error);
  post("crashed", { message: text, outOfMemory: OUT_OF_MEMORY.test(text) });
}

// How the browser and Emscripten word a memory request they refused.
const OUT_OF_MEMORY = /out of memory|\bOOM\b|Cannot enlarge memory|Maximum memory size|Array buffer allocation failed|Memory\.grow/i;

function describe(error) {
  return error && error.message ? error.message : String(error);
}
