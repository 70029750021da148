// A cell's output area (.nndl-output): streamed text, rich objects, the last value, tracebacks
// and notices, in the order they happen.

import { SVG_NS, h } from "./dom.js";

const MAX_STREAM = 100_000; // characters shown per stream block; older text is hidden
const MAX_KEPT = 10_000_000; // characters of hidden text kept (to show or download); older are gone
const CHUNK = 4_000; // characters per drawn chunk of a stream
const MIN_REDRAW_MS = 100;

export class OutputArea {
  /** fileName: the name under which a long stream's full text is downloaded. */
  constructor(el, { fileName = "output.txt" } = {}) {
    this.el = el;
    this.fileName = fileName;
    this.pending = null; // { name, text } not yet on screen
    this.frame = 0;
    this.timer = 0;
    this.lastDrawn = -Infinity;
  }

  clear() {
    this.flush();
    this.el.replaceChildren();
  }

  /** Append streamed text; drawn at the next animation frame, and at most ten times a second
   *  however fast it comes (redrawing a long output costs the page more than receiving it). */
  stream(name, text) {
    if (this.pending && this.pending.name !== name) this.flush();
    if (!this.pending) this.pending = { name, text: "" };
    this.pending.text += text;
    if (this.frame || this.timer) return;
    const wait = this.lastDrawn + MIN_REDRAW_MS - performance.now();
    if (wait > 0) this.timer = setTimeout(() => this.flush(), wait);
    else this.frame = requestAnimationFrame(() => this.flush());
  }

  flush() {
    if (this.frame) cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.frame = 0;
    this.timer = 0;
    this.lastDrawn = performance.now();
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    const last = this.el.lastElementChild;
    let block = last && last.stream;
    if (!block || block.name !== pending.name) {
      block = new StreamBlock(pending.name, this.fileName);
      this.el.append(block.el);
    }
    block.append(pending.text);
  }

  /** A rich object (display(), or the last expression with result: true). */
  rich(bundle, { result = false } = {}) {
    this.flush();
    const view = renderBundle(bundle);
    this.el.append(result ? h("div", { class: "nndl-result" }, view) : view);
  }

  /** A Python traceback, its last line (the exception) emphasised. */
  error({ traceback }) {
    this.flush();
    const pre = h("pre", { class: "nndl-traceback" });
    const lines = traceback.replace(/\n+$/, "").split("\n");
    const last = lastExceptionLine(lines);
    lines.forEach((line, i) => {
      const cls = i >= last ? "nndl-traceback__message"
        : /^\s*File "<cell \d+>"/.test(line) ? "nndl-traceback__cell"
        : /^\s*[~^]+\s*$/.test(line) ? "nndl-traceback__marker" : null;
      pre.append(cls ? h("span", { class: cls }, line) : line, "\n");
    });
    this.el.append(pre);
  }

  /** A short message from the page itself (kind: "info" | "warning" | "error"). */
  notice(text, kind = "info") {
    this.flush();
    const el = h("p", { class: `nndl-notice nndl-notice--${kind}` }, text);
    this.el.append(el);
    return el;
  }
}

/**
 * One run of stdout (or stderr) text. It is drawn in chunks of a few thousand characters, each
 * its own block, so that new text redraws only the last chunk, however long the output. Beyond
 * MAX_STREAM characters the oldest chunks leave the page (a loop printing a million lines would
 * otherwise make it crawl) but not memory: a note above says how much is hidden and offers to
 * show it again, a part at a time, or to download all of it as a text file. Such a long block
 * scrolls within a box of its own, kept at its last line while text comes, so that the lesson
 * below stays a scroll away.
 */
class StreamBlock {
  constructor(name, fileName) {
    this.name = name;
    this.fileName = fileName;
    this.body = h("div", { class: "nndl-stream__body" });
    this.el = h("div", { class: `nndl-stream nndl-${name}` }, this.body);
    this.el.stream = this;
    this.chunks = [];
    this.length = 0;
    this.hidden = []; // raw text of the chunks taken off the page, oldest first
    this.hiddenLength = 0;
    this.hiddenLines = 0;
    this.lostLines = 0; // hidden lines beyond MAX_KEPT, no longer kept at all
    this.note = null;
    this.open();
  }

  open() {
    const chunk = h("div", { class: "nndl-stream__chunk" });
    chunk.raw = "";
    this.body.append(chunk);
    this.chunks.push(chunk);
    return chunk;
  }

