// The blocks of the text far from the screen are not laid out until they come near it
// (content-visibility, site.css). While a block waits, it clips what it holds (overflow: hidden,
// on data-waits): a tool that reads the layout of the whole page, an accessibility checker for
// example, makes the browser lay out a waiting block's content, which does not grow the block's
// estimated height, and would otherwise see that content spill over the blocks below it (a block
// left behind keeps the height it had when shown, and its content may grow meanwhile: a cell's
// editor, built in idle time). While a block is shown, what it holds may draw outside it (a focus
// ring just outside a link). In a browser that does not say when a block is shown or left behind,
// no block clips.

const BLOCKS = ".md-content__inner > *";

let listening = false;

/** Whether an element's content is laid out: false inside a block that waits (a browser without
 *  checkVisibility's option answers true). */
export const laidOut = (el) => (el.firstElementChild ?? el).checkVisibility?.({ contentVisibilityAuto: true }) ?? true;

export function watchBlocks() {
  if (typeof ContentVisibilityAutoStateChangeEvent !== "function") return;
  if (!listening) {
    listening = true;
    // The event does not bubble: it is caught on its way down.
    document.addEventListener("contentvisibilityautostatechange", (event) => {
      event.target.toggleAttribute("data-waits", event.skipped);
    }, { capture: true });
  }
  // The blocks whose state was told before this script listened (the page's first frames): every
  // state read first, then every attribute set, since a read after a change makes the browser lay
  // out the page again (once per block, on a long lesson).
  const waiting = [...document.querySelectorAll(BLOCKS)]
    .filter((block) => getComputedStyle(block).contentVisibility === "auto")
    .map((block) => [block, !laidOut(block)]);
  for (const [block, waits] of waiting) block.toggleAttribute("data-waits", waits);
}
