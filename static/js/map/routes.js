// The wires between the boxes, as SVG path data: drawn as edges and followed by the animated tokens.

import { COMPONENTS } from "./layout.js";

const c = COMPONENTS;
const API_X = c["api-server"].x + c["api-server"].w / 2;
const FIXED = {
  "laptop>api-server": `M${c.laptop.x + c.laptop.w},${c.laptop.y + 52} C${c.laptop.x + 300},${132} ${API_X - 40},${132} ${API_X - 40},${c["api-server"].y + c["api-server"].h}`,
  "controller-manager>api-server": `M${c["controller-manager"].x + 100},${c["controller-manager"].y} C${c["controller-manager"].x + 100},${26} ${API_X},${26} ${API_X},${c["api-server"].y}`,
  "scheduler>api-server": `M${c.scheduler.x + c.scheduler.w},${c.scheduler.y + 28} L${c["api-server"].x},${c["api-server"].y + 28}`,
  "api-server>etcd": `M${c["api-server"].x + c["api-server"].w},${c["api-server"].y + 28} L${c.etcd.x},${c.etcd.y + 28}`,
};

function nodeBox(layout, name) {
  return layout.nodes.find((n) => n.name === name);
}

export function kubeletRoute(node) {
  const kx = node.x + 62;
  const ky = node.y + 38;
  const startY = c["api-server"].y + c["api-server"].h;
  const bend = (startY + ky) / 2;
  return `M${API_X + 40},${startY} C${API_X + 40},${bend} ${kx},${bend} ${kx},${ky}`;
}

export function staticRoutes(layout) {
  return [...Object.values(FIXED), ...layout.nodes.map((n) => kubeletRoute(n))];
}

function actorName(actor) {
  if (actor === "kubectl" || actor === "client" || actor.startsWith("kubectl")) return "laptop";
  return actor;
}

// {d, reverse} for a hop between two actors, or null when there is no wire (a box "thinks": it pulses).
export function route(layout, from, to, step) {
  const a = actorName(from);
  const b = actorName(to);
  if (FIXED[`${a}>${b}`]) return { d: FIXED[`${a}>${b}`], reverse: false };
  if (FIXED[`${b}>${a}`]) return { d: FIXED[`${b}>${a}`], reverse: true };
  const kubelet = (x) => x.startsWith("kubelet:") && nodeBox(layout, x.slice(8));
  if (kubelet(a) && b === "api-server") return { d: kubeletRoute(kubelet(a)), reverse: true };
  if (kubelet(b) && a === "api-server") return { d: kubeletRoute(kubelet(b)), reverse: false };
  const node = kubelet(a) || kubelet(b) || nodeBox(layout, (step.params || {}).node || "");
  if (node && (b === "runtime" || a === "runtime")) {
    const d = `M${node.x + 112},${node.y + 49} L${node.x + 126},${node.y + 49}`;
    return { d, reverse: a === "runtime" };
  }
  return null;
}

export function pulseTarget(layout, actor, step) {
  const name = actorName(actor);
  if (c[name]) return { x: c[name].x, y: c[name].y, w: c[name].w, h: c[name].h };
  const node = nodeBox(layout, actor.startsWith("kubelet:") ? actor.slice(8) : (step.params || {}).node || "");
  return node ? { x: node.x, y: node.y, w: node.w, h: 64 } : null;
}
