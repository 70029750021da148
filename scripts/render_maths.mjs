// Render TeX to MathML with Temml, for nndl_site/maths.py, which draws the site's maths at build
// time so that the pages arrive with it in place.
//
//   echo '[{"tex": "a^2", "display": false}]' | node scripts/render_maths.mjs
//
// stdin: a JSON list of {tex, display}; stdout: a JSON list of strings, in the same order:
// temml.renderToString with display mode for display maths, the TeX kept as the formula's
// annotation (screen readers and copy as TeX), and throwOnError: false, so that a formula Temml
// cannot read is shown as its TeX in red with Temml's message rather than stopping the build.
// Any other error exits with status 1 and a message on stderr. One process renders the whole site
// (starting Node and Temml is most of the cost).
//
// Temml writes MathML only, which every engine the site supports lays out itself (MathML Core in
// Chromium, and Firefox's and WebKit's own): one element per symbol. KaTeX, which drew the maths
// before, wrote its HTML layout as well (a dozen positioned boxes per symbol: lesson 6 had 13,126
// elements with it, 6,829 without), and restyling and laying those out was most of a lesson's
// blocking time.

import temml from "temml";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

try {
  const formulas = JSON.parse(await readStdin());
  if (!Array.isArray(formulas)) throw new TypeError("expected a JSON list of {tex, display}");
  const drawn = formulas.map(({ tex, display }, index) => {
    if (typeof tex !== "string") throw new TypeError(`formula ${index}: tex is not a string`);
    try {
      return temml.renderToString(tex, { displayMode: Boolean(display), annotate: true, throwOnError: false });
    } catch (error) {
      throw new Error(`formula ${index} (${JSON.stringify(tex)}): ${error.message}`);
    }
  });
  process.stdout.write(JSON.stringify(drawn));
} catch (error) {
  process.stderr.write(`render_maths.mjs: ${error.message}\n`);
  process.exitCode = 1;
}
