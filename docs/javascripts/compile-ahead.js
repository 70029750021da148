// Python's native libraries compiled ahead, for the Python worker (worker.js).
//
// NumPy's compiled parts are 15 WebAssembly libraries inside its wheel (7.4 MB), and the course's
// matrix-product kernel is one more. Pyodide compiles each only when Python loads it: NumPy's one
// after the other once the interpreter has started and the wheel is unpacked, the kernel when
// nndl.matmul first opens it with ctypes. Here they are compiled while the interpreter starts,
// on the browser's compiler threads, and handed to Pyodide's dynamic loader when it asks.
//   - WebKit compiles WebAssembly through one queue, behind the 10 MB interpreter: compiling
//     when asked cost it about 1 s for NumPy and 1 s for the kernel on the first cell's path.
//   - The libraries come out of the wheel's own bytes (the response the worker checked against
//     the runtime's manifest), so nothing more is downloaded. A wheel is a zip file: its central
//     directory says where each file's bytes start, and the browser inflates them itself
//     (DecompressionStream "deflate-raw"), off the thread that starts Python.
//   - Whatever cannot be done here (a browser without "deflate-raw", a library that fails to
//     compile) is left to Pyodide, which then compiles it when asked, as without this module.

const LIBRARY = /\.so$/;

/** Start compiling the WebAssembly libraries of a wheel. `wheel` is a promise of its (checked)
 *  response, whose body is left for Pyodide. Returns a Map: the library's path inside the wheel
 *  (like "numpy/_core/_multiarray_umath.cpython-312-wasm32-emscripten.so") → a promise of its
 *  WebAssembly.Module, or of null if it could not be compiled. Empty if the wheel cannot be read
 *  here. */
export async function compileWheelLibraries(wheel) {
  const compiled = new Map();
  try {
    const response = await wheel;
    const bytes = new Uint8Array(await response.clone().arrayBuffer());
    for (const entry of zipEntries(bytes)) {
      if (!LIBRARY.test(entry.name)) continue;
      compiled.set(entry.name, entryBytes(bytes, entry).then(WebAssembly.compile).catch(() => null));
    }
  } catch {
    // an unreadable wheel, or no "deflate-raw" here: Pyodide compiles the libraries itself
  }
  return compiled;
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
