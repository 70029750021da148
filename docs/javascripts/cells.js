// The cells of a lesson page: each .nndl-cell (rendered by py_src/nndl_site/cells.py from a ```pycell
// fence) becomes an editor with Run, Stop and Reset, an execution count and an output area.
//
// - A Session per page visit (main.js mounts it through Material's document$: instant navigation
//   swaps pages without reloading, so the one Python worker of runtime.js survives); each visit
//   gets its own Python namespace, shared by its cells like a notebook.
// - Run runs the cell, after running first any earlier cell that has not run yet (except cells
//   marked `manual`), visibly, so a reader can start in the middle of a lesson.
// - Run on a cell that is already queued or running does nothing (its Run button is marked
//   aria-disabled meanwhile), so clicks in a hurry, or Ctrl+Enter held down, run it once.
// - Stop interrupts Python in place when it can; otherwise Python restarts and the page runs its
//   completed cells again (the code of their last successful run), saying so. A crash of Python
//   (running out of memory…) takes the same path, and the crashed cell says why.
// - Edits are saved as they are typed (storage.js) and come back on reload.
// - Light until Python is wanted: editors are built as cells come near the screen or are reached
//   (lazy-editor.js); when the browser saves data, or the page's cells are all greetings, Python
//   starts at the first Run, whose button says what it downloads (light.js, main.js).
// - Exercises: a cell rendered from ```pycell exercise="<id>" is a starter of the exercise <id>,
//   ```pycell check="<id>" its check (py_src/nndl_site/exercises.py also marks its hint and solution).
//   A cell edited since it last ran says so ("changed since it ran", announced). Running a check
//   first runs again every earlier cell changed since it ran, so the check grades the code the
//   reader sees. The check's verdict (an element .nndl-verdict, data-verdict pass|fail, drawn by
//   output.js) is announced, marks the check cell (data-verdict; a failed check's bar is not
//   green) and is recorded for the course map (progress.js). Hints and solutions: exercises.js.
// - The reader's progress (progress.js, shown on the home page's course map) counts exercises
//   passed, quiz answers (quiz.js) and lessons read to the end, not cells run.

import { cellButton } from "./cell-buttons.js";
import { h, megabytes } from "./dom.js";
import { mountExercises } from "./exercises.js";
import { holdBuilds, lazyEditor } from "./lazy-editor.js";
import { OutputArea } from "./output.js";
import { recordExercise } from "./progress.js";
import { SITE_ROOT, runtime } from "./runtime.js";
import { EditStore, fingerprint } from "./storage.js";

