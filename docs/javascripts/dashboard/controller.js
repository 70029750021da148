// The dashboard's state and training loop, one per tab (the page's dashboard elements come and go).
//
// - Python (nndl.dashboard) trains in time slices: the page asks for about a quarter of a second
//   of training (`advance`), draws the costs that come back, and asks again, unless the reader
//   paused or stopped. The worker runs one thing at a time and cannot hear a message while
//   Python computes, so this is what keeps Pause and Stop instant, keeps what was learned, and
//   lets the page's cells run between two slices.
// - All calls ("dashboard.advance"…, protocol.js) go through the tab's one runtime (runtime.js).
//   The state lives in Python (nndl.dashboard.session()) for as long as the tab: on every
//   mount, including after instant navigation, the page asks for it and redraws. The training
//   loop belongs to this module, not to the page's elements, so a run goes on while the reader
//   visits another page. If Python was restarted (a cell's Stop on a site that cannot interrupt
//   Python in place), its dashboard has a new id: the page says the runs are gone.

// build/js-constants.json, written from the engine by scripts/js_constants.py.
import CONSTANTS from "nndl-constants";
import { runtime } from "../runtime.js";
import { MAX_FILE_BYTES, base64 } from "./picture.js";
import { duration, percent, progressWords } from "./words.js";

const SLICE_SECONDS = 0.25;
const ANNOUNCE_EVERY_MS = 10_000; // the live region speaks at most this often while training
// The course's defaults, nndl.dashboard.MODELS at build time (replaced by Python's once it answers).
export const MODELS = CONSTANTS.models;

class PythonFailure extends Error {
  constructor(ending) {
    super(describeEnding(ending));
    this.ending = ending;
  }
}

function describeEnding(ending) {
  switch (ending.type) {
    case "stopped": return "Python was restarted";
    case "failed": return `Python could not start: ${ending.message}`;
    case "cancelled": return "the request was cancelled";
    case "interrupted": return "Python was interrupted";
    default: return `unexpected answer (${ending.type})`;
  }
}

/** Call the dashboard's `method` (a method of nndl.dashboard.session()); resolves with its
 *  data, or { error } with the engine's words when it refused; rejects with a PythonFailure. */
async function call(method, args = {}) {
  const ending = await runtime.call(`dashboard.${method}`, args).done;
  if (ending.type !== "reply") throw new PythonFailure(ending);
  return ending.error ? { error: ending.error.message } : ending.data;
}

class Controller {
  constructor() {
    this.view = null;
    this.session = null; // the id of Python's dashboard
    this.models = MODELS;
    this.runs = []; // as Python describes them, plus { paused } while training
    this.loop = null; // { run, paused, stopping, promise } while a run trains
    this.pictures = new Map(); // dataset number → its test pictures { images, labels, classes }
    this.loadingPictures = new Set();
    this.missingPictures = new Set(); // datasets whose pictures could not be had
    this.dataset = null; // the number of the pictures Python trains on now
    this.source = "the sample images";
    this.lastAnnounce = 0;
    runtime.on((event) => {
      if (event.type === "restarted") setTimeout(() => this.sync(), 0);
    });
  }

  attach(view) {
    this.detach();
    this.view = view;
    view.controller = this;
    view.render();
    this.sync();
  }

  /** The page moved on: training goes on, unseen, until the reader comes back. */
  detach() {
    this.view?.detach();
    this.view = null;
  }

  get activeRun() {
    return this.runs.find((run) => run.status === "training") || null;
  }

  /** Ask Python for its state and redraw (on mount, after a restart). */
  async sync() {
    try {
      const state = await call("state");
      this.receive(state);
      if (state.error) return this.view?.say(state.error, "error");
      this.models = state.models;
      this.dataset = state.dataset;
      this.source = state.source;
      const loop = this.loop;
      this.runs = state.runs.map((run) => ({ ...run, paused: loop?.run === run.number ? loop.paused : false }));
      const active = this.activeRun;
      if (!active) {
        this.loop = null;
      } else if (!loop || loop.run !== active.number) {
        // Python trains a run that no loop of this page drives: offer to resume it.
        this.loop = { run: active.number, paused: true, stopping: false, promise: null };
        active.paused = true;
      }
      this.view?.render();
      for (const run of this.runs) if (run.result) this.loadPictures(run.dataset);
    } catch (failure) {
      this.failed(failure);
    }
  }

