// Boxes that scroll sideways when the screen is narrow (a displayed formula, Material's wrapper of
// a wide table) join the Tab order while their content overflows, so that a reader without a
// mouse can reach them and scroll them with the arrow keys; they leave it when the screen is wide
// enough again. Material's code blocks are focusable already.

const SCROLLERS = "div.arithmatex, .md-typeset__scrollwrap";

export function markScrollable(root = document.body) {
  // Every width is read before any attribute is written: a write between two reads would make
  // the browser lay the page out again for the next read, once per formula.
  const boxes = [...root.querySelectorAll(SCROLLERS)];
  const overflowing = boxes.map((box) => box.scrollWidth > box.clientWidth + 1);
  boxes.forEach((box, i) => {
    if (overflowing[i] === box.hasAttribute("tabindex")) return;
    if (overflowing[i]) box.setAttribute("tabindex", "0");
    else box.removeAttribute("tabindex");
  });
}

let resizeTimer = 0;
addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => markScrollable(), 150);
});
