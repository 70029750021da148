// The training dashboard of lesson 13 (.nndl-dashboard): train the course's models on the sample
// pictures in the browser, watch the cost fall, compare runs, and classify the reader's picture.
// This module draws one dashboard element; controller.js holds the state and the training loop,
// chart.js the cost chart, picture.js the reader's picture.

import { h } from "../dom.js";
import { colorOf, costChart } from "./chart.js";
import { MODELS, controller } from "./controller.js";
import { PicturePanel } from "./picture.js";
import { duration, lastCost, parseLayerSizes, percent, runStatus, timeLeft } from "./words.js";

export function mountDashboards() {
  const roots = document.querySelectorAll(".nndl-dashboard:not([data-mounted])");
  if (controller.view && !controller.view.root.isConnected) controller.detach();
  for (const root of roots) controller.attach(new View(root));
}

let views = 0;

class View {
  constructor(root) {
    this.root = root;
    this.id = `nndl-dash-${++views}`;
    this.controller = null;
    this.shownRun = null; // the run whose test pictures are shown
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

    this.picturePanel = new PicturePanel(this);
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
      this.picturePanel.section,
      this.files);
    this.fillDefaults();
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
    const { classifyRun } = this.picturePanel;
    fillSelect(classifyRun, trained, Number(classifyRun.value) || null, "latest");
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
}

export function fillSelect(select, runs, chosen, emptyLatest = null) {
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
