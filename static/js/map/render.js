// Drawing the map into one SVG. Static control-plane boxes are drawn once; nodes, Services and owner groups
// are redrawn when the layout changes (there are few); pods are kept by key and updated in place, so 200 pods
// redraw cheaply and a focused pod keeps the keyboard focus.

import { gettext } from "../i18n.js";
import { COMPONENTS, CONTROL_PLANE_BOX } from "./layout.js";
import { podView } from "./pods.js";
import { staticRoutes } from "./routes.js";
import { svg, text, truncate } from "./svg.js";

const COMPONENT_TITLES = {
  laptop: () => gettext("Your laptop (kubectl)"),
  "controller-manager": () => "kube-controller-manager",
  scheduler: () => "kube-scheduler",
  "api-server": () => "kube-apiserver",
  etcd: () => "etcd",
};
const COMPONENT_NOTES = {
  laptop: () => "kubectl · curl",
  "controller-manager": () => gettext("Deployment · ReplicaSet · Node …"),
  scheduler: () => gettext("picks a node for each pod"),
  "api-server": () => gettext("the only door to the cluster"),
  etcd: () => gettext("stores every object"),
};

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
        `component/${id}`, COMPONENT_TITLES[id]());
      g.append(svg("rect", { width: box.w, height: box.h, rx: 8 }));
      g.append(text(box.w / 2, id === "laptop" ? 30 : 24, truncate(COMPONENT_TITLES[id](), 26), { class: "component-title", "text-anchor": "middle" }));
      g.append(text(box.w / 2, id === "laptop" ? 48 : 42, COMPONENT_NOTES[id](), { class: "component-note", "text-anchor": "middle" }));
      frame.append(g);
    }
  }

  render(layout) {
    this.layout = layout;
    this.root.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
    this.root.style.aspectRatio = `${layout.width} / ${layout.height}`;
    this.drawEdges(layout);
    this.drawServices(layout);
    this.drawNodes(layout);
    this.drawPods(layout);
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
      focusable(g, key, `${box.kind} ${o.metadata.name}: ${lines.join(", ")}`);
      g.append(svg("rect", { width: box.w, height: box.h, rx: 8 }));
      g.append(text(10, 18, `${box.kind === "Service" ? "svc" : "ing"}/${truncate(o.metadata.name, 24)}`, { class: "service-title" }));
      g.append(text(10, 36, truncate(lines[0], 34), { class: "service-line" }));
      g.append(text(10, 52, truncate(lines[1], 34), { class: "service-line" }));
      return g;
    });
    if (layout.services.length) {
      const first = layout.services[0];
      items.unshift(text(16, first.y + 20, gettext("Services &"), { class: "lane-title" }),
        text(16, first.y + 36, gettext("Ingress"), { class: "lane-title" }));
    }
    this.layers.services.replaceChildren(...items);
  }

  drawNodes(layout) {
    const items = [];
    if (layout.pending) {
      const p = layout.pending;
      items.push(svg("rect", { class: "pending-area", x: p.x, y: p.y, width: p.w, height: p.h, rx: 10 }));
      items.push(text(p.x + 12, p.y + 18, gettext("Not scheduled yet — waiting for the scheduler"), { class: "frame-title" }));
      items.push(...this.groupLabels(p.groups));
    }
    for (const box of layout.nodes) {
      const state = nodeState(box.node);
      const key = `Node//${box.name}`;
      const g = svg("g", { class: `node tone-${state.tone}`, transform: `translate(${box.x},${box.y})` });
      g.classList.toggle("selected", key === this.selected);
      const ip = (((box.node.status || {}).addresses || []).find((a) => a.type === "InternalIP") || {}).address || "";
      focusable(g, key, `Node ${box.name}: ${state.word}, ${ip}`);
      g.append(svg("rect", { class: "node-frame", width: box.w, height: box.h, rx: 12 }));
      g.append(text(12, 20, box.name, { class: "node-title" }));
      g.append(text(box.w - 12, 20, `${state.glyph} ${state.word}`, { class: `node-state tone-${state.tone}`, "text-anchor": "end" }));
      g.append(text(12, 34, ip, { class: "node-ip" }));
      for (const [x, label] of [[12, "kubelet"], [126, gettext("runtime")]]) {
        g.append(svg("rect", { class: "agent", x, y: 38, width: 100, height: 22, rx: 6 }));
        g.append(text(x + 50, 53, label, { class: "agent-label", "text-anchor": "middle" }));
      }
      items.push(g);
      items.push(...this.groupLabels(box.groups));
    }
    this.layers.nodes.replaceChildren(...items);
  }

  groupLabels(groups) {
    return groups.filter((g) => g.label).map((g) => text(g.x, g.y + 13, truncate(g.label, Math.floor(g.w / 6.4)), { class: "group-label" }));
  }

  drawPods(layout) {
    const seen = new Set();
    const tile = layout.tile;
    for (const { pod, x, y } of layout.pods) {
      const key = `Pod/${pod.metadata.namespace || "default"}/${pod.metadata.name}`;
      seen.add(key);
      let entry = this.podElements.get(key);
      const view = podView(pod);
      const signature = JSON.stringify([view.state, view.restarts, view.ip, view.tag, tile.compact, view.ready]);
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

  drawPod(entry, view, tile, key) {
    const g = entry.g;
    g.setAttribute("class", `pod tone-${view.tone}${key === this.selected ? " selected" : ""}`);
    g.dataset.state = view.state;
    g.setAttribute("aria-label", `Pod ${view.name}: ${view.state}, ${gettext("ready")} ${view.ready}, ${gettext("restarts")} ${view.restarts}, ${view.ip || gettext("no IP yet")}, ${view.image}`);
    const parts = [svg("rect", { class: "pod-box", width: tile.w, height: tile.h, rx: 6 }),
      svg("rect", { class: "pod-bar", width: 5, height: tile.h, rx: 2 })];
    const title = svg("title");
    title.textContent = `${view.name}\n${view.state} · ${view.ready} · ${gettext("restarts")} ${view.restarts}\n${view.ip} · ${view.image}`;
    parts.push(title);
    if (tile.compact) {
      parts.push(text(12, 13, `${view.glyph} ${truncate(view.name.split("-").pop(), 9)}`, { class: "pod-name" }));
      parts.push(text(12, 25, truncate(view.state, 14) + (view.restarts ? ` ↻${view.restarts}` : ""), { class: "pod-state" }));
    } else {
      parts.push(text(12, 15, truncate(view.name, 18), { class: "pod-name" }));
      parts.push(text(12, 31, `${view.glyph} ${truncate(view.state, 14)}`, { class: "pod-state" }));
      parts.push(text(tile.w - 8, 31, `↻ ${view.restarts}`, { class: "pod-restarts", "text-anchor": "end" }));
      parts.push(text(12, 46, `${view.ip || "—"} · ${truncate(view.tag, 12)}`, { class: "pod-meta" }));
    }
    const count = this.counters.get(key);
    const badge = text(tile.w - 6, 13, count ? `${count} req` : "", { class: "pod-counter", "text-anchor": "end" });
    entry.badge = badge;
    parts.push(badge);
    g.replaceChildren(...parts);
  }

  count(key, n) {
    const total = (this.counters.get(key) || 0) + n;
    this.counters.set(key, total);
    const entry = this.podElements.get(key);
    if (entry?.badge) entry.badge.textContent = `${total} req`;
    return entry;
  }

  select(key) {
    this.selected = key;
    for (const el of this.root.querySelectorAll(".selected")) el.classList.remove("selected");
    if (key) this.root.querySelector(`[data-key="${CSS.escape(key)}"]`)?.classList.add("selected");
  }
}
