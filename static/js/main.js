// The sandbox page: wires the connection, the state, the terminal, the editor, the object list and the clock.
//
// For other modules (lessons, the cluster map of a later release) the page dispatches window events:
//   kubesandbox:snapshot {objects, rv}, kubesandbox:cluster-changed {rv, events},
//   kubesandbox:trace {steps}, kubesandbox:traffic {requests}, kubesandbox:command-done {id, line, exit_code, ms}
// and exposes window.kubesandbox = {state, runCommand(line), typeCommand(line)}.

import "./confirm.js";
import { ClockControls } from "./clock.js";
import { Connection } from "./connection.js";
import { EditorPanel } from "./editor.js";
import { gettext, tf } from "./i18n.js";
import { ClusterMap } from "./map/index.js";
import { ObjectList } from "./objects.js";
import { SandboxState } from "./state.js";
import { Terminal } from "./terminal.js";

const config = JSON.parse(document.getElementById("ks-config").textContent);
const $ = (id) => document.getElementById(id);
const state = new SandboxState();
const connection = new Connection(config.wsPath, state);
const send = (message) => connection.send(message);

const terminal = new Terminal({
  output: $("term-output"),
  input: $("term-input"),
  line: $("term-line"),
  send,
  onEffect: (effect, message) => onEffect(effect, message),
});
const editor = new EditorPanel({
  elements: {
    host: $("editor-host"), tabs: $("editor-tabs"), open: $("file-open"), newFile: $("file-new"),
    save: $("editor-save"), apply: $("editor-apply"), banner: $("tab-banner"), tabFix: $("tab-fix"),
    diagnostics: $("diagnostics"),
  },
  send,
  terminal,
  useCodeMirror: config.editor,
});
new ObjectList({ root: $("objects"), select: $("objects-namespace"), state });
const clock = new ClockControls({
  root: $("clock"), time: $("clock-time"), toggle: $("clock-toggle"), speed: $("clock-speed"),
  step: $("clock-step"), advance: $("clock-advance"), send,
});

const clusterMap = new ClusterMap({
  elements: {
    canvas: $("cluster-map-root"), caption: $("map-caption"), log: $("map-trace-log"), copy: $("map-trace-copy"),
    explain: $("map-explain"), explainTitle: $("map-explain-title"), close: $("map-explain-close"), why: $("map-why"),
    objectEvents: $("map-object-events"), yaml: $("map-yaml"), faults: $("map-faults"), faultHint: $("map-fault-hint"),
    events: $("map-events"), eventsBox: $("map-events-box"), eventsCount: $("map-events-count"), settle: $("clock-settle"),
  },
  state,
  send,
  now: () => clock.now() ?? Date.now(),
});

function setNamespace(namespace) {
  state.namespace = namespace;
  $("term-namespace").textContent = namespace;
}

function onEffect(effect, message) {
  if (effect.type === "edit") editor.open(effect.file, { create: !effect.exists });
  else if (effect.type === "edit-object") {
    editor.openObject(effect, message.id);
    const name = `${effect.kind.toLowerCase()}/${effect.name}`;
    terminal.print(tf(gettext("%(name)s is open in the editor: “Save edit” applies your changes, closing its tab cancels."), { name }), "note");
  }
  else if (effect.type === "namespace") setNamespace(effect.namespace);
}

let greeted = false;
const handlers = {
  snapshot(message) {
    state.loadSnapshot(message);
    terminal.setHistory(message.history);
    editor.setFiles(message.files);
    clock.set(message.clock);
    setNamespace(message.namespace);
    if (!greeted) {
      greeted = true;
      editor.start();
      terminal.print(gettext("Welcome to KubeSandbox: a simulated Kubernetes 1.32 cluster. Type `help`, or try: kubectl get nodes"), "note");
    }
    window.dispatchEvent(new CustomEvent("kubesandbox:snapshot", { detail: { objects: state.objects, rv: state.rv } }));
  },
  resync(message) {
    handlers.batch(message.events);
  },
  batch(events) {
    const fresh = state.applyEvents(events);
    if (fresh.length) {
      window.dispatchEvent(new CustomEvent("kubesandbox:cluster-changed", { detail: { rv: state.rv, events: fresh } }));
    }
  },
  "terminal.output"(message) {
    terminal.handleOutput(message);
    editor.editSaved(message);
  },
  completion(message) {
    terminal.handleCompletion(message);
  },
  "apply.result"(message) {
    editor.showApplyResult(message);
  },
  "file.changed"(message) {
    editor.fileChanged(message.path, message.content);
  },
  "file.deleted"(message) {
    editor.fileDeleted(message.path);
  },
  clock(message) {
    clock.set(message.clock);
  },
  error(message) {
    terminal.print(`error: ${message.message}`, "err");
  },
};

// One frame may carry many messages: watch events are applied together, trace steps and traffic passed on.
let events = [];
let trace = [];
let traffic = [];
connection.addEventListener("message", (event) => {
  const message = event.detail;
  if (message.type === "watch.event") events.push(message);
  else if (message.type === "trace.step") trace.push(message);
  else if (message.type === "traffic.request") traffic.push(message);
  else handlers[message.type]?.(message);
  queueMicrotask(flushBatch);
});

function flushBatch() {
  if (events.length) {
    const batch = events;
    events = [];
    handlers.batch(batch);
  }
  if (trace.length) {
    window.dispatchEvent(new CustomEvent("kubesandbox:trace", { detail: { steps: trace } }));
    trace = [];
  }
  if (traffic.length) {
    window.dispatchEvent(new CustomEvent("kubesandbox:traffic", { detail: { requests: traffic } }));
    traffic = [];
  }
}

const status = $("conn-status");
const statusText = { connecting: gettext("Connecting…"), open: gettext("Connected"), closed: gettext("Disconnected — reconnecting") };
connection.addEventListener("status", (event) => {
  const { status: value, code } = event.detail;
  status.dataset.state = value;
  status.querySelector(".conn-text").textContent =
    code === 4404 ? gettext("This sandbox no longer exists") : statusText[value];
});

window.kubesandbox = {
  state,
  map: clusterMap,
  runCommand: (line) => terminal.run(line),
  typeCommand: (line) => {
    $("term-input").value = line;
    terminal.focus();
  },
};

connection.connect();
terminal.focus();
