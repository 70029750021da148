// A cell's editor, built when it is wanted, so that the main thread stays free while a lesson
// mounts: until then the cell shows the code the page was served with (highlighted at build time,
// the same colours), as a stop in the Tab order with the editor's name. The editor is built
//
// - as the cell comes near the screen (an IntersectionObserver, NEAR_SCREEN ahead of it), one
//   editor per task; but, for up to NEAR_HOLD_MS, not while a run the reader asked for waits for
//   its result (holdBuilds): a quick cell's result then comes first and is drawn, and the editor
//   comes after that frame (the cell shows the same code meanwhile);
// - when the reader reaches the code: a click (the cursor lands where it was clicked) or the
//   keyboard focus (the focus moves into the editor);
// - when the page needs it (its code edited, focused, set or marked) — and the page asks only
//   for the code's text without building it;
// - otherwise, one editor at a time in the browser's idle time, after the page has loaded, so
//   that every cell has its editor soon without any long task; but not while a run the reader
//   asked for waits for its result, nor before the frame that draws it (holdBuilds). Building an
//   editor lays out the page, which on a long lesson takes WebKit about 50–65 ms, and a result
//   that arrives meanwhile waits for it.
//   WebKit has no requestIdleCallback, so its "idle time" is a timer that fires every 50 ms.
//
// lazyEditor() returns the interface of createEditor() (editor.js); `view` builds the editor.

import { afterNextFrame, whenIdle } from "./dom.js";
import { createEditor } from "./editor.js";

/** How far ahead of the screen an editor is built. */
const NEAR_SCREEN = "600px 0px";
/** How long the editors near the screen wait for a run's result at most: a quick cell's. */
const NEAR_HOLD_MS = 300;

const builders = new Map(); // placeholder → build()
let observer = null;
const near = new Set(); // placeholders near the screen, waiting for their turn (buildNear)
let nearTask = 0; // the timer of buildNear's next step; -1 while the builds wait for a frame
let idle = false;
let holds = 0; // runs waiting for their results (holdBuilds)
let resume = null; // the idle builds' next step, while they are held
let nearHeldUntil = 0; // performance.now() until which the builds near the screen wait
let settling = false; // the runs' results just came: no build before the next frame (holdBuilds)

function watch(placeholder, build) {
  builders.set(placeholder, build);
  if (typeof IntersectionObserver === "undefined") {
    build();
    return;
  }
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) if (entry.isIntersecting) near.add(entry.target);
    buildNear();
  }, { rootMargin: NEAR_SCREEN });
  observer.observe(placeholder);
  buildWhenIdle();
}

/** Build the editors near the screen one per task, the first at once: several built in one task
 *  (a lesson opened on a phone has three or four within reach) would be one long task. */
function buildNear() {
  if (nearTask) return;
  const [placeholder] = near;
  if (!placeholder) return;
  const wait = holds > 0 ? nearHeldUntil - performance.now() : 0;
  if (wait > 0) {
    buildNearLater(wait);
    return;
  }
  near.delete(placeholder);
  if (placeholder.isConnected) builders.get(placeholder)?.();
  else unwatch(placeholder); // a page left by instant navigation
  if (near.size) buildNearLater(0);
}

function buildNearLater(delay) {
  nearTask = setTimeout(() => {
    nearTask = 0;
    buildNear();
  }, delay);
}

function unwatch(placeholder) {
  near.delete(placeholder);
  builders.delete(placeholder);
  observer?.unobserve(placeholder);
}

/** Hold the builds until `promise` settles (a run's result, on its way): the idle ones until
 *  then, the ones near the screen for NEAR_HOLD_MS at most. */
export function holdBuilds(promise) {
  holds += 1;
  nearHeldUntil = performance.now() + NEAR_HOLD_MS;
  const release = () => {
    holds -= 1;
    if (holds > 0 || settling) return;
    // The builds go on after the next frame (those of cells found near the screen meanwhile, and
    // an idle build already asked for, too): the result is drawn before an editor lays out the page.
    settling = true;
    clearTimeout(nearTask);
    nearTask = -1;
    afterNextFrame(() => {
      settling = false;
      nearTask = 0;
      buildNear();
      if (resume) {
        const step = resume;
        resume = null;
        whenIdle(step);
      }
    });
  };
  promise.then(release, release);
}

/** Build the remaining editors one per idle period, in the page's order, once it has loaded. */
function buildWhenIdle() {
  if (idle) return;
  idle = true;
  const next = (deadline) => {
    const [placeholder] = builders.keys();
    if (!placeholder) {
      idle = false;
      return;
    }
    if (holds > 0 || settling) {
      resume = next;
      return;
    }
    if (!placeholder.isConnected) unwatch(placeholder); // a page left by instant navigation
    else if (deadline.timeRemaining() > 10) builders.get(placeholder)();
    whenIdle(next);
  };
  const start = () => whenIdle(next);
  if (document.readyState === "complete") start();
  else addEventListener("load", start, { once: true });
}

/** An editor in options.parent (createEditor's options), built when wanted (see above). */
export function lazyEditor(options) {
  const { parent, doc, label } = options;
  let editor = null;
  let mark = null;
  const placeholder = parent.firstElementChild;
  const shown = placeholder?.querySelector("code")?.textContent.replace(/\n+$/, "");

  function build() {
    if (editor) return editor;
    unwatch(placeholder);
    const focused = parent.contains(document.activeElement);
    parent.replaceChildren();
    editor = createEditor(options);
    if (mark) editor.markLine(mark);
    if (focused) editor.focus();
    return editor;
  }

  if (!placeholder || shown !== doc) {
    build(); // the reader's own edit is shown: the served code is not what the cell holds
  } else {
    placeholder.setAttribute("tabindex", "0");
    placeholder.setAttribute("role", "textbox");
    placeholder.setAttribute("aria-multiline", "true");
    placeholder.setAttribute("aria-label", label);
    placeholder.addEventListener("focus", () => build());
    placeholder.addEventListener("pointerdown", (event) => {
      event.preventDefault(); // the editor takes the focus, not the placeholder
      const { view } = build();
      const at = view.posAtCoords({ x: event.clientX, y: event.clientY });
      view.focus();
      if (at !== null) view.dispatch({ selection: { anchor: at } });
    });
    watch(placeholder, build);
  }

  return {
    get view() {
      return build().view;
    },
    get built() {
      return editor !== null;
    },
    code: () => (editor ? editor.code() : doc),
    setCode: (code) => build().setCode(code),
    focus: () => build().focus(),
    markLine(number) {
      mark = number;
      if (editor) editor.markLine(number);
      else if (number) build();
    },
  };
}
