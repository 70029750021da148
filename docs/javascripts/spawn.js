// Starting the Python worker (worker.js), shared by boot.js (a page's first moments) and
// runtime.js (which owns the worker from then on, and starts a fresh one after a restart).
//
// Everything is located relative to this module's own URL (site/assets/nndl/…), so the site
// works under any base path: the worker is ./worker.js, the runtime is <site root>/pyodide/.

import { without, withoutFeatures } from "./features.js";
import { message } from "./protocol.js";

export const SITE_ROOT = new URL("../../", import.meta.url);
export const RUNTIME_URL = new URL("pyodide/", SITE_ROOT).href;
export const WORKER_URL = new URL("worker.js", import.meta.url);

/** True when Stop can interrupt Python in place (a SharedArrayBuffer needs cross-origin isolation). */
export function canInterrupt() {
  return Boolean(self.crossOriginIsolated) && typeof SharedArrayBuffer === "function";
}

/** The same worker built as a classic script, for browsers without module workers (Safari
 *  before 15, Firefox before 114). */
export const CLASSIC_WORKER_URL = new URL("worker-classic.js", import.meta.url);

/** Create the worker and ask it to start Python. What it says before someone listens is kept:
 *  returns { worker, interrupt, early }, early being the [kind, event] pairs received so far
 *  ("message" or "error"), in order, for the owner to replay when it takes over. */
export function spawnWorker() {
  const interrupt = canInterrupt() ? new Uint8Array(new SharedArrayBuffer(1)) : null;
  const early = [];
  // A browser without module workers never reads the option `type`, and would start worker.js
  // (an ES module) as a classic script, which fails: it gets the classic build instead.
  let module = false;
  const options = { get type() { module = !without("module-workers"); return "module"; }, name: "nndl-python" };
  let worker = new Worker(WORKER_URL, options);
  if (!module) {
    worker.terminate();
    worker = new Worker(CLASSIC_WORKER_URL, { name: "nndl-python (classic)" });
  }
  worker.onmessage = (event) => early.push(["message", event]);
  worker.onerror = (event) => {
    event.preventDefault();
    early.push(["error", event]);
  };
  const wheels = startInflater(worker);
  const fields = { runtimeURL: RUNTIME_URL, interruptBuffer: interrupt, without: withoutFeatures(), wheels };
  worker.postMessage(message("init", fields), wheels ? [wheels] : []);
  return { worker, interrupt, early };
}

/** The inflating worker (inflate-worker.js), which downloads the Python worker's wheels and
 *  inflates their files while Python starts (compile-ahead.js): started here, beside the Python
 *  worker, and connected to it by a MessageChannel, whose port for the Python worker is returned
 *  (null if it cannot be started). If its script fails, the Python worker is told at once. It
 *  ends itself once its work is done, or with the Python worker. (A worker started by the Python
 *  worker itself sometimes froze Firefox's Python worker in its constructor: one start in about
 *  ten.) */
function startInflater(worker) {
  if (typeof MessageChannel !== "function") return null;
  try {
    const inflater = new Worker(INFLATE_WORKER_URL, { name: "nndl-inflate" });
    inflater.onerror = (event) => {
      event.preventDefault();
      worker.postMessage(message("no-inflater", {}));
    };
    const channel = new MessageChannel();
    inflater.postMessage(channel.port1, [channel.port1]);
    const terminate = worker.terminate.bind(worker);
    worker.terminate = () => {
      inflater.terminate();
      terminate();
    };
    return channel.port2;
  } catch {
    return null;
  }
}

export const INFLATE_WORKER_URL = new URL("inflate-worker.js", import.meta.url);

/** The worker boot.js started for this page, once (the first caller takes it), or null. */
export function takeBootedWorker() {
  const booted = window.__nndlBootedWorker ?? null;
  window.__nndlBootedWorker = null;
  return booted;
}
