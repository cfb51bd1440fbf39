// The YAML editor panel: tabbed files, Save / Apply, the tab-character banner, error marks, and the editor of
// `kubectl edit` (a tab holding one object; saving sends edit.save). CodeMirror is loaded lazily; if it cannot be
// loaded (front-end packages not installed) a plain textarea keeps the editor usable.

import { gettext, tf } from "./i18n.js";

const TAB_INDENT = /^[ ]*\t/m;
const DEFAULT_OPEN = ["deployment.yaml", "service.yaml"];

class TextareaEditor {
  constructor(parent, { onChange, onSave, onApply }) {
    this.area = document.createElement("textarea");
    this.area.className = "fallback";
    this.area.spellcheck = false;
    this.area.setAttribute("aria-label", "YAML");
    parent.appendChild(this.area);
    this.area.addEventListener("input", () => onChange(this.area.value));
    this.area.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); onSave(); }
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") { event.preventDefault(); onApply(); }
      if (event.key === "Tab" && !event.shiftKey) { event.preventDefault(); document.execCommand("insertText", false, "  "); }
    });
  }
  makeState(text) { return text; }
  setState(text) { this.area.value = text; }
  getState() { return this.area.value; }
  getText() { return this.area.value; }
  setText(text) { this.area.value = text; this.area.dispatchEvent(new Event("input")); }
  focus() { this.area.focus(); }
  goto(line) {
    const lines = this.area.value.split("\n");
    const pos = lines.slice(0, Math.max(0, line - 1)).reduce((n, l) => n + l.length + 1, 0);
    this.area.setSelectionRange(pos, pos);
    this.area.focus();
  }
  mark() {}
}

export class EditorPanel {
  constructor({ elements, send, terminal, useCodeMirror }) {
    this.el = elements;
    this.send = send;
    this.terminal = terminal;
    this.files = new Map(); // path → content as stored on the server
    this.tabs = []; // {id, title, path | null, object | null, state, saved, commandId}
    this.active = null;
    this.editor = null;
    this.useCodeMirror = useCodeMirror;
    this.ready = null;
    this.el.save.addEventListener("click", () => this.save());
    this.el.apply.addEventListener("click", () => this.apply());
    this.el.newFile.addEventListener("click", () => this.newFile());
    this.el.open.addEventListener("change", () => {
      if (this.el.open.value) this.open(this.el.open.value);
      this.el.open.value = "";
    });
    this.el.tabFix.addEventListener("click", () => this.replaceTabs());
  }

  // Called once the page is usable (after the first snapshot), so the editor's modules never delay the terminal.
  start() {
    this.ready ??= this.load(this.useCodeMirror);
    return this.ready;
  }

  async load(useCodeMirror) {
    const callbacks = {
      onChange: (text) => this.changed(text),
      onSave: () => this.save(),
      onApply: () => this.apply(),
    };
    if (useCodeMirror) {
      try {
        const { createEditor } = await import("./cm.js");
        this.editor = createEditor(this.el.host, callbacks);
      } catch (error) {
        console.warn("CodeMirror could not be loaded; using a plain text area", error);
      }
    }
    if (!this.editor) this.editor = new TextareaEditor(this.el.host, callbacks);
    this.el.host.dataset.ready = "true";
    if (this.active) this.show(this.active);
  }

  // -- files from the server ---------------------------------------------------------------------------------
  setFiles(list) {
    this.files = new Map(list.map((f) => [f.path, f.content]));
    this.renderFileMenu();
    if (!this.tabs.length) {
      for (const path of DEFAULT_OPEN) if (this.files.has(path)) this.open(path, { focus: false });
    }
    for (const tab of this.tabs) if (tab.path && this.files.has(tab.path)) this.fileChanged(tab.path, this.files.get(tab.path));
  }

  fileChanged(path, content) {
    const known = this.files.has(path);
    this.files.set(path, content);
    if (!known) this.renderFileMenu();
    const tab = this.tabs.find((x) => x.path === path);
    if (!tab || tab.saved === content) return;
    const dirty = this.textOf(tab) !== tab.saved;
    tab.saved = content;
    if (!dirty) this.setTabText(tab, content); // changed elsewhere (another tab, `>` in the terminal)
    this.renderTabs();
  }