const seconds = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`);
const listOfCells = (cells) => {
  const numbers = cells.map((cell) => cell.number);
  if (numbers.length === 1) return `cell ${numbers[0]}`;
  return `cells ${numbers.slice(0, -1).join(", ")} and ${numbers.at(-1)}`;
};

/** The page's path relative to the site root: the same under any base path. */
export function pageKey() {
  let path = location.pathname;
  if (path.startsWith(SITE_ROOT.pathname)) path = path.slice(SITE_ROOT.pathname.length);
  return `/${path.replace(/index\.html$/, "")}`;
}

function originalCode(root) {
  const code = root.querySelector(".nndl-cell__source code") || root.querySelector(".nndl-cell__source");
  return (code ? code.textContent : "").replace(/\n+$/, "");
}

// ================================================================================================
// One cell
// ================================================================================================

class Cell {
  constructor(session, root, index, hashes) {
    this.session = session;
    this.root = root;
    this.index = index;
    this.number = index + 1;
    this.manual = root.dataset.run === "manual";
    this.exercise = root.dataset.exercise || null;
    this.part = root.dataset.exercisePart || null; // "starter" | "check" | null
    this.lastRunCode = null; // the code of the reader's last run, whatever its ending
    this.original = originalCode(root);
    this.hash = hashes[index];
    this.job = null;
    this.lastGood = null; // { code, seq } of the last successful run
    this.timer = 0;
    this.build(hashes);
  }

  build(hashes) {
    const { root, number } = this;
    const labelId = `nndl-cell-${number}-label`;
    root.setAttribute("role", "group");
    root.setAttribute("aria-labelledby", labelId);
    this.label = h("span", { class: "nndl-cell__label", id: labelId }, `Cell ${number}`);
    this.count = h("span", { class: "nndl-cell__count", title: "Execution count" });
    this.status = h("span", { class: "nndl-cell__status" });
    this.badge = h("span", { class: "nndl-cell__badge", hidden: true }, "edited");
    this.changedBadge = h("span", { class: "nndl-cell__changed", hidden: true },
      "changed since it ran");
    this.runButton = cellButton("Run", () => this.session.run(this), {
      title: "Run (in the editor: Ctrl+Enter; Shift+Enter runs and moves to the next cell)",
    });
    this.stopButton = cellButton("Stop", () => this.session.stop(this), { title: "Stop this run" });
    this.resetButton = cellButton("Reset", () => this.reset(), { title: "Put the lesson's code back" });
    const bar = h("div", { class: "nndl-cell__bar" },
      h("span", { class: "nndl-cell__info" },
        this.label, h("span", { class: "nndl-visually-hidden" }, ", run "), this.count, this.badge,
        this.changedBadge, this.status),
      h("span", { class: "nndl-cell__buttons" }, this.runButton, this.stopButton, this.resetButton));
    const source = root.querySelector(".nndl-cell__source") || h("div", { class: "nndl-cell__source" });
    let outputEl = root.querySelector(".nndl-output");
    if (!outputEl) outputEl = h("div", { class: "nndl-output", "aria-live": "polite" });
    this.notice = h("p", { class: "nndl-cell__notice", hidden: true });
    this.output = new OutputArea(outputEl, { fileName: `output-of-cell-${number}.txt` });

    const store = this.session.store;
    const saved = store.edited(this.hash);
    this.orphan = saved ? null : store.orphan(this.index, new Set(hashes));
    const code = saved?.code ?? this.orphan?.code ?? this.original;
    if (root.firstElementChild === source && source.nextElementSibling === outputEl) {
      // As served: only the new parts are added. Moving the served code would make the browser
      // lay out every line of it again (thousands of elements, on a long lesson).
      root.prepend(bar);
      source.after(this.notice);
    } else {
      root.replaceChildren(bar, source, this.notice, outputEl);
    }
    // Built when it comes near the screen or is wanted; until then the served code shows.
    this.editor = lazyEditor({
      parent: source,
      doc: code,
      label: `Python code of cell ${number}`,
      onRun: () => this.session.run(this),
      onRunAndAdvance: () => this.session.run(this, { advance: true }),
      onEscape: () => this.runButton.focus(),
      onChange: (text) => this.edited(text),
    });
    if (this.orphan) {
      this.showNotice(
        "The lesson's code for this cell has changed since you edited it. Your version is shown; " +
        "Reset replaces it with the lesson's new code.");
    }
    this.setCount(null);
    this.setState(this.root.dataset.state || "idle");
    this.updateEdited();
    root.dataset.mounted = "";
  }

  /** Before Python has started on a page that waits for a Run: what that Run downloads. */
  showCost(bytes) {
    this.runTitle ??= this.runButton.title;
    this.runCost?.remove();
    this.runCost = null;
    this.runButton.title = this.runTitle;
    if (!bytes) return;
    this.runCost = h("span", { class: "nndl-button__cost" }, ` (${megabytes(bytes)})`);
    this.runButton.append(this.runCost);
    this.runButton.title = `Run: starts Python, a ${megabytes(bytes)} download. ${this.runTitle}`;
  }

  get state() {
    return this.root.dataset.state;
  }

  setState(state) {
    this.root.dataset.state = state;
    const running = state === "running";
    this.stopButton.setAttribute("aria-disabled", String(!running));
    this.runButton.setAttribute("aria-disabled", String(running));
    this.output.el.setAttribute("aria-busy", String(running));
  }

  setCount(value) {
    this.count.textContent = `[${value ?? " "}]`;
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  startTimer(words) {
    const t0 = performance.now();
    this.stopTimer();
    this.setStatus(words);
    this.timer = setInterval(() => this.setStatus(`${words} ${seconds(performance.now() - t0)}`), 500);
    return t0;
  }

  stopTimer() {
    clearInterval(this.timer);
    this.timer = 0;
  }

  showNotice(text) {
    this.notice.textContent = text;
    this.notice.hidden = false;
  }

  /** The reader typed: save their version (or forget it if it is the lesson's again). */
  edited(code) {
    const store = this.session.store;
    const stored = code === this.original ? store.remove(this.hash) : store.save(this.hash, this.index, code);
    if (this.orphan && code !== this.orphan.code) {
      store.remove(this.orphan.hash); // the edit now lives under the lesson's current code
      this.orphan = null;
    }
    if (!stored && !this.storageWarned) {
      this.storageWarned = true;
      this.output.notice("This browser does not let the page save your edits (storage is full or " +
        "disabled): they stay here until you leave the page.", "warning");
    }
    this.updateEdited();
  }

  updateEdited() {
    const changed = this.editor.code() !== this.original;
    this.badge.hidden = !changed;
    this.resetButton.setAttribute("aria-disabled", String(!changed && this.notice.hidden));
    this.updateChanged();
  }

  /** True when the code shown is not the code of the reader's last run of this cell. */
  get changedSinceRun() {
    return this.lastRunCode !== null && !this.job && this.editor.code() !== this.lastRunCode;
  }

  /** Show (and announce, once) that the cell's code changed since it ran; clear it after a run. */
  updateChanged() {
    const changed = this.changedSinceRun;
    this.changedBadge.hidden = !changed;
    if (changed) this.root.dataset.changed = "";
    else delete this.root.dataset.changed;
    if (changed && !this.changedAnnounced) {
      this.changedAnnounced = true;
      this.session.announce(`Cell ${this.number} changed since it ran.` +
        (this.part === "starter" ? " Its check runs it again first." : ""));
    }
    if (!changed) this.changedAnnounced = false;
  }

  reset() {
    const store = this.session.store;
    if (this.orphan) store.remove(this.orphan.hash);
    this.orphan = null;
    this.notice.hidden = true;
    if (this.editor.code() !== this.original) {
      this.editor.setCode(this.original); // undoable: Ctrl+Z in the editor brings the edit back
      this.setStatus("Lesson's code restored (Ctrl+Z in the editor undoes this)");
    }
    store.remove(this.hash);
    this.updateEdited();
  }
}

// ================================================================================================
// A page visit: its cells, its namespace, its runs
// ================================================================================================

let visits = 0;

export class Session {
  constructor(roots) {
    this.roots = roots;
    this.page = pageKey();
    this.ns = `${this.page}#${++visits}`;
    this.store = new EditStore(this.page);
    this.count = 0; // execution counter, like a notebook's In [n]
    this.seq = 0; // order of successful runs, for replaying after a restart
    this.stopped = null; // the cell whose Stop restarted Python
    const hashes = roots.map((root) => fingerprint(originalCode(root)));
    this.announcer = document.querySelector(".nndl-announcer") ||
      h("div", { class: "nndl-announcer nndl-visually-hidden", role: "status" });
    if (!this.announcer.isConnected) document.body.append(this.announcer);
    this.cells = roots.map((root, index) => new Cell(this, root, index, hashes));
    this.off = runtime.on((event) => this.onRuntime(event));
    this.exercises = mountExercises(this);
  }

  /** Say something to screen readers (a polite status region of the page). */
  announce(text) {
    this.announcer.textContent = "";
    setTimeout(() => (this.announcer.textContent = text), 50);
  }

  dispose() {
    this.off();
    const jobs = this.cells.map((cell) => cell.job).filter(Boolean);
    for (const job of jobs.reverse()) runtime.stop(job, "page left");
    for (const cell of this.cells) cell.stopTimer();
    runtime.forget(this.ns);
  }

  /** Run a cell, after the earlier cells that have not run yet. */
  run(cell, { advance = false } = {}) {
    if (advance) this.focusAfter(cell);
    if (cell.job && !cell.job.replay) return; // already queued or running (a restore may be)
    // A check grades the code the reader sees: earlier cells changed since they ran run again.
    const check = cell.part === "check";
    const before = this.cells.slice(0, cell.index).filter((c) => !c.manual && !c.job &&
      (c.state === "idle" || (check && c.changedSinceRun)));
    this.enqueue([...before, cell], { target: cell });
  }

  /** Queue runs of `cells` (one chain: a failure cancels the rest). With replay, queue the code of
   *  their last successful runs ahead of everything, quietly. */
  enqueue(cells, { target = null, replay = false } = {}) {
    const chain = { jobs: [], reason: "" };
    const requests = cells.map((cell) => ({
      ns: this.ns,
      cell: cell.number,
      code: replay ? cell.lastGood.code : cell.editor.code(),
    }));
    for (const cell of cells) {
      cell.previousState = cell.job?.replay ? "idle" : cell.state;
      cell.setState("running");
      cell.setStatus(runtime.ready ? (replay ? "Waiting to be restored" : "Queued") : "Waiting for Python");
      if (!replay) cell.setCount("*");
    }
    if (!replay) {
      cells.forEach((cell, i) => (cell.lastRunCode = requests[i].code));
      for (const cell of cells) delete cell.root.dataset.verdict;
    }
    const jobs = runtime.runAll(requests, (request, i) => this.handlers(cells[i], { replay }), { first: replay });
    jobs.forEach((job, i) => {
      const cell = cells[i];
      job.replay = replay;
      const context = { chain, replay, code: requests[i].code, auto: target && cell !== target ? target : null };
      cell.job = job;
      job.cell = cell;
      job.chain = chain;
      chain.jobs.push(job);
      job.done.then((ending) => this.finished(cell, job, ending, context));
    });
    if (!replay) holdBuilds(Promise.all(jobs.map((job) => job.done)));
    for (const cell of cells) cell.updateChanged();
    return jobs;
  }

  handlers(cell, { replay }) {
    if (replay) {
      return { onStart: () => (cell.t0 = cell.startTimer("Restoring…")) };
    }
    return {
      onStart: () => {
        cell.output.clear();
        cell.editor.markLine(null);
        cell.setCount(++this.count);
        cell.t0 = cell.startTimer("Running…");
      },
      onStdout: (text) => cell.output.stream("stdout", text),
      onStderr: (text) => cell.output.stream("stderr", text),
      onDisplay: (bundle) => cell.output.rich(bundle),
    };
  }

  finished(cell, job, ending, { chain, replay, code, auto }) {
    if (cell.job !== job) {
      // The reader ran this cell again while it was being restored: that run now owns the cell.
      if (ending.type === "result") cell.lastGood = { code, seq: ++this.seq };
      return;
    }
    cell.job = null;
    cell.stopTimer();
    cell.output.flush();
    cell.updateChanged();
    const took = job.started ? seconds(performance.now() - cell.t0) : "";
    const sameCode = cell.editor.code() === code;
    switch (ending.type) {
      case "result":
        if (!replay && ending.bundle) cell.output.rich(ending.bundle, { result: true });
        cell.lastGood = { code, seq: ++this.seq };
        cell.setState("done");
        cell.setStatus(replay ? "Restored" : auto ? `Done in ${took}, run first for cell ${auto.number}` : `Done in ${took}`);
        if (!replay) this.verdict(cell);
        break;
      case "error":
        if (replay) {
          cell.output.notice(`Python was restarted, and running this cell again to restore it failed:`, "error");
        }
        cell.output.error(ending);
        if (ending.hint) cell.output.notice(ending.hint, "info");
        if (sameCode) cell.editor.markLine(ending.line);
        cell.lastGood = null;
        cell.setState("error");
        cell.setStatus(ending.ename);
        this.cancelRest(chain, job, `Not run: cell ${cell.number} above raised ${ending.ename}.`);
        break;
      case "interrupted":
        cell.output.notice(
          `Stopped${ending.line ? ` at line ${ending.line}` : ""} (KeyboardInterrupt). ` +
          "Everything defined before that point is still there.", "warning");
        if (sameCode) cell.editor.markLine(ending.line);
        cell.lastGood = null;
        cell.setState("error");
        cell.setStatus("Stopped");
        this.cancelRest(chain, job, `Not run: cell ${cell.number} was stopped.`);
        break;
      case "stopped": {
        // Stop restarted Python, or Python crashed during this run: the restart's notice goes here.
        const crashed = ending.reason !== "stop" && ending.reason !== "page left";
        if (crashed && !replay) this.stopped = cell;
        cell.lastGood = null;
        cell.setState(replay ? "idle" : "error");
        cell.setStatus(crashed ? "Python restarted" : "Stopped");
        this.cancelRest(chain, job, crashed
          ? `Not run: Python stopped working during cell ${cell.number}.`
          : `Not run: cell ${cell.number} was stopped.`);
        break;
      }
      case "cancelled":
        cell.setState(replay ? "idle" : cell.previousState);
        if (replay) cell.lastGood = null;
        if (!replay && cell.previousState === "idle") cell.setCount(null);
        cell.setStatus(chain.reason || "Cancelled");
        if (chain.reason && !replay) cell.output.notice(chain.reason, "info");
        break;
      case "failed":
        cell.setState("error");
        cell.setCount(null);
        cell.setStatus("Python did not start");
        cell.output.notice(`Python could not start: ${ending.message}. Press Run to try again.`, "error");
        break;
    }
  }

  /** After a run: if the cell showed a check's verdict, mark the cell, announce it, record it. */
  verdict(cell) {
    const verdicts = [...cell.output.el.querySelectorAll(".nndl-verdict")];
    if (!verdicts.length) return;
    const passed = verdicts.every((el) => el.dataset.verdict === "pass");
    cell.root.dataset.verdict = passed ? "pass" : "fail";
    cell.setStatus(passed ? "Check passed" : "Check: not yet");
    this.announce(`Cell ${cell.number}: ${verdicts.map((el) => el.textContent.replace(/^[✓✗]/, "")).join(" ")}`);
    const exercise = cell.part === "check" ? cell.exercise : null;
    if (exercise) {
      const known = this.exercises.get(exercise);
      if (known) known.mark(passed ? "passed" : "failed");
      else recordExercise(this.page, exercise, passed ? "passed" : "failed");
    }
  }

  cancelRest(chain, failed, reason) {
    chain.reason = reason;
    for (const job of chain.jobs.slice(chain.jobs.indexOf(failed) + 1)) runtime.stop(job);
  }

  /** Stop the cell's run and the rest of its chain (the cells queued with it). */
  stop(cell) {
    const job = cell.job;
    if (!job) return;
    const chain = job.chain;
    chain.reason = `Not run: stopped before it started.`;
    for (const other of chain.jobs) {
      if (!other.ended && !other.started) runtime.stop(other);
    }
    const running = chain.jobs.find((other) => other.started && !other.ended);
    if (running) {
      this.stopped = running.cell;
      runtime.stop(running);
    }
  }

  onRuntime(event) {
    if (event.type === "status") {
      if (event.status.phase !== "idle") for (const cell of this.cells) cell.showCost(null);
      for (const cell of this.cells) {
        if (cell.job && !cell.job.started) cell.setStatus(runtime.ready ? "Queued" : "Waiting for Python");
      }
    } else if (event.type === "restarted") {
      // Let the endings of the stopped and cancelled runs settle first (they resolve as promises).
      setTimeout(() => this.restore(event.reason), 0);
    }
  }

  /** Python restarted: its namespace is gone. Run the completed cells again, in the order of
   *  their last successful runs, before anything else, and tell the reader. */
  restore(reason) {
    const cells = this.cells.filter((cell) => cell.state === "done" && cell.lastGood)
      .sort((a, b) => a.lastGood.seq - b.lastGood.seq);
    const where = this.stopped;
    this.stopped = null;
    const why = reason === "stop"
      ? "Stopped. This site cannot interrupt Python in place, so Python was restarted"
      : `${reason}. Python was restarted`;
    const target = where || cells.at(-1);
    let notice = null;
    if (!cells.length) {
      if (where) where.output.notice(`${why}. No earlier cell needed restoring. Your code is unchanged.`, "warning");
      return;
    }
    const list = listOfCells(cells);
    if (target) {
      notice = target.output.notice(`${why}; running ${list} again to restore their variables. Your code is unchanged.`, "warning");
    }
    const jobs = this.enqueue(cells, { replay: true });
    Promise.all(jobs.map((job) => job.done)).then((endings) => {
      if (!notice) return;
      const ok = endings.every((ending) => ending.type === "result");
      notice.textContent = ok
        ? `${why}; ${list} ran again and their variables are restored. Your code is unchanged.`
        : `${why}; restoring ${list} did not complete (see the cells above). Your code is unchanged.`;
    });
  }

  focusAfter(cell) {
    const next = this.cells[cell.index + 1];
    if (!next) return;
    next.editor.focus();
    next.root.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
}
