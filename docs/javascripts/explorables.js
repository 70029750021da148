// The lessons' explorables (.nndl-explorable, rendered by py_src/nndl_site/explorables.py): a form and
// a view that the engine draws. The build already drew the first view; this script enables the
// form and, whenever an input changes (or the explorable's button is pressed), calls the engine's
// "explorables.render" through the page's Python worker and shows the view that comes back.
//
// - Calls go through the tab's one runtime (runtime.js): they never touch the variables of the
//   reader's cells, and they queue behind a running cell.
// - Fast input (a slider dragged) is coalesced: at most one render runs and one waits per
//   explorable, and the one waiting always has the latest values.
// - A ValueError (a mistyped list of layer sizes…) is shown as the engine words it, under the
//   form; the last good view stays, and so do the reader's inputs.

import { h } from "./dom.js";
import { runtime } from "./runtime.js";

const DEBOUNCE_MS = 60;

export function mountExplorables() {
  for (const root of document.querySelectorAll(".nndl-explorable:not([data-mounted])")) {
    new Explorable(root);
  }
}

class Explorable {
  constructor(root) {
    this.root = root;
    this.name = root.dataset.explorable;
    this.action = root.dataset.action || null;
    this.form = root.querySelector(".nndl-explorable__form");
    this.fieldset = root.querySelector(".nndl-explorable__controls");
    this.view = root.querySelector(".nndl-explorable__view");
    this.summary = root.querySelector(".nndl-explorable__summary");
    this.message = root.querySelector(".nndl-explorable__message");
    this.job = null; // the render queued or running
    this.waiting = null; // values to render once it ends
    this.timer = 0;
    this.status = h("span", { class: "nndl-explorable__status", "aria-hidden": "true" });
    this.fieldset.append(this.status);

    this.form.addEventListener("input", (event) => this.changed(event));
    this.form.addEventListener("change", (event) => this.changed(event));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.request();
    });
    this.fieldset.disabled = false;
    root.dataset.mounted = "";
  }

  values() {
    const values = {};
    for (const input of this.form.querySelectorAll("[name]")) values[input.name] = input.value;
    return values;
  }

  changed(event) {
    const input = event.target;
    const output = input.type === "range" && this.form.querySelector(`output[for="${input.id}"]`);
    if (output) output.textContent = input.value;
    if (this.action) return; // redrawn when its button is pressed
    if (event.type === "change" && input.type === "text") return; // already sent on input
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.request(), DEBOUNCE_MS);
  }

  /** Render with the form's current values, after the render in progress if there is one. */
  request() {
    this.waiting = this.values();
    if (this.job && !this.job.started) runtime.stop(this.job); // still queued: replace it
    if (!this.job) this.send();
  }

  send() {
    const values = this.waiting;
    this.waiting = null;
    this.setState("running");
    const job = runtime.call("explorables.render", { name: this.name, values }, {
      onStart: () => this.showStatus(this.action ? "Running…" : "Computing…"),
    });
    this.job = job;
    this.showStatus(runtime.ready
      ? (runtime.current ? "Waiting for the running cell…" : "Computing…")
      : "Waiting for Python to start…");
    job.done.then((ending) => this.finished(job, ending));
  }

  finished(job, ending) {
    if (this.job !== job) return;
    this.job = null;
    if (ending.type === "cancelled" && this.waiting) {
      this.send(); // replaced by newer values
      return;
    }
    if (ending.type === "reply" && ending.data) {
      this.show(ending.data);
      this.setState("done");
    } else if (ending.type === "reply") {
      // The engine's ValueError, for the reader (anything else comes with its type named).
      this.say(ending.error.message);
      this.setState("error");
    } else if (ending.type === "failed") {
      this.say(`Python could not start: ${ending.message}. Change an input to try again.`);
      this.setState("error");
    } else if (ending.type === "stopped" || ending.type === "interrupted") {
      this.say("Python was restarted before this finished. Change an input to try again.");
      this.setState("error");
    }
    if (this.waiting) this.send();
  }

  /** view: { html, summary, data } as nndl.explorables.render's View gives them. */
  show(view) {
    const template = document.createElement("template");
    template.innerHTML = view.html;
    for (const el of template.content.querySelectorAll("script, iframe, object, embed")) el.remove();
    for (const el of template.content.querySelectorAll("*")) {
      for (const attribute of [...el.attributes]) {
        if (/^on/i.test(attribute.name)) el.removeAttribute(attribute.name);
      }
    }
    this.view.replaceChildren(template.content);
    this.view.dataset.values = JSON.stringify(view.data);
    this.summary.textContent = view.summary;
    this.message.hidden = true;
    this.message.textContent = "";
  }

  say(text) {
    this.message.textContent = text;
    this.message.hidden = false;
  }

  setState(state) {
    this.root.dataset.state = state;
    const busy = state === "running";
    this.view.setAttribute("aria-busy", String(busy));
    if (!busy) this.showStatus("");
  }

  showStatus(text) {
    this.status.textContent = text;
  }
}
