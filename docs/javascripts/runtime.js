// The page's side of the Python worker: one per browser tab, surviving Material's instant
// navigation, so Pyodide and NumPy load once per visit.
//
// - Adopts the worker that boot.js started from the page's <head>, if there is one (see spawn.js
//   for where everything is located).
// - Queues runs (a cell's code) and calls (a widget asking the engine for data, protocol.js): a
//   Run pressed before Python is ready waits, it is not lost. One job is in the worker at a
//   time; the next is sent when the previous one has ended.
// - Stops runs. When the page is cross-origin isolated, a SharedArrayBuffer interrupt raises
//   KeyboardInterrupt in Python and everything else survives. Otherwise (GitHub Pages cannot send
//   the headers) the worker is terminated and a fresh one started; listeners hear "restarted" so
//   that the page can run its completed cells again.

import { RUN_ENDINGS, RUN_MESSAGES, check, message } from "./protocol.js";
import { WORKER_URL, canInterrupt, spawnWorker, takeBootedWorker } from "./spawn.js";

export { RUNTIME_URL, SITE_ROOT } from "./spawn.js";

/** How long an interrupt may take before Stop falls back to restarting the worker. */
const INTERRUPT_GRACE_MS = 1500;

/**
 * A run or a call waiting for or using the worker.
 * done: a promise of its ending, one of
 *   { type: "result", bundle }             a run finished; bundle of the last expression or null
 *   { type: "error", ename, evalue, traceback, line }   a run raised
 *   { type: "reply", data, error }         a call was answered: data, or error { message }
 *   { type: "interrupted", line }          KeyboardInterrupt from Stop (interrupt buffer)
 *   { type: "stopped", reason }            Python was restarted: reason "stop" when Stop did it
 *                                          (no interrupt buffer), else why (it crashed…)
 *   { type: "cancelled" }                  removed from the queue before it started
 *   { type: "failed", message }            Python could not start
 */
class Job {
  constructor(id, request, handlers) {
    this.id = id;
    this.request = request;
    this.handlers = handlers;
    this.started = false;
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }
}

export class Runtime {
  constructor() {
    this.worker = null;
    this.queue = [];
    this.current = null;
    this.nextId = 1;
    this.interrupt = null;
    this.listeners = new Set();
    this.status = { phase: "idle", stage: "", detail: "", loaded: 0, total: 0 };
    this.restarts = 0;
  }

  /** True when Stop can interrupt Python in place. */
  get canInterrupt() {
    return canInterrupt();
  }

  get ready() {
    return this.status.phase === "ready";
  }

  /** listener(event): { type: "status", status } | { type: "restarted", reason }. */
  on(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event) {
    for (const listener of [...this.listeners]) listener(event);
  }

  setStatus(fields) {
    this.status = { ...this.status, ...fields };
    this.emit({ type: "status", status: this.status });
  }

  /** Start the worker (once; later calls do nothing). */
  start() {
    if (!this.worker) this.spawn();
  }

  spawn(detail = "Starting Python") {
    // The first time, the worker boot.js started as the page began to load; else a new one.
    const { worker, interrupt, early } = takeBootedWorker() ?? spawnWorker();
    this.interrupt = interrupt;
    const onMessage = (event) => this.receive(worker, event.data);
    const onError = (event) => {
      event.preventDefault();
      if (worker !== this.worker) return;
      const reason = event.message || `the worker script ${WORKER_URL.pathname} could not start`;
      if (this.ready) this.restart(`Python stopped unexpectedly (${reason})`);
      else this.fail(reason);
    };
    worker.onmessage = onMessage;
    worker.onerror = onError;
    this.worker = worker;
    this.setStatus({ phase: "starting", stage: "download", detail, loaded: 0, total: 0 });
    for (const [kind, event] of early) (kind === "message" ? onMessage : onError)(event);
  }

  receive(worker, data) {
    if (worker !== this.worker) return; // a terminated worker's last words
    const msg = check(data);
    if (msg.type === "progress") {
      const { stage, detail, loaded, total } = msg;
      this.setStatus({ phase: "starting", stage, detail, loaded, total });
    } else if (msg.type === "ready") {
      markStages(msg.stages);
      this.setStatus({ phase: "ready", stage: "", detail: `Python ${msg.python}, NumPy ${msg.numpy}`, seconds: msg.seconds });
      this.pump();
    } else if (msg.type === "failed") {
      this.fail(msg.message);
    } else if (msg.type === "crashed") {
      this.restart(crashReason(msg));
    } else if (RUN_MESSAGES.has(msg.type)) {
      const job = this.current;
      if (!job || job.id !== msg.id) return;
      if (RUN_ENDINGS.has(msg.type)) {
        const { type, id, ...fields } = msg;
        this.finish(job, { type, ...fields });
        this.pump();
      } else if (msg.type === "display") {
        job.handlers.onDisplay?.(msg.bundle);
      } else {
        job.handlers[msg.type === "stdout" ? "onStdout" : "onStderr"]?.(msg.text);
      }
    }
  }

