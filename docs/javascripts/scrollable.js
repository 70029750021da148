// Boxes that scroll sideways when the screen is narrow (a displayed formula, Material's wrapper of
// a wide table) join the Tab order while their content overflows, so that a reader without a
// mouse can reach them and scroll them with the arrow keys; they leave it when the screen is wide
// enough again. Material's code blocks are focusable already.
//
// Reading a box's width lays it out. The blocks of a page far from the screen are not laid out
// until they come near it (content-visibility, site.css; a box that scrolls is never such a block
// itself, but may be inside one, a list for example), so a pass reads the boxes already laid out
// at once, then the others a few at a time in the browser's idle time: reading them all in one
// task would lay out the whole lesson in it. Each box checked says so: data-scrolls="yes" or "no".

import { laidOut } from "./blocks.js";
import { whenIdle } from "./dom.js";

const SCROLLERS = "div.arithmatex, .md-typeset__scrollwrap";
/** The longest a slice of the pass may take, in ms. */
const SLICE_MS = 8;

let pass = 0; // the pass under way: a newer one stops it

function mark(boxes) {
  // Every width is read before any attribute is written: a write between two reads would make
  // the browser lay the page out again for the next read.
  const overflowing = boxes.map((box) => box.scrollWidth > box.clientWidth + 1);
  boxes.forEach((box, i) => {
    if (overflowing[i] !== box.hasAttribute("tabindex")) {
      if (overflowing[i]) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    }
    box.dataset.scrolls = overflowing[i] ? "yes" : "no";
  });
}

export function markScrollable(root = document.body) {
  const current = ++pass;
  const boxes = [...root.querySelectorAll(SCROLLERS)];
  const now = boxes.map(laidOut);
  mark(boxes.filter((box, i) => now[i]));
  const later = boxes.filter((box, i) => !now[i]);
  const slice = () => {
    if (current !== pass) return;
    const start = performance.now();
    while (later.length && performance.now() - start < SLICE_MS) {
      const box = later.shift();
      if (box.isConnected) mark([box]);
    }
    if (later.length) whenIdle(slice, { timeout: 1000 });
  };
  if (later.length) whenIdle(slice, { timeout: 1000 });
}

let resizeTimer = 0;
addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => markScrollable(), 150);
});
