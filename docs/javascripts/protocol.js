// The messages between a page (runtime.js) and the Python worker (worker.js), declared once.
//
// Every message is a plain object { type, ...fields }. SHAPES lists, for each type, its fields and
// their kinds ("string", "number", "boolean", "object", "any"; a trailing "?" allows null or a
// missing field). Both sides build messages with message() and check what they receive with
// check(), so a typo or a missing field fails loudly at its source instead of silently later.
//
// A run is one execution of one cell's code; a call asks the engine for data (a widget's view, a
// slice of training) by the name of a registered target, with no Python source involved. Both are
// named by the page's `id` (a number), every message about them carries that id, and the worker
// takes them one at a time, in the order received. A run ends with exactly one of result, error
// or interrupted; a call with reply (or interrupted).

export const SHAPES = Object.freeze({
  // ---- page → worker -------------------------------------------------------------------------
  /** Start Python. runtimeURL: folder of pyodide.mjs and the site lock (ends with "/");
   *  interruptBuffer: a SharedArrayBuffer-backed Uint8Array when the page is cross-origin
   *  isolated, so that Stop can raise KeyboardInterrupt in place; null otherwise; without: the
   *  features the page was asked to do without (features.js), e.g. ["wasm-simd"]; wheels: a
   *  MessagePort to the inflating worker (inflate-worker.js), which downloads and inflates the
   *  wheels, or null. */
  init: { runtimeURL: "string", interruptBuffer: "object?", without: "object", wheels: "object?" },
  /** Run code in namespace ns ("<page>#<visit>"); cell: its number on the page, used in the
   *  traceback's file name "<cell N>". The worker runs one at a time, in the order received. */
  run: { id: "number", ns: "string", cell: "number", code: "string" },
  /** Call the engine: target names a function of the cell runner's registry
   *  ("dashboard.advance", "explorables.render"…), args are its keyword arguments (JSON-able). */
  call: { id: "number", target: "string", args: "object" },
  /** Drop a namespace: its page was left. */
  forget: { ns: "string" },
  /** The inflating worker of init's `wheels` could not start (its script failed to load): the
   *  worker fetches and unpacks the wheels itself. */
  "no-inflater": {},

  // ---- worker → page -------------------------------------------------------------------------
  /** Start-up progress. stage: "download" (the interpreter and its standard library) |
   *  "packages" (NumPy and nndl) | "cells" (the cells' Python side); detail: words for the
   *  reader; loaded/total: bytes of this stage downloaded so far and expected (total 0 when
   *  unknown, e.g. a compressed response). */
  progress: { stage: "string", detail: "string", loaded: "number", total: "number" },
  /** Python is ready to run cells; versions for the record, seconds since init; the moments its
   *  start-up stages ended (stages: name → ms since the epoch, worker.js's startupStages). */
  ready: { python: "string", numpy: "string", seconds: "number", stages: "object?" },
  /** Start-up failed; message says why, in words. */
  failed: { message: "string" },
  /** Python died during a run (a fatal error of Pyodide) and cannot run anything more: the page
   *  starts a fresh worker. message: the error's own words; outOfMemory: true when the browser
   *  refused Python more memory. */
  crashed: { message: "string", outOfMemory: "boolean" },
  /** Text the run printed, streamed as it comes (line by line, or on flush). */
  stdout: { id: "number", text: "string" },
  stderr: { id: "number", text: "string" },
  /** A rich object shown with display(): { MIME type: data } (images base64). */
  display: { id: "number", bundle: "object" },
  /** The run finished; bundle: the last expression's value as a MIME bundle, null if none. */
  result: { id: "number", bundle: "object?" },
  /** The run raised. traceback: Python's text, trimmed to the cells' frames; line: the failing
   *  line of this run's cell (1-based), null when the error is elsewhere; hint: advice for a
   *  learner about this kind of error (running out of memory…), when there is some. */
  error: { id: "number", ename: "string", evalue: "string", traceback: "string", line: "number?", hint: "string?" },
  /** The run or call was stopped by the interrupt buffer (KeyboardInterrupt); line as for error
   *  (always null for a call). */
  interrupted: { id: "number", line: "number?" },
  /** The call's answer: data, the target's JSON-able return value; or error: { message }, words
   *  for the reader when the engine refused the arguments (a ValueError), or when the target
   *  failed otherwise (then the message starts with the exception's type). Exactly one is set. */
  reply: { id: "number", data: "any?", error: "object?" },
});

/** The types a run's or call's messages can have, and the ones that end it. */
export const RUN_MESSAGES = new Set(["stdout", "stderr", "display", "result", "error", "interrupted", "reply"]);
export const RUN_ENDINGS = new Set(["result", "error", "interrupted", "reply"]);

export class ProtocolError extends Error {}

/** Build a message of `type`, checking its fields against SHAPES. */
export function message(type, fields = {}) {
  return check({ type, ...fields });
}

/** Check a received message against SHAPES; returns it, or throws a ProtocolError. */
export function check(msg) {
  const shape = msg && SHAPES[msg.type];
  if (!shape) throw new ProtocolError(`unknown message type ${JSON.stringify(msg && msg.type)}`);
  for (const [field, kind] of Object.entries(shape)) {
    const optional = kind.endsWith("?");
    const base = optional ? kind.slice(0, -1) : kind;
    const value = msg[field];
    if (value === undefined || value === null) {
      if (optional) continue;
      throw new ProtocolError(`${msg.type}: missing field "${field}"`);
    }
    if (base !== "any" && typeof value !== base) {
      throw new ProtocolError(`${msg.type}: field "${field}" should be ${base}, got ${typeof value}`);
    }
  }
  for (const field of Object.keys(msg)) {
    if (field !== "type" && !(field in shape)) {
      throw new ProtocolError(`${msg.type}: unexpected field "${field}"`);
    }
  }
  return msg;
}
