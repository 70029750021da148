// The lessons' maths, rendered in the page by KaTeX, bundled from npm with its stylesheet and
// fonts (esbuild), so no request leaves the site. pymdownx.arithmatex (generic mode) leaves the
// TeX in \( … \) and \[ … \] inside elements of class "arithmatex"; Material's document$ emits
// on the first load and after every instant navigation. Once the maths is drawn (and again once
// KaTeX's fonts are in), the boxes too wide for the screen are made reachable by keyboard.
import renderMathInElement from "katex/contrib/auto-render";
import "katex/dist/katex.min.css";
import { markScrollable } from "./scrollable.js";

document$.subscribe(({ body }) => {
  for (const element of body.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  }
  markScrollable(body);
  document.fonts?.ready.then(() => markScrollable(body));
});
