// The lessons' maths: MathML drawn by Temml when the site is built (py_src/nndl_site/maths.py),
// laid out by the browser itself. The page needs only Temml's stylesheet, bundled here from npm
// (esbuild writes it to maths.css, and Temml's small font to fonts/), and the part of the STIX Two
// Math font that the site's maths uses, written by the build (docs/stylesheets/site.css names it),
// so no request leaves the site. Material's document$ emits on the first load and after every instant
// navigation; the displayed formulas too wide for the screen are then made reachable by keyboard,
// after the next frame, and again once the font is in (it changes the widths).
import "temml/dist/Temml-Local.css";
import { afterNextFrame } from "./dom.js";
import { markScrollable } from "./scrollable.js";

document$.subscribe(({ body }) => {
  // After the page's next frame, whose layout the widths are then read from: read now, as the
  // page mounts, they would make the browser lay out the whole page once more in that long task.
  // So would asking for document.fonts.ready then (the browser brings its styles up to date to
  // know which fonts the page needs).
  afterNextFrame(() => {
    markScrollable(body);
    if (document.fonts && document.fonts.status !== "loaded") {
      document.fonts.ready.then(() => markScrollable(body));
    }
  });
});
