// The control loop, animated: a token travels the wire of each trace step (kubectl → api-server → etcd, …)
// with a one-line caption; requests travel laptop → node → Service → pod and the answering pod flashes.
// Steps play in order; a backlog plays faster, and a very long one is thinned (the text log keeps every
// step). With prefers-reduced-motion nothing moves: state changes are instant and captions still tell the story.

import { caption } from "./captions.js";
import { pulseTarget, route } from "./routes.js";
import { svg } from "./svg.js";

const STEP_MS = 520;
const MIN_STEP_MS = 40;
const MAX_BACKLOG = 400;
const MAX_DOTS = 40;
const LOG_LINES = 1000;

function clockText(ms) {
  const d = new Date(ms);
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export function logLine(step) {
  return `#${step.seq} ${clockText(step.at_ms)} ${step.from} → ${step.to} ${step.verb}: ${step.text}`;
}

function samplePath(layer, d, reverse, count = 16) {
  const path = svg("path", { d, visibility: "hidden" });
  layer.append(path);
  const length = path.getTotalLength();
  const points = [];
  for (let i = 0; i <= count; i++) {
    const p = path.getPointAtLength((length * i) / count);
    points.push(`translate(${p.x}px, ${p.y}px)`);
  }
  path.remove();
  return reverse ? points.reverse() : points;
}

export class Animator {
  constructor({ view, captionEl, logEl, reduced }) {
    this.view = view;
    this.captionEl = captionEl;
    this.logEl = logEl;
    this.reduced = reduced;
    this.queue = [];
    this.playing = false;
    this.lines = [];
    this.dots = 0;
    this.played = 0;
  }

  get layout() {
    return this.view.layout;
  }

  push(steps) {
    const items = steps.map((step) => {
      const li = document.createElement("li");
      li.textContent = logLine(step);
      li.dataset.from = step.from;
      li.dataset.to = step.to;
      this.lines.push(li.textContent);
      return li;
    });
    this.logEl.append(...items);
    while (this.logEl.childElementCount > LOG_LINES) this.logEl.firstElementChild.remove();
    if (this.lines.length > 20 * LOG_LINES) this.lines.splice(0, this.lines.length - LOG_LINES);
    this.logEl.dataset.count = String(Number(this.logEl.dataset.count || 0) + steps.length);
    this.logEl.scrollTop = this.logEl.scrollHeight;
    if (this.reduced()) {
      const last = steps[steps.length - 1];
      if (last) this.setCaption(last);
      this.played += steps.length;
      return;
    }
    this.queue.push(...steps);
    if (this.queue.length > MAX_BACKLOG) {
      this.played += this.queue.length - MAX_BACKLOG;
      this.queue.splice(0, this.queue.length - MAX_BACKLOG);
    }
    if (!this.playing) this.next();
  }

  setCaption(step) {
    this.captionEl.textContent = caption(step);
    this.captionEl.dataset.seq = String(step.seq);
  }

  next() {
    const step = this.queue.shift();
    if (!step || !this.layout) {
      this.playing = false;
      return;
    }
    this.playing = true;
    const duration = Math.max(MIN_STEP_MS, STEP_MS / Math.max(1, this.queue.length / 4));
    this.setCaption(step);
    this.highlight(step, duration);
    const hop = route(this.layout, step.from, step.to, step);
    let animation;
    if (hop) {
      const token = svg("circle", { r: 6, class: `token verb-${step.verb.split(" ")[0].toLowerCase()}` });
      this.view.layers.tokens.append(token);
      animation = token.animate(samplePath(this.view.layers.tokens, hop.d, hop.reverse).map((transform) => ({ transform })),
        { duration, easing: "ease-in-out" });
      animation.finished.finally(() => token.remove());
    } else {
      animation = this.pulse(step, duration);
    }
    this.played++;
    (animation ? animation.finished : Promise.resolve()).catch(() => {}).finally(() => this.next());
  }

  highlight(step, duration) {
    for (const actor of [step.from, step.to]) {
      const name = actor === "kubectl" ? "laptop" : actor;
      const el = this.view.root.querySelector(`.component-${CSS.escape(name)}`);
      el?.animate([{ filter: "brightness(1.6)" }, { filter: "none" }], { duration: duration * 1.5 });
    }
  }

  pulse(step, duration) {
    const box = pulseTarget(this.layout, step.from, step);
    if (!box) return null;
    const ring = svg("rect", { class: "pulse", x: box.x - 3, y: box.y - 3, width: box.w + 6, height: box.h + 6, rx: 10 });
    this.view.layers.tokens.append(ring);
    const animation = ring.animate([{ opacity: 0.9 }, { opacity: 0 }], { duration });
    animation.finished.finally(() => ring.remove());
    return animation;
  }

  // Requests: counters are exact (record.count), dots are a sample when many arrive at once.
  traffic(records) {
    for (const record of records) {
      if (!record.pod) continue;
      const key = `Pod/${record.namespace || "default"}/${record.pod}`;
      const entry = this.view.count(key, record.count || 1);
      if (!entry || this.reduced() || this.dots >= MAX_DOTS) continue;
      this.dot(record, entry);
    }
  }

  dot(record, entry) {
    const layout = this.layout;
    const tile = layout.tile;
    const service = layout.services.find((s) => s.kind === "Service" && s.obj.metadata.name === record.service);
    const node = layout.nodes.find((n) => n.name === record.node);
    const stops = [{ x: 148, y: 82 }];
    if (node) stops.push({ x: node.x + node.w / 2, y: node.y + 6 });
    if (service) stops.push({ x: service.x + service.w / 2, y: service.y + service.h / 2 });
    stops.push({ x: entry.x + tile.w / 2, y: entry.y + tile.h / 2 });
    const ok = record.status >= 200 && record.status < 400;
    const dot = svg("circle", { r: 4, class: `request ${ok ? "ok" : "failed"}` });
    this.view.layers.traffic.append(dot);
    this.dots++;
    const animation = dot.animate(stops.map((p) => ({ transform: `translate(${p.x}px, ${p.y}px)` })), { duration: 700, easing: "linear" });
    animation.finished.finally(() => {
      dot.remove();
      this.dots--;
      entry.g.querySelector(".pod-box")?.animate([{ fill: ok ? "#2d6a3e" : "#7a2c2c" }, { fill: "var(--pod-fill)" }], { duration: 400 });
    });
  }

  text() {
    return this.lines.join("\n");
  }
}
