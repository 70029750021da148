// Offline use: the page's side of the service worker (docs/javascripts/sw.js, at the site root as
// sw.js) and the "Make available offline" control.
//
// - mountOffline() runs on every page Material shows. The first time, after the page has loaded
//   (so that it never delays the page or Python), it registers the worker, relative to the site
//   root, which works under any base path. Then, on each page, it asks the worker to keep the
//   page and the files it loaded; once Python is ready, the runtime too. Each page load also
//   asks the browser to look for a newer worker (a new deployment). That is what makes a
//   page visited once, and its cells, work again with no network.
// - The control, in each element .nndl-offline of a page (docs/how-to-use.md): asks the worker
//   what is saved, and offers "Make available offline" (every page and the whole runtime, with
//   the files and bytes saved so far, announced politely), then shows "Ready offline" and offers
//   to remove the copy. What it shows always comes from the worker's cache, never from a note of
//   its own, so it is true across visits and tabs.
// - The offline page (docs/offline.md), shown by the worker for a page that is not saved, names
//   that page in its .nndl-offline-missing element, with a link to try it again.
// The reader's edits and progress (localStorage) are not the worker's business: nothing here
// touches them.

import { without } from "./features.js";
import { h, megabytes } from "./dom.js";
import { SITE_ROOT, runtime } from "./runtime.js";

const WORKER_URL = new URL("sw.js", SITE_ROOT);
// A private window may have neither service workers nor Cache Storage: the site then works
// online as before, and the control says that this window cannot keep the course.
const supported = !without("service-worker") && "serviceWorker" in navigator && "caches" in window &&
  window.isSecureContext;
let registration = null; // a promise of the active registration, once registering has begun
const remembered = new Set(); // URLs this page has already asked the worker to keep


/** Send a message to the active worker; onAnswer(answer) for each answer on the reply port.
 *  Resolves with the last answer whose type is not "progress". */
async function ask(message, onAnswer = () => {}) {
  const active = (await registration)?.active;
  if (!active) throw new Error("the offline service is not running");
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = ({ data }) => {
      onAnswer(data);
      if (data.type !== "progress") resolve(data);
    };
    active.postMessage(message, [channel.port2]);
  });
}

// ---- Registering, and keeping what a visit loaded -----------------------------------------------

function register() {
  registration = new Promise((resolve) => {
    const go = () => {
      navigator.serviceWorker.register(WORKER_URL.href)
        .then((registered) => {
          // Look for a new deployment now: the browser's own check after a navigation waits
          // until the worker is idle, and online the worker sees no file that could tell it.
          registered.update().catch(() => {});
          return navigator.serviceWorker.ready;
        })
        .then(resolve, (error) => {
          console.warn(`Offline use is not available: ${error.message}`);
          resolve(null);
        });
    };
    if (document.readyState === "complete") go();
    else addEventListener("load", go, { once: true });
  });
  runtime.on((event) => {
    if (event.type === "status" && event.status.phase === "ready") rememberVisit({ runtime: true });
  });
}

/** Ask the worker to keep this page and what it loaded (and the runtime, once Python is ready). */
async function rememberVisit({ runtime: withRuntime = false } = {}) {
  const urls = [location.href, ...performance.getEntriesByType("resource").map((entry) => entry.name)]
    .filter((url) => url.startsWith(SITE_ROOT.href) && !remembered.has(url));
  if (!urls.length && !withRuntime) return;
  urls.forEach((url) => remembered.add(url));
  try {
    await ask({ type: "remember", urls, runtime: withRuntime });
  } catch {
    // No worker (registration failed): the site works as before, online.
  }
}

// ---- The control --------------------------------------------------------------------------------

class OfflineControl {
  constructor(el) {
    this.el = el;
    this.summary = h("p", { class: "nndl-offline__summary" });
    this.bar = h("progress", { class: "nndl-offline__bar", max: "1", hidden: true, "aria-hidden": "true" });
    this.detail = h("p", { class: "nndl-offline__detail" });
    this.save = h("button", { type: "button", class: "md-button md-button--primary nndl-offline__save" },
      "Make available offline");
    this.remove = h("button", { type: "button", class: "md-button nndl-offline__remove", hidden: true },
      "Remove offline copy");
    this.announce = h("p", { class: "nndl-visually-hidden", role: "status", "aria-live": "polite" });
    this.save.addEventListener("click", () => {
      if (this.save.getAttribute("aria-disabled") !== "true") this.startSaving();
    });
    this.remove.addEventListener("click", () => this.removeCopy());
    this.lastAnnounced = -1;
    el.replaceChildren(this.summary, this.bar, this.detail,
      h("p", { class: "nndl-offline__actions" }, this.save, " ", this.remove), this.announce);
    el.dataset.mounted = "";
  }

  async refresh() {
    if (!supported) {
      this.show("unsupported");
      return;
    }
    this.show("checking");
    try {
      const status = await ask({ type: "status" });
      if (status.saving) this.startSaving();
      else this.showStatus(status);
    } catch (error) {
      this.show("failed", null, `Offline use is not available here (${error.message}).`);
    }
  }

