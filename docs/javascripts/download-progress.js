// Stage 0 of the Python worker's start-up (worker.js): byte counts for every download, reported
// to the page as progress, at most every 0.1 s. They live in the worker's start-up state:
// state.downloads (file name → { stage, loaded, total }), and the stage shown (state.stage,
// state.detail); the progress of a stage is the sum over the downloads of that stage.

import { message } from "./protocol.js";

/** Post the current stage's progress (unless one was posted less than 0.1 s ago, or `force`). */
function report(state, force = false) {
  // After "ready" or "failed", a progress message would put the page back into "starting".
  if (state.started || state.failureReported) return;
  const now = performance.now();
  if (!force && now - state.lastReport < 100) return;
  state.lastReport = now;
  let loaded = 0;
  let total = 0;
  for (const file of state.downloads.values()) {
    if (file.stage !== state.stage) continue;
    loaded += file.loaded;
    total += file.total;
  }
  const progress = { stage: state.stage, detail: state.detail, loaded, total: total >= loaded ? total : 0 };
  self.postMessage(message("progress", progress));
}

/** Enter stage `name` ("download", "packages", "cells"), shown to the reader as `words`. */
export function setStage(state, name, words) {
  state.stage = name;
  state.detail = words;
  report(state, true);
}

/** Read a response's body (a clone), adding its bytes to `file` and reporting as they come
 *  (and telling state.onBytes, if set). */
export async function count(state, reader, file) {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      counted(state, file, value.byteLength);
    }
  } catch {
    // The download failed; Pyodide reports that through its own copy of the response.
  }
  report(state, true);
}

/** Add `more` bytes that arrived to `file`, and report (telling state.onBytes, if set). */
export function counted(state, file, more) {
  file.loaded += more;
  state.onBytes?.();
  report(state);
}
