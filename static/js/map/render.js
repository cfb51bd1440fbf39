// Drawing the map into one SVG. Static control-plane boxes are drawn once; nodes, Services and owner groups
// are redrawn when the layout changes (there are few); pods are kept by key and updated in place, so 200 pods
// redraw cheaply and a focused pod keeps the keyboard focus.

import { gettext, tf } from "../i18n.js";
import { COMPONENTS, CONTROL_PLANE_BOX } from "./layout.js";
import { podView } from "./pods.js";
import { staticRoutes } from "./routes.js";
import { elideName, svg, text, truncate } from "./svg.js";
import { kindName } from "./words.js";

const COMPONENT_TITLES = {
  laptop: () => gettext("Your laptop"),
  "controller-manager": () => "kube-controller-manager",
  scheduler: () => "kube-scheduler",
  "api-server": () => "kube-apiserver",
  etcd: () => "etcd",
};
const COMPONENT_NOTES = {
  laptop: () => "kubectl · curl",
  "controller-manager": () => gettext("runs the control loops"),
  scheduler: () => gettext("picks a node for each pod"),
  "api-server": () => gettext("the only door to the cluster"),
  etcd: () => gettext("stores every object"),
};
const COMPONENT_LABELS = {
  laptop: () => gettext("Your laptop: kubectl and curl run here"),
  "controller-manager": () => gettext("kube-controller-manager: runs the control loops"),
  scheduler: () => gettext("kube-scheduler: picks a node for each pod"),
  "api-server": () => gettext("kube-apiserver: the only door to the cluster"),
  etcd: () => gettext("etcd: stores every object"),
};

// kube-proxy's modes, as the map names them beside the Services.
export const PROXY_MODES = {
  iptables: () => gettext("a random ready pod each time"),
  ipvs: () => gettext("ready pods in turn (round robin)"),
};

// Monospace text: a character is 0.6 em wide, so a width in pixels is a number of characters.
const MONO = 0.6;
const chars = (width, size) => Math.max(4, Math.floor(width / (size * MONO)));

export function requestCount(count, compact) {
  const short = count >= 10000 ? `${Math.round(count / 1000)}k` : count >= 1000 ? `${(count / 1000).toFixed(1)}k` : String(count);
  return compact ? short : tf(gettext("%(count)s req"), { count: short });
}

function condition(obj, type) {
  return ((obj.status || {}).conditions || []).find((c) => c.type === type);
}

export function nodeState(node) {
  const ready = condition(node, "Ready");
  let word = ready?.status === "True" ? "Ready" : ready?.status === "False" ? "NotReady" : "NotReady";
  let tone = word === "Ready" ? "ok" : "failed";
  if ((node.spec || {}).unschedulable) {
    word += ",SchedulingDisabled";
    if (tone === "ok") tone = "warn";
  }
  return { word, tone, glyph: tone === "ok" ? "✓" : tone === "warn" ? "⊘" : "✕" };
}

function servicePorts(svc) {
  return ((svc.spec || {}).ports || []).map((p) => `${p.port}${p.nodePort ? ":" + p.nodePort : ""}/${p.protocol || "TCP"}`).join(",");
}

function focusable(element, key, label) {
  element.setAttribute("tabindex", "0");
  element.setAttribute("role", "button");
  element.setAttribute("aria-label", label);
  element.dataset.key = key;
  return element;
}

export class MapView {
  constructor(host) {
    this.root = svg("svg", { class: "cluster-map", role: "group", "aria-label": gettext("Cluster map") });
    this.layers = {};
    for (const name of ["edges", "frame", "services", "nodes", "groups", "pods", "traffic", "tokens"]) {
      this.layers[name] = svg("g", { class: `layer-${name}` });
      this.root.append(this.layers[name]);
    }
    this.podElements = new Map();
    this.counters = new Map();
    this.fits = [];
    this.proxyMode = "";
    this.selected = "";
    host.replaceChildren(this.root);
    this.drawControlPlane();
  }

  drawControlPlane() {
    const frame = this.layers.frame;
    const cp = CONTROL_PLANE_BOX;
    frame.append(svg("rect", { class: "cp-frame", x: cp.x, y: cp.y, width: cp.w, height: cp.h, rx: 12 }));
    frame.append(text(cp.x + 14, cp.y + 20, gettext("Control plane"), { class: "frame-title" }));
    for (const [id, box] of Object.entries(COMPONENTS)) {
      const g = focusable(svg("g", { class: `component component-${id}`, transform: `translate(${box.x},${box.y})` }),
        `component/${id}`, COMPONENT_LABELS[id]());
      g.append(svg("rect", { width: box.w, height: box.h, rx: 8 }));
      const title = text(box.w / 2, id === "laptop" ? 31 : 24, COMPONENT_TITLES[id](), { class: "component-title", "text-anchor": "middle" });
      const note = text(box.w / 2, id === "laptop" ? 50 : 42, COMPONENT_NOTES[id](), { class: "component-note", "text-anchor": "middle" });
      g.append(title, note);
      this.fits.push([title, box.w - 12], [note, box.w - 10]);
      frame.append(g);
    }
  }

