// The reader's progress through the course, kept only in this browser (localStorage), counted in
// what a learner did: lessons read to the end, exercises passed, quiz questions answered right.
//
// - recordRead(page): the reader reached the end of a lesson (cells.js watches its last part).
// - recordExercise(page, id, event): "passed" or "failed" (a check's verdict, from cells.js),
//   "hint" or "solution" (the reader opened them). A pass is kept once earned.
// - recordQuiz(page, id, { right, choice }): the reader checked an answer (quiz.js); the latest
//   answer counts.
// - mountProgress() runs on every page Material shows (instant navigation swaps pages without a
//   reload). On the home page it finds the course map's lesson links (marked `data-lesson` in
//   docs/index.md; py_src/nndl_site/exercises.py adds to each the ids of its lesson's exercises,
//   `data-exercises`, and quiz questions, `data-quiz-questions`) and shows under each lesson
//   "Not started", what was done ("Read · 1 of 1 exercise passed · 3 of 5 questions right") or
//   "Done ✓" (every exercise passed and every question answered right), and, in the summary box
//   (.nndl-progress), the overall line, a progress bar, and Export, Import and Reset buttons.
//
// Stored as one entry, "nndl.progress", keyed by stable names only (page paths relative to the
// site root, and the ids the lessons give their exercises and questions), never by hashes of
// code, so a new version of the site keeps every reader's progress:
//   { "version": 2,
//     "lessons": { "/lessons/01-images-as-vectors/": {
//         "read": "2026-12-03T16:00:00.000Z",
//         "exercises": { "flatten": { "passed": "<time>", "failed": "<time>", "hint": "<time>" } },
//         "quiz": { "x-shape": { "right": true, "choice": 1, "answered": "<time>" } } } } }
// An entry of version 1 (which counted cells run) is read as "these lessons were read".
// Export writes this, with the reader's code edits (storage.js), to a JSON file; Import merges
// such a file into what this browser holds (a pass or a read is never lost; the latest answer
// of a question wins). Without storage nothing is recorded and the map says so, quietly.

import { h } from "./dom.js";
import { SITE_ROOT } from "./runtime.js";
import { readJSON, removeKey, storageWorks, writeJSON } from "./storage.js";

export const PROGRESS_KEY = "nndl.progress";
const VERSION = 2;
const EXPORT_FORMAT = "nndl-progress";
const EDITS_PREFIX = "nndl.edits:";
const SUMMARY = ".nndl-progress"; // the box above the map (id "your-progress" in docs/index.md)

/** The page key of a link's address: its path relative to the site root, as cells.js makes it. */
export function pageKeyOf(href) {
  let path = new URL(href, location.href).pathname;
  if (path.startsWith(SITE_ROOT.pathname)) path = path.slice(SITE_ROOT.pathname.length);
  return `/${path.replace(/^\/+/, "").replace(/index\.html$/, "")}`;
}

// ---- The stored record ----------------------------------------------------------------------

const isTime = (value) => typeof value === "string" && value.length > 0 && value.length < 40;
const isObject = (value) => value && typeof value === "object" && !Array.isArray(value);

/** A lesson's entry as stored, checked (anything unreadable counts as nothing). */
function cleanLesson(entry) {
  const lesson = { exercises: {}, quiz: {} };
  if (!isObject(entry)) return lesson;
  if (isTime(entry.read)) lesson.read = entry.read;
  for (const [id, ex] of Object.entries(isObject(entry.exercises) ? entry.exercises : {})) {
    if (!isObject(ex)) continue;
    const clean = {};
    for (const field of ["passed", "failed", "hint", "solution"]) if (isTime(ex[field])) clean[field] = ex[field];
    lesson.exercises[id] = clean;
  }
  for (const [id, answer] of Object.entries(isObject(entry.quiz) ? entry.quiz : {})) {
    if (!isObject(answer) || typeof answer.right !== "boolean") continue;
    lesson.quiz[id] = {
      right: answer.right,
      choice: Number.isInteger(answer.choice) ? answer.choice : null,
      answered: isTime(answer.answered) ? answer.answered : "",
    };
  }
  return lesson;
}

