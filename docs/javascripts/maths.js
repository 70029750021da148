// The lessons' maths: drawn by KaTeX when the site is built (py_src/nndl_site/maths.py), so the page
// needs only KaTeX's stylesheet and fonts, bundled here from npm (esbuild writes them to
// maths.css and fonts/), so no request leaves the site. Material's document$ emits on the first
// load and after every instant navigation; the displayed formulas too wide for the screen are
// then made reachable by keyboard, and again once KaTeX's fonts are in (they change the widths).
import "katex/dist/katex.min.css";
import { markScrollable } from "./scrollable.js";

document$.subscribe(({ body }) => {
  markScrollable(body);
  document.fonts?.ready.then(() => markScrollable(body));
});
