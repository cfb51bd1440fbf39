// The live cluster map beside the terminal: wires the page's window events (kubesandbox:snapshot,
// kubesandbox:cluster-changed, kubesandbox:trace, kubesandbox:traffic) to the drawing, the animation,
// the Explain panel, the Events panel, the trace log, the fault buttons and "fast-forward to settled".

import { gettext, tf } from "../i18n.js";
import { Animator } from "./animate.js";
import { eventsOf, eventsTable } from "./events.js";
import { explain } from "./explain.js";
import { computeLayout } from "./layout.js";
import { MapView } from "./render.js";
import { toYaml } from "./yaml.js";

const POD_FAULTS = ["delete-pod", "crash-container"];

export class ClusterMap {
  constructor({ elements, state, send, now }) {
    this.el = elements;
    this.state = state;
    this.send = send;
    this.now = now;
    this.selected = "";
    this.decisions = new Map();
    this.frame = 0;
    this.motion = window.matchMedia("(prefers-reduced-motion: reduce)");
    this.view = new MapView(elements.canvas);
    this.animator = new Animator({
      view: this.view, captionEl: elements.caption, logEl: elements.log, reduced: () => this.motion.matches,
    });
    this.bind();
  }

  bind() {
    window.addEventListener("kubesandbox:snapshot", () => this.schedule());
    window.addEventListener("kubesandbox:cluster-changed", () => this.schedule());
    window.addEventListener("kubesandbox:trace", (e) => this.onTrace(e.detail.steps));
    window.addEventListener("kubesandbox:traffic", (e) => this.onTraffic(e.detail.requests));
    const choose = (event) => {
      const target = event.target.closest("[data-key]");
      if (target) this.select(target.dataset.key === this.selected ? "" : target.dataset.key);
    };
    this.view.root.addEventListener("click", choose);
    this.view.root.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        choose(event);
      } else if (event.key === "Escape") this.select("");
    });
    this.el.close.addEventListener("click", () => this.select(""));
    this.el.settle?.addEventListener("click", () => this.send({ type: "settle" }));
    this.el.copy.addEventListener("click", () => this.copyLog());
    const traceBox = this.el.log.closest("details");
    traceBox?.addEventListener("toggle", () => {
      if (traceBox.open) traceBox.scrollTop = traceBox.scrollHeight;
    });
    for (const button of this.el.faults.querySelectorAll("button[data-fault]")) {
      button.addEventListener("click", () => this.fault(button.dataset.fault));
    }
    setInterval(() => this.renderEvents(), 1000);
    this.updateFaults();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render() {
    this.layout = computeLayout(this.state.objects, null);
    this.view.render(this.layout);
    this.view.select(this.selected);
    this.el.canvas.dataset.pods = String(this.layout.pods.length);
    this.renderEvents();
    this.renderExplain();
    this.updateFaults();
  }

  onTraffic(requests) {
    const last = requests[requests.length - 1];
    if (last && last.proxy_mode && last.proxy_mode !== this.view.proxyMode) {
      this.view.setProxyMode(last.proxy_mode);
      if (this.selected.startsWith("Service/")) this.renderExplain();
    }
    this.animator.traffic(requests);
  }

  onTrace(steps) {
    for (const step of steps) {
      if (step.code === "scheduler.schedule") this.decisions.set(step.object, step.params || {});
    }
    this.animator.push(steps);
  }

  target() {
    const [kind, namespace, name] = this.selected.split("/");
    if (kind === "Pod") return { kind, value: `${namespace}/${name}` };
    if (kind === "Node") return { kind, value: name };
    return { kind: "", value: "" };
  }

  updateFaults() {
    const { kind } = this.target();
    for (const button of this.el.faults.querySelectorAll("button[data-fault]")) {
      const forPod = POD_FAULTS.includes(button.dataset.fault);
      button.disabled = forPod ? kind !== "Pod" : kind !== "Node";
      button.title = button.disabled ? (forPod ? gettext("Select a pod on the map first.") : gettext("Select a node on the map first.")) : "";
    }
    this.el.faultHint.textContent = kind ? "" : gettext("Select a pod or a node first.");
  }

  fault(action) {
    const { value } = this.target();
    if (value) this.send({ type: "fault", action, target: value });
  }

  select(key) {
    this.selected = key;
    this.view.select(key);
    this.renderExplain();
    this.updateFaults();
    // Explain docks beside or below the map: keep what was clicked in sight (scrolling the map only, never the page).
    if (key) requestAnimationFrame(() => this.reveal(key));
  }

  reveal(key) {
    const target = this.view.root.querySelector(`[data-key="${CSS.escape(key)}"]`);
    const box = this.el.canvas;
    if (!target) return;
    const t = target.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    if (t.bottom > b.bottom) box.scrollTop += t.bottom - b.bottom + 8;
    else if (t.top < b.top) box.scrollTop -= b.top - t.top + 8;
    if (t.right > b.right) box.scrollLeft += t.right - b.right + 8;
    else if (t.left < b.left) box.scrollLeft -= b.left - t.left + 8;
  }

  renderExplain() {
    const panel = this.el.explain;
    const obj = this.selected && this.state.objects.get(this.selected);
    if (!obj) {
      panel.hidden = true;
      this.el.canvas.closest(".map-slot")?.classList.remove("explaining");
      return;
    }
    panel.hidden = false;
    this.el.canvas.closest(".map-slot")?.classList.add("explaining");
    this.el.explainTitle.textContent = `${obj.kind.toLowerCase()}/${obj.metadata.name}`;
    const why = explain(obj, { objects: this.state.objects, decisions: this.decisions, proxyMode: this.view.proxyMode });
    this.el.why.replaceChildren(...why.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
    const io = (e) => (e.involvedObject || {});
    const mine = eventsOf(this.state.objects, (e) => io(e).kind === obj.kind && io(e).name === obj.metadata.name &&
      (io(e).namespace || "") === (obj.metadata.namespace || ""));
    this.el.objectEvents.replaceChildren(eventsTable(mine, this.now()));
    const yaml = toYaml(obj);
    if (this.el.yaml.textContent !== yaml) this.el.yaml.textContent = yaml;
  }

  renderEvents() {
    if (!this.el.eventsBox.open) return;
    const events = eventsOf(this.state.objects, () => true);
    this.el.events.replaceChildren(eventsTable(events, this.now(), { limit: 100, newestFirst: true }));
    this.el.eventsCount.textContent = tf(gettext("(%(count)s)"), { count: events.length });
  }

  async copyLog() {
    const text = this.animator.text();
    try {
      await navigator.clipboard.writeText(text);
      this.el.copy.textContent = gettext("Copied");
    } catch {
      const range = document.createRange();
      range.selectNodeContents(this.el.log);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    }
  }
}
