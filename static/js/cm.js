// CodeMirror 6 set up for manifests: YAML highlighting, line numbers, 2-space indentation, Tab inserting spaces,
// tab characters made visible, and lint markers for the server's diagnostics. Loaded lazily by editor.js through
// the page's import map (the packages are installed from npm into static/node_modules; there is no bundler).

import { EditorState } from "@codemirror/state";
import {
  Decoration, EditorView, MatchDecorator, ViewPlugin, drawSelection, highlightActiveLine,
  highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from "@codemirror/commands";
import { HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";
import { tags } from "@lezer/highlight";

const tabMarker = new MatchDecorator({
  regexp: /\t/g,
  decoration: Decoration.mark({ class: "cm-yaml-tab", attributes: { title: "tab" } }),
});

const showTabs = ViewPlugin.fromClass(
  class {
    constructor(view) {
      this.decorations = tabMarker.createDeco(view);
    }
    update(update) {
      this.decorations = tabMarker.updateDeco(update, this.decorations);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

// Tab inserts spaces up to the next 2-column stop (or indents the selected lines); Shift-Tab dedents.
function insertSpaces(view) {
  const { state } = view;
  if (state.selection.ranges.some((r) => !r.empty)) return indentMore(view);
  view.dispatch(state.changeByRange((range) => {
    const line = state.doc.lineAt(range.head);
    const width = 2 - ((range.head - line.from) % 2);
    return {
      changes: { from: range.head, insert: " ".repeat(width) },
      range: { anchor: range.head + width, head: range.head + width },
    };
  }), { scrollIntoView: true, userEvent: "input" });
  return true;
}

const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: "#7cc4ff" },
  { tag: [tags.definition(tags.propertyName)], color: "#7cc4ff" },
  { tag: [tags.string, tags.special(tags.string)], color: "#a5d6a7" },
  { tag: [tags.number, tags.bool, tags.null], color: "#f7b267" },
  { tag: tags.comment, color: "#6a7a8c", fontStyle: "italic" },
  { tag: [tags.keyword, tags.typeName], color: "#c792ea" },
  { tag: [tags.punctuation, tags.separator], color: "#8794a6" },
  { tag: [tags.labelName, tags.meta], color: "#e6c07b" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", color: "#d5dde7", backgroundColor: "#0f151d", fontSize: "13px" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "#5aa2ff" },
  ".cm-gutters": { backgroundColor: "#0f151d", color: "#4f5d6e", border: "none" },
  ".cm-activeLine": { backgroundColor: "#151e29" },
  ".cm-activeLineGutter": { backgroundColor: "#151e29", color: "#8794a6" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "#26456b" },
  ".cm-cursor": { borderLeftColor: "#5aa2ff" },
  ".cm-panels": { backgroundColor: "#17202b", color: "#d5dde7" },
  ".cm-tooltip": { backgroundColor: "#1c2633", border: "1px solid #243041" },
}, { dark: true });

export function createEditor(parent, { onChange, onSave, onApply }) {
  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    syntaxHighlighting(highlight),
    yaml(),
    indentUnit.of("  "),
    EditorState.tabSize.of(4),
    showTabs,
    lintGutter(),
    theme,
    keymap.of([
      { key: "Mod-s", run: () => (onSave(), true), preventDefault: true },
      { key: "Mod-Enter", run: () => (onApply(), true), preventDefault: true },
      { key: "Tab", run: insertSpaces },
      { key: "Shift-Tab", run: indentLess },
      ...defaultKeymap,
      ...historyKeymap,
      ...searchKeymap,
    ]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange(update.state.doc.toString());
    }),
    EditorView.contentAttributes.of({ "aria-label": "YAML" }),
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc: "", extensions }) });
  return {
    view,
    makeState: (text) => EditorState.create({ doc: text, extensions }),
    setState: (state) => view.setState(state),
    getState: () => view.state,
    getText: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
    goto: (line, column) => {
      const doc = view.state.doc;
      const target = doc.line(Math.min(Math.max(1, line), doc.lines));
      const pos = Math.min(target.to, target.from + Math.max(0, (column || 1) - 1));
      view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      view.focus();
    },
    // Diagnostics: [{line, column, message}] (1-based); the whole line is marked when there is no column.
    mark: (diagnostics) => {
      const doc = view.state.doc;
      const marks = diagnostics.filter((d) => d.line).map((d) => {
        const line = doc.line(Math.min(d.line, doc.lines));
        const from = d.column ? Math.min(line.to, line.from + d.column - 1) : line.from;
        return { from, to: Math.max(from, line.to), severity: "error", message: d.message };
      });
      view.dispatch(setDiagnostics(view.state, marks));
    },
  };
}
