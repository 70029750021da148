// The buttons of a cell's bar (Run, Stop, Reset): an icon and a word, and a click that does
// nothing while the button is aria-disabled (a run already queued or running, nothing to reset).

import { h, svg } from "./dom.js";

const ICONS = {
  // Material Design Icons: play, stop, restore.
  run: "M8,5.14V19.14L19,12.14L8,5.14Z",
  stop: "M18,18H6V6H18V18Z",
  reset: "M13,3A9,9 0 0,0 4,12H1L4.89,15.89L4.96,16.03L9,12H6A7,7 0 0,1 13,5A7,7 0 0,1 20,12A7,7 0 0,1 13,19C11.07,19 9.32,18.21 8.06,16.94L6.64,18.36C8.27,20 10.5,21 13,21A9,9 0 0,0 22,12A9,9 0 0,0 13,3Z",
};

function icon(path) {
  return svg("svg", { viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" }, svg("path", { d: path }));
}

/** A cell's button ("Run", "Stop" or "Reset") that calls onClick, unless it is aria-disabled. */
export function cellButton(name, onClick, attributes) {
  const button = h("button", { type: "button", class: `nndl-button nndl-button--${name.toLowerCase()}`, ...attributes },
    icon(ICONS[name.toLowerCase()]), h("span", {}, name));
  button.addEventListener("click", () => {
    if (button.getAttribute("aria-disabled") !== "true") onClick();
  });
  return button;
}