/** { <page key>: lesson } from stored data of version 2 (or 1, read as lessons read). */
function lessonsFrom(data) {
  const lessons = {};
  if (!isObject(data)) return lessons;
  if (data.version === 1 && isObject(data.pages)) {
    for (const [page, entry] of Object.entries(data.pages)) {
      if (isObject(entry) && Array.isArray(entry.run) && entry.run.length) {
        lessons[page] = cleanLesson({ read: isTime(entry.updated) ? entry.updated : new Date(0).toISOString() });
      }
    }
  } else if (data.version === VERSION && isObject(data.lessons)) {
    for (const [page, entry] of Object.entries(data.lessons)) lessons[page] = cleanLesson(entry);
  }
  return lessons;
}

/** { <page key>: lesson } of everything recorded (empty without storage). */
export function readProgress() {
  return lessonsFrom(readJSON(PROGRESS_KEY));
}

function update(page, change) {
  const lessons = readProgress();
  lessons[page] ??= cleanLesson(null);
  change(lessons[page], new Date().toISOString());
  const stored = writeJSON(PROGRESS_KEY, { version: VERSION, lessons });
  if (stored) refresh();
  return stored;
}

/** The reader reached the end of the lesson `page`. */
export function recordRead(page) {
  if (readProgress()[page]?.read) return true;
  return update(page, (lesson, now) => (lesson.read = now));
}

/** An exercise's event: "passed", "failed", "hint" or "solution". */
export function recordExercise(page, id, event) {
  return update(page, (lesson, now) => {
    const ex = (lesson.exercises[id] ??= {});
    if (event === "passed" && ex.passed) return; // the first pass is the one kept
    ex[event] = now;
  });
}

/** What the reader has done of an exercise: { passed, failed, hint, solution } (times) or {}. */
export function exerciseState(page, id) {
  return readProgress()[page]?.exercises[id] ?? {};
}

/** The reader checked an answer to question `id`. */
export function recordQuiz(page, id, { right, choice }) {
  return update(page, (lesson, now) => {
    lesson.quiz[id] = { right: Boolean(right), choice, answered: now };
  });
}

export function quizAnswer(page, id) {
  return readProgress()[page]?.quiz[id] ?? null;
}

/** What to say about one lesson, given the ids its page declares. */
export function statusOf(lesson, exercises, questions) {
  const passed = exercises.filter((id) => lesson?.exercises[id]?.passed).length;
  const right = questions.filter((id) => lesson?.quiz[id]?.right).length;
  const answered = questions.filter((id) => lesson?.quiz[id]).length;
  const read = Boolean(lesson?.read);
  const parts = [];
  if (read) parts.push("Read");
  if (exercises.length) {
    parts.push(`${passed} of ${exercises.length} ${exercises.length === 1 ? "exercise" : "exercises"} passed`);
  }
  if (questions.length) parts.push(`${right} of ${questions.length} quiz questions right`);
  const touched = read || passed || answered || Object.keys(lesson?.exercises ?? {}).length;
  const complete = passed === exercises.length && right === questions.length && (exercises.length + questions.length > 0 || read);
  const state = !touched ? "none" : complete ? "done" : "started";
  return {
    state,
    text: state === "none" ? "Not started" : state === "done" ? "Done" : parts.join(" · "),
    counted: parts.join(" · "),
    passed, right, read,
    items: exercises.length + questions.length,
    itemsDone: passed + right,
  };
}

// ---- Export and import --------------------------------------------------------------------------

/** Everything the site keeps for the reader, as the JSON of an export file. */
export function exportData() {
  const edits = {};
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(EDITS_PREFIX)) edits[key.slice(EDITS_PREFIX.length)] = readJSON(key);
    }
  } catch {
    // no storage: nothing to export but what readProgress() found (nothing)
  }
  return {
    format: EXPORT_FORMAT,
    version: VERSION,
    exported: new Date().toISOString(),
    progress: { version: VERSION, lessons: readProgress() },
    edits,
  };
}

const later = (a, b) => (!a ? b : !b ? a : a > b ? a : b);
const earlier = (a, b) => (!a ? b : !b ? a : a < b ? a : b);