  append(text) {
    const body = this.body;
    const following = !this.note || body.scrollHeight - body.scrollTop - body.clientHeight < 40;
    let chunk = this.chunks.at(-1);
    let raw = carriageReturns(chunk.raw + text);
    while (raw.length > CHUNK) {
      let cut = raw.lastIndexOf("\n", CHUNK);
      if (cut < 0) cut = CHUNK - 1; // one very long line: split it anyway
      this.set(chunk, raw.slice(0, cut + 1), true);
      raw = raw.slice(cut + 1);
      chunk = this.open();
    }
    this.set(chunk, raw, false);
    let hid = false;
    while (this.length > MAX_STREAM && this.chunks.length > 1) {
      this.hide(this.chunks.shift());
      hid = true;
    }
    if (hid) this.updateNote();
    if (this.note && following) body.scrollTop = body.scrollHeight; // the reader was at the end
  }

  set(chunk, raw, closed) {
    this.length += raw.length - chunk.raw.length;
    chunk.raw = raw;
    // A closed chunk ends at a line break, which the next chunk's own block already makes.
    chunk.textContent = closed ? raw.replace(/\n$/, "") : raw.replace(/\r$/, "");
    // Out of sight, a chunk of a long block is not laid out (cells.css) and counts as this
    // height: its lines, unwrapped, so that the box's scroll height stays about right.
    chunk.style.containIntrinsicBlockSize = `auto ${(lineCount(raw) + 1) * 1.45}em`;
  }

  /** Take a chunk off the page, keeping its text (up to MAX_KEPT characters of hidden text). */
  hide(chunk) {
    this.length -= chunk.raw.length;
    chunk.remove();
    this.hidden.push(chunk.raw);
    this.hiddenLength += chunk.raw.length;
    this.hiddenLines += lineCount(chunk.raw);
    while (this.hiddenLength > MAX_KEPT && this.hidden.length > 1) {
      const gone = this.hidden.shift();
      this.hiddenLength -= gone.length;
      this.hiddenLines -= lineCount(gone);
      this.lostLines += lineCount(gone);
    }
  }

  /** Put the last hidden chunks (up to MAX_STREAM characters) back on the page, above the rest. */
  showEarlier() {
    const shown = [];
    let length = 0;
    while (this.hidden.length && (!shown.length || length + this.hidden.at(-1).length <= MAX_STREAM)) {
      const raw = this.hidden.pop();
      length += raw.length;
      shown.unshift(raw);
    }
    const chunks = shown.map((raw) => {
      const chunk = h("div", { class: "nndl-stream__chunk" });
      chunk.raw = "";
      this.set(chunk, raw, true);
      return chunk;
    });
    this.body.prepend(...chunks);
    this.chunks.unshift(...chunks);
    this.body.scrollTop = 0; // at the first line just shown
    this.hiddenLength -= length;
    this.hiddenLines -= shown.reduce((sum, raw) => sum + lineCount(raw), 0);
    this.updateNote();
  }

  /** Everything this block printed that is still kept, as one text. */
  fullText() {
    const lost = this.lostLines
      ? `[The first ${this.lostLines.toLocaleString("en")} lines were too many to keep.]\n` : "";
    return lost + this.hidden.join("") + this.chunks.map((chunk) => chunk.raw).join("");
  }

