// Python's wheels read ahead, for the Python worker (worker.js): unpacked and compiled by the
// browser while the interpreter starts.
//
// NumPy's compiled parts are 15 WebAssembly libraries inside its wheel (7.4 MB), and the course's
// matrix-product kernel is one more. Pyodide compiles each only when Python loads it: NumPy's one
// after the other once the interpreter has started and the wheel is unpacked, the kernel when
// nndl.matmul first opens it with ctypes. Here they are compiled while the interpreter starts,
// on the browser's compiler threads, and handed to Pyodide's dynamic loader when it asks.
//   - WebKit compiles WebAssembly through one queue, behind the 10 MB interpreter: compiling
//     when asked cost it about 1 s for NumPy and 1 s for the kernel on the first cell's path.
//   - The libraries come out of the wheel's own bytes (checked by the browser against the sha256
//     of the runtime's manifest), so nothing more is downloaded. A wheel is a zip file: its central
//     directory says where each file's bytes start, and the browser inflates them itself
//     (DecompressionStream "deflate-raw"). A worker of their own (inflate-worker.js) downloads
//     the wheels and inflates them, so that the thread that starts Python does neither:
//     inflating NumPy's 10.9 MB takes 60-120 ms of a processor, and that thread is busy from the
//     moment the interpreter's bytes are in (a download it made itself would be read only when
//     Python has started).
//   - Every file of the wheels (NumPy's and nndl's Python modules too) comes out that way, and is
//     written into Python's file system when Pyodide unpacks the wheel (writerOfWheels;
//     py_src/nndl_site/wheels_ahead.py): Python's zipfile would inflate the same 10.9 MB again,
//     as WebAssembly, on the thread that starts Python.
//   - Whatever cannot be done here (a browser without "deflate-raw" or workers in workers, a
//     library that fails to compile) is left to Pyodide, which then unpacks or compiles it when
//     asked, as without this module.

const LIBRARY = /\.so$/;

/** A function that has the inflating worker (inflate-worker.js, reached through `port`) download
 *  a wheel and inflate its files, so that neither the download's end nor the inflating waits for
 *  the thread that starts Python. `read(wheelURL, integrity, onBytes)` resolves to { bytes: the
 *  wheel's ArrayBuffer, checked against `integrity` by the browser; files: a Map from each file's
 *  path inside the wheel (like "numpy/_core/_multiarray_umath.cpython-312-wasm32-emscripten.so")
 *  to its bytes; end: when its last byte arrived, in ms since the epoch }, calling onBytes(n) as
 *  n more bytes arrive. It rejects if the wheel cannot be had or read there, or if the inflating
 *  worker says nothing for SILENCE ms (it may have failed to start): the caller then fetches the
 *  wheel itself. `read.done()` tells the inflating worker that no more wheels will come;
 *  `read.fail(error)`, that it is gone. */
export function wheelReader(port) {
  const waiting = new Map(); // id → { resolve, reject, onBytes, timer }
  let next = 0;
  const watch = (id) => {
    const job = waiting.get(id);
    clearTimeout(job.timer);
    job.timer = setTimeout(() => {
      waiting.delete(id);
      job.reject(new Error("the inflating worker does not answer"));
    }, SILENCE);
  };
  port.onmessage = ({ data: { id, bytes, files, end, more, error } }) => {
    const job = waiting.get(id);
    if (!job) return; // given up on
    if (more) {
      watch(id);
      job.onBytes(more);
      return;
    }
    clearTimeout(job.timer);
    waiting.delete(id);
    if (error) job.reject(new Error(error));
    else job.resolve({ bytes, files: new Map(files.map(([name, data]) => [name, new Uint8Array(data)])), end });
  };
  let failure = null;
  const read = (wheelURL, integrity, onBytes) => new Promise((resolve, reject) => {
    if (failure) {
      reject(failure);
      return;
    }
    const id = next++;
    waiting.set(id, { resolve, reject, onBytes, timer: 0 });
    watch(id);
    port.postMessage({ id, url: wheelURL, integrity });
  });
  read.done = () => port.postMessage({ done: true });
  /** The inflating worker is gone (it could not start): every wheel, waiting or to come, is
   *  refused at once. */
  read.fail = (error) => {
    failure = error;
    for (const [id, job] of waiting) {
      clearTimeout(job.timer);
      waiting.delete(id);
      job.reject(error);
    }
  };
  return read;
}

/** How long the inflating worker may say nothing about a wheel (no bytes, no answer) before the
 *  Python worker fetches the wheel itself: far longer than a piece of a download takes on a slow
 *  connection, far shorter than a reader waits. */
const SILENCE = 15_000;

/** Every file of a zip file, inflated: [[path, ArrayBuffer], …], each file with a buffer of its
 *  own (inflate-worker.js hands them over). Throws if the zip cannot be read, or names a path
 *  outside the folder it is unpacked into (which shutil would refuse: Python deals with it). */
export async function inflateAll(buffer) {
  const bytes = new Uint8Array(buffer);
  const entries = zipEntries(bytes);
  const outside = entries.find((entry) => entry.name.startsWith("/") || entry.name.split("/").includes(".."));
  if (outside) throw new Error(`${outside.name}: a path outside the wheel's folder`);
  const inflated = await Promise.all(entries.map((entry) => entryBytes(bytes, entry)));
  return entries.map((entry, i) => {
    const data = inflated[i]; // a stored file is a view of the zip's own buffer: copied
    const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
    return [entry.name, own.buffer];
  });
}

