// The Python worker: Pyodide, NumPy and nndl in a Web Worker, so the page never freezes. It talks
// to the page only through protocol.js; runs and calls execute one at a time, in the order they
// arrive, in cell_runner.py. Start-up is a sequence of stages, each a small function handed the
// one start-up state object (as Pyodide's own loader hands on its API object): fetchSnapshot →
// watchDownloads → startDownloads → readAhead → importPyodide → startPython →
// installLazyStdlib → loadEngine → installKernel → installRunner.

import { compileLibraries, handToPackageLoader, preloadLibrary, wheelReader, writerOfWheels } from "./compile-ahead.js";
import { count, counted, setStage } from "./download-progress.js";
import { snapshotPays } from "./features.js";
import { check, message } from "./protocol.js";
import RUNNER_SOURCE from "../../py_src/nndl_site/cell_runner.py";
import LAZY_STDLIB_SOURCE from "../../py_src/nndl_site/lazy_stdlib.py";
import WHEELS_AHEAD_SOURCE from "../../py_src/nndl_site/wheels_ahead.py";
// build/runtime/runtime-manifest.json, bundled in (the Makefile aliases this name to it): the
// sha256 of every runtime file, written when the runtime was built and checked against the
// official lock. The worker refuses any file whose bytes differ.
import RUNTIME_MANIFEST from "nndl-runtime-manifest";
// build/wasm/gemm.wasm (gemm.wat compiled by wasm/build_gemm.mjs), bundled in as bytes: the
// matrix-product kernel of nndl.matmul, 3 KB, which comes with this script and is checked with it.
import KERNEL from "nndl-gemm-wasm";
// build/js-constants.json, written from the engine by scripts/js_constants.py.
import CONSTANTS from "nndl-constants";

const RUNNER_DIR = "/nndl-runtime";
const RUNNER_MODULE = "_nndl_cells";
const LAZY_STDLIB_MODULE = "_nndl_stdlib";
const WHEELS_AHEAD_MODULE = "_nndl_wheels";
// Where nndl.matmul looks for its matrix-product kernel in Python's file system (GEMM_PATH).
const KERNEL_PATH = CONSTANTS.kernelPath;

let startup = null; // promise of the started state (see newState); rejects when start-up failed
let startupState = null; // that state, from the start
let work = Promise.resolve(); // runs, calls and forgets, one after the other
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
    if (!startup) {
      const state = newState(msg);
      startupState = state;
      startup = start(state);
      startup.catch((error) => reportFailure(state, error));
    }
  } else if (msg.type === "run") {
    work = work.then(() => startup).then((state) => runCell(state, msg), () => {});
  } else if (msg.type === "call") {
    work = work.then(() => startup).then((state) => callTarget(state, msg), () => {});
  } else if (msg.type === "no-inflater") {
    startupState?.readWheels?.fail(new Error("the inflating worker could not start"));
  } else if (msg.type === "forget") {
    work = work.then(() => startup).then((state) => state.runner.forget(msg.ns), () => {});
  }
};

/** The worker's state, made from the page's init message and passed to every stage. */
function newState({ runtimeURL, interruptBuffer, without, wheels }) {
  return {
    runtimeURL, // the folder of the runtime's files (ends with "/")
    interruptBuffer, // the page's Stop, when it is cross-origin isolated; else null
    without, // features the page was asked to do without (features.js)
    wheelPort: wheels, // a MessagePort to the inflating worker (spawn.js), or null
    readWheels: null, // the function that has it read a wheel (compile-ahead.js, wheelReader)
    t0: performance.now(),
    pyodide: null, // Pyodide's API, once Python runs
    runner: null, // the cell runner's module (cell_runner.py)
    // Progress: file name → { stage, loaded, total } of every download, and the stage reported.
    downloads: new Map(),
    stage: "download",
    detail: "Downloading Python",
    lastReport: 0,
    early: new Map(), // downloads started before anyone asked: URL → promise of the response
    inflated: new Map(), // wheel name → promise of its files inflated ahead (or null), readWheel
    wheelsEnded: null, // when the inflating worker had the wheels' last byte (ms since the epoch)
    interpreterChecked: null, // promise: resolves once the interpreter's bytes are the build's
    started: false, // after "ready", downloads (OpenBLAS, loaded on demand) are not start-up
    failureReported: false,
    onBytes: null, // called as each piece of a download arrives (startDownloads)
  };
}

