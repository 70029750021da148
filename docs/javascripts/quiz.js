// The "Check your understanding" quizzes (```quiz fences, rendered by py_src/nndl_site/exercises.py as
// static HTML: each question an element carrying data-quiz-question, a fieldset of radio buttons,
// and its answer and explanation in a <details>). Plain JavaScript, no Python.
//
// For each question: the Check button appears; the answer and explanation stay out of sight until
// the reader checks an answer (so that the quiz asks before it tells); Check says "Right" or "Not
// quite" in a status line (announced), marks the chosen and the right answers, and opens the
// explanation. The answer is recorded for the course map (progress.js); a question answered
// before shows its last answer when the page is opened again. The reader may change the answer
// and check again: the latest answer counts.

import { quizAnswer, recordQuiz } from "./progress.js";

function mountQuestion(page, question) {
  if (question.dataset.mounted !== undefined) return;
  question.dataset.mounted = "";
  const id = question.dataset.quizQuestion;
  const right = Number(question.dataset.answer);
  const radios = [...question.querySelectorAll('input[type="radio"]')];
  const actions = question.querySelector(".nndl-quiz__actions");
  const check = question.querySelector(".nndl-quiz__check");
  const feedback = question.querySelector(".nndl-quiz__feedback");
  const answer = question.querySelector(".nndl-quiz__answer");
  if (!actions || !check || !feedback || !answer || !radios.length) return;
  actions.hidden = false;
  answer.hidden = true;

  const show = (choice, { announce }) => {
    const correct = choice === right;
    question.dataset.quizResult = correct ? "right" : "wrong";
    radios.forEach((radio, i) => {
      const option = radio.closest(".nndl-quiz__option");
      if (!option) return;
      if (i === choice) option.dataset.chosen = "";
      else delete option.dataset.chosen;
      if (i === right) option.dataset.right = "";
    });
    const text = correct ? "Right." : "Not quite: see the answer and why below.";
    if (announce) feedback.textContent = text;
    else feedback.textContent = `${text} (your last answer)`;
    answer.hidden = false;
    answer.open = true;
  };

  check.addEventListener("click", () => {
    const chosen = radios.findIndex((radio) => radio.checked);
    if (chosen < 0) {
      feedback.textContent = "Choose an answer first.";
      return;
    }
    recordQuiz(page, id, { right: chosen === right, choice: chosen });
    show(chosen, { announce: true });
  });

  const before = quizAnswer(page, id);
  if (before && Number.isInteger(before.choice) && radios[before.choice]) {
    radios[before.choice].checked = true;
    show(before.choice, { announce: false });
  }
}

/** Mount the quizzes of the page shown (every page Material shows; page: its key). */
export function mountQuizzes(page) {
  for (const question of document.querySelectorAll("[data-quiz-question]")) mountQuestion(page, question);
}
