// The training dashboard of lesson 13 (.nndl-dashboard): train the course's models on the sample
// pictures in the browser, watch the cost fall, compare runs, and classify the reader's picture.
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
// - The reader's picture is checked before it is decoded: its first bytes must be those of a
//   JPEG, PNG, WebP or GIF, and its header's size at most 20 megapixels. It is drawn on a canvas
//   of at most 256 pixels a side and its pixels sent to Python, which resizes them to 64×64×3
//   with nndl.data.image_to_input and classifies them.

import { h } from "./output.js";
import { runtime } from "./runtime.js";

const SLICE_SECONDS = 0.25;
const ANNOUNCE_EVERY_MS = 10_000; // the live region speaks at most this often while training
const MAX_PIXELS = 20_000_000;
const MAX_FILE_BYTES = 50_000_000;
const SEND_SIDE = 256; // the picture sent to Python is at most this many pixels a side
// The colours of nndl.display.line_plot, so that runs look alike in cells and here.
const COLORS = ["#3b78c2", "#e07b28", "#3a9a5b", "#d04a5c", "#8a63c9", "#2a9d9d", "#b58a1b", "#7f7f7f"];
// The course's defaults, as in nndl.dashboard.MODELS (replaced by Python's once it answers).
const MODELS = {
  logistic: { name: "Logistic regression", learning_rate: 0.005, num_iterations: 2000, layer_dims: null },
  two_layer: { name: "2-layer network", learning_rate: 0.0075, num_iterations: 2500, layer_dims: [12288, 7, 1] },
  deep: { name: "L-layer network", learning_rate: 0.0075, num_iterations: 2500, layer_dims: [12288, 20, 7, 5, 1] },
};
const STATUS_WORDS = { training: "training", paused: "paused", done: "done", stopped: "stopped", diverged: "diverged" };

export function mountDashboards() {
  const roots = document.querySelectorAll(".nndl-dashboard:not([data-mounted])");
  if (controller.view && !controller.view.root.isConnected) controller.detach();
  for (const root of roots) controller.attach(new View(root));
}

// ================================================================================================
// Talking to Python
// ================================================================================================

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

// ================================================================================================
// The controller: the state and the training loop, one per tab
// ================================================================================================

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

const controller = new Controller();

// ================================================================================================
// Words and numbers
// ================================================================================================

function percent(value) {
  return value === null || value === undefined ? "–" : `${Number(value.toFixed(1))} %`;
}