  fail(reason) {
    this.setStatus({ phase: "failed", detail: reason });
    const jobs = [this.current, ...this.queue].filter(Boolean);
    this.current = null;
    this.queue = [];
    for (const job of jobs) this.finish(job, { type: "failed", message: reason });
  }

  finish(job, ending) {
    if (this.current === job) this.current = null;
    clearTimeout(job.graceTimer);
    job.ended = true;
    job.resolve(ending);
  }

  /** Queue a run. request: { ns, cell, code }; handlers: onStart, onStdout, onStderr, onDisplay. */
  run(request, handlers = {}) {
    return this.runAll([request], handlers)[0];
  }

  /** Queue a call of the engine's `target` with `args` (see protocol.js); handlers: onStart.
   *  Its job ends like a run's, but with { type: "reply", data, error } when it was answered. */
  call(target, args = {}, handlers = {}) {
    return this.runAll([{ target, args }], handlers)[0];
  }

  /** Queue several runs; handlers: an object, or a function (request, i) → object. With
   *  { first: true } they go ahead of everything already waiting, in order (restoring cells
   *  after a restart). */
  runAll(requests, handlers = {}, { first = false } = {}) {
    const jobs = requests.map((request, i) =>
      new Job(this.nextId++, request, typeof handlers === "function" ? handlers(request, i) : handlers));
    if (first) this.queue.unshift(...jobs);
    else this.queue.push(...jobs);
    if (this.status.phase === "failed") {
      // Python could not start (the network, a missing file…): pressing Run tries again.
      this.worker?.terminate();
      this.worker = null;
    }
    this.start();
    queueMicrotask(() => this.pump());
    return jobs;
  }

  pump() {
    if (!this.ready || this.current || !this.queue.length) return;
    const job = this.queue.shift();
    this.current = job;
    job.started = true;
    job.handlers.onStart?.();
    const { ns, cell, code, target, args } = job.request;
    this.worker.postMessage(target === undefined
      ? message("run", { id: job.id, ns, cell, code })
      : message("call", { id: job.id, target, args }));
  }

  /** Stop a job: cancel it if it waits; interrupt or restart if it runs. Returns what happened:
   *  "cancelled" | "interrupting" | "restarted" | "none". */
  stop(job, reason = "stop") {
    const index = this.queue.indexOf(job);
    if (index >= 0) {
      this.queue.splice(index, 1);
      this.finish(job, { type: "cancelled" });
      return "cancelled";
    }
    if (job !== this.current) return "none";
    if (this.interrupt && !job.interrupting) {
      job.interrupting = true;
      Atomics.store(this.interrupt, 0, 2); // SIGINT: KeyboardInterrupt at the next bytecode
      // Code stuck where Python cannot check for interrupts still gets stopped.
      job.graceTimer = setTimeout(() => {
        if (this.current === job) this.restart(reason);
      }, INTERRUPT_GRACE_MS);
      return "interrupting";
    }
    this.restart(reason);
    return "restarted";
  }

  /** Terminate the worker and start a fresh one. The running job ends as "stopped" (with the
   *  reason: "stop" when the reader pressed Stop); waiting jobs stay queued. Listeners hear
   *  { type: "restarted", reason } before anything runs. */
  restart(reason) {
    this.restarts += 1;
    const job = this.current;
    this.current = null;
    this.worker?.terminate();
    this.worker = null;
    this.spawn("Restarting Python");
    if (job) this.finish(job, { type: "stopped", reason });
    this.emit({ type: "restarted", reason });
  }

  /** Drop a page visit's namespace in the worker. */
  forget(ns) {
    if (this.worker) this.worker.postMessage(message("forget", { ns }));
  }
}

/** The worker's start-up stages as User Timing marks of the page ("nndl:download",
 *  "nndl:interpreter", "nndl:numpy", "nndl:python"), for tools that measure (scripts/bench.py). */
function markStages(stages = {}) {
  for (const [name, at] of Object.entries(stages ?? {})) {
    if (typeof at !== "number") continue;
    try {
      performance.mark(`nndl:${name}`, { startTime: Math.max(0, at - performance.timeOrigin) });
    } catch {
      // A browser without User Timing's startTime: nothing to mark.
    }
  }
}

/** Words for the reader about a crash of Python (a "crashed" message of the worker). */
export function crashReason({ message: text, outOfMemory }) {
  if (outOfMemory) {
    return "Python ran out of the memory the browser allows it (4 GB at most, however much " +
      "memory this computer has) and stopped working";
  }
  return `Python crashed (${text.split("\n")[0]}) and stopped working`;
}

/** The tab's one runtime. */
export const runtime = new Runtime();