  // Texts whose width depends on the language and the font: squeeze the few that would spill out of their box.
  // Measured all at once, after they are in the document (one layout), and only where needed.
  fit() {
    const pending = this.fits.splice(0);
    if (!this.root.isConnected) return;
    const widths = pending.map(([el]) => (el.isConnected ? el.getComputedTextLength() : 0));
    pending.forEach(([el, max], i) => {
      if (widths[i] > max) {
        el.setAttribute("textLength", String(max));
        el.setAttribute("lengthAdjust", "spacingAndGlyphs");
      }
    });
  }

  render(layout) {
    this.layout = layout;
    this.root.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
    this.root.style.aspectRatio = `${layout.width} / ${layout.height}`;
    this.drawEdges(layout);
    this.drawServices(layout);
    this.drawNodes(layout);
    this.drawPods(layout);
    this.fit();
  }

  drawEdges(layout) {
    this.layers.edges.replaceChildren(...staticRoutes(layout).map((d) => svg("path", { class: "edge", d })));
  }

  drawServices(layout) {
    const items = layout.services.map((box) => {
      const o = box.obj;
      const key = `${box.kind}/${o.metadata.namespace || "default"}/${o.metadata.name}`;
      const g = svg("g", { class: `service kind-${box.kind.toLowerCase()}`, transform: `translate(${box.x},${box.y})` });
      g.classList.toggle("selected", key === this.selected);
      let lines;
      if (box.kind === "Service") {
        const spec = o.spec || {};
        const lb = (((o.status || {}).loadBalancer || {}).ingress || [])[0];
        lines = [`${spec.type || "ClusterIP"} · ${spec.clusterIP || ""}`, servicePorts(o)];
        if (spec.type === "LoadBalancer") lines[1] += ` · LB ${lb ? lb.ip || lb.hostname : "<pending>"}`;
      } else {
        const rule = ((o.spec || {}).rules || [])[0] || {};
        const lb = (((o.status || {}).loadBalancer || {}).ingress || [])[0];
        lines = [`${rule.host || "*"} · ${gettext("class")} ${(o.spec || {}).ingressClassName || "-"}`, `${gettext("address")} ${lb ? lb.ip || lb.hostname : "-"}`];
      }
      focusable(g, key, `${kindName(box.kind)} ${o.metadata.name}: ${lines.join(", ")}`);
      g.append(svg("rect", { width: box.w, height: box.h, rx: 8 }));
      g.append(text(10, 18, `${box.kind === "Service" ? "svc" : "ing"}/${truncate(o.metadata.name, 24)}`, { class: "service-title" }));
      g.append(text(10, 36, truncate(lines[0], 34), { class: "service-line" }));
      g.append(text(10, 52, truncate(lines[1], 34), { class: "service-line" }));
      return g;
    });
    if (layout.services.length) {
      const first = layout.services[0];
      const lane = svg("g", { class: "lane" });
      const title = text(16, first.y + 16, gettext("Services & Ingress"), { class: "lane-title" });
      lane.append(title);
      this.fits.push([title, 156]);
      lane.append(this.proxyLabel(first.y + 30));
      items.unshift(lane);
    }
    this.layers.services.replaceChildren(...items);
  }

  // Which kube-proxy mode balances the Services (from the traffic records: iptables until one says otherwise).
  proxyLabel(y) {
    const mode = this.proxyMode || "iptables";
    const g = svg("g", { class: `proxy-mode mode-${mode}`, transform: `translate(16,${y})` });
    g.dataset.mode = mode;
    g.append(svg("rect", { width: 148, height: 36, rx: 6 }));
    const head = text(8, 15, `kube-proxy: ${mode === "ipvs" ? "IPVS" : "iptables"}`, { class: "proxy-title" });
    const note = text(8, 29, (PROXY_MODES[mode] || PROXY_MODES.iptables)(), { class: "proxy-note" });
    g.append(head, note);
    const title = svg("title");
    title.textContent = gettext("kube-proxy sends each new connection to a Service to one of its ready pods. iptables mode picks a random pod (each with probability 1/n); IPVS mode (round robin) takes them in turn. Switch with: kube-proxy --proxy-mode=ipvs");
    g.append(title);
    this.fits.push([head, 136], [note, 136]);
    return g;
  }

