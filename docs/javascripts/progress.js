// The reader's progress through the course, kept only in this browser (localStorage).
//
// - recordRun(page, number, total, manual) is called by cells.js each time a reader's run of a
//   cell ends with a result (not when Python restores cells after a restart). It notes, for the
//   page, the numbers of the cells that have run successfully at least once, and how many cells
//   the page has.
// - mountProgress() runs on every page Material shows (instant navigation swaps pages without a
//   reload). On the home page it finds the course map's lesson links (marked `data-lesson` in
//   docs/index.md) and shows under each lesson "Not started", "k of N cells run" or "Done ✓",
//   and, in the summary box (.nndl-progress), the overall line ("4 of 12 lessons run"), a
//   progress bar and a "Reset progress" button. Other pages are left alone.
//
// Stored as one entry, "nndl.progress":
//   { "version": 1,
//     "pages": { "/lessons/03-computation-graph/": { "run": [1, 2, 3], "total": 7, "manual": [],
//                                                   "updated": "2026-11-26T07:30:00.000Z" } } }
// Page keys are paths relative to the site root, made as cells.js makes them (pageKey()), so
// they are the same under any base path. A lesson is done when every cell not marked `manual`
// has run: a manual cell is often a deliberate error, which never "runs successfully".
// Without storage (disabled by the browser) nothing is recorded and the map says so, quietly.

import { h } from "./output.js";
import { SITE_ROOT } from "./runtime.js";
import { readJSON, removeKey, storageWorks, writeJSON } from "./storage.js";

export const PROGRESS_KEY = "nndl.progress";
const VERSION = 1;
const SUMMARY = ".nndl-progress"; // the box above the map (id "your-progress" in docs/index.md)

/** The page key of a link's address: its path relative to the site root, as cells.js makes it. */
export function pageKeyOf(href) {
  let path = new URL(href, location.href).pathname;
  if (path.startsWith(SITE_ROOT.pathname)) path = path.slice(SITE_ROOT.pathname.length);
  return `/${path.replace(/^\/+/, "").replace(/index\.html$/, "")}`;
}

// ---- The stored record ----------------------------------------------------------------------

function numbersUpTo(list, total) {
  if (!Array.isArray(list)) return [];
  const kept = list.filter((n) => Number.isInteger(n) && n >= 1 && n <= total);
  return [...new Set(kept)].sort((a, b) => a - b);
}

/** A page's entry as stored, checked (anything unreadable counts as nothing). */
function cleanEntry(entry) {
  if (!entry || typeof entry !== "object") return null;
  const total = entry.total;
  if (!Number.isInteger(total) || total < 1) return null;
  return {
    run: numbersUpTo(entry.run, total),
    total,
    manual: numbersUpTo(entry.manual, total),
    updated: typeof entry.updated === "string" ? entry.updated : "",
  };
}

/** { <page key>: entry } of everything recorded (empty without storage). */
export function readProgress() {
  const data = readJSON(PROGRESS_KEY);
  const pages = {};
  const readable = data && data.version === VERSION && data.pages && typeof data.pages === "object";
  if (!readable) return pages;
  for (const [page, entry] of Object.entries(data.pages)) {
    const clean = cleanEntry(entry);
    if (clean) pages[page] = clean;
  }
  return pages;
}

/** Note that cell `number` of `page` (which has `total` cells, of which the numbers in `manual`
 *  are marked manual) ran successfully. Returns false when the browser refused to store it. */
export function recordRun(page, number, total, manual = []) {
  const pages = readProgress();
  const before = pages[page];
  // A lesson whose number of cells changed keeps only the cells that still exist.
  const run = before ? numbersUpTo(before.run, total) : [];
  if (!run.includes(number)) run.push(number);
  pages[page] = {
    run: numbersUpTo(run, total),
    total,
    manual: numbersUpTo(manual, total),
    updated: new Date().toISOString(),
  };
  const stored = writeJSON(PROGRESS_KEY, { version: VERSION, pages });
  if (stored) refresh();
  return stored;
}

/** What to say about one page: { state: "none" | "started" | "done", text, run, total }. */
export function statusOf(entry) {
  if (!entry || !entry.run.length) {
    return { state: "none", text: "Not started", run: 0, total: entry?.total ?? 0 };
  }
  const { run, total, manual } = entry;
  let done = true;
  for (let n = 1; n <= total; n++) {
    if (!manual.includes(n) && !run.includes(n)) done = false;
  }
  const counted = `${run.length} of ${total} ${total === 1 ? "cell" : "cells"} run`;
  const state = done ? "done" : "started";
  return { state, text: done ? "Done" : counted, counted, run: run.length, total };
}

// ---- The course map ---------------------------------------------------------------------------

/** Show the progress on this page if it has the course map; on every page Material shows. */
export function mountProgress() {
  render();
}