  fileDeleted(path) {
    this.files.delete(path);
    this.renderFileMenu();
  }

  renderFileMenu() {
    const options = [new Option(gettext("Open file…"), "")];
    for (const path of [...this.files.keys()].sort()) options.push(new Option(path, path));
    this.el.open.replaceChildren(...options);
  }

  // -- tabs -------------------------------------------------------------------------------------------------------
  textOf(tab) {
    return tab === this.active && this.editor ? this.editor.getText() : tab.text;
  }

  setTabText(tab, text) {
    tab.text = text;
    tab.state = this.editor ? this.editor.makeState(text) : null;
    if (tab === this.active && this.editor) this.editor.setState(tab.state);
    if (tab === this.active) this.updateBanner();
  }

  open(path, { focus = true, create = false } = {}) {
    let tab = this.tabs.find((x) => x.path === path);
    if (!tab) {
      const content = this.files.get(path) ?? "";
      tab = { id: `file:${path}`, title: path, path, object: null, text: content, state: null,
        saved: this.files.has(path) || !create ? content : null };
      tab.state = this.editor ? this.editor.makeState(content) : null;
      this.tabs.push(tab);
    }
    this.show(tab);
    if (focus) this.editor?.focus();
  }

  openObject(effect, commandId) {
    const title = `${effect.kind.toLowerCase()}/${effect.name}`;
    const id = `object:${effect.kind}/${effect.namespace}/${effect.name}`;
    let tab = this.tabs.find((x) => x.id === id);
    if (!tab) {
      tab = { id, title, path: null, object: effect, text: effect.yaml, state: null, saved: effect.yaml, commandId };
      this.tabs.push(tab);
    }
    tab.commandId = commandId;
    tab.saved = effect.yaml;
    this.setTabText(tab, effect.yaml);
    this.show(tab);
    this.editor?.focus();
  }

  show(tab) {
    if (this.active && this.active !== tab && this.editor) {
      this.active.state = this.editor.getState();
      this.active.text = this.editor.getText();
    }
    this.active = tab;
    if (this.editor) {
      if (!tab.state) tab.state = this.editor.makeState(tab.text);
      this.editor.setState(tab.state);
    }
    this.el.apply.textContent = tab.object ? gettext("Save edit") : gettext("Apply");
    this.el.save.hidden = Boolean(tab.object);
    this.clearDiagnostics();
    this.updateBanner();
    this.renderTabs();
  }

  close(tab) {
    if (tab.object) this.terminal.print("Edit cancelled, no changes made.");
    const index = this.tabs.indexOf(tab);
    this.tabs.splice(index, 1);
    if (this.active === tab) {
      this.active = null;
      const next = this.tabs[Math.max(0, index - 1)];
      if (next) this.show(next);
      else if (this.editor) this.editor.setState(this.editor.makeState(""));
    }
    this.renderTabs();
  }