function duration(seconds) {
  if (!Number.isFinite(seconds)) return "–";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds - 60 * minutes)).padStart(2, "0")} s`;
}

function lastCost(run) {
  for (let i = run.costs.length - 1; i >= 0; i--) if (run.costs[i] !== null) return run.costs[i];
  return null;
}

function progressWords(run) {
  const cost = lastCost(run);
  return `Run ${run.number}: iteration ${run.iteration} of ${run.num_iterations}` +
    (cost === null ? "" : `, cost ${cost.toFixed(3)}`) + ".";
}

function timeLeft(run) {
  if (!run.iteration || run.status !== "training") return "";
  const left = (run.elapsed / run.iteration) * (run.num_iterations - run.iteration);
  return `about ${duration(left)} left`;
}

function runStatus(run) {
  if (run.status === "training" && run.paused) return STATUS_WORDS.paused;
  return STATUS_WORDS[run.status] || run.status;
}

function colorOf(run) {
  return COLORS[(run.number - 1) % COLORS.length];
}

/** "12288, 20, 7, 5, 1" or "[12288, 20, 7, 5, 1]" → [12288, 20, 7, 5, 1], or a message. */
export function parseLayerSizes(text) {
  const inner = text.trim().replace(/^\[/, "").replace(/\]$/, "").trim();
  const parts = inner ? inner.split(/[\s,;]+/).filter(Boolean) : [];
  if (!parts.length || !parts.every((part) => /^\d+$/.test(part))) {
    return { error: `The layer sizes are whole numbers separated by commas, such as 12288, 20, 7, 5, 1; got "${text.trim()}".` };
  }
  return { sizes: parts.map(Number) };
}

// ================================================================================================
// The reader's picture: checks before decoding
// ================================================================================================

const ascii = (bytes, start, end) => String.fromCharCode(...bytes.subarray(start, end));
const be16 = (b, i) => (b[i] << 8) | b[i + 1];
const be32 = (b, i) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
const le16 = (b, i) => b[i] | (b[i + 1] << 8);
const le24 = (b, i) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);

/** The kind and size of a picture from its first bytes: { type, width, height } (width and
 *  height 0 when the header is cut short), or null when it is none of the four kinds. */
export function sniffPicture(b) {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 4) === "PNG" && b[4] === 0x0d && b[5] === 0x0a) {
    const ok = b.length >= 24 && ascii(b, 12, 16) === "IHDR";
    return { type: "PNG", width: ok ? be32(b, 16) : 0, height: ok ? be32(b, 20) : 0 };
  }
  if (b.length >= 6 && (ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a")) {
    return { type: "GIF", width: b.length >= 10 ? le16(b, 6) : 0, height: b.length >= 10 ? le16(b, 8) : 0 };
  }
  if (b.length >= 12 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") {
    const chunk = b.length >= 16 ? ascii(b, 12, 16) : "";
    let width = 0;
    let height = 0;
    if (chunk === "VP8 " && b.length >= 30) {
      width = le16(b, 26) & 0x3fff;
      height = le16(b, 28) & 0x3fff;
    } else if (chunk === "VP8L" && b.length >= 25) {
      const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
      width = (bits & 0x3fff) + 1;
      height = ((bits >>> 14) & 0x3fff) + 1;
    } else if (chunk === "VP8X" && b.length >= 30) {
      width = le24(b, 24) + 1;
      height = le24(b, 27) + 1;
    }
    return { type: "WebP", width, height };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    // Walk the segments to the frame header (SOF0…SOF15, except DHT, JPG and DAC).
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) break;
      const marker = b[i + 1];
      if (marker === 0xff) { i += 1; continue; } // fill byte
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { type: "JPEG", width: be16(b, i + 7), height: be16(b, i + 5) };
      }
      if (marker === 0xd9 || marker === 0xda) break; // end, or the image data: no frame header
      i += 2 + be16(b, i + 2);
    }
    return { type: "JPEG", width: 0, height: 0 };
  }
  return null;
}

class Refusal extends Error {}

function base64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Check, decode and scale down a picture file: { name, type, width, height (as sent),
 *  originalWidth, originalHeight, pixels (base64 RGBA), preview (a data: URL) }. */
async function readPicture(file, { crop }) {
  const name = file.name || "the file";
  if (file.size === 0) throw new Refusal(`"${name}" is empty (0 bytes): there is no picture in it.`);
  if (file.size > MAX_FILE_BYTES) {
    throw new Refusal(`"${name}" is ${(file.size / 1e6).toFixed(0)} MB; pictures up to ${MAX_FILE_BYTES / 1e6} MB are accepted.`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniffPicture(bytes);
  if (!kind) {
    throw new Refusal(`"${name}" is not a JPEG, PNG, WebP or GIF picture (its content says so, ` +
      "whatever its name), so it was not opened. Choose a photo or a picture file.");
  }
  if (!kind.width || !kind.height) {
    throw new Refusal(`"${name}" starts like a ${kind.type} picture but its size cannot be read: the file may be damaged.`);
  }
  const pixels = kind.width * kind.height;
  if (pixels > MAX_PIXELS) {
    throw new Refusal(`"${name}" is ${kind.width} × ${kind.height} pixels, ${(pixels / 1e6).toFixed(1)} megapixels: ` +
      `too large to decode comfortably here (the limit is ${MAX_PIXELS / 1e6} megapixels). Scale it down first.`);
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes], { type: `image/${kind.type.toLowerCase()}` }));
  } catch {
    throw new Refusal(`"${name}" looks like a ${kind.type} picture but could not be decoded: the file may be damaged.`);
  }
  // The model sees a square: crop the middle square, or squash the whole picture into one.
  let sx = 0;
  let sy = 0;
  let sw = bitmap.width;
  let sh = bitmap.height;
  if (crop) {
    const side = Math.min(sw, sh);
    sx = Math.floor((sw - side) / 2);
    sy = Math.floor((sh - side) / 2);
    sw = sh = side;
  }
  const scale = Math.min(1, SEND_SIDE / Math.max(sw, sh));
  const width = Math.max(1, Math.round(sw * scale));
  const height = Math.max(1, Math.round(sh * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, sx, sy, sw, sh, 0, 0, width, height);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  return {
    name,
    type: kind.type,
    originalWidth: kind.width,
    originalHeight: kind.height,
    width,
    height,
    pixels: base64(new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength)),
    preview: canvas.toDataURL("image/png"),
  };
}

// ================================================================================================
// The view: one dashboard element on the page
// ================================================================================================

let views = 0;

class View {
  constructor(root) {
    this.root = root;
    this.id = `nndl-dash-${++views}`;
    this.controller = null;
    this.shownRun = null; // the run whose test pictures are shown
    this.picture = null; // the reader's picture, decoded
    this.classifyJob = 0;
    this.build();
    root.dataset.mounted = "";
  }

  detach() {
    this.controller = null;
  }

  ids(name) {
    return `${this.id}-${name}`;
  }

  // ---- Building ----

  build() {
    const id = (name) => this.ids(name);
    const field = (label, control, hint) => h("div", { class: "nndl-dash__field" },
      h("label", { for: control.id }, label), control, hint || null);

    this.model = h("select", { id: id("model"), name: "model" },
      ...Object.entries(MODELS).map(([key, m]) => h("option", { value: key }, m.name)));
    this.model.value = "deep";
    this.layers = h("input", {
      id: id("layers"), name: "layers", type: "text", inputmode: "numeric", autocomplete: "off",
      spellcheck: "false", "aria-describedby": id("layers-hint"),
    });
    this.layersField = field("Layer sizes", this.layers,
      h("small", { id: id("layers-hint"), class: "nndl-dash__hint" }, "n[0], n[1], …, n[L]: 12288 inputs, one output"));
    this.alpha = h("input", { id: id("alpha"), name: "learning_rate", type: "number", min: "0", step: "any", required: true });
    this.iterations = h("input", { id: id("iterations"), name: "num_iterations", type: "number", min: "1", step: "1", required: true });
    this.trainButton = h("button", { type: "submit", class: "md-button md-button--primary nndl-dash__train" }, "Train");
    this.pauseButton = h("button", { type: "button", class: "md-button", onclick: () => this.togglePause() }, "Pause");
    this.stopButton = h("button", { type: "button", class: "md-button", onclick: () => this.controller?.stop() }, "Stop");
    this.defaultsButton = h("button", { type: "button", class: "nndl-dash__link", onclick: () => this.fillDefaults() }, "Course's defaults");
    this.form = h("form", { class: "nndl-dash__form", "aria-labelledby": id("form-title"), onsubmit: (event) => this.submit(event) },
      h("h3", { id: id("form-title"), class: "nndl-dash__title" }, "Train a model"),
      h("div", { class: "nndl-dash__fields" },
        field("Model", this.model),
        this.layersField,
        field("Learning rate α", this.alpha),
        field("Iterations", this.iterations)),
      h("div", { class: "nndl-dash__buttons" }, this.trainButton, this.pauseButton, this.stopButton, this.defaultsButton));
    this.model.addEventListener("change", () => this.fillDefaults());

    this.progressText = h("p", { class: "nndl-dash__progress-text", id: id("progress") }, "No run yet.");
    this.progressBar = h("progress", { class: "nndl-dash__bar", max: "1", value: "0", "aria-labelledby": id("progress") });
    this.message = h("p", { class: "nndl-dash__message", hidden: true });
    this.live = h("p", { class: "nndl-visually-hidden nndl-dash__live", role: "status", "aria-live": "polite" });

    this.chart = h("div", { class: "nndl-dash__chart" });
    if (typeof ResizeObserver === "function") {
      let lastWidth = 0;
      new ResizeObserver(() => {
        const width = this.chart.clientWidth;
        if (width && Math.abs(width - lastWidth) > 8 && this.controller) {
          lastWidth = width;
          this.drawChart();
        }
      }).observe(this.chart);
    }
    this.legend = h("ul", { class: "nndl-dash__legend", "aria-label": "Runs on the plot" });

    this.table = h("table", { class: "nndl-dash__table" });
    this.clearButton = h("button", { type: "button", class: "nndl-dash__link", onclick: () => this.controller?.clear() }, "Clear the runs that ended");

    this.resultsRun = h("select", { id: id("results-run") });
    this.resultsRun.addEventListener("change", () => this.showResults(Number(this.resultsRun.value)));
    this.resultsSummary = h("p", { class: "nndl-dash__summary" });
    this.grid = h("ul", { class: "nndl-dash__grid", "aria-label": "Test pictures with the model's predictions" });
    this.results = h("section", { class: "nndl-dash__results", "aria-labelledby": id("results-title"), hidden: true },
      h("h3", { id: id("results-title"), class: "nndl-dash__title" }, "The test pictures"),
      field("Predictions of", this.resultsRun),
      this.resultsSummary,
      this.grid);

    this.buildPicture();
    this.buildFiles();
    this.sourceText = h("p", { class: "nndl-dash__source" });

    this.root.replaceChildren(
      this.form,
      this.sourceText,
      h("div", { class: "nndl-dash__progress" }, this.progressText, this.progressBar),
      this.message,
      this.live,
      h("figure", { class: "nndl-dash__figure" }, this.chart, this.legend),
      h("section", { class: "nndl-dash__runs", "aria-labelledby": id("runs-title") },
        h("h3", { id: id("runs-title"), class: "nndl-dash__title" }, "Runs"),
        h("div", { class: "nndl-dash__table-wrap", tabindex: "0", role: "region", "aria-labelledby": id("runs-title") }, this.table),
        this.clearButton),
      this.results,
      this.pictureSection,
      this.files);
    this.fillDefaults();
  }

  buildPicture() {
    const id = (name) => this.ids(name);
    this.fileInput = h("input", { id: id("file"), type: "file", accept: "image/jpeg,image/png,image/webp,image/gif", class: "nndl-dash__file" });
    this.fileInput.addEventListener("change", () => {
      const file = this.fileInput.files && this.fileInput.files[0];
      if (file) this.openPicture(file);
    });
    this.crop = h("input", { id: id("crop"), type: "checkbox", checked: true });
    this.crop.addEventListener("change", () => this.lastFile && this.openPicture(this.lastFile));
    this.classifyRun = h("select", { id: id("classify-run") });
    this.classifyRun.addEventListener("change", () => this.classify());
    this.classifyButton = h("button", { type: "button", class: "md-button", onclick: () => this.classify() }, "Classify");
    this.drop = h("div", { class: "nndl-dash__drop" },
      h("label", { for: this.fileInput.id }, "Choose a picture, or drop one here (JPEG, PNG, WebP or GIF)"),
      this.fileInput);
    for (const type of ["dragenter", "dragover"]) {
      this.drop.addEventListener(type, (event) => {
        event.preventDefault();
        this.drop.dataset.over = "";
      });
    }
    this.drop.addEventListener("dragleave", () => delete this.drop.dataset.over);
    this.drop.addEventListener("drop", (event) => {
      event.preventDefault();
      delete this.drop.dataset.over;
      const file = event.dataTransfer && event.dataTransfer.files[0];
      if (file) this.openPicture(file);
    });
    this.pictureMessage = h("p", { class: "nndl-dash__message", hidden: true, role: "status", "aria-live": "polite" });
    this.original = h("figure", { class: "nndl-dash__shot", hidden: true });
    this.seen = h("figure", { class: "nndl-dash__shot", hidden: true });
    this.verdict = h("p", { class: "nndl-dash__verdict", role: "status", "aria-live": "polite" });
    this.pictureSection = h("section", { class: "nndl-dash__picture", "aria-labelledby": id("picture-title") },
      h("h3", { id: id("picture-title"), class: "nndl-dash__title" }, "Your picture"),
      this.drop,
      h("div", { class: "nndl-dash__fields" },
        h("div", { class: "nndl-dash__field nndl-dash__field--check" }, this.crop,
          h("label", { for: this.crop.id }, "Crop the middle square (otherwise the picture is squashed to a square)")),
        h("div", { class: "nndl-dash__field" }, h("label", { for: this.classifyRun.id }, "Classify with"), this.classifyRun),
        h("div", { class: "nndl-dash__field nndl-dash__field--button" }, this.classifyButton)),
      this.pictureMessage,
      h("div", { class: "nndl-dash__shots" }, this.original, this.seen),
      this.verdict);
  }

  buildFiles() {
    const id = (name) => this.ids(name);
    const input = (name) => h("input", { id: id(name), type: "file", accept: ".h5,.hdf5,application/x-hdf5", class: "nndl-dash__file" });
    this.trainFile = input("train-file");
    this.testFile = input("test-file");
    this.filesMessage = h("p", { class: "nndl-dash__message", hidden: true, role: "status", "aria-live": "polite" });
    this.loadButton = h("button", { type: "button", class: "md-button", onclick: () => this.loadFiles(true) }, "Load the files");
    this.sampleButton = h("button", { type: "button", class: "nndl-dash__link", onclick: () => this.loadFiles(false) }, "Back to the sample images");
    this.files = h("details", { class: "nndl-dash__files" },
      h("summary", {}, "Train on the course's own HDF5 files"),
      h("p", {}, "If you have the course's files train_catvnoncat.h5 and test_catvnoncat.h5, load them " +
        "here, and the next runs train on their pictures. They are read in this page and stay on your computer."),
      h("div", { class: "nndl-dash__fields" },
        h("div", { class: "nndl-dash__field" }, h("label", { for: this.trainFile.id }, "Training file (train_catvnoncat.h5)"), this.trainFile),
        h("div", { class: "nndl-dash__field" }, h("label", { for: this.testFile.id }, "Test file (test_catvnoncat.h5)"), this.testFile)),
      h("div", { class: "nndl-dash__buttons" }, this.loadButton, this.sampleButton),
      this.filesMessage);
  }

  async loadFiles(load) {
    if (!this.controller) return;
    const say = (text, kind) => {
      this.filesMessage.textContent = text;
      this.filesMessage.dataset.kind = kind;
      this.filesMessage.hidden = !text;
    };
    say(load ? "Reading the files…" : "Going back to the sample images…", "info");
    const files = load ? { train: this.trainFile.files[0], test: this.testFile.files[0] } : null;
    const answer = await this.controller.useFiles(files);
    if (answer.error) say(`${answer.error} Nothing was changed.`, "error");
    else say(answer.message, "info");
  }

  // ---- The form ----

  fillDefaults() {
    const models = this.controller?.models || MODELS;
    const m = models[this.model.value];
    this.alpha.value = String(m.learning_rate);
    this.iterations.value = String(m.num_iterations);
    this.layersField.hidden = !m.layer_dims;
    if (m.layer_dims) this.layers.value = m.layer_dims.join(", ");
  }

  submit(event) {
    event.preventDefault();
    if (!this.controller || this.controller.activeRun || this.starting) return;
    const model = this.model.value;
    const settings = { model };
    const alpha = Number(this.alpha.value);
    if (this.alpha.value.trim() === "" || !Number.isFinite(alpha) || alpha <= 0) {
      return this.say("The learning rate α must be a number above 0, such as 0.0075.", "error", true, this.alpha);
    }
    settings.learning_rate = alpha;
    const iterations = Number(this.iterations.value);
    if (!Number.isInteger(iterations) || iterations < 1) {
      return this.say("The number of iterations must be a whole number of 1 or more, such as 2500.", "error", true, this.iterations);
    }
    settings.num_iterations = iterations;
    if (!this.layersField.hidden) {
      const parsed = parseLayerSizes(this.layers.value);
      if (parsed.error) return this.say(parsed.error, "error", true, this.layers);
      settings.layer_dims = parsed.sizes;
    }
    for (const input of [this.alpha, this.iterations, this.layers]) input.removeAttribute("aria-invalid");
    this.controller.start(settings);
  }

  togglePause() {
    const run = this.controller?.activeRun;
    if (!run) return;
    if (run.paused) this.controller.resume();
    else this.controller.pause();
  }

  busy(on) {
    this.starting = on;
    this.updateButtons();
  }

  updateButtons() {
    const run = this.controller?.activeRun;
    const stopping = Boolean(this.controller?.loop?.stopping);
    const disable = (button, off) => {
      button.disabled = false;
      button.setAttribute("aria-disabled", String(off));
    };
    disable(this.trainButton, Boolean(run) || Boolean(this.starting));
    disable(this.pauseButton, !run || stopping);
    disable(this.stopButton, !run || stopping);
    this.pauseButton.textContent = run && run.paused ? "Resume" : "Pause";
    for (const control of [this.model, this.layers, this.alpha, this.iterations]) control.disabled = Boolean(run);
    const pausing = Boolean(run && run.paused && this.controller?.loop?.promise);
    this.form.dataset.state = run ? (run.paused ? (pausing ? "pausing" : "paused") : "training") : "idle";
  }

  // ---- Messages ----

  /** A visible message (kind: info | warning | error), also spoken when `speak`. */
  say(text, kind = "info", speak = false, invalid = null) {
    this.message.textContent = text;
    this.message.dataset.kind = kind;
    this.message.hidden = !text;
    if (invalid) {
      invalid.setAttribute("aria-invalid", "true");
      invalid.focus();
    }
    if (speak || kind !== "info") this.announce(text);
  }

  announce(text) {
    // Emptied first, so that the same words twice are spoken twice.
    this.live.textContent = "";
    setTimeout(() => (this.live.textContent = text), 50);
  }

  // ---- Drawing ----

  render() {
    const controller = this.controller;
    if (!controller) return;
    this.sourceText.textContent = `Pictures: ${controller.source}.`;
    this.updateButtons();
    const run = controller.activeRun || controller.runs.at(-1);
    this.updateProgress(run);
    this.drawChart();
    this.renderTable();
    this.renderRunChoices();
    this.renderResults();
  }

  /** A slice arrived for `run`: redraw what changes several times a second. */
  update(run) {
    this.updateButtons();
    this.updateProgress(run);
    this.drawChart(run);
    this.renderTable();
    if (run.status !== "training") this.renderRunChoices();
  }

  updateProgress(run) {
    if (!run) {
      this.progressText.textContent = "No run yet: choose a model and press Train.";
      this.progressBar.value = 0;
      return;
    }
    const loop = this.controller?.loop;
    const busy = run.status === "training" && loop?.run === run.number && loop.promise;
    const state = loop?.stopping && busy ? "stopping…" : run.paused && busy ? "pausing…" : runStatus(run);
    const parts = [
      `Run ${run.number} (${state})`,
      `iteration ${run.iteration} of ${run.num_iterations}`,
      `${duration(run.elapsed)} elapsed`,
    ];
    const left = run.paused ? "" : timeLeft(run);
    if (left) parts.push(left);
    const cost = lastCost(run);
    if (cost !== null) parts.push(`cost ${cost.toFixed(4)}`);
    this.progressText.textContent = parts.join(" · ");
    this.progressBar.value = run.num_iterations ? run.iteration / run.num_iterations : 0;
  }

  drawChart(active) {
    const runs = this.controller?.runs || [];
    this.chart.replaceChildren(costChart(runs, this.chart.clientWidth));
    const svg = this.chart.firstChild;
    const shown = active || this.controller?.activeRun || runs.at(-1);
    if (shown) svg.dataset.iteration = String(shown.iteration);
    this.draws = (this.draws || 0) + 1;
    svg.dataset.draws = String(this.draws);
    this.legend.replaceChildren(...runs.map((run) => h("li", {},
      h("span", { class: "nndl-dash__swatch", style: `background:${colorOf(run)}`, "aria-hidden": "true" }),
      `Run ${run.number}: ${run.description}`)));
    this.legend.hidden = !runs.length;
  }

  renderTable() {
    const runs = this.controller?.runs || [];
    const head = h("thead", {}, h("tr", {},
      ...["Run", "Model", "α", "Iterations", "Time", "Train accuracy", "Test accuracy", "Status"]
        .map((text) => h("th", { scope: "col" }, text))));
    const rows = runs.map((run) => h("tr", { "data-run": String(run.number), "data-status": runStatus(run) },
      h("th", { scope: "row" },
        h("span", { class: "nndl-dash__swatch", style: `background:${colorOf(run)}`, "aria-hidden": "true" }),
        String(run.number)),
      h("td", {}, run.model_name + (run.layer_dims ? ` [${run.layer_dims.join(", ")}]` : "")),
      h("td", {}, String(run.learning_rate)),
      h("td", {}, run.iteration === run.num_iterations ? String(run.iteration) : `${run.iteration} of ${run.num_iterations}`),
      h("td", {}, duration(run.elapsed)),
      h("td", { class: "nndl-dash__train-accuracy" }, percent(run.result?.train_accuracy)),
      h("td", { class: "nndl-dash__test-accuracy" }, percent(run.result?.test_accuracy)),
      h("td", {}, runStatus(run))));
    this.table.replaceChildren(
      h("caption", { class: "nndl-visually-hidden" }, "Runs so far: model, learning rate, iterations, time and accuracies"),
      head,
      h("tbody", {}, ...(rows.length ? rows : [h("tr", {}, h("td", { colspan: "8" }, "No run yet."))])));
    this.clearButton.hidden = !runs.some((run) => run.status !== "training");
  }

  renderRunChoices() {
    const runs = this.controller?.runs || [];
    const finished = runs.filter((run) => run.result && run.result.probabilities);
    fillSelect(this.resultsRun, finished, this.shownRun);
    const trained = runs.filter((run) => run.iteration > 0);
    fillSelect(this.classifyRun, trained, Number(this.classifyRun.value) || null, "latest");
  }

  showResults(number) {
    this.shownRun = number;
    this.renderRunChoices();
    this.renderResults();
  }

  renderResults() {
    const controller = this.controller;
    const finished = (controller?.runs || []).filter((run) => run.result && run.result.probabilities);
    const run = finished.find((r) => r.number === this.shownRun) || finished.at(-1);
    this.results.hidden = !run;
    if (!run) {
      this.grid.dataset.run = "";
      return;
    }
    this.shownRun = run.number;
    if (this.resultsRun.value !== String(run.number)) this.resultsRun.value = String(run.number);
    const pictures = controller.pictures.get(run.dataset);
    if (!pictures && !controller.missingPictures.has(run.dataset)) controller.loadPictures(run.dataset);
    const result = run.result;
    const labels = pictures ? pictures.labels : null;
    const right = labels ? result.predictions.filter((p, i) => p === labels[i]).length : null;
    this.resultsSummary.textContent = labels
      ? `Run ${run.number} (${run.description}) labels ${right} of ${labels.length} test pictures correctly ` +
        `(${percent(result.test_accuracy)}); train accuracy ${percent(result.train_accuracy)}. ` +
        "Each caption gives the predicted label and ŷ, the model's probability of \"cat\"; the " +
        `${labels.length - right} misclassified pictures are outlined and marked "wrong".`
      : controller.missingPictures.has(run.dataset) ? "The test pictures could not be loaded." : "Loading the test pictures…";
    if (!pictures || this.grid.dataset.run === String(run.number)) return;
    this.grid.dataset.run = String(run.number);
    const classes = pictures.classes;
    this.grid.replaceChildren(...pictures.images.map((png, i) => {
      const predicted = result.predictions[i];
      const correct = predicted === labels[i];
      const probability = result.probabilities[i];
      const yHat = probability === null ? "–" : probability.toFixed(2);
      return h("li", { class: "nndl-dash__pic", "data-correct": String(correct) },
        h("img", { src: `data:image/png;base64,${png}`, width: "64", height: "64",
          alt: `Test picture ${i + 1}, labelled ${classes[labels[i]]}` }),
        h("span", { class: "nndl-dash__caption" },
          h("span", {}, `${classes[predicted]}, ŷ = ${yHat}`),
          correct ? null : h("strong", { class: "nndl-dash__wrong" }, `wrong: it is a ${classes[labels[i]]}`)));
    }));
  }

  // ---- The reader's picture ----

  async openPicture(file) {
    this.lastFile = file;
    this.sayPicture("");
    let picture;
    try {
      picture = await readPicture(file, { crop: this.crop.checked });
    } catch (error) {
      const text = error instanceof Refusal ? error.message : `"${file.name}" could not be read (${error.message}).`;
      this.sayPicture(`${text} Nothing was changed.`, "error");
      return;
    }
    this.picture = picture;
    this.original.replaceChildren(
      h("img", { src: picture.preview, alt: `Your picture, ${picture.name}` }),
      h("figcaption", {}, `${picture.name}: ${picture.type}, ${picture.originalWidth} × ${picture.originalHeight} pixels`));
    this.original.hidden = false;
    this.seen.hidden = true;
    this.verdict.textContent = "";
    this.classify();
  }

  sayPicture(text, kind = "info") {
    this.pictureMessage.textContent = text;
    this.pictureMessage.dataset.kind = kind;
    this.pictureMessage.hidden = !text;
  }

  async classify() {
    const controller = this.controller;
    if (!controller) return;
    if (!this.picture) {
      this.sayPicture("Choose a picture first (or drop one on the box above).", "error");
      return;
    }
    if (!controller.runs.some((run) => run.iteration > 0)) {
      this.sayPicture("No model has been trained yet: train one above, then press Classify.", "error");
      return;
    }
    const job = ++this.classifyJob;
    this.sayPicture("Classifying…");
    let answer;
    try {
      answer = await controller.classify(this.picture, Number(this.classifyRun.value) || null);
    } catch (failure) {
      if (job === this.classifyJob) this.sayPicture(`The picture could not be classified: ${failure.message}.`, "error");
      return;
    }
    if (job !== this.classifyJob) return;
    if (answer.error) {
      this.sayPicture(answer.error, "error");
      return;
    }
    this.sayPicture("");
    this.seen.replaceChildren(
      h("img", { src: `data:image/png;base64,${answer.input_png}`, width: "128", height: "128",
        alt: "Your picture as the model sees it: 64 × 64 pixels" }),
      h("figcaption", {}, "What the model sees: 64 × 64 × 3"));
    this.seen.hidden = false;
    const probability = answer.probability === null ? "–" : answer.probability.toFixed(3);
    const training = answer.iteration < (controller.find(answer.run)?.num_iterations ?? 0) &&
      controller.find(answer.run)?.status === "training" ? `, still training at iteration ${answer.iteration}` : "";
    this.verdict.replaceChildren(
      h("strong", { class: "nndl-dash__label" }, answer.class_name),
      ` — ŷ = ${probability}, the probability of "cat" according to run ${answer.run} (${answer.description}${training}).`);
    this.verdict.dataset.label = answer.class_name;
  }
}

function fillSelect(select, runs, chosen, emptyLatest = null) {
  const options = runs.map((run) => h("option", { value: String(run.number) }, `Run ${run.number}: ${run.description}`));
  if (emptyLatest && runs.length) options.unshift(h("option", { value: "" }, "The latest run"));
  if (!options.length) options.push(h("option", { value: "" }, "No run yet"));
  const keep = select.value;
  select.replaceChildren(...options);
  const want = chosen !== null && chosen !== undefined ? String(chosen) : keep;
  if ([...select.options].some((option) => option.value === want)) select.value = want;
  else select.value = select.options[emptyLatest ? 0 : select.options.length - 1].value;
  select.disabled = !runs.length;
}

// ================================================================================================
// The cost chart: SVG, one line per run
// ================================================================================================

const SVG_NS = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

function niceStep(span, target, integer = false) {
  const raw = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const factors = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const step = factors.map((m) => m * magnitude).find((s) => span / s <= target) || 10 * magnitude;
  return integer ? Math.max(1, step) : step;
}

function tickLabel(value, step) {
  let decimals = 0; // as many as the step needs: 0.25 → 2, 0.5 → 1, 500 → 0
  while (decimals < 6 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-6) decimals++;
  return value.toFixed(decimals);
}

function costChart(runs, width) {
  // Drawn at the width it is shown, so that its text keeps the page's size on a phone too.
  const W = Math.round(Math.min(800, Math.max(300, width || 640)));
  const H = W < 480 ? 240 : 300;
  const left = 52;
  const right = 14;
  const top = 14;
  const bottom = 44;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const xMax = Math.max(1, ...runs.map((run) => run.num_iterations));
  const firsts = runs.map((run) => run.costs.find((c) => c !== null)).filter((c) => c !== undefined);
  const finite = runs.flatMap((run) => run.costs.filter((c) => c !== null));
  // Up to twice the highest starting cost: a diverging run leaves through the top.
  const yTop = finite.length ? Math.min(Math.max(...finite), 2 * Math.max(...firsts)) : 0.8;
  const yStep = niceStep(yTop || 1, 5);
  const yMax = Math.max(yStep, Math.ceil((yTop * 1.02) / yStep) * yStep);
  const xStep = niceStep(xMax, 6, true);
  const sx = (x) => left + (x / xMax) * pw;
  const sy = (y) => top + ph - (Math.min(y, yMax * 1.2) / yMax) * ph;

  const described = runs.map((run) => {
    const last = lastCost(run);
    return `run ${run.number}, ${run.description}: ${run.iteration} iterations` +
      (last === null ? "" : `, cost from ${run.costs[0]?.toFixed(3) ?? "–"} to ${last.toFixed(3)}`);
  });
  const root = svg("svg", {
    viewBox: `0 0 ${W} ${H}`, class: "nndl-dash__svg", role: "img",
    "aria-label": runs.length ? `Cost J against iteration. ${described.join("; ")}.` : "Cost J against iteration: no run yet.",
  });
  const grid = svg("g", { class: "nndl-dash__grid-lines" });
  const labels = svg("g", { class: "nndl-dash__ticks" });
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    grid.append(svg("line", { x1: left, x2: left + pw, y1: sy(y), y2: sy(y) }));
    labels.append(svg("text", { x: left - 6, y: sy(y) + 4, "text-anchor": "end" }, tickLabel(y, yStep)));
  }
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    grid.append(svg("line", { x1: sx(x), x2: sx(x), y1: top, y2: top + ph }));
    labels.append(svg("text", { x: sx(x), y: top + ph + 16, "text-anchor": "middle" }, String(Math.round(x))));
  }
  labels.append(svg("text", { x: left + pw / 2, y: H - 6, "text-anchor": "middle" }, "iteration"));
  labels.append(svg("text", { x: 14, y: top + ph / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${top + ph / 2})` }, "cost J"));
  root.append(grid, svg("path", { class: "nndl-dash__axes", d: `M${left},${top}V${top + ph}H${left + pw}` }), labels);
  const clip = `${Math.random().toString(36).slice(2)}`;
  root.append(svg("defs", {}, svg("clipPath", { id: `nndl-dash-clip-${clip}` },
    svg("rect", { x: left, y: top - 2, width: pw, height: ph + 4 }))));
  const lines = svg("g", { "clip-path": `url(#nndl-dash-clip-${clip})`, fill: "none", "stroke-width": "2", "stroke-linejoin": "round" });
  for (const run of runs) {
    let d = "";
    let pen = false;
    // At most about two points per horizontal pixel (the lowest and highest of each column).
    const perColumn = Math.max(1, Math.floor(run.costs.length / (2 * pw)));
    for (let i = 0; i < run.costs.length; i += perColumn) {
      const chunk = run.costs.slice(i, i + perColumn);
      for (const [j, c] of chunkExtremes(chunk)) {
        if (c === null) { pen = false; continue; }
        d += `${pen ? "L" : "M"}${sx(i + j).toFixed(1)},${sy(c).toFixed(1)}`;
        pen = true;
      }
    }
    lines.append(svg("path", { d, stroke: colorOf(run), "data-run": String(run.number) }));
  }
  root.append(lines);
  return root;
}

function chunkExtremes(chunk) {
  if (chunk.length <= 2) return chunk.map((c, j) => [j, c]);
  let lo = -1;
  let hi = -1;
  chunk.forEach((c, j) => {
    if (c === null) return;
    if (lo < 0 || c < chunk[lo]) lo = j;
    if (hi < 0 || c > chunk[hi]) hi = j;
  });
  if (lo < 0) return [[0, null]];
  return lo === hi ? [[lo, chunk[lo]]] : [[Math.min(lo, hi), chunk[Math.min(lo, hi)]], [Math.max(lo, hi), chunk[Math.max(lo, hi)]]];
}