  /** Every answer carries Python's dashboard id: a new one means Python restarted. */
  receive(answer) {
    if (!answer || !answer.session) return;
    if (this.session && answer.session !== this.session) this.lost();
    this.session = answer.session;
  }

  lost() {
    const had = this.runs.length;
    this.runs = [];
    this.loop = null;
    this.pictures.clear();
    this.missingPictures.clear();
    this.source = "the sample images";
    this.view?.render();
    this.view?.say(
      "Python was restarted (a Stop in a cell of this page restarts it when the site cannot " +
      "interrupt Python in place), so " + (had ? "the runs trained so far are gone." : "it starts afresh.") +
      " Train again whenever you like.", "warning");
  }

  failed(failure) {
    if (failure instanceof PythonFailure && failure.ending.type === "stopped") {
      this.sync(); // Python restarted mid-call: find out what is left
      return;
    }
    if (this.loop) {
      const run = this.find(this.loop.run);
      if (run) run.paused = true;
      this.loop.paused = true;
      this.loop.promise = null;
    }
    this.view?.render();
    this.view?.say(`The dashboard could not reach Python: ${failure.message}.`, "error");
  }

  find(number) {
    return this.runs.find((run) => run.number === number) || null;
  }

  // ---- Training ----

  async start(settings) {
    if (this.activeRun) return;
    this.view?.busy(true);
    this.view?.say(runtime.ready ? "Preparing the run…" : "Waiting for Python to start…");
    let answer;
    try {
      answer = await call("start", settings);
    } catch (failure) {
      this.view?.busy(false);
      return this.failed(failure);
    }
    this.view?.busy(false);
    this.receive(answer);
    if (answer.error) return this.view?.say(answer.error, "error");
    const run = { ...answer.run, paused: false };
    this.runs.push(run);
    this.loop = { run: run.number, paused: false, stopping: false, promise: null };
    this.lastAnnounce = performance.now();
    this.view?.render();
    this.view?.say(`Training run ${run.number}: ${run.description}, ${run.num_iterations} iterations.`, "info", true);
    this.drive();
  }

  /** Send slices until the run ends, or the reader pauses or stops it. */
  drive() {
    const loop = this.loop;
    if (!loop || loop.promise) return;
    loop.promise = (async () => {
      while (this.loop === loop && !loop.paused && !loop.stopping) {
        let progress;
        try {
          progress = await call("advance", { seconds: SLICE_SECONDS });
        } catch (failure) {
          loop.promise = null;
          return this.failed(failure);
        }
        this.receive(progress);
        if (this.loop !== loop) break; // Python restarted meanwhile
        if (progress.error) {
          loop.promise = null;
          this.loop = null;
          this.view?.say(progress.error, "error");
          return this.sync();
        }
        this.apply(progress);
        if (progress.status !== "training") break;
      }
      loop.promise = null;
      const run = this.find(loop.run);
      if (run && this.loop === loop && loop.paused) this.view?.update(run); // "pausing…" → "paused"
    })();
  }

  apply(progress) {
    const run = this.find(progress.run);
    if (!run) return;
    if (progress.start !== run.costs.length) {
      this.sync(); // a slice went missing: redraw from Python's state
      return;
    }
    run.costs.push(...progress.costs);
    Object.assign(run, {
      iteration: progress.iteration,
      elapsed: progress.elapsed,
      status: progress.status,
      message: progress.message,
      result: progress.result,
    });
    if (run.status !== "training") {
      if (this.loop && this.loop.run === run.number) this.loop = null;
      run.paused = false;
      this.ended(run);
    } else if (performance.now() - this.lastAnnounce > ANNOUNCE_EVERY_MS) {
      this.lastAnnounce = performance.now();
      this.view?.announce(progressWords(run));
    }
    this.view?.update(run);
  }

