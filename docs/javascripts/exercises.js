// An exercise's hint and solution (py_src/nndl_site/exercises.py marks them; the cells know their
// exercise and part themselves). The solution is offered only after the hint was opened or a
// check failed, and opens after a confirmation.

import { h } from "./dom.js";
import { exerciseState, recordExercise } from "./progress.js";


const SOLUTION_LOCKED_HINT = "open the hint or run the check first";
const SOLUTION_LOCKED = "run the check first";

class Exercise {
  constructor(session, id, hint, solution) {
    this.session = session;
    this.id = id;
    this.hint = hint;
    this.solution = solution;
    this.here = {}; // what happened during this visit, for a browser that stores nothing
    if (hint) {
      hint.addEventListener("toggle", () => {
        if (hint.open) this.mark("hint");
      });
    }
    if (solution) {
      const summary = solution.querySelector("summary");
      this.note = h("span", { class: "nndl-solution__note" });
      summary?.append(this.note);
      summary?.addEventListener("click", (event) => this.askForSolution(event));
    }
    this.update();
  }

  get state() {
    return { ...this.here, ...exerciseState(this.session.page, this.id) };
  }

  /** Record an event of the exercise ("hint", "failed", "passed", "solution"). */
  mark(event) {
    this.here[event] = true;
    recordExercise(this.session.page, this.id, event);
    this.update();
  }

  /** The solution is offered once the hint was opened, a check failed or passed. */
  get offered() {
    const state = this.state;
    return Boolean(state.hint || state.failed || state.passed || state.solution);
  }

  update() {
    if (!this.solution) return;
    const offered = this.offered;
    if (offered) delete this.solution.dataset.locked;
    else this.solution.dataset.locked = "";
    this.note.textContent = offered ? "" : ` (${this.hint ? SOLUTION_LOCKED_HINT : SOLUTION_LOCKED})`;
    const summary = this.solution.querySelector("summary");
    summary?.setAttribute("aria-disabled", String(!offered));
  }

  askForSolution(event) {
    if (this.solution.open) return; // closing is always allowed
    if (!this.offered) {
      event.preventDefault();
      this.session.announce(`The solution is offered after you ${this.hint ? SOLUTION_LOCKED_HINT : SOLUTION_LOCKED}.`);
      this.note.classList.remove("nndl-solution__note--flash");
      void this.note.offsetWidth;
      this.note.classList.add("nndl-solution__note--flash");
      return;
    }
    if (this.state.solution) return; // seen before: no need to ask again
    const sure = window.confirm(
      "Show the solution? Trying once more, with the hint and the check's message, teaches more " +
      "than reading the answer. You can still write your own version afterwards.");
    if (!sure) {
      event.preventDefault();
      return;
    }
    this.mark("solution");
  }
}

/** The page's exercises by id, with the hint and solution py_src/nndl_site/exercises.py marked. */
export function mountExercises(session) {
  const exercises = new Map();
  const ids = new Set(session.cells.filter((cell) => cell.exercise).map((cell) => cell.exercise));
  for (const id of ids) {
    const part = (name) => document.querySelector(
      `details[data-exercise="${CSS.escape(id)}"][data-exercise-part="${name}"]`);
    exercises.set(id, new Exercise(session, id, part("hint"), part("solution")));
  }
  return exercises;
}
