// Start Python as early as a page can: this small module is loaded asynchronously from the <head>
// of every page with cells (py_src/nndl_site/cells.py puts it there), so the Python worker starts
// while the browser is still reading the page, before the page's larger scripts (the editors,
// the maths) keep its main thread busy. runtime.js adopts the worker when the cells mount.
// Pages reached by instant navigation do not run it: there the worker is already running, or
// runtime.js starts it. When the browser asks to save data, Python waits for a Run (light.js).

import { savingData } from "./light.js";
import { spawnWorker } from "./spawn.js";

if (!savingData()) window.__nndlBootedWorker ??= spawnWorker();