  show(state, status = null, message = "") {
    this.el.dataset.state = state;
    const saving = state === "saving";
    this.save.hidden = state === "ready" || state === "unsupported";
    this.save.setAttribute("aria-disabled", String(saving || state === "checking"));
    this.save.textContent = saving ? "Saving…" : "Make available offline";
    this.remove.hidden = !status || !status.savedFiles || saving;
    this.bar.hidden = !saving;
    let summary = "";
    let detail = "";
    if (state === "unsupported") {
      summary = "This browser cannot keep the course for offline use here (a private window " +
        "often cannot): it needs service workers and Cache Storage, on an https:// address (or " +
        "a local one). Everything works online as usual.";
    } else if (state === "checking") {
      summary = "Checking what this browser has saved…";
    } else if (status) {
      const counts = `${status.savedFiles} of ${status.files} files · ` +
        `${megabytes(status.savedBytes)} of ${megabytes(status.bytes)}`;
      if (state === "ready") {
        summary = "✓ Ready offline: every page and Python are saved in this browser.";
        detail = `${status.files} files, ${megabytes(status.bytes)}. Updates of the course replace them.`;
      } else if (saving) {
        summary = "Saving the course for offline use…";
        detail = counts;
        this.bar.value = status.bytes ? status.savedBytes / status.bytes : 0;
      } else if (state === "failed") {
        summary = `Saving stopped: ${message}. Press the button again to go on; what is saved stays saved.`;
        detail = counts;
      } else {
        summary = status.savedFiles
          ? "Saved so far: the pages you have visited and what they need. Save everything " +
            "to read any lesson and run its cells with no network."
          : "Nothing is saved for offline use yet.";
        detail = status.savedFiles
          ? `${counts} saved.`
          : `The whole course takes ${megabytes(status.bytes)} (${status.files} files).`;
      }
    } else {
      summary = message;
    }
    this.summary.textContent = summary;
    this.detail.textContent = detail;
    this.detail.hidden = !detail;
  }

  showStatus(status) {
    this.show(status.savedFiles === status.files ? "ready" : "none", status);
  }

  /** Say the progress politely, at each quarter, so a screen reader is not flooded. */
  announceProgress(status) {
    const quarter = Math.floor((4 * status.savedBytes) / Math.max(status.bytes, 1));
    if (quarter === this.lastAnnounced || quarter >= 4) return;
    this.lastAnnounced = quarter;
    this.announce.textContent = `Saving for offline use: ${25 * quarter}% (${megabytes(status.savedBytes)} ` +
      `of ${megabytes(status.bytes)}).`;
  }

  async startSaving() {
    this.lastAnnounced = -1;
    const focused = document.activeElement === this.save;
    this.show("saving", { files: 0, bytes: 0, savedFiles: 0, savedBytes: 0 });
    try {
      const end = await ask({ type: "save" }, (answer) => {
        if (answer.type !== "progress" || !this.el.isConnected) return;
        this.show("saving", answer);
        this.announceProgress(answer);
      });
      if (end.type === "failed") {
        this.show("failed", end, end.message);
        this.announce.textContent = `Saving stopped: ${end.message}.`;
      } else {
        this.showStatus(end);
        this.announce.textContent = end.savedFiles === end.files
          ? "Ready offline: every page and Python are saved in this browser."
          : `Saved ${end.savedFiles} of ${end.files} files.`;
      }
    } catch (error) {
      this.show("failed", null, `Saving stopped: ${error.message}.`);
    }
    // The button the reader pressed may be hidden now: keep the focus in the control.
    if (focused && this.save.hidden && !this.remove.hidden) this.remove.focus();
  }

  async removeCopy() {
    const focused = document.activeElement === this.remove;
    const status = await ask({ type: "remove" });
    this.showStatus(status);
    this.announce.textContent = "The offline copy is removed. Your edits and progress are kept.";
    if (focused) this.save.focus();
  }
}

/** The offline page: name the page that was asked for, with a link to try it again. */
function showMissingPage(el) {
  const asked = new URLSearchParams(location.search).get("page");
  if (!asked || !asked.startsWith(SITE_ROOT.pathname)) return;
  const link = h("a", { href: asked }, decodeURIComponent(asked.slice(SITE_ROOT.pathname.length)) || "the home page");
  el.replaceChildren("The page you asked for, ", link, ", is not saved in this browser. " +
    "The link tries it again, for when the network is back.");
}

// ---- On every page ------------------------------------------------------------------------------

export function mountOffline() {
  if (supported && !registration) register();
  if (supported) registration.then((ready) => ready && rememberVisit());
  for (const el of document.querySelectorAll(".nndl-offline:not([data-mounted])")) {
    new OfflineControl(el).refresh();
  }
  for (const el of document.querySelectorAll(".nndl-offline-missing")) showMissingPage(el);
}
