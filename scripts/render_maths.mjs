// Render TeX to HTML with KaTeX, for nndl_site/maths.py, which draws the site's maths at build
// time so that the pages arrive with it already laid out.
//
//   echo '[{"tex": "a^2", "display": false}]' | node scripts/render_maths.mjs
//
// stdin: a JSON list of {tex, display}; stdout: a JSON list of HTML strings, in the same order:
// katex.renderToString with the options the pages used when KaTeX's auto-render drew the maths in
// the browser: KaTeX's HTML and MathML (its default output), display mode for display maths, and
// throwOnError: false, so that a formula KaTeX cannot read is shown in red with KaTeX's message
// as its title rather than stopping the build. Any other error exits with status 1 and a message
// on stderr. One process renders the whole site (starting Node and KaTeX is most of the cost).

import katex from "katex";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

try {
  const formulas = JSON.parse(await readStdin());
  if (!Array.isArray(formulas)) throw new TypeError("expected a JSON list of {tex, display}");
  const html = formulas.map(({ tex, display }, index) => {
    if (typeof tex !== "string") throw new TypeError(`formula ${index}: tex is not a string`);
    try {
      return katex.renderToString(tex, { displayMode: Boolean(display), throwOnError: false });
    } catch (error) {
      throw new Error(`formula ${index} (${JSON.stringify(tex)}): ${error.message}`);
    }
  });
  process.stdout.write(JSON.stringify(html));
} catch (error) {
  process.stderr.write(`render_maths.mjs: ${error.message}\n`);
  process.exitCode = 1;
}
