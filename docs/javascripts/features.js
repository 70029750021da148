// What this browser offers the site is detected where it is used, never assumed from the
// browser's name: WebAssembly SIMD (the matrix-product kernel; worker.js), module workers (the
// Python worker; spawn.js), service workers and Cache Storage (offline use; offline.js) and
// localStorage (edits and progress; storage.js), DecompressionStream (the Python worker's wheels
// unpacked and compiled while Python starts, and Safari's saved start; worker.js). Each has a
// fallback that keeps the page working.
//
// A visit can also be told to do without a feature, to see (and to test) that fallback in any
// browser: add ?nndl-without=<name>,<name>… to a page's address. The names are FEATURES' keys.

export const FEATURES = Object.freeze({
  "wasm-simd": "WebAssembly SIMD (the fast matrix products of training)",
  "module-workers": "module workers (the worker that runs Python)",
  "service-worker": "service workers and Cache Storage (offline use)",
  "local-storage": "localStorage (your edits and progress)",
  "decompression-streams": "DecompressionStream (NumPy unpacked by the browser while Python starts)",
});

/** The features this visit was asked to do without (the page address's nndl-without). */
export function withoutFeatures(address = self.location.href) {
  const asked = new URL(address).searchParams.get("nndl-without") ?? "";
  return asked.split(",").filter((name) => Object.hasOwn(FEATURES, name));
}

/** True when this visit was asked to do without the feature. */
export const without = (name) => withoutFeatures().includes(name);

/** Whether restoring the runtime's saved start of Python (worker.js) pays in this browser: only
 *  in WebKit (Safari, and every browser on iOS), which keeps no compiled WebAssembly between
 *  visits and runs Python's own start slowly. Elsewhere it costs a 4.8 MB download for nothing
 *  (docs/performance.md has the figures). An engine's speed, not a feature, so it is read from
 *  the user agent: AppleWebKit that is not Chrome's. */
export function snapshotPays(global = self) {
  const agent = global.navigator?.userAgent ?? "";
  return /AppleWebKit/.test(agent) && !/Chrome\//.test(agent);
}