function mergeLesson(mine, theirs) {
  const out = cleanLesson(mine);
  if (theirs.read) out.read = earlier(out.read, theirs.read);
  for (const [id, ex] of Object.entries(theirs.exercises)) {
    const have = (out.exercises[id] ??= {});
    have.passed = earlier(have.passed, ex.passed);
    for (const field of ["failed", "hint", "solution"]) have[field] = later(have[field], ex[field]);
    for (const field of Object.keys(have)) if (!have[field]) delete have[field];
  }
  for (const [id, answer] of Object.entries(theirs.quiz)) {
    const have = out.quiz[id];
    if (!have || (answer.answered || "") > (have.answered || "")) out.quiz[id] = answer;
  }
  return out;
}

/** Merge an export file's text into this browser. Returns a sentence for the reader; throws an
 *  Error with a sentence when the file is not a progress file. */
export function importText(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error("This file is not a progress file of this course (it is not JSON).");
  }
  if (!isObject(data) || data.format !== EXPORT_FORMAT || !isObject(data.progress)) {
    throw new Error("This file is not a progress file of this course (made by Export progress).");
  }
  const theirs = lessonsFrom(data.progress);
  const lessons = readProgress();
  for (const [page, lesson] of Object.entries(theirs)) lessons[page] = mergeLesson(lessons[page], lesson);
  if (!writeJSON(PROGRESS_KEY, { version: VERSION, lessons })) {
    throw new Error("The browser did not let the site store the imported progress.");
  }
  let edits = 0;
  for (const [page, entries] of Object.entries(isObject(data.edits) ? data.edits : {})) {
    if (!isObject(entries)) continue;
    const key = EDITS_PREFIX + page;
    const have = readJSON(key);
    const merged = isObject(have) ? { ...have } : {};
    for (const [hash, entry] of Object.entries(entries)) {
      if (!isObject(entry) || typeof entry.code !== "string") continue;
      if (!merged[hash] || (entry.saved || "") > (merged[hash].saved || "")) merged[hash] = entry;
      edits += 1;
    }
    writeJSON(key, merged);
  }
  refresh();
  const pages = Object.keys(theirs).length;
  return `Progress imported: ${pages} ${pages === 1 ? "lesson" : "lessons"}` +
    (edits ? ` and ${edits} edited ${edits === 1 ? "cell" : "cells"}.` : ".");
}

// ---- The course map ---------------------------------------------------------------------------

/** Show the progress on this page if it has the course map; on every page Material shows. */
export function mountProgress() {
  render();
}

/** Draw again if this page shows progress (after a check, a quiz answer, a reset, another tab). */
function refresh() {
  if (document.querySelector(SUMMARY) || document.querySelector("a[data-lesson]")) render();
}

const ids = (text) => (text || "").split(/\s+/).filter(Boolean);

