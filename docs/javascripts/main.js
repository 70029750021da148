// The course's script on every page (bundled by the Makefile; boot.js, in the <head>, only
// starts the Python worker early). Mounts, on every page Material shows (instant navigation
// included): the explorables, the dashboard, the course map's progress, the offline control, the
// quizzes, the reading mark of a lesson, and the cells with Python's start-up status.

import { watchBlocks } from "./blocks.js";
import { Session, pageKey } from "./cells.js";
import { mountDashboards } from "./dashboard/view.js";
import { h, megabytes } from "./dom.js";
import { mountExplorables } from "./explorables.js";
import { startBytes, waitForRun } from "./light.js";
import { mountOffline } from "./offline.js";
import { mountProgress, recordRead } from "./progress.js";
import { mountQuizzes } from "./quiz.js";
import { runtime } from "./runtime.js";

// ================================================================================================
// Reading: a lesson counts as read when its end has been on screen
// ================================================================================================

let readObserver = null;

function watchReading(page) {
  readObserver?.disconnect();
  readObserver = null;
  if (!page.startsWith("/lessons/") || typeof IntersectionObserver === "undefined") return;
  const article = document.querySelector(".md-content article") || document.querySelector("article");
  const end = article?.lastElementChild; // after the quiz: the links to the next lesson
  if (!end) return;
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      recordRead(page);
      observer.disconnect();
    }
  });
  observer.observe(end);
  readObserver = observer;
}

// ================================================================================================
// The start-up status, shown while Python loads (one per tab)
// ================================================================================================

class RuntimeStatus {
  constructor() {
    this.text = h("span", { class: "nndl-runtime__text" });
    this.bar = h("progress", { class: "nndl-runtime__bar", max: "1", "aria-hidden": "true" });
    this.el = h("div", { class: "nndl-runtime", role: "status", hidden: true }, this.text, this.bar);
    this.hideTimer = 0;
    runtime.on((event) => event.type === "status" && this.show(event.status));
    if (runtime.status.phase === "starting") this.show(runtime.status); // started before this
  }

  attach() {
    if (!this.el.isConnected) document.body.append(this.el);
  }

  show({ phase, detail, loaded, total }) {
    clearTimeout(this.hideTimer);
    this.el.hidden = false;
    this.el.dataset.phase = phase;
    if (phase === "starting") {
      const bytes = total ? ` · ${megabytes(loaded)} of ${megabytes(total)}` : loaded ? ` · ${megabytes(loaded)}` : "";
      this.text.textContent = `${detail}…${bytes}`;
      if (total) this.bar.value = loaded / total;
      else this.bar.removeAttribute("value"); // indeterminate
      this.bar.hidden = false;
    } else if (phase === "ready") {
      this.text.textContent = `Python is ready (${detail})`;
      this.bar.hidden = true;
      this.hideTimer = setTimeout(() => (this.el.hidden = true), 2500);
    } else if (phase === "failed") {
      this.text.textContent = `Python could not start: ${detail}. Press Run in a cell to try again.`;
      this.bar.hidden = true;
    }
  }
}

// ================================================================================================
// Mounting, on every page Material shows
// ================================================================================================

let session = null;
let status = null;

function mount() {
  watchBlocks();
  // Widgets first: they call the engine through the same runtime, away from the cells.
  mountExplorables();
  mountDashboards();
  mountProgress(); // the course map's progress, on the home page
  mountOffline(); // the service worker, and the "Make available offline" control
  mountQuizzes(pageKey()); // plain JavaScript: the quizzes work before (and without) Python
  watchReading(pageKey());
  const roots = [...document.querySelectorAll(".nndl-cell")];
  if (session && roots.length === session.roots.length && roots.every((root, i) => root === session.roots[i])) {
    return; // the same page again
  }
  session?.dispose();
  session = null;
  if (!roots.length) return;
  // Python starts first, before the cells build their editors, and not at the page's load event:
  // its downloads and start-up take seconds and run in a worker, which the page does not wait for;
  // unless the page waits for a Run (light.js): then each Run button says what it downloads.
  const waits = waitForRun(roots);
  if (!waits) runtime.start();
  status ??= new RuntimeStatus();
  status.attach();
  session = new Session(roots);
  if (waits && runtime.status.phase === "idle") {
    for (const cell of session.cells) cell.showCost(startBytes());
  }
}

if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(() => mount());
} else {
  mount();
}
