// The dashboard's words and numbers: statuses, percentages, durations, the layer sizes typed.

export const STATUS_WORDS = { training: "training", paused: "paused", done: "done", stopped: "stopped", diverged: "diverged" };

export function percent(value) {
  return value === null || value === undefined ? "–" : `${Number(value.toFixed(1))} %`;
}

export function duration(seconds) {
  if (!Number.isFinite(seconds)) return "–";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds - 60 * minutes)).padStart(2, "0")} s`;
}

export function lastCost(run) {
  for (let i = run.costs.length - 1; i >= 0; i--) if (run.costs[i] !== null) return run.costs[i];
  return null;
}

export function progressWords(run) {
  const cost = lastCost(run);
  return `Run ${run.number}: iteration ${run.iteration} of ${run.num_iterations}` +
    (cost === null ? "" : `, cost ${cost.toFixed(3)}`) + ".";
}

export function timeLeft(run) {
  if (!run.iteration || run.status !== "training") return "";
  const left = (run.elapsed / run.iteration) * (run.num_iterations - run.iteration);
  return `about ${duration(left)} left`;
}

export function runStatus(run) {
  if (run.status === "training" && run.paused) return STATUS_WORDS.paused;
  return STATUS_WORDS[run.status] || run.status;
}

/** "12288, 20, 7, 5, 1" or "[12288, 20, 7, 5, 1]" → [12288, 20, 7, 5, 1], or a message. */
export function parseLayerSizes(text) {
  const inner = text.trim().replace(/^\[/, "").replace(/\]$/, "").trim();
  const parts = inner ? inner.split(/[\s,;]+/).filter(Boolean) : [];
  if (!parts.length || !parts.every((part) => /^\d+$/.test(part))) {
    return { error: `The layer sizes are whole numbers separated by commas, such as 12288, 20, 7, 5, 1; got "${text.trim()}".` };
  }
  return { sizes: parts.map(Number) };
}