/** Start compiling the WebAssembly libraries among a wheel's files (wheelReader). Returns a
 *  Map: the library's path inside the wheel → a promise of its WebAssembly.Module, or of null if
 *  it could not be compiled. */
export function compileLibraries(files) {
  const compiled = new Map();
  for (const [name, bytes] of files ?? []) {
    if (LIBRARY.test(name)) compiled.set(name, WebAssembly.compile(bytes).catch(() => null));
  }
  return compiled;
}

/** The function wheels_ahead.py calls as Python unpacks a wheel: `wheels` maps a wheel's file
 *  name to its inflated files (wheelReader). For the wheel whose name ends the archive's path
 *  (Pyodide unpacks a temporary copy named like "/tmp/tmpab12cd34numpy-2.0.2-….whl"), it writes
 *  the files under `folder` and returns true; for any other archive, false. */
export function writerOfWheels(pyodide, wheels) {
  const { FS } = pyodide;
  return (archive, folder) => {
    const name = [...wheels.keys()].find((wheel) => archive.endsWith(wheel));
    const files = name && wheels.get(name);
    if (!files) return false;
    wheels.delete(name); // written once; its bytes are Python's from here on
    const made = new Set();
    for (const [path, bytes] of files) {
      const target = `${folder}/${path}`.replace(/\/+$/, "");
      const parent = path.endsWith("/") ? target : target.slice(0, target.lastIndexOf("/"));
      if (!made.has(parent)) {
        FS.mkdirTree(parent);
        made.add(parent);
      }
      if (!path.endsWith("/")) FS.writeFile(target, bytes, { canOwn: true }); // no copy: Python's now
    }
    return true;
  };
}

/** Hand the modules compiled ahead to Pyodide's loader: `libraries` maps a path suffix (the
 *  library's path inside site-packages) to a promise of its WebAssembly.Module (or null). When the
 *  package loader asks for a library whose path ends so, the module is instantiated from the
 *  compiled one, with the loader's own flags, and left where Emscripten looks first
 *  (preloadedWasm); the loader then finishes as usual. */
export function handToPackageLoader(pyodide, libraries) {
  const emscripten = pyodide._module;
  const original = emscripten.loadDynamicLibrary;
  if (typeof original !== "function" || typeof emscripten.loadWebAssemblyModule !== "function") return;
  // `flags` is passed on as given: without it, Emscripten's own default applies.
  emscripten.loadDynamicLibrary = function (libName, flags, localScope, handle) {
    const suffix = [...libraries.keys()].find((path) => libName.endsWith(`/${path}`));
    const ahead = suffix && libraries.get(suffix);
    const loaded = emscripten.LDSO?.loadedLibsByName?.[libName] || emscripten.preloadedWasm[libName];
    if (!ahead || loaded || !flags?.loadAsync) return original.call(this, libName, flags, localScope, handle);
    libraries.delete(suffix);
    return ahead.then((module) => {
      if (module) instantiate(emscripten, libName, module, { ...flags, loadAsync: false }, localScope, handle);
      return original.call(this, libName, flags, localScope, handle);
    });
  };
}

/** Instantiate a module compiled ahead for a library that Python will open itself (ctypes.CDLL:
 *  Emscripten's dlopen, which looks in preloadedWasm before compiling the file at `path`). For a
 *  library of functions that imports only Python's memory, like the kernel. */
export function preloadLibrary(pyodide, path, module) {
  const emscripten = pyodide._module;
  if (!module || typeof emscripten.loadWebAssemblyModule !== "function") return;
  instantiate(emscripten, path, module, { loadAsync: false, global: false, nodelete: true }, {});
}

/** Emscripten's own instantiation of a library (its symbols resolved against Python's), left
 *  where its loader looks first. On failure the loader is left to do it all, as usual. */
function instantiate(emscripten, libName, module, flags, localScope, handle) {
  try {
    emscripten.preloadedWasm[libName] = emscripten.loadWebAssemblyModule(module, flags, libName, localScope, handle);
  } catch (error) {
    console.warn(`nndl: ${libName} compiled ahead could not be used (${error.message})`);
  }
}

// ---- Reading a zip file (APPNOTE.TXT 4.3): its central directory and one entry's bytes --------

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** The entries of a zip file: { name, method, offset (of its local header), size (compressed) }.
 *  Throws on anything unexpected (a zip64 file, a damaged directory). */
export function zipEntries(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record: 22 bytes, then a comment of up to 64 KiB.
  const first = Math.max(0, bytes.byteLength - 22 - 0xffff);
  let end = bytes.byteLength - 22;
  while (end >= first && view.getUint32(end, true) !== END_OF_DIRECTORY) end -= 1;
  if (end < first) throw new Error("not a zip file");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw new Error("a zip64 file");
  const entries = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i += 1) {
    if (view.getUint32(at, true) !== DIRECTORY_ENTRY) throw new Error("a damaged zip directory");
    const nameLength = view.getUint16(at + 28, true);
    entries.push({
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      size: view.getUint32(at + 20, true),
      offset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/** One entry's uncompressed bytes. */
export async function entryBytes(bytes, { name, method, offset, size }) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(offset, true) !== LOCAL_HEADER) throw new Error(`${name}: a damaged zip entry`);
  const start = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
  const data = bytes.subarray(start, start + size);
  if (method === STORED) return data;
  if (method !== DEFLATED) throw new Error(`${name}: compression method ${method}`);
  const inflated = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}