  download() {
    const blob = new Blob([this.fullText()], { type: "text/plain;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: this.fileName, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  updateNote() {
    if (!this.note) {
      this.noteText = h("span", { class: "nndl-stream__trimmed-text" });
      this.showButton = h("button", { type: "button", class: "nndl-button nndl-button--small",
        onclick: () => this.showEarlier() }, "Show earlier output");
      this.downloadButton = h("button", { type: "button", class: "nndl-button nndl-button--small",
        onclick: () => this.download() }, "Download the full output");
      this.note = h("div", { class: "nndl-stream__trimmed" },
        this.noteText, this.showButton, this.downloadButton);
      this.el.prepend(this.note);
      this.el.classList.add("nndl-stream--long");
      // A scrolling box is reached with Tab, so that the keyboard can scroll it too.
      this.body.setAttribute("tabindex", "0");
      this.body.setAttribute("role", "region");
      this.body.setAttribute("aria-label", "The output's last lines");
    }
    const lines = (n) => `${n.toLocaleString("en")} ${n === 1 ? "line" : "lines"}`;
    const parts = [];
    if (this.hiddenLines || this.hiddenLength) {
      parts.push(`${lines(this.hiddenLines)} of earlier output (${size(this.hiddenLength)}) hidden ` +
        "to keep the page responsive.");
    } else {
      parts.push("All the earlier output that was kept is shown.");
    }
    if (this.lostLines) parts.push(`The first ${lines(this.lostLines)} were too many to keep.`);
    this.noteText.textContent = parts.join(" ");
    if (!this.hidden.length && this.showButton.isConnected) {
      const focused = document.activeElement === this.showButton;
      this.showButton.remove();
      if (focused) this.downloadButton.focus();
    }
  }
}

function lineCount(text) {
  let count = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) count += 1;
  return count;
}

function size(characters) {
  return characters < 1e6 ? `${Math.ceil(characters / 1e3)} kB` : `${(characters / 1e6).toFixed(1)} MB`;
}

/**
 * Carriage returns, as a progress bar uses them: "\r" starts its line again, so "50%\r60%"
 * shows "60%". A line that ends with "\r" keeps showing its text (and the "\r", so that what
 * comes next replaces it) until more text arrives: "100%\r" then "\n" shows "100%".
 */
export function carriageReturns(text) {
  if (!text.includes("\r")) return text;
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const last = lines.length - 1;
  return lines
    .map((line, i) => {
      if (!line.includes("\r")) return line;
      const visible = line.split("\r").filter(Boolean).at(-1) ?? "";
      return i === last && line.endsWith("\r") ? `${visible}\r` : visible;
    })
    .join("\n");
}

function lastExceptionLine(lines) {
  // The exception's message starts at the last line that is not indented (it may span lines).
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i] && !/^\s/.test(lines[i]) && !/^Traceback \(most recent call last\)/.test(lines[i])) {
      return i;
    }
  }
  return lines.length - 1;
}

/** The MIME type of an exercise check's verdict (nndl.exercises.VERDICT_MIME). */
export const VERDICT_MIME = "application/vnd.nndl.verdict+json";

/** Text with `inline code` as <code> elements (the course's messages quote code in backticks). */
export function withCode(text) {
  return text.split("`").map((part, i) => (i % 2 ? h("code", {}, part) : part));
}

/** A check's verdict: <div class="nndl-verdict" data-verdict="pass|fail">, its label ("Correct",
 *  "Not yet": the words before the message's first colon) in bold, then the message. */
export function renderVerdict({ verdict, message }) {
  const pass = verdict === "pass";
  const colon = message.indexOf(":");
  const label = colon > 0 && colon < 40 ? message.slice(0, colon) : pass ? "Correct" : "Not yet";
  const rest = colon > 0 && colon < 40 ? message.slice(colon + 1).trimStart() : message;
  return h("div", { class: "nndl-verdict", "data-verdict": pass ? "pass" : "fail" },
    h("span", { class: "nndl-verdict__icon", "aria-hidden": "true" }, pass ? "✓" : "✗"),
    h("p", { class: "nndl-verdict__text" },
      h("strong", { class: "nndl-verdict__label" }, label), rest ? ": " : "", ...withCode(rest)));
}

/** The best view of a MIME bundle: a verdict, SVG, PNG/JPEG, HTML, then plain text. */
export function renderBundle(bundle) {
  const text = bundle["text/plain"] ?? "";
  if (bundle[VERDICT_MIME]) {
    try {
      const data = JSON.parse(bundle[VERDICT_MIME]);
      if (typeof data.message === "string") return renderVerdict(data);
    } catch {
      // not a verdict this page can read: shown as text below
    }
  }
  if (bundle["image/svg+xml"]) {
    const svg = parseSVG(bundle["image/svg+xml"]);
    if (svg) return h("div", { class: "nndl-figure" }, svg);
  }
  for (const mime of ["image/png", "image/jpeg"]) {
    if (bundle[mime]) {
      return h("div", { class: "nndl-figure" },
        h("img", { src: `data:${mime};base64,${bundle[mime]}`, alt: text.replace(/^<|>$/g, "") }));
    }
  }
  if (bundle["text/html"]) {
    const div = h("div", { class: "nndl-html" });
    div.innerHTML = bundle["text/html"];
    for (const script of div.querySelectorAll("script")) script.remove();
    return div;
  }
  return h("pre", { class: "nndl-text" }, text);
}

function parseSVG(source) {
  const doc = new DOMParser().parseFromString(source, "image/svg+xml");
  const root = doc.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== "svg" || doc.querySelector("parsererror")) {
    return null;
  }
  for (const el of root.querySelectorAll("script, foreignObject")) el.remove();
  for (const el of [root, ...root.querySelectorAll("*")]) {
    for (const attribute of [...el.attributes]) {
      if (/^on/i.test(attribute.name)) el.removeAttribute(attribute.name);
    }
  }
  return document.importNode(root, true);
}