async function start(state) {
  const snapshot = fetchSnapshot(state);
  watchDownloads(state);
  startDownloads(state);
  const ahead = readAhead(state);
  const loadPyodide = await importPyodide(state);
  state.pyodide = await startPython(state, loadPyodide, snapshot);
  const interpreter = Date.now();
  if (state.interruptBuffer) state.pyodide.setInterruptBuffer(state.interruptBuffer);
  handToPackageLoader(state.pyodide, await ahead.libraries);
  installLazyStdlib(state);
  await loadEngine(state, ahead.wheels);
  const numpyReady = Date.now();
  installKernel(state, await ahead.kernel);
  state.runner = installRunner(state);
  await state.interpreterChecked;
  const versions = state.pyodide.runPython(
    "import sys, numpy; f'{sys.version.split()[0]} {numpy.__version__}'",
  );
  const [python, numpy] = versions.split(" ");
  const stages = { download: downloadsEnded(state), interpreter, numpy: numpyReady, python: Date.now() };
  post("ready", { python, numpy, seconds: (performance.now() - state.t0) / 1000, stages });
  state.started = true;
  return state;
}

/** When the last byte of the start-up's downloads arrived (ms since the epoch), from the
 *  worker's Resource Timing and the inflating worker's: the stages' figures of `make bench`
 *  (scripts/bench.py). */
function downloadsEnded({ runtimeURL, wheelsEnded }) {
  const ends = performance.getEntriesByType("resource")
    .filter((entry) => entry.name.startsWith(runtimeURL))
    .map((entry) => Math.round(performance.timeOrigin + entry.responseEnd));
  if (wheelsEnded) ends.push(wheelsEnded);
  return ends.length ? Math.max(...ends) : null;
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
function watchDownloads(state) {
  const realFetch = self.fetch.bind(self);
  const checkedFetch = async (url, input, init) => {
    const name = url.pathname.split("/").pop();
    const integrity = url.href.startsWith(state.runtimeURL) ? INTEGRITY.get(name) : undefined;
    if (integrity && name === INTERPRETER) return fetchInterpreter(state, url, realFetch);
    let response;
    try {
      response = await realFetch(input, integrity ? { ...init, integrity } : init);
    } catch (error) {
      if (!integrity) throw error;
      throw runtimeFileError(state, name, await diagnose(url, realFetch));
    }
    if (integrity && !response.ok) throw runtimeFileError(state, name, missing(response.status));
    if (!response.ok || !response.body) return response;
    const file = {
      stage: name.endsWith(".whl") ? "packages" : "download",
      loaded: 0,
      total: Number(response.headers.get("content-length")) || 0,
    };
    state.downloads.set(name, file);
    count(state, response.clone().body.getReader(), file);
    return response;
  };
  state.checkedFetch = (url) => checkedFetch(new URL(url), url, {});
  self.fetch = (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), self.location.href);
    const response = state.early.get(url.href);
    if (!response) return checkedFetch(url, input, init);
    state.early.delete(url.href);
    return response;
  };
}

/** Ask for the big runtime files before Pyodide's loader does. The loader asks for them one
 *  after the other (the interpreter, then the standard library, then the wheels once Python
 *  runs); asked for here, they download while the loader starts up, and its first fetch of each
 *  gets the response already on its way.
 *  The wheels are asked for when the interpreter and the standard library are nearly in (less
 *  than one round trip's worth of bytes to come): Python needs those first, and on a slow
 *  connection the wheels would share the bandwidth with them, so that Python could start only
 *  once every byte had arrived. This way Python starts while the wheels download. */
function startDownloads(state) {
  const ask = (name, after = null) => {
    const url = new URL(name, state.runtimeURL).href;
    const response = after ? after.then(() => state.checkedFetch(url)) : self.fetch(url);
    response.catch(() => {}); // a failure is reported at once by the checked fetch
    state.early.set(url, response);
    return response;
  };
  const first = [INTERPRETER, "python_stdlib.zip"];
  let release;
  const firstNearlyIn = new Promise((resolve) => (release = resolve));
  state.onBytes = () => {
    const left = first.reduce((sum, name) =>
      sum + RUNTIME_MANIFEST.files[name].size - (state.downloads.get(name)?.loaded ?? 0), 0);
    if (left <= NEARLY_IN) {
      state.onBytes = null;
      release();
    }
  };
  // At the latest once the interpreter is checked (its bytes are counted only where they can be
  // hashed). A failed file is reported by its own fetch; the wheels are asked for anyway.
  Promise.all([...first, "pyodide-lock.json"].map((name) => ask(name)))
    .then(() => state.interpreterChecked).finally(release).catch(() => {});
  const read = state.wheelPort ? wheelReader(state.wheelPort) : null;
  state.readWheels = read;
  for (const name of INTEGRITY.keys()) {
    if (!WHEEL.test(name)) continue;
    if (read && canInflate(state)) readWheel(state, name, read, firstNearlyIn);
    else ask(name, firstNearlyIn);
  }
  if (read) firstNearlyIn.then(read.done); // after the wheels' requests, in the order made
}

