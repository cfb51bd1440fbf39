// The terminal: a prompt, an output log, history, Tab completion, Ctrl-C / Ctrl-L, streams.
// Commands run on the server (terminal.input → terminal.output); this module only draws and edits the line.

const MAX_LINES = 5000;
const LIST_WIDTH = 100; // columns used to lay out completion alternatives, like bash's
const NO_SPACE_AFTER = new RegExp("[=/:]$"); // a flag's value, a folder or TYPE/ still continues
let counter = 0;

function commonPrefix(items) {
  if (!items.length) return "";
  let prefix = items[0];
  for (const item of items.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < item.length && prefix[i] === item[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

function columns(items) {
  const width = Math.max(...items.map((s) => s.length)) + 2;
  const perRow = Math.max(1, Math.floor(LIST_WIDTH / width));
  const rows = Math.ceil(items.length / perRow);
  const lines = [];
  for (let r = 0; r < rows; r++) {
    let line = "";
    for (let c = 0; c < perRow; c++) {
      const item = items[c * rows + r];
      if (item !== undefined) line += item.padEnd(width);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

// stderr is red, kubectl's warnings yellow; "No resources found" is only information (dimmed).
function stderrClass(text) {
  if (/^Warning:/.test(text)) return "warn";
  if (/^No resources found/.test(text)) return "note";
  return "err";
}

export class Terminal {
  constructor({ output, input, line, send, onEffect }) {
    this.output = output;
    this.input = input;
    this.lineBox = line;
    this.send = send;
    this.onEffect = onEffect;
    this.history = [];
    this.historyIndex = 0;
    this.draft = "";
    this.running = null; // {id, line, stream}
    this.queued = [];
    this.completing = null;
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.input.addEventListener("paste", (event) => this.onPaste(event));
    output.parentElement.addEventListener("mouseup", () => {
      if (window.getSelection().isCollapsed) this.focus();
    });
  }

  focus() {
    this.input.focus({ preventScroll: true });
  }

  setHistory(lines) {
    this.history = lines.slice();
    this.historyIndex = this.history.length;
  }

  // -- drawing ---------------------------------------------------------------------------------------------
  print(text, cls) {
    const stick = this.output.scrollHeight - this.output.scrollTop - this.output.clientHeight < 40;
    const fragment = document.createDocumentFragment();
    for (const line of String(text).split("\n")) {
      const div = document.createElement("div");
      div.className = cls ? `line ${cls}` : "line";
      if (!cls && /^Warning:/.test(line)) div.className = "line warn";
      div.textContent = line;
      fragment.appendChild(div);
    }
    this.output.appendChild(fragment);
    while (this.output.childElementCount > MAX_LINES) this.output.firstElementChild.remove();
    if (stick) this.scrollToEnd();
  }

  printCommand(line, suffix = "") {
    const div = document.createElement("div");
    div.className = "line cmd";
    const prompt = document.createElement("span");
    prompt.className = "prompt";
    prompt.textContent = "$ ";
    div.append(prompt, document.createTextNode(line + suffix));
    this.output.appendChild(div);
    this.scrollToEnd();
  }

  scrollToEnd() {
    this.output.scrollTop = this.output.scrollHeight;
  }

  clear() {
    this.output.replaceChildren();
  }

  setBusy(busy) {
    this.lineBox.classList.toggle("busy", busy);
  }

  // -- running commands ---------------------------------------------------------------------------------------
  run(line, { echo = true } = {}) {
    if (this.running) {
      this.queued.push(line);
      return null;
    }
    const id = `c${++counter}`;
    if (echo) this.printCommand(line);
    if (line.trim()) {
      if (this.history[this.history.length - 1] !== line) this.history.push(line);
    }
    this.historyIndex = this.history.length;
    this.draft = "";
    if (!line.trim()) return null;
    this.running = { id, line, stream: false, started: performance.now() };
    this.setBusy(true);
    this.send({ type: "terminal.input", id, line });
    return id;
  }

  // A command started elsewhere (the editor's Apply): shown as if typed, its output handled here.
  startExternal(line) {
    const id = `c${++counter}`;
    this.printCommand(line);
    this.running = { id, line, stream: false, started: performance.now() };
    this.setBusy(true);
    return id;
  }

  handleOutput(message) {
    for (const effect of message.effects || []) {
      if (effect.type === "clear") this.clear();
      else this.onEffect(effect, message);
    }
    for (const text of message.stdout) this.print(text);
    for (const text of message.stderr) this.print(text, stderrClass(text));
    for (const text of message.hints) this.print(text, "hint");
    const mine = this.running && this.running.id === message.id;
    if (!mine) return;
    if (!message.done) {
      this.running.stream = true;
      return;
    }
    const finished = this.running;
    this.running = null;
    this.setBusy(false);
    this.scrollToEnd();
    window.dispatchEvent(
      new CustomEvent("kubesandbox:command-done", {
        detail: {
          id: finished.id,
          line: finished.line,
          exit_code: message.exit_code,
          interrupted: message.interrupted,
          ms: performance.now() - finished.started,
        },
      }),
    );
    const next = this.queued.shift();
    if (next !== undefined) this.run(next);
  }

  interrupt() {
    if (this.running) {
      // The server stops the stream (even one whose first output is still on its way) and ends the command.
      this.print("^C", "interrupt");
      this.send({ type: "terminal.interrupt", id: this.running.id });
      return;
    }
    this.printCommand(this.input.value, "^C");
    this.input.value = "";
    this.historyIndex = this.history.length;
  }

  // -- keys ------------------------------------------------------------------------------------------------------
  onKey(event) {
    const ctrl = event.ctrlKey && !event.altKey && !event.metaKey;
    if (event.isComposing) return; // a Korean IME is still composing a syllable
    if (event.key !== "Tab") this.tabLeaves = false;
    if (event.key === "Enter") {
      event.preventDefault();
      const line = this.input.value;
      this.input.value = "";
      this.run(line);
    } else if (event.key === "Escape") {
      this.tabLeaves = true; // Escape, then Tab: move the focus on instead of completing (no keyboard trap)
      return;
    } else if (event.key === "Tab") {
      if (this.tabLeaves || event.shiftKey) {
        this.tabLeaves = false;
        return;
      }
      event.preventDefault();
      this.complete();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      this.walkHistory(-1);
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      this.walkHistory(1);
    } else if (ctrl && event.key.toLowerCase() === "c") {
      if (this.input.selectionStart !== this.input.selectionEnd) return; // copy the selection
      event.preventDefault();
      this.interrupt();
    } else if (ctrl && event.key.toLowerCase() === "l") {
      event.preventDefault();
      this.clear();
    } else if (ctrl && event.key.toLowerCase() === "u") {
      event.preventDefault();
      this.input.value = this.input.value.slice(this.input.selectionStart);
      this.input.setSelectionRange(0, 0);
    }
  }

  walkHistory(step) {
    if (!this.history.length) return;
    if (this.historyIndex === this.history.length) this.draft = this.input.value;
    const index = Math.min(this.history.length, Math.max(0, this.historyIndex + step));
    if (index === this.historyIndex) return;
    this.historyIndex = index;
    this.input.value = index === this.history.length ? this.draft : this.history[index];
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
  }

  // Several pasted lines run one after another, as in a shell.
  onPaste(event) {
    const text = event.clipboardData?.getData("text") ?? "";
    if (!text.includes("\n")) return;
    event.preventDefault();
    const lines = text.replace(/\r/g, "").split("\n");
    const last = lines.pop();
    const before = this.input.value.slice(0, this.input.selectionStart);
    const first = before + (lines.shift() ?? "");
    this.input.value = last;
    this.run(first);
    for (const line of lines) this.run(line);
  }

  // -- Tab completion ------------------------------------------------------------------------------------------
  complete() {
    const cursor = this.input.selectionStart;
    const before = this.input.value.slice(0, cursor);
    this.completing = { before, after: this.input.value.slice(cursor) };
    this.send({ type: "complete", line: before });
  }

  handleCompletion(message) {
    const pending = this.completing;
    if (!pending || pending.before !== message.line || this.input.value !== pending.before + pending.after) return;
    this.completing = null;
    const word = pending.before.match(/\S*$/)[0];
    const spaced = pending.before.includes(" ");
    // Candidates replace the word before the cursor; whole-line candidates are reduced to that word.
    const items = [...new Set(message.items.map((item) =>
      spaced && item.startsWith(pending.before) ? word + item.slice(pending.before.length) : item,
    ))].filter((item) => item.startsWith(word));
    if (!items.length) return;
    const prefix = items.length === 1 ? items[0] : commonPrefix(items);
    if (prefix.length > word.length || items.length === 1) {
      const ends = items.length === 1 && !NO_SPACE_AFTER.test(prefix) ? " " : "";
      const head = pending.before.slice(0, pending.before.length - word.length) + prefix + ends;
      this.input.value = head + pending.after;
      this.input.setSelectionRange(head.length, head.length);
      return;
    }
    this.printCommand(this.input.value);
    for (const line of columns(items)) this.print(line);
  }
}
