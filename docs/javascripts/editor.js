// A cell's code editor: CodeMirror 6 with Python highlighting in Material's code colours (light
// and dark), line numbers, bracket matching and closing, Tab/Shift+Tab indenting, and the
// notebook keys. Esc leaves the editor, so keyboard users are never trapped in it: the focus moves
// to the cell's Run button, and until the reader types in the editor again, Tab and Shift+Tab
// pass through it (CodeMirror's tab-focus mode) instead of indenting, so that Tab can go on to
// the rest of the page from there (the Run button comes before the editor).

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { HighlightStyle, bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorSelection, EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, drawSelection, keymap, lineNumbers } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

const INDENT = "    ";
/** After Esc, Tab passes through the editor until a key is typed in it (or this many ms). */
const TAB_PASSES_MS = 24 * 3600 * 1000;

const color = (name) => `var(--md-code-hl-${name}-color)`;
const highlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: color("keyword") },
  { tag: [t.string, t.special(t.string), t.regexp], color: color("string") },
  { tag: [t.number, t.bool, t.null], color: color("number") },
  { tag: [t.comment, t.lineComment, t.blockComment], color: color("comment"), fontStyle: "italic" },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.function(t.definition(t.variableName))], color: color("function") },
  { tag: [t.className, t.definition(t.className), t.standard(t.variableName), t.self], color: color("constant") },
  { tag: [t.operator, t.compareOperator, t.arithmeticOperator, t.logicOperator, t.bitwiseOperator, t.updateOperator], color: color("operator") },
  { tag: [t.punctuation, t.bracket, t.paren, t.squareBracket, t.brace, t.separator], color: color("punctuation") },
  { tag: [t.propertyName, t.attributeName], color: color("variable") },
  { tag: [t.meta, t.annotation, t.escape], color: color("special") },
]);

const theme = EditorView.theme({
  "&": {
    backgroundColor: "var(--md-code-bg-color)",
    color: "var(--md-code-fg-color)",
    fontSize: "0.7rem",
  },
  ".cm-content": {
    fontFamily: "var(--md-code-font-family, monospace)",
    padding: "0.6em 0",
    caretColor: "var(--md-code-fg-color)",
  },
  ".cm-scroller": { fontFamily: "var(--md-code-font-family, monospace)", lineHeight: "1.5" },
  ".cm-gutters": {
    backgroundColor: "var(--md-code-bg-color)",
    color: "var(--md-default-fg-color--light)",
    border: "none",
    paddingLeft: "0.25em",
  },
  ".cm-lineNumbers .cm-gutterElement": { padding: "0 0.7em 0 0.6em", minWidth: "2.4em" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--md-code-fg-color)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--md-accent-fg-color--transparent) !important",
  },
  "&.cm-focused": { outline: "none" },
  "&.cm-focused .cm-matchingBracket": {
    backgroundColor: "var(--md-accent-fg-color--transparent)",
    outline: "1px solid var(--md-accent-fg-color)",
  },
  ".cm-nndl-error-line": {
    backgroundColor: "var(--nndl-error-bg)",
    boxShadow: "inset 3px 0 0 var(--nndl-error-fg)",
  },
});

// ---- The failing line of the last error, marked until the code changes ----------------------

const setErrorLine = StateEffect.define();
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) if (effect.is(setErrorLine)) marks = lineMark(tr.state, effect.value);
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

function lineMark(state, number) {
  if (!number || number < 1 || number > state.doc.lines) return Decoration.none;
  const line = state.doc.line(number);
  return Decoration.set([
    Decoration.line({ class: "cm-nndl-error-line", attributes: { title: "The line where the error happened" } }).range(line.from),
  ]);
}

/** Tab: indent the selected lines, or insert spaces up to the next multiple of four. */
function indentOrInsert(view) {
  const { state } = view;
  if (state.selection.ranges.some((range) => !range.empty)) return indentMore(view);
  view.dispatch(state.changeByRange((range) => {
    const column = range.head - state.doc.lineAt(range.head).from;
    const spaces = INDENT.slice(column % INDENT.length);
    return { changes: { from: range.head, insert: spaces }, range: EditorSelection.cursor(range.head + spaces.length) };
  }));
  return true;
}

/**
 * Create an editor in `parent`.
 * options: doc, label (accessible name), onRun(), onRunAndAdvance(), onEscape(), onChange(code)
 * Returns { view, code(), setCode(code), focus(), markLine(n | null) }.
 */
export function createEditor({ parent, doc, label, onRun, onRunAndAdvance, onEscape, onChange }) {
  const notebookKeys = Prec.highest(keymap.of([
    { key: "Shift-Enter", run: () => (onRunAndAdvance(), true) },
    { key: "Mod-Enter", run: () => (onRun(), true) },
    { key: "Escape", run: (view) => (view.setTabFocusMode(TAB_PASSES_MS), view.contentDOM.blur(), onEscape(), true) },
  ]));
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        notebookKeys,
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        indentUnit.of(INDENT),
        EditorState.tabSize.of(4),
        python(),
        syntaxHighlighting(highlightStyle),
        keymap.of([
          { key: "Tab", run: indentOrInsert, shift: indentLess },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        errorLine,
        theme,
        // An explicit tabindex says what the contenteditable already is, a stop in the Tab order, to
        // checkers that look for one inside a scrolling box.
        EditorView.contentAttributes.of({ "aria-label": label, "aria-multiline": "true", tabindex: "0" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    code: () => view.state.doc.toString(),
    /** Replace the code as one undoable change (Ctrl+Z brings the previous code back). */
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    focus: () => view.focus(),
    markLine: (number) => view.dispatch({ effects: setErrorLine.of(number) }),
  };
}
