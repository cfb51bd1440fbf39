// The control loop, animated: a token travels the wire of each trace step (kubectl → api-server → etcd, …)
// with a one-line caption; requests travel laptop → node → Service → pod, the answering pod flashes, and the
// response travels back in the colour of its status (with the status code beside it).
// Steps play in order; a backlog plays faster, and a very long one is thinned (the text log keeps every
// step). With prefers-reduced-motion nothing moves: state changes are instant and captions still tell the story.
//
// Captions follow the main action of each batch of steps (one commit: a command, one Step click): Events being
// recorded and status written back animate but do not replace the caption, and when a batch has played the
// caption shows its main action (see captions.js weight / mainStep).

import { caption, mainStep, requestCaption, weight } from "./captions.js";
import { COMPONENTS } from "./layout.js";
import { pulseTarget, route } from "./routes.js";
import { svg, text as svgText } from "./svg.js";

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
    // The log follows the newest step unless the reader has scrolled up to an older one.
    const scroller = this.logEl.closest("details") || this.logEl;
    const following = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
    this.logEl.append(...items);
    while (this.logEl.childElementCount > LOG_LINES) this.logEl.firstElementChild.remove();
    if (this.lines.length > 20 * LOG_LINES) this.lines.splice(0, this.lines.length - LOG_LINES);
    this.logEl.dataset.count = String(Number(this.logEl.dataset.count || 0) + steps.length);
    if (following) scroller.scrollTop = scroller.scrollHeight;
    const main = mainStep(steps);
    if (this.reduced()) {
      if (main) this.setCaption(main);
      this.played += steps.length;
      return;
    }
    const batch = { main, quiet: steps.some((step, i) => weight(step, steps[i - 1]) > 0) };
    this.queue.push(...steps.map((step, i) => ({ step, batch, minor: weight(step, steps[i - 1]) === 0, last: i === steps.length - 1 })));
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
    const item = this.queue.shift();
    if (!item || !this.layout) {
      this.playing = false;
      return;
    }
    const { step, batch } = item;
    this.playing = true;
    const duration = Math.max(MIN_STEP_MS, STEP_MS / Math.max(1, this.queue.length / 4));
    if (!(item.minor && batch.quiet)) this.setCaption(step);
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
    (animation ? animation.finished : Promise.resolve()).catch(() => {}).finally(() => {
      if (item.last && batch.main) this.setCaption(batch.main);
      this.next();
    });
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

  // Requests: counters are exact (record.count), dots are a sample when many arrive at once. One element per
  // request makes the round trip: out as a request, back as the response (so MAX_DOTS bounds both).
  traffic(records) {
    // A single request (curl) gets a caption; a load run's sampled records do not (the counters tell those).
    const single = records.length === 1 && !records[0].sampled ? records[0] : null;
    if (single) this.captionEl.textContent = requestCaption(single);
    for (const record of records) {
      const key = record.pod ? `Pod/${record.namespace || "default"}/${record.pod}` : "";
      const entry = key ? this.view.count(key, record.count || 1) : null;
      if (this.reduced() || this.dots >= MAX_DOTS || !this.layout) continue;
      if (entry || record.status === 0 || record.error) this.dot(record, entry);
    }
  }

  dot(record, entry) {
    const layout = this.layout;
    const tile = layout.tile;
    const laptop = COMPONENTS.laptop;
    const service = layout.services.find((s) => s.kind === "Service" && s.obj.metadata.name === record.service &&
      (s.obj.metadata.namespace || "default") === (record.namespace || "default"));
    const node = layout.nodes.find((n) => n.name === record.node);
    const stops = [{ x: laptop.x + laptop.w / 2, y: laptop.y + laptop.h }];
    if (node) stops.push({ x: node.x + node.w / 2, y: node.y + 6 });
    if (service) stops.push({ x: service.x + service.w / 2, y: service.y + service.h / 2 });
    if (entry) stops.push({ x: entry.x + tile.w / 2, y: entry.y + tile.h / 2 });
    if (stops.length < 2) stops.push({ x: laptop.x + laptop.w / 2, y: laptop.y + laptop.h + 40 });
    const ok = record.status >= 200 && record.status < 400;
    const g = svg("g", { class: "request" });
    g.dataset.status = String(record.status || 0);
    g.append(svg("circle", { r: 4 }));
    this.view.layers.traffic.append(g);
    this.dots++;
    const at = (p) => ({ transform: `translate(${p.x}px, ${p.y}px)` });
    const out = g.animate(stops.map(at), { duration: 140 * stops.length + 140, easing: "linear" });
    out.finished.catch(() => {}).then(() => {
      if (entry) entry.g.querySelector(".pod-box")?.animate([{ fill: ok ? "#2d6a3e" : "#7a2c2c" }, { fill: "var(--pod-fill)" }], { duration: 400 });
      // The response: back the same way, coloured by its status, with the status code ("✕" when no answer).
      g.setAttribute("class", `request response ${ok ? "ok" : "failed"}`);
      g.append(svgText(7, 3, record.status ? String(record.status) : "✕", { class: "response-code" }));
      const back = g.animate([...stops].reverse().map(at), { duration: 140 * stops.length + 140, easing: "linear", fill: "forwards" });
      return back.finished;
    }).catch(() => {}).finally(() => {
      g.remove();
      this.dots--;
    });
  }

  text() {
    return this.lines.join("\n");
  }
}