function render() {
  const summary = document.querySelector(SUMMARY);
  const links = [...document.querySelectorAll("a[data-lesson]")];
  if (!summary && !links.length) return;
  const works = storageWorks();
  const lessons = works ? readProgress() : {};
  const totals = { done: 0, started: 0, read: 0, passed: 0, exercises: 0, right: 0, questions: 0, items: 0, itemsDone: 0 };
  links.forEach((link, i) => {
    const exercises = ids(link.dataset.exercises);
    const questions = ids(link.dataset.quizQuestions);
    const status = statusOf(lessons[pageKeyOf(link.href)], exercises, questions);
    if (status.state !== "none") totals[status.state] += 1;
    totals.read += status.read ? 1 : 0;
    totals.passed += status.passed;
    totals.exercises += exercises.length;
    totals.right += status.right;
    totals.questions += questions.length;
    totals.items += status.items;
    totals.itemsDone += status.itemsDone;
    showLessonStatus(link, i, works ? status : null);
  });
  if (summary) showSummary(summary, works, links.length, totals);
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
  const fraction = status.items ? status.itemsDone / status.items : status.read ? 1 : 0;
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

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** The summary box: the overall line, a progress bar, Export, Import and Reset, or a note without
 *  storage. Built once per page and then updated in place, so that the focus stays on a button. */
function showSummary(summary, works, lessons, totals) {
  summary.dataset.mounted = "";
  if (!works) {
    summary.dataset.progress = "unavailable";
    summary.nndlParts = null;
    summary.replaceChildren(
      h("p", { class: "nndl-progress__note" },
        "Your progress is not shown: this browser does not let the site store anything " +
        "(its storage is disabled or full), so it cannot remember your exercises and quizzes."));
    return;
  }
  const parts = summary.nndlParts || buildSummary(summary);
  const { done, started } = totals;
  const state = done === lessons && lessons ? "done" : done || started ? "started" : "none";
  summary.dataset.progress = state;
  parts.text.textContent = `${done} of ${plural(lessons, "lesson", "lessons")} done · ` +
    `${totals.passed} of ${plural(totals.exercises, "exercise", "exercises")} passed · ` +
    `${totals.right} of ${plural(totals.questions, "quiz question", "quiz questions")} right · ` +
    `${plural(totals.read, "lesson", "lessons")} read`;
  parts.bar.max = Math.max(totals.items, 1);
  parts.bar.value = totals.itemsDone;
  parts.hint.textContent = done || started
    ? "A lesson is done when its exercises pass and its quiz is answered right. "
    : "Pass a lesson's exercises and answer its quiz, and this map shows how far you got. ";
}

function buildSummary(summary) {
  const parts = {
    text: h("span", { id: "nndl-progress-text", class: "nndl-progress__text" }),
    bar: h("progress", {
      class: "nndl-progress__bar",
      "aria-labelledby": "nndl-progress-title nndl-progress-text",
    }),
    hint: h("span", {}),
    export: h("button", { type: "button", class: "nndl-button nndl-progress__export" }, "Export progress"),
    import: h("button", { type: "button", class: "nndl-button nndl-progress__import" }, "Import progress"),
    file: h("input", { type: "file", accept: ".json,application/json", hidden: true, class: "nndl-progress__file", "aria-label": "Progress file to import" }),
    reset: h("button", { type: "button", class: "nndl-button nndl-progress__reset" }, "Reset progress"),
    announce: h("span", { class: "nndl-progress__announce", role: "status" }),
  };
  parts.reset.addEventListener("click", () => resetProgress(parts));
  parts.export.addEventListener("click", () => exportProgress(parts));
  parts.import.addEventListener("click", () => parts.file.click());
  parts.file.addEventListener("change", () => importFile(parts));
  summary.replaceChildren(
    h("p", { class: "nndl-progress__summary" },
      h("strong", { id: "nndl-progress-title" }, "Your progress: "), parts.text),
    parts.bar,
    h("p", { class: "nndl-progress__note" }, parts.hint,
      "Kept only in this browser; export it to a file to keep it or move it to another browser."),
    h("p", { class: "nndl-progress__actions" },
      parts.export, " ", parts.import, " ", parts.reset, parts.file, " ", parts.announce));
  summary.nndlParts = parts;
  return parts;
}

function exportProgress(parts) {
  const text = JSON.stringify(exportData(), null, 1);
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = h("a", { href: url, download: `nndl-progress-${new Date().toISOString().slice(0, 10)}.json`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  parts.announce.textContent = "Progress exported to a file (with your edits to the code).";
}

async function importFile(parts) {
  const file = parts.file.files?.[0];
  if (!file) return;
  try {
    parts.announce.textContent = importText(await file.text());
  } catch (error) {
    parts.announce.textContent = error.message;
  }
  parts.file.value = "";
  parts.import.focus();
}

function resetProgress(parts) {
  const sure = window.confirm(
    "Forget your progress (lessons read, exercises passed, quiz answers)? The map will show " +
    "every lesson as not started. Your edits to the code are kept.");
  if (!sure) return;
  const forgotten = removeKey(PROGRESS_KEY);
  render();
  parts.announce.textContent = forgotten
    ? "Progress reset: every lesson shows as not started."
    : "The browser did not let the site forget your progress.";
}

// Another tab passed an exercise or reset the progress: show it here too.
addEventListener("storage", (event) => {
  if (event.key === PROGRESS_KEY || event.key === null) refresh();
});