  renderTabs() {
    const buttons = this.tabs.map((tab) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = tab.object ? "tab object" : "tab";
      button.setAttribute("role", "tab");
      button.setAttribute("aria-selected", String(tab === this.active));
      button.dataset.path = tab.path ?? "";
      const label = document.createElement("span");
      label.textContent = tab.title;
      button.appendChild(label);
      if (this.isDirty(tab)) {
        const dirty = document.createElement("span");
        dirty.className = "dirty";
        dirty.textContent = "●";
        dirty.title = gettext("Not saved");
        button.appendChild(dirty);
      }
      const close = document.createElement("span");
      close.className = "close";
      close.textContent = "×";
      close.title = gettext("Close");
      close.setAttribute("role", "button");
      close.addEventListener("click", (event) => { event.stopPropagation(); this.close(tab); });
      button.appendChild(close);
      button.addEventListener("click", () => this.show(tab));
      return button;
    });
    this.el.tabs.replaceChildren(...buttons);
  }

  isDirty(tab) {
    return tab.saved === null || this.textOf(tab) !== tab.saved;
  }

  changed(text) {
    if (!this.active) return;
    this.active.text = text;
    const wasDirty = this.el.tabs.querySelector('[aria-selected="true"] .dirty') !== null;
    if (wasDirty !== this.isDirty(this.active)) this.renderTabs();
    this.updateBanner();
  }

  updateBanner() {
    this.el.banner.hidden = !(this.active && TAB_INDENT.test(this.textOf(this.active)));
  }

  replaceTabs() {
    if (!this.active || !this.editor) return;
    const fixed = this.editor.getText().replace(/^[ \t]+/gm, (lead) => lead.replace(/\t/g, "  "));
    this.editor.setText(fixed);
    this.updateBanner();
  }

  newFile() {
    const name = window.prompt(gettext("Name of the new file (for example my-pod.yaml):"));
    if (!name) return;
    const path = name.trim().replace(/^\.\//, "");
    if (!path) return;
    this.open(path, { create: !this.files.has(path) });
  }

  // -- save / apply ---------------------------------------------------------------------------------------------
  save() {
    const tab = this.active;
    if (!tab || !tab.path) return false;
    const content = this.editor.getText();
    tab.saved = content;
    this.files.set(tab.path, content);
    this.send({ type: "file.save", path: tab.path, content });
    this.renderTabs();
    return true;
  }

  apply() {
    const tab = this.active;
    if (!tab) return;
    if (tab.object) {
      const id = this.terminal.startExternal(`# ${gettext("saving")} kubectl edit ${tab.title}`);
      const { kind, namespace, name } = tab.object;
      this.send({ type: "edit.save", id, kind, namespace, name, text: this.editor.getText() });
      this.pendingEdit = { id, tab };
      return;
    }
    this.save();
    const quoted = /^[\w./-]+$/.test(tab.path) ? tab.path : `'${tab.path.replaceAll("'", "'\\''")}'`;
    const id = this.terminal.startExternal(`kubectl apply -f ${quoted}`);
    this.send({ type: "file.apply", id, path: tab.path });
  }

  // After edit.save: kubectl reopens the editor with the errors (an edit-object effect), or the edit is done.
  editSaved(message) {
    const pending = this.pendingEdit;
    if (!pending || pending.id !== message.id) return;
    this.pendingEdit = null;
    const reopened = (message.effects || []).some((e) => e.type === "edit-object");
    if (!reopened && message.exit_code === 0 && this.tabs.includes(pending.tab)) {
      this.tabs.splice(this.tabs.indexOf(pending.tab), 1);
      if (this.active === pending.tab) {
        this.active = null;
        if (this.tabs.length) this.show(this.tabs[this.tabs.length - 1]);
      }
      this.renderTabs();
    }
  }

  // -- diagnostics --------------------------------------------------------------------------------------------------
  clearDiagnostics() {
    this.el.diagnostics.replaceChildren();
    this.editor?.mark([]);
  }

  showApplyResult(result) {
    if (!this.active || this.active.path !== result.path) return;
    this.clearDiagnostics();
    if (result.exit_code === 0) {
      const li = document.createElement("li");
      li.className = "ok";
      li.textContent = tf(gettext("%(path)s applied."), { path: result.path });
      this.el.diagnostics.appendChild(li);
      return;
    }
    this.editor.mark(result.diagnostics);
    for (const d of result.diagnostics) {
      const li = document.createElement("li");
      if (d.line) {
        const where = document.createElement("span");
        where.className = "where";
        where.textContent = d.column ? tf(gettext("line %(line)s, column %(column)s"), d) : tf(gettext("line %(line)s"), d);
        li.appendChild(where);
        li.addEventListener("click", () => this.editor.goto(d.line, d.column));
      }
      if (d.field) {
        const field = document.createElement("span");
        field.className = "field";
        field.textContent = d.field;
        li.appendChild(field);
      }
      li.appendChild(document.createTextNode(d.message));
      this.el.diagnostics.appendChild(li);
    }
  }
}