const WHEEL = /^(numpy|nndl)-.*\.whl$/;

/** Have the inflating worker download the wheel `name` (once `after` resolves) and inflate its
 *  files: Pyodide's fetch of the wheel gets its checked bytes, and state.inflated its files. If
 *  that fails, the wheel is fetched here as any other file, and Pyodide unpacks it. */
function readWheel(state, name, read, after) {
  const url = new URL(name, state.runtimeURL).href;
  const file = { stage: "packages", loaded: 0, total: RUNTIME_MANIFEST.files[name].size };
  const wheel = after.then(() => {
    state.downloads.set(name, file);
    return read(url, INTEGRITY.get(name), (more) => counted(state, file, more));
  });
  state.inflated.set(name, wheel.then(({ files }) => files, () => null));
  const response = wheel.then(({ bytes, end }) => {
    state.wheelsEnded = Math.max(state.wheelsEnded ?? 0, end);
    return new Response(bytes, { headers: { "Content-Type": "application/zip" } });
  }, () => {
    state.downloads.delete(name);
    return state.checkedFetch(url);
  });
  response.catch(() => {}); // a failure is reported at once by the checked fetch
  state.early.set(url, response);
}

/** Bytes still to come when the next downloads are asked for: about what a 25 Mbit/s
 *  connection brings in one round trip of 80 ms, the time a new request takes to start. */
const NEARLY_IN = 256 * 1024;

/** Start compiling, while the interpreter starts, the WebAssembly that Python loads after it
 *  (compile-ahead.js): NumPy's libraries, from its wheel's files inflated ahead (startDownloads),
 *  and the matrix-product kernel. Returns { libraries: promise of the Map of NumPy's compiled
 *  libraries, wheels: promise of a Map wheel name → its inflated files (the wheels that could be
 *  read ahead), kernel: promise of the kernel's WebAssembly.Module or null }. */
function readAhead(state) {
  const kernel = kernelUsable(state) ? WebAssembly.compile(KERNEL).catch(() => null) : Promise.resolve(null);
  const names = [...state.inflated.keys()];
  const numpy = names.find((name) => name.startsWith("numpy-"));
  const wheels = Promise.all(names.map(async (name) => [name, await state.inflated.get(name)]));
  return {
    libraries: numpy ? state.inflated.get(numpy).then(compileLibraries) : Promise.resolve(new Map()),
    wheels: wheels.then((pairs) => new Map(pairs.filter(([, files]) => files))),
    kernel,
  };
}

/** Whether the browser decompresses (DecompressionStream), unless this visit was asked to do
 *  without it (features.js). */
const canDecompress = ({ without }) =>
  typeof DecompressionStream === "function" && !without.includes("decompression-streams");

/** Whether the wheels can be inflated ahead: DecompressionStream, in the inflating worker the
 *  page started (spawn.js). Else Pyodide unpacks them and compiles their libraries as it would
 *  alone. */
const canInflate = (state) => canDecompress(state) && Boolean(state.wheelPort);

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
// Chromium keeps the machine code compiled from a WebAssembly file beside its HTTP cache entry,
// so that a second visit skips compiling the 10 MB interpreter (about a second), but only for a
// response that reaches WebAssembly untouched: not one read whole for Subresource Integrity, nor a
// clone (both measured to cost that second on every visit). So the interpreter goes to Pyodide
// as fetched, and a second request for the same address (answered by the same download or the
// cache) is read in parallel, for the progress bar and to compare its sha256 with the manifest's.
// Python is not declared ready before the bytes check out.

const INTERPRETER = "pyodide.asm.wasm";

async function fetchInterpreter(state, url, realFetch) {
  const response = await fetchFile(state, url, realFetch);
  if (!response.ok) throw runtimeFileError(state, INTERPRETER, missing(response.status));
  state.interpreterChecked ??= checkInterpreter(state, url, realFetch);
  state.interpreterChecked.catch(() => {}); // reported at once by runtimeFileError; awaited in start()
  return response;
}