/** Draw again if this page shows progress (after a run, a reset, or another tab's change). */
function refresh() {
  if (document.querySelector(SUMMARY) || document.querySelector("a[data-lesson]")) render();
}

function render() {
  const summary = document.querySelector(SUMMARY);
  const links = [...document.querySelectorAll("a[data-lesson]")];
  if (!summary && !links.length) return;
  const works = storageWorks();
  const pages = works ? readProgress() : {};
  const counts = { done: 0, started: 0 };
  links.forEach((link, i) => {
    const status = statusOf(pages[pageKeyOf(link.href)]);
    if (status.state !== "none") counts[status.state] += 1;
    showLessonStatus(link, i, works ? status : null);
  });
  if (summary) showSummary(summary, works, links.length, counts);
}

/** The status line under one lesson of the map (removed when nothing can be known). */
function showLessonStatus(link, index, status) {
  const card = link.closest("li") || link.parentElement;
  let line = card.querySelector(":scope > .nndl-lesson-progress");
  if (!status) {
    line?.remove();
    link.removeAttribute("aria-describedby");
    return;
  }
  if (!line) {
    line = h("p", { class: "nndl-lesson-progress", id: `nndl-lesson-progress-${index + 1}` });
    card.append(line);
  }
  line.dataset.progress = status.state;
  const fraction = status.total ? status.run / status.total : 0;
  const text = status.state === "done"
    ? [h("span", {}, "Done"), " ",
      h("span", { class: "nndl-lesson-progress__mark", "aria-hidden": "true" }, "✓")]
    : [h("span", {}, status.text)];
  const bar = h("span", { class: "nndl-lesson-progress__bar", "aria-hidden": "true" }, h("span", {}));
  bar.style.setProperty("--nndl-done", String(status.state === "done" ? 1 : fraction));
  line.replaceChildren(h("span", { class: "nndl-lesson-progress__text" }, ...text), bar);
  if (status.state === "done") line.title = status.counted;
  else line.removeAttribute("title");
  link.setAttribute("aria-describedby", line.id);
}

/** The summary box: the overall line, a progress bar and Reset, or a note without storage. Built
 *  once per page and then updated in place, so that the focus stays on Reset after a reset. */
function showSummary(summary, works, lessons, { done, started }) {
  summary.dataset.mounted = "";
  if (!works) {
    summary.dataset.progress = "unavailable";
    summary.nndlParts = null;
    summary.replaceChildren(
      h("p", { class: "nndl-progress__note" },
        "Your progress is not shown: this browser does not let the site store anything " +
        "(its storage is disabled or full), so it cannot remember which lessons you have run."));
    return;
  }
  const parts = summary.nndlParts || buildSummary(summary);
  const state = done === lessons && lessons ? "done" : done || started ? "started" : "none";
  summary.dataset.progress = state;
  const overall = `${done} of ${lessons} ${lessons === 1 ? "lesson" : "lessons"} run`;
  parts.text.textContent = overall + (started ? `, ${started} more started` : "");
  parts.bar.max = Math.max(lessons, 1);
  parts.bar.value = done;
  parts.hint.textContent = done || started
    ? "A lesson counts as run when each of its cells has run once without an error. "
    : "Run the cells of a lesson and this map shows how far you got. ";
}

function buildSummary(summary) {
  const parts = {
    text: h("span", { id: "nndl-progress-text", class: "nndl-progress__text" }),
    bar: h("progress", {
      class: "nndl-progress__bar",
      "aria-labelledby": "nndl-progress-title nndl-progress-text", // "Your progress: 4 of 13 lessons run"
    }),
    hint: h("span", {}),
    reset: h("button", { type: "button", class: "nndl-button nndl-progress__reset" }, "Reset progress"),
    announce: h("span", { class: "nndl-progress__announce", role: "status" }),
  };
  parts.reset.addEventListener("click", () => resetProgress(parts));
  summary.replaceChildren(
    h("p", { class: "nndl-progress__summary" },
      h("strong", { id: "nndl-progress-title" }, "Your progress: "), parts.text),
    parts.bar,
    h("p", { class: "nndl-progress__note" }, parts.hint, "Kept only in this browser. ",
      parts.reset, " ", parts.announce));
  summary.nndlParts = parts;
  return parts;
}

function resetProgress(parts) {
  const sure = window.confirm(
    "Forget which lessons you have run? The map will show every lesson as not started. " +
    "Your edits to the code are kept.");
  if (!sure) return;
  const forgotten = removeKey(PROGRESS_KEY);
  render();
  parts.announce.textContent = forgotten
    ? "Progress reset: every lesson shows as not started."
    : "The browser did not let the site forget your progress.";
}

// Another tab ran a cell or reset the progress: show it here too.
addEventListener("storage", (event) => {
  if (event.key === PROGRESS_KEY || event.key === null) refresh();
});
