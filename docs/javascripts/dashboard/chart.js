// The dashboard's cost chart: SVG, one line per run, in the colours of nndl.display's plots.

// build/js-constants.json, written from the engine by scripts/js_constants.py.
import CONSTANTS from "nndl-constants";
import { svg } from "../dom.js";
import { lastCost } from "./words.js";

// The colours of nndl.display.line_plot, so that runs look alike in cells and here.
const COLORS = CONSTANTS.palette;

export function colorOf(run) {
  return COLORS[(run.number - 1) % COLORS.length];
}

function niceStep(span, target, integer = false) {
  const raw = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const factors = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const step = factors.map((m) => m * magnitude).find((s) => span / s <= target) || 10 * magnitude;
  return integer ? Math.max(1, step) : step;
}

function tickLabel(value, step) {
  let decimals = 0; // as many as the step needs: 0.25 → 2, 0.5 → 1, 500 → 0
  while (decimals < 6 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-6) decimals++;
  return value.toFixed(decimals);
}

export function costChart(runs, width) {
  // Drawn at the width it is shown, so that its text keeps the page's size on a phone too.
  const W = Math.round(Math.min(800, Math.max(300, width || 640)));
  const H = W < 480 ? 240 : 300;
  const left = 52;
  const right = 14;
  const top = 14;
  const bottom = 44;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const xMax = Math.max(1, ...runs.map((run) => run.num_iterations));
  const firsts = runs.map((run) => run.costs.find((c) => c !== null)).filter((c) => c !== undefined);
  const finite = runs.flatMap((run) => run.costs.filter((c) => c !== null));
  // Up to twice the highest starting cost: a diverging run leaves through the top.
  const yTop = finite.length ? Math.min(Math.max(...finite), 2 * Math.max(...firsts)) : 0.8;
  const yStep = niceStep(yTop || 1, 5);
  const yMax = Math.max(yStep, Math.ceil((yTop * 1.02) / yStep) * yStep);
  const xStep = niceStep(xMax, 6, true);
  const sx = (x) => left + (x / xMax) * pw;
  const sy = (y) => top + ph - (Math.min(y, yMax * 1.2) / yMax) * ph;

  const described = runs.map((run) => {
    const last = lastCost(run);
    return `run ${run.number}, ${run.description}: ${run.iteration} iterations` +
      (last === null ? "" : `, cost from ${run.costs[0]?.toFixed(3) ?? "–"} to ${last.toFixed(3)}`);
  });
  const root = svg("svg", {
    viewBox: `0 0 ${W} ${H}`, class: "nndl-dash__svg", role: "img",
    "aria-label": runs.length ? `Cost J against iteration. ${described.join("; ")}.` : "Cost J against iteration: no run yet.",
  });
  const grid = svg("g", { class: "nndl-dash__grid-lines" });
  const labels = svg("g", { class: "nndl-dash__ticks" });
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    grid.append(svg("line", { x1: left, x2: left + pw, y1: sy(y), y2: sy(y) }));
    labels.append(svg("text", { x: left - 6, y: sy(y) + 4, "text-anchor": "end" }, tickLabel(y, yStep)));
  }
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    grid.append(svg("line", { x1: sx(x), x2: sx(x), y1: top, y2: top + ph }));
    labels.append(svg("text", { x: sx(x), y: top + ph + 16, "text-anchor": "middle" }, String(Math.round(x))));
  }
  labels.append(svg("text", { x: left + pw / 2, y: H - 6, "text-anchor": "middle" }, "iteration"));
  labels.append(svg("text", { x: 14, y: top + ph / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${top + ph / 2})` }, "cost J"));
  root.append(grid, svg("path", { class: "nndl-dash__axes", d: `M${left},${top}V${top + ph}H${left + pw}` }), labels);
  const clip = `${Math.random().toString(36).slice(2)}`;
  root.append(svg("defs", {}, svg("clipPath", { id: `nndl-dash-clip-${clip}` },
    svg("rect", { x: left, y: top - 2, width: pw, height: ph + 4 }))));
  const lines = svg("g", { "clip-path": `url(#nndl-dash-clip-${clip})`, fill: "none", "stroke-width": "2", "stroke-linejoin": "round" });
  for (const run of runs) {
    let d = "";
    let pen = false;
    // At most about two points per horizontal pixel (the lowest and highest of each column).
    const perColumn = Math.max(1, Math.floor(run.costs.length / (2 * pw)));
    for (let i = 0; i < run.costs.length; i += perColumn) {
      const chunk = run.costs.slice(i, i + perColumn);
      for (const [j, c] of chunkExtremes(chunk)) {
        if (c === null) { pen = false; continue; }
        d += `${pen ? "L" : "M"}${sx(i + j).toFixed(1)},${sy(c).toFixed(1)}`;
        pen = true;
      }
    }
    lines.append(svg("path", { d, stroke: colorOf(run), "data-run": String(run.number) }));
  }
  root.append(lines);
  return root;
}

function chunkExtremes(chunk) {
  if (chunk.length <= 2) return chunk.map((c, j) => [j, c]);
  let lo = -1;
  let hi = -1;
  chunk.forEach((c, j) => {
    if (c === null) return;
    if (lo < 0 || c < chunk[lo]) lo = j;
    if (hi < 0 || c > chunk[hi]) hi = j;
  });
  if (lo < 0) return [[0, null]];
  return lo === hi ? [[lo, chunk[lo]]] : [[Math.min(lo, hi), chunk[Math.min(lo, hi)]], [Math.max(lo, hi), chunk[Math.max(lo, hi)]]];
}