/** The interpreter, from the network or a cache; an error naming it when it cannot be had. */
async function fetchFile(state, url, realFetch) {
  try {
    return await realFetch(url.href);
  } catch {
    throw runtimeFileError(state, INTERPRETER, await diagnose(url, realFetch));
  }
}

async function checkInterpreter(state, url, realFetch) {
  const { sha256, size } = RUNTIME_MANIFEST.files[INTERPRETER];
  const file = { stage: "download", loaded: 0, total: size };
  state.downloads.set(INTERPRETER, file);
  if (!self.crypto?.subtle) {
    // No WebCrypto outside a secure context (a copy served over plain http): the browser checks.
    const response = await realFetch(url.href, { integrity: INTEGRITY.get(INTERPRETER) }).catch(() => null);
    if (!response?.ok || !(await response.arrayBuffer().catch(() => null))) {
      throw runtimeFileError(state, INTERPRETER, await diagnose(url, realFetch));
    }
    file.loaded = size;
    return;
  }
  let bytes;
  try {
    const response = await fetchFile(state, url, realFetch);
    count(state, response.clone().body.getReader(), file); // this second copy may be cloned freely
    bytes = await response.arrayBuffer();
  } catch (error) {
    if (error.runtimeFile) throw error;
    throw runtimeFileError(state, INTERPRETER, await diagnose(url, realFetch));
  }
  if (toHex(await crypto.subtle.digest("SHA-256", bytes)) !== sha256) {
    throw runtimeFileError(state, INTERPRETER, DAMAGED);
  }
}

const toHex = (digest) => [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");

/** An error about one runtime file. During start-up it is reported to the page at once. */
function runtimeFileError(state, name, words) {
  const error = new Error(`the file ${name} of the Python runtime ${words}`);
  error.runtimeFile = name;
  if (!state.started) reportFailure(state, error);
  return error;
}

/** Tell the page that Python could not start (once: the first reason is the telling one). */
function reportFailure(state, error) {
  if (state.failureReported) return;
  state.failureReported = true;
  post("failed", { message: describe(error) });
}

// ---- Stage 1: the Pyodide loader, from the site's own runtime folder ------------------------

async function importPyodide(state) {
  setStage(state, "download", "Downloading Python");
  // Neither import() nor importScripts() takes an integrity, so both scripts are first fetched
  // through the checked fetch, in parallel; each import then finds its verified bytes in the
  // browser's cache. Importing the core script here also tells loadPyodide not to load it again.
  // A classic worker (a browser without module workers, see spawn.js) loads Pyodide's script
  // build, pyodide.js, with importScripts; a module worker imports pyodide.mjs.
  // The Makefile bundles this worker twice and defines NNDL_CLASSIC_WORKER in each build (a
  // module worker has importScripts too: Chromium's throws, Firefox's imports, so it tells nothing).
  const classic = NNDL_CLASSIC_WORKER;
  const names = [classic ? "pyodide.js" : "pyodide.mjs", "pyodide.asm.js"];
  const [loader, core] = names.map((name) => new URL(name, state.runtimeURL).href);
  const verified = [loader, core].map((url) => self.fetch(url));
  verified[1].catch(() => {}); // reported when awaited below (and at once by the checked fetch)
  await verified[0];
  const module = await importScript(loader, classic);
  await verified[1];
  await importScript(core, classic);
  return classic ? self.loadPyodide : module.loadPyodide;
}

async function importScript(url, classic) {
  try {
    if (classic) return self.importScripts(url);
    return await import(/* webpackIgnore: true */ url);
  } catch (error) {
    throw new Error(`could not load ${url} (${error.message})`);
  }
}

// ---- Stage 2: the interpreter and its standard library (still the "download" stage) -------

async function startPython(state, loadPyodide, snapshot) {
  const options = {
    indexURL: state.runtimeURL,
    lockFileURL: new URL("pyodide-lock.json", state.runtimeURL).href,
    // Until the cells' own streams are installed, Python's output goes to the console.
    stdout: (text) => console.log(text),
    stderr: (text) => console.warn(text),
  };
  const saved = await snapshot;
  if (saved) {
    try {
      const py = await loadPyodide({ ...options, _loadSnapshot: saved });
      py.runPython(RESEED);
      return py;
    } catch (error) {
      console.warn(`nndl: the saved Python could not be restored (${describe(error)}); starting it afresh`);
    }
  }
  return loadPyodide(options);
}

// ---- The saved start (a snapshot of Python's memory, made when the site was built) -----------
//
// The runtime build (scripts/make-snapshot.mjs) starts Python in Node.js, imports the modules a
// page needs before its first result, and saves the interpreter's memory (Pyodide's private
// _makeSnapshot API). Restoring it skips starting Python and those imports; NumPy is loaded
// after it, as before. It is the memory of one exact interpreter, standard library and glue
// code: the manifest names their sha256, and it is used only if they are the files this worker
// checks every download against. Whatever goes wrong (an older browser without
// DecompressionStream, a damaged or missing file, a failed restore), Python starts as without it.
// Only WebKit uses it, where it pays (features.js, snapshotPays).

const SNAPSHOT = RUNTIME_MANIFEST.snapshot;
const plainFetch = self.fetch.bind(self); // not the checked fetch: a bad snapshot is not fatal

/** The snapshot's bytes, decompressed, or null to start Python without it. */
async function fetchSnapshot(state) {
  if (!SNAPSHOT || !snapshotPays() || !canDecompress(state)) return null;
  const madeFor = Object.entries(SNAPSHOT.made_with);
  if (!madeFor.every(([name, sha256]) => RUNTIME_MANIFEST.files[name]?.sha256 === sha256)) return null;
  const file = { stage: "download", loaded: 0, total: RUNTIME_MANIFEST.files[SNAPSHOT.file].size };
  try {
    const url = new URL(SNAPSHOT.file, state.runtimeURL).href;
    const response = await plainFetch(url, { integrity: INTEGRITY.get(SNAPSHOT.file) });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    state.downloads.set(SNAPSHOT.file, file);
    count(state, response.clone().body.getReader(), file);
    const memory = response.body.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(memory).arrayBuffer());
  } catch (error) {
    state.downloads.delete(SNAPSHOT.file);
    console.warn(`nndl: the saved Python could not be downloaded (${describe(error)}); starting it afresh`);
    return null;
  }
}