  ended(run) {
    const result = run.result;
    const accuracies = result
      ? ` Train accuracy ${percent(result.train_accuracy)}, test accuracy ${percent(result.test_accuracy)}.`
      : "";
    let words;
    if (run.status === "diverged") words = `Run ${run.number} diverged. ${run.message}`;
    else if (run.status === "stopped") words = `Run ${run.number} stopped at iteration ${run.iteration} of ${run.num_iterations}, keeping what it learned.${accuracies}`;
    else words = `Run ${run.number} finished ${run.num_iterations} iterations in ${duration(run.elapsed)}.${accuracies}`;
    this.view?.render();
    this.view?.say(words, run.status === "diverged" ? "warning" : "info", true);
    this.view?.showResults(run.number);
    this.loadPictures(run.dataset);
  }

  pause() {
    const run = this.activeRun;
    if (!run || !this.loop || this.loop.paused) return;
    this.loop.paused = true;
    run.paused = true;
    this.view?.update(run);
    this.view?.say(`Paused run ${run.number} at iteration ${run.iteration}. Resume goes on from there.`, "info", true);
  }

  resume() {
    const run = this.activeRun;
    if (!run || !this.loop || !this.loop.paused) return;
    this.loop.paused = false;
    run.paused = false;
    this.lastAnnounce = performance.now();
    this.view?.update(run);
    this.view?.say(`Resumed run ${run.number}.`, "info", true);
    this.drive();
  }

  async stop() {
    const run = this.activeRun;
    const loop = this.loop;
    if (!run || !loop || loop.stopping) return;
    loop.stopping = true;
    this.view?.update(run);
    await loop.promise; // the slice in progress ends by itself, a fraction of a second later
    if (this.loop !== loop || run.status !== "training") return;
    let answer;
    try {
      answer = await call("stop");
    } catch (failure) {
      return this.failed(failure);
    }
    this.receive(answer);
    if (answer.error) return this.sync();
    this.apply(answer);
  }

  async clear() {
    try {
      const state = await call("clear");
      this.receive(state);
      this.runs = state.runs.map((run) => ({ ...run, paused: this.loop?.paused ?? false }));
      this.view?.render();
      this.view?.say("Cleared the runs that had ended.", "info", true);
    } catch (failure) {
      this.failed(failure);
    }
  }

  /** The test pictures of dataset `number`, fetched once per tab (they never change). */
  async loadPictures(number) {
    if (this.pictures.has(number)) return this.view?.renderResults();
    if (this.loadingPictures.has(number)) return;
    this.loadingPictures.add(number);
    try {
      const answer = await call("test_images", { dataset: number });
      this.receive(answer);
      if (answer.error) this.missingPictures.add(number);
      else this.pictures.set(number, answer);
    } catch (failure) {
      this.failed(failure);
    } finally {
      this.loadingPictures.delete(number);
    }
    this.view?.renderResults();
  }

  /** Train on the course's HDF5 files ({ train, test }: File objects) or, with null, on the
   *  sample images again. Resolves with a message for the reader. */
  async useFiles(files) {
    if (this.activeRun) return { error: "Stop the run in progress first." };
    let args = {};
    if (files) {
      for (const [key, file] of Object.entries(files)) {
        if (!file) return { error: `Choose the ${key === "train" ? "training" : "test"} file too.` };
        if (file.size > MAX_FILE_BYTES) return { error: `"${file.name}" is larger than ${MAX_FILE_BYTES / 1e6} MB: it is not one of the course's files.` };
        args[key] = base64(new Uint8Array(await file.arrayBuffer()));
        args[`${key}_name`] = file.name;
      }
    }
    let answer;
    try {
      answer = await call(files ? "load_h5" : "sample", args);
    } catch (failure) {
      this.failed(failure);
      return { error: failure.message };
    }
    this.receive(answer);
    args = null;
    if (answer.error) return answer;
    this.dataset = answer.dataset.id;
    this.source = answer.source;
    this.view?.render();
    const d = answer.dataset;
    const cats = (n) => `${n} cat${n === 1 ? "" : "s"}`;
    return { message: `Training on ${answer.source} from now on: ${d.train} training pictures ` +
      `(${cats(d.train_cats)}) and ${d.test} test pictures (${cats(d.test_cats)}).` };
  }

  async classify(picture, runNumber) {
    const args = { pixels: picture.pixels, width: picture.width, height: picture.height };
    if (runNumber) args.run = runNumber;
    const answer = await call("classify", args);
    this.receive(answer);
    return answer;
  }
}

export const controller = new Controller();
