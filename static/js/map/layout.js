// Where everything goes: a pure function of the objects, so the same cluster always draws the same map.
// Stable as objects come and go: nodes are sorted by name, pods grouped by owner (in the order the owners
// were created) and sorted by creation inside a group, so a new pod is appended rather than reshuffling.

import { ownerOf } from "./pods.js";

export const WIDTH = 1040;
const MARGIN = 16;
const GAP = 14;
const TOP = { y: 14, h: 104 };
export const COMPONENTS = {
  laptop: { x: MARGIN, y: 30, w: 148, h: 70, label: "laptop" },
  "controller-manager": { x: 196, y: 44, w: 200, h: 56 },
  scheduler: { x: 412, y: 44, w: 170, h: 56 },
  "api-server": { x: 598, y: 44, w: 230, h: 56 },
  etcd: { x: 844, y: 44, w: 150, h: 56 },
};
export const CONTROL_PLANE_BOX = { x: 180, y: TOP.y, w: 830, h: TOP.h };
const SERVICE = { w: 220, h: 62 };
const NODE_HEAD = 70;
const GROUP_HEAD = 18;

export function tileSize(podCount) {
  return podCount > 48 ? { w: 104, h: 30, compact: true } : { w: 148, h: 66, compact: false };
}

function created(obj) {
  return `${obj.metadata.creationTimestamp || ""}|${obj.metadata.name}`;
}

function byCreation(a, b) {
  return created(a) < created(b) ? -1 : created(a) > created(b) ? 1 : 0;
}

// HPAs by the object they scale ("Deployment/default/web"), so a group label can name its autoscaler.
function autoscalers(all) {
  const found = new Map();
  for (const hpa of all.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
    const ref = (hpa.spec || {}).scaleTargetRef || {};
    found.set(`${ref.kind}/${hpa.metadata.namespace || "default"}/${ref.name}`, hpa);
  }
  return found;
}

function groupPods(pods, byUid, hpas) {
  const groups = new Map();
  for (const pod of [...pods].sort(byCreation)) {
    const owner = ownerOf(pod, byUid);
    if (!groups.has(owner.key)) {
      const parts = [...owner.parts];
      const hpa = parts.length && hpas.get(parts[0].key);
      if (hpa) {
        const name = hpa.metadata.name;
        parts.push({ kind: "HorizontalPodAutoscaler", name, short: "hpa", key: `HorizontalPodAutoscaler/${hpa.metadata.namespace || "default"}/${name}` });
      }
      groups.set(owner.key, { key: owner.key, label: owner.label, parts, pods: [] });
    }
    groups.get(owner.key).pods.push(pod);
  }
  return [...groups.values()];
}

function placeGroups(groups, x, y, width, tile) {
  const perRow = Math.max(1, Math.floor((width + 8) / (tile.w + 8)));
  const placed = [];
  const pods = [];
  let cursor = y;
  for (const group of groups) {
    const labelY = cursor;
    cursor += group.label ? GROUP_HEAD : 4;
    group.pods.forEach((pod, i) => {
      const px = x + (i % perRow) * (tile.w + 8);
      const py = cursor + Math.floor(i / perRow) * (tile.h + 8);
      pods.push({ pod, x: px, y: py });
    });
    const rows = Math.ceil(group.pods.length / perRow);
    placed.push({ key: group.key, label: group.label, parts: group.parts, x, y: labelY, w: width, h: cursor - labelY + rows * (tile.h + 8) });
    cursor += rows * (tile.h + 8) + 4;
  }
  return { groups: placed, pods, bottom: cursor };
}

function nodeOrder(a, b) {
  const role = (n) => (Object.keys(n.metadata.labels || {}).some((k) => k === "node-role.kubernetes.io/control-plane") ? 0 : 1);
  return role(a) - role(b) || (a.metadata.name < b.metadata.name ? -1 : 1);
}