/** Run in every restored Python: the snapshot holds the state of `random` as it was seeded when
 *  the site was built, so every visit would draw the same numbers. Reseed it from the browser's
 *  own randomness (os.urandom), as a fresh start does. */
const RESEED = `
import sys
if "random" in sys.modules:
    sys.modules["random"].seed()
`;

// ---- The rest of the standard library, fetched when first imported --------------------------
//
// Python starts with the part of its standard library that the lessons import; the runtime's
// manifest names the file that holds the rest and the modules in it (scripts/runtime_stdlib.py).
// lazy_stdlib.py fetches it when code first imports one of those modules: through the checked
// fetch before a cell whose imports name one, or synchronously (this worker may block: Python
// waits for its import) when an import shows only as the code runs. It checks the sha256 itself.

function installLazyStdlib(state) {
  const rest = RUNTIME_MANIFEST.stdlib_rest;
  if (!rest) return;
  const { pyodide } = state;
  const url = new URL(rest.file, state.runtimeURL).href;
  writeModule(pyodide, LAZY_STDLIB_MODULE, LAZY_STDLIB_SOURCE);
  const fetchAsync = async () => new Uint8Array(await (await self.fetch(url)).arrayBuffer());
  pyodide.pyimport(LAZY_STDLIB_MODULE).install(rest.modules, () => fetchSync(url), fetchAsync,
    RUNTIME_MANIFEST.files[rest.file].sha256);
}

/** A file's bytes, synchronously: a worker may wait for a download. */
function fetchSync(url) {
  const request = new XMLHttpRequest();
  request.open("GET", url, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status !== 200) throw new Error(`the server answered ${request.status}`);
  return new Uint8Array(request.response);
}

// ---- Stage 3: NumPy and nndl, from the site's lock file --------------------------------------

async function loadEngine(state, wheels) {
  const { pyodide } = state;
  setStage(state, "packages", "Loading NumPy and nndl");
  const problems = [];
  const restore = unpackAhead(pyodide, await wheels);
  try {
    await whileFilesDouble(pyodide, () => pyodide.loadPackage(["nndl"], {
      messageCallback: () => {},
      errorCallback: (text) => problems.push(text),
    }));
  } finally {
    restore();
  }
  if (problems.length) throw new Error(problems.join("; "));
  pyodide.pyimport("numpy");
  pyodide.pyimport("nndl");
}

/** While Pyodide installs the wheels, it writes the files inflated ahead (`wheels`: wheel name →
 *  files) instead of unpacking those wheels with Python's zipfile (wheels_ahead.py). Returns the
 *  function that puts Python's own unpacking back. */