  setProxyMode(mode) {
    if (!mode || mode === this.proxyMode) return;
    this.proxyMode = mode;
    const old = this.layers.services.querySelector(".proxy-mode");
    if (old) {
      const y = Number((old.getAttribute("transform").match(/,([\d.]+)\)/) || [])[1] || 0);
      old.replaceWith(this.proxyLabel(y));
      this.fit();
    }
  }

  drawNodes(layout) {
    const items = [];
    if (layout.pending) {
      const p = layout.pending;
      items.push(svg("rect", { class: "pending-area", x: p.x, y: p.y, width: p.w, height: p.h, rx: 10 }));
      items.push(text(p.x + 12, p.y + 18, gettext("Not scheduled yet: waiting for the scheduler"), { class: "frame-title" }));
    }
    for (const box of layout.nodes) {
      const state = nodeState(box.node);
      const key = `Node//${box.name}`;
      const g = svg("g", { class: `node tone-${state.tone}`, transform: `translate(${box.x},${box.y})` });
      g.classList.toggle("selected", key === this.selected);
      const ip = (((box.node.status || {}).addresses || []).find((a) => a.type === "InternalIP") || {}).address || "";
      focusable(g, key, `${kindName("Node")} ${box.name}: ${state.word}, ${ip}`);
      g.append(svg("rect", { class: "node-frame", width: box.w, height: box.h, rx: 12 }));
      g.append(text(12, 20, box.name, { class: "node-title" }));
      g.append(text(box.w - 12, 20, `${state.glyph} ${state.word}`, { class: `node-state tone-${state.tone}`, "text-anchor": "end" }));
      g.append(text(12, 34, ip, { class: "node-ip" }));
      for (const [x, label] of [[12, "kubelet"], [126, gettext("runtime")]]) {
        g.append(svg("rect", { class: "agent", x, y: 38, width: 100, height: 22, rx: 6 }));
        const agent = text(x + 50, 53, label, { class: "agent-label", "text-anchor": "middle" });
        g.append(agent);
        this.fits.push([agent, 92]);
      }
      items.push(g);
    }
    // Owner labels go above the nodes (their own layer) and take clicks only on their words: a click anywhere
    // else inside a node still selects the node.
    const groups = [...(layout.pending ? layout.pending.groups : []), ...layout.nodes.flatMap((box) => box.groups)];
    this.layers.nodes.replaceChildren(...items);
    this.layers.groups.replaceChildren(...groups.flatMap((g) => this.groupLabel(g)));
  }

  // "deploy/web → rs/web-5d4f8 · hpa/web": each owner is a button that opens Explain for it.
  groupLabel(group) {
    if (!group.parts || !group.parts.length) return [];
    const size = 11.5;
    let budget = chars(group.w, size);
    const separators = group.parts.length - 1;
    budget -= separators * 3;
    const names = group.parts.map((p) => p.name);
    const label = (i) => `${group.parts[i].short}/${names[i]}`;
    // Shorten the longest names first until the label fits: a ReplicaSet keeps the end of its name (the hash
    // that tells the old one from the new one), the others keep their start.
    let total = names.reduce((n, _, i) => n + label(i).length, 0);
    while (total > budget) {
      const longest = names.reduce((best, s, i) => (s.length > names[best].length ? i : best), 0);
      if (names[longest].length <= 6) break;
      names[longest] = elideName(group.parts[longest].name, names[longest].length - 1, group.parts[longest].kind === "ReplicaSet");
      total -= 1;
    }
    const out = [];
    let x = group.x;
    group.parts.forEach((part, i) => {
      if (i) {
        out.push(text(x + 1.5 * size * MONO, group.y + 13, i === 1 && part.kind === "ReplicaSet" ? "→" : "·", { class: "group-sep", "text-anchor": "middle" }));
        x += 3 * size * MONO;
      }
      const width = label(i).length * size * MONO;
      const g = focusable(svg("g", { class: `group-link kind-${part.kind.toLowerCase()}` }), part.key,
        `${kindName(part.kind)} ${part.name}`);
      g.classList.toggle("selected", part.key === this.selected);
      g.append(svg("rect", { class: "group-hit", x: x - 2, y: group.y + 1, width: width + 4, height: 16, rx: 3 }));
      g.append(text(x, group.y + 13, label(i), { class: "group-label" }));
      const title = svg("title");
      title.textContent = `${part.kind} ${part.name}`;
      g.append(title);
      out.push(g);
      x += width;
    });
    return out;
  }

  drawPods(layout) {
    const seen = new Set();
    const tile = layout.tile;
    for (const { pod, x, y } of layout.pods) {
      const key = `Pod/${pod.metadata.namespace || "default"}/${pod.metadata.name}`;
      seen.add(key);
      let entry = this.podElements.get(key);
      const view = podView(pod);
      view.owned = (pod.metadata.ownerReferences || []).some((r) => r.controller);
      const signature = JSON.stringify([view.state, view.restarts, view.ip, view.image, tile.compact, view.ready]);
      if (!entry) {
        entry = { g: svg("g", { class: "pod entering" }), signature: "" };
        focusable(entry.g, key, view.name);
        this.layers.pods.append(entry.g);
        this.podElements.set(key, entry);
        requestAnimationFrame(() => entry.g.classList.remove("entering"));
      }
      entry.g.setAttribute("transform", `translate(${x},${y})`);
      entry.g.style.transform = `translate(${x}px,${y}px)`;
      entry.x = x;
      entry.y = y;
      entry.g.classList.toggle("selected", key === this.selected);
      if (entry.signature !== signature) {
        entry.signature = signature;
        this.drawPod(entry, view, tile, key);
      }
    }
    for (const [key, entry] of this.podElements) {
      if (!seen.has(key)) {
        entry.g.remove();
        this.podElements.delete(key);
      }
    }
  }

  // A pod tile. Nothing overlaps: each row has its own line, counters sit at the right end of their row and
  // the texts on the left are cut to leave them room. The name keeps its end (the ReplicaSet hash and the
  // pod's own suffix), which is what tells pods apart in `kubectl get pods` and in curl's answers.
  drawPod(entry, view, tile, key) {
    const g = entry.g;
    g.setAttribute("class", `pod tone-${view.tone}${key === this.selected ? " selected" : ""}`);
    g.dataset.state = view.state;
    g.dataset.name = view.name;
    g.setAttribute("aria-label", tf(gettext("Pod %(name)s: %(state)s, ready %(ready)s, restarts %(restarts)s, %(ip)s, %(image)s"),
      { ...view, ip: view.ip || gettext("no IP yet") }));
    const parts = [svg("rect", { class: "pod-box", width: tile.w, height: tile.h, rx: 6 }),
      svg("rect", { class: "pod-bar", width: 5, height: tile.h, rx: 2 })];
    const title = svg("title");
    title.textContent = `${view.name}\n${view.state} · ${view.ready} · ${gettext("restarts")} ${view.restarts}\n${view.ip} · ${view.image}`;
    parts.push(title);
    const count = this.counters.get(key) || 0;
    const right = tile.w - 7;
    const width = tile.w - 12 - 6;
    let badge;
    if (tile.compact) {
      const restarts = view.restarts ? ` ↻${view.restarts}` : "";
      parts.push(text(12, 13, `${view.glyph} ${truncate(view.name.split("-").pop(), 7)}`, { class: "pod-name" }));
      badge = text(right, 12, count ? requestCount(count, true) : "", { class: "pod-counter", "text-anchor": "end" });
      const state = text(12, 25, view.state, { class: "pod-state" });
      parts.push(state);
      if (restarts) parts.push(text(right, 25, restarts.trim(), { class: "pod-restarts", "text-anchor": "end" }));
      this.fits.push([state, width - restarts.length * 6]);
    } else {
      parts.push(text(12, 16, elideName(view.name, chars(width, 12.5), view.owned), { class: "pod-name" }));
      const state = text(12, 32, `${view.glyph} ${view.state}`, { class: "pod-state" });
      parts.push(state);
      this.fits.push([state, width]);
      const restarts = `↻ ${view.restarts}`;
      parts.push(text(12, 47, truncate(view.ip || "—", chars(width, 11) - restarts.length - 1), { class: "pod-meta" }));
      parts.push(text(right, 47, restarts, { class: "pod-restarts", "text-anchor": "end" }));
      const image = view.image.split("/").pop() || "—";
      parts.push(text(12, 61, truncate(image, chars(width, 11) - 7), { class: "pod-meta" }));
      badge = text(right, 61, count ? requestCount(count, false) : "", { class: "pod-counter", "text-anchor": "end" });
    }
    entry.badge = badge;
    entry.compact = tile.compact;
    parts.push(badge);
    g.replaceChildren(...parts);
  }

  count(key, n) {
    const total = (this.counters.get(key) || 0) + n;
    this.counters.set(key, total);
    const entry = this.podElements.get(key);
    if (entry?.badge) entry.badge.textContent = requestCount(total, entry.compact);
    return entry;
  }

  select(key) {
    this.selected = key;
    for (const el of this.root.querySelectorAll(".selected")) el.classList.remove("selected");
    if (!key) return;
    for (const el of this.root.querySelectorAll(`[data-key="${CSS.escape(key)}"]`)) el.classList.add("selected");
  }
}