export function computeLayout(objects, namespace) {
  const all = [...objects.values()];
  const byUid = new Map(all.map((o) => [o.metadata.uid, o]));
  const inScope = (o) => !namespace || (o.metadata.namespace || "default") === namespace;
  const pods = all.filter((o) => o.kind === "Pod" && inScope(o));
  const nodes = all.filter((o) => o.kind === "Node").sort(nodeOrder);
  const services = all.filter((o) => o.kind === "Service" && inScope(o)).sort(byCreation);
  const ingresses = all.filter((o) => o.kind === "Ingress" && inScope(o)).sort(byCreation);
  const tile = tileSize(pods.length);
  const hpas = autoscalers(all);
  let y = TOP.y + TOP.h + GAP;

  const edge = [...ingresses.map((o) => ({ obj: o, kind: "Ingress" })), ...services.map((o) => ({ obj: o, kind: "Service" }))];
  const perRow = Math.floor((WIDTH - 2 * MARGIN + GAP) / (SERVICE.w + GAP));
  const serviceBoxes = edge.map((item, i) => ({
    ...item,
    x: MARGIN + 164 + (i % (perRow - 1)) * (SERVICE.w + GAP),
    y: y + Math.floor(i / (perRow - 1)) * (SERVICE.h + GAP),
    w: SERVICE.w,
    h: SERVICE.h,
  }));
  if (serviceBoxes.length) y += Math.ceil(serviceBoxes.length / (perRow - 1)) * (SERVICE.h + GAP);

  const unscheduled = pods.filter((p) => !(p.spec || {}).nodeName);
  let pendingArea = null;
  const placedPods = [];
  if (unscheduled.length) {
    const inner = placeGroups(groupPods(unscheduled, byUid, hpas), MARGIN + 12, y + 26, WIDTH - 2 * MARGIN - 24, tile);
    pendingArea = { x: MARGIN, y, w: WIDTH - 2 * MARGIN, h: inner.bottom - y + 6, groups: inner.groups };
    placedPods.push(...inner.pods);
    y = inner.bottom + 6 + GAP;
  }

  const cols = Math.max(1, Math.min(nodes.length, nodes.length > 4 ? 4 : nodes.length));
  const nodeW = (WIDTH - 2 * MARGIN - (cols - 1) * GAP) / cols;
  const nodeBoxes = [];
  for (let row = 0; row * cols < nodes.length; row++) {
    const rowNodes = nodes.slice(row * cols, row * cols + cols);
    let rowH = NODE_HEAD + 20;
    const boxes = rowNodes.map((node, i) => {
      const x = MARGIN + i * (nodeW + GAP);
      const mine = pods.filter((p) => (p.spec || {}).nodeName === node.metadata.name);
      const inner = placeGroups(groupPods(mine, byUid, hpas), x + 10, y + NODE_HEAD, nodeW - 20, tile);
      placedPods.push(...inner.pods);
      rowH = Math.max(rowH, inner.bottom - y + 8);
      return { node, name: node.metadata.name, x, y, w: nodeW, groups: inner.groups };
    });
    for (const box of boxes) nodeBoxes.push({ ...box, h: rowH });
    y += rowH + GAP;
  }
  return { width: WIDTH, height: y, tile, nodes: nodeBoxes, services: serviceBoxes, pending: pendingArea, pods: placedPods };
}

// Anchor points of the actors named in trace steps ("kubelet:worker-1", "runtime" of a node, …).
export function anchor(layout, actor, node) {
  const box = COMPONENTS[actor === "kubectl" || actor === "client" ? "laptop" : actor];
  if (box) return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
  const [role, name] = actor.includes(":") ? actor.split(":", 2) : [actor, node];
  const nodeBox = layout.nodes.find((n) => n.name === name);
  if (nodeBox && role === "kubelet") return { x: nodeBox.x + 62, y: nodeBox.y + 48 };
  if (nodeBox && role === "runtime") return { x: nodeBox.x + 176, y: nodeBox.y + 48 };
  if (nodeBox) return { x: nodeBox.x + nodeBox.w / 2, y: nodeBox.y + 14 };
  const cm = COMPONENTS["controller-manager"];
  return { x: cm.x + cm.w / 2, y: cm.y + cm.h / 2 };
}