function unpackAhead(pyodide, wheels) {
  if (!wheels.size) return () => {};
  writeModule(pyodide, WHEELS_AHEAD_MODULE, WHEELS_AHEAD_SOURCE);
  const module = pyodide.pyimport(WHEELS_AHEAD_MODULE);
  const restore = module.install(writerOfWheels(pyodide, wheels));
  module.destroy();
  return () => {
    restore();
    restore.destroy();
  };
}

/** Run `work` (a promise-returning function) with the files of Python's in-memory file system
 *  growing their storage by doubling.
 *  Where the browser cannot inflate a wheel ahead (readAhead), Pyodide unpacks it with Python's
 *  zipfile, which writes each file 64 KiB at a time, and
 *  Emscripten's file system grows a file that holds 1 MiB or more by an eighth at a time, copying
 *  it into new memory each time: NumPy's largest library (2.6 MB) was copied 12 times, and these
 *  copies were about 0.1 s of a second visit's start in Chromium. Doubling copies it 6 times, and
 *  holds at most twice a file's size in memory. Afterwards Emscripten's own growth applies again,
 *  to the reader's own files. */
async function whileFilesDouble(pyodide, work) {
  const memfs = pyodide.FS?.filesystems?.MEMFS;
  const grow = memfs?.expandFileStorage;
  if (typeof grow !== "function") return work();
  memfs.expandFileStorage = (node, wanted) => {
    const held = node.contents?.length ?? 0;
    return grow.call(memfs, node, wanted > held ? Math.max(wanted, 2 * held) : wanted);
  };
  try {
    return await work();
  } finally {
    memfs.expandFileStorage = grow;
  }
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
function installKernel(state, compiled) {
  const { pyodide } = state;
  if (!kernelUsable(state)) {
    console.warn("nndl: this browser has no WebAssembly SIMD; matrix products take the slower route");
    return;
  }
  pyodide.FS.mkdirTree(KERNEL_PATH.slice(0, KERNEL_PATH.lastIndexOf("/")));
  pyodide.FS.writeFile(KERNEL_PATH, KERNEL);
  preloadLibrary(pyodide, KERNEL_PATH, compiled); // ctypes then finds it compiled (compile-ahead.js)
}

const kernelUsable = ({ without }) => !without.includes("wasm-simd") && KERNEL_VALID;

// ---- Stage 5: the cells' Python side ----------------------------------------------------------

function installRunner(state) {
  const { pyodide } = state;
  setStage(state, "cells", "Preparing the cells");
  writeModule(pyodide, RUNNER_MODULE, RUNNER_SOURCE);
  const module = pyodide.pyimport(RUNNER_MODULE);
  module.setup((type, json) => self.postMessage(message(type, JSON.parse(json))), state.interruptBuffer);
  return module;
}

/** Write the Python module `name` (its source text) into RUNNER_DIR, on Python's path. */
function writeModule(pyodide, name, source) {
  pyodide.FS.mkdirTree(RUNNER_DIR);
  pyodide.FS.writeFile(`${RUNNER_DIR}/${name}.py`, source);
  pyodide.runPython(`
import sys
if ${JSON.stringify(RUNNER_DIR)} not in sys.path:
    sys.path.append(${JSON.stringify(RUNNER_DIR)})`);
}

// ---- Running a cell, calling the engine ----------------------------------------------------

function runCell(state, { id, ns, cell, code }) {
  return settle(state, id, () => state.runner.run(id, ns, cell, code), (text) =>
    ({ type: "error", ename: "RuntimeError", evalue: text, traceback: text, line: null }));
}

function callTarget(state, { id, target, args }) {
  return settle(state, id, () => state.runner.call(id, target, JSON.stringify(args)), (text) =>
    ({ type: "reply", error: { message: text } }));
}

/** Await the runner's ending of job `id` (JSON text) and post it. escaped(text): the ending when
 *  an error escaped the runner itself (an interrupt while it was flushing output…). */
async function settle({ interruptBuffer }, id, start, escaped) {
  if (interruptBuffer) Atomics.store(interruptBuffer, 0, 0); // a late Stop must not hit this job
  let ending;
  try {
    ending = JSON.parse(await start());
  } catch (error) {
    if (isFatal(error)) {
      reportCrash(error);
      return; // the page restarts Python; this job ends there
    }
    const text = describe(error);
    ending = /KeyboardInterrupt/.test(text) ? { type: "interrupted", line: null } : escaped(text);
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
