// The live list of cluster objects, grouped by kind, redrawn (at most once a frame) from watch events.

import { gettext } from "./i18n.js";
import { podSummary, statusTone } from "./podstatus.js";

function nodeStatus(node) {
  const ready = ((node.status || {}).conditions || []).find((c) => c.type === "Ready");
  let text = ready && ready.status === "True" ? "Ready" : ready && ready.status === "False" ? "NotReady" : "Unknown";
  const tone = text === "Ready" ? "ok" : "error";
  if ((node.spec || {}).unschedulable) text += ",SchedulingDisabled";
  return { text, tone };
}

function nodeRoles(node) {
  const roles = Object.keys((node.metadata || {}).labels || {})
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length));
  return roles.length ? roles.join(",") : "<none>";
}

function servicePorts(svc) {
  const ports = (svc.spec || {}).ports || [];
  if (!ports.length) return "<none>";
  return ports.map((p) => `${p.port}${p.nodePort ? ":" + p.nodePort : ""}/${p.protocol || "TCP"}`).join(",");
}

// Per kind: which cells a row shows ([text, className] or a status {text, tone}).
const KINDS = [
  {
    kind: "Node", title: () => gettext("Nodes"), namespaced: false,
    cells: (o) => [nodeStatus(o), [nodeRoles(o), "dim"], [((o.status || {}).nodeInfo || {}).kubeletVersion || "", "dim"]],
  },
  {
    kind: "Deployment", title: () => gettext("Deployments"), namespaced: true,
    cells: (o) => {
      const s = o.status || {};
      return [[`${s.readyReplicas || 0}/${(o.spec || {}).replicas ?? 1}`, ""], [`${gettext("up-to-date")} ${s.updatedReplicas || 0}`, "dim"],
        [`${gettext("available")} ${s.availableReplicas || 0}`, "dim"]];
    },
  },
  {
    kind: "ReplicaSet", title: () => gettext("Replica sets"), namespaced: true,
    cells: (o) => {
      const s = o.status || {};
      return [[`${gettext("desired")} ${(o.spec || {}).replicas ?? 1}`, "dim"], [`${gettext("current")} ${s.replicas || 0}`, "dim"],
        [`${gettext("ready")} ${s.readyReplicas || 0}`, ""]];
    },
  },
  {
    kind: "Pod", title: () => gettext("Pods"), namespaced: true,
    cells: (o) => {
      const summary = podSummary(o);
      return [{ text: summary.reason, tone: statusTone(summary.reason) }, [summary.ready, ""],
        [(o.spec || {}).nodeName || "<none>", "dim"], [(o.status || {}).podIP || "", "dim"]];
    },
  },
  {
    kind: "Service", title: () => gettext("Services"), namespaced: true,
    cells: (o) => [[(o.spec || {}).type || "ClusterIP", ""], [(o.spec || {}).clusterIP || "", "dim"], [servicePorts(o), "dim"]],
  },
];

function cell(value) {
  const td = document.createElement("td");
  if (Array.isArray(value)) {
    td.textContent = value[0];
    if (value[1]) td.className = value[1];
  } else {
    const span = document.createElement("span");
    span.className = `status ${value.tone}`;
    const dot = document.createElement("span");
    dot.className = "dot";
    dot.setAttribute("aria-hidden", "true");
    span.append(dot, document.createTextNode(value.text));
    td.appendChild(span);
  }
  return td;
}

export class ObjectList {
  constructor({ root, select, state }) {
    this.root = root;
    this.select = select;
    this.state = state;
    this.namespace = "default";
    this.dirty = new Set(KINDS.map((k) => k.kind));
    this.groups = new Map();
    this.frame = 0;
    for (const spec of KINDS) this.groups.set(spec.kind, this.buildGroup(spec));
    select.addEventListener("change", () => {
      this.namespace = select.value;
      this.invalidate(KINDS.map((k) => k.kind));
    });
    state.addEventListener("reset", () => this.invalidate(KINDS.map((k) => k.kind).concat("Namespace")));
    state.addEventListener("events", (e) => this.invalidate(e.detail.map((ev) => ev.object.kind)));
  }

  buildGroup(spec) {
    const section = document.createElement("section");
    section.className = "kind-group";
    section.dataset.kind = spec.kind;
    const heading = document.createElement("h3");
    const title = document.createElement("span");
    title.textContent = spec.title();
    const count = document.createElement("span");
    count.className = "count";
    heading.append(title, count);
    const table = document.createElement("table");
    const body = document.createElement("tbody");
    table.appendChild(body);
    section.append(heading, table);
    this.root.appendChild(section);
    return { spec, count, body, rows: new Map() };
  }

  invalidate(kinds) {
    for (const kind of kinds) this.dirty.add(kind);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  render() {
    this.frame = 0;
    if (this.dirty.has("Namespace")) this.renderNamespaces();
    for (const [kind, group] of this.groups) if (this.dirty.has(kind)) this.renderGroup(group);
    this.dirty.clear();
  }

  renderNamespaces() {
    const names = this.state.list("Namespace").map((ns) => ns.metadata.name).sort();
    const current = this.select.value;
    const options = [...names.map((n) => [n, n]), ["", gettext("All namespaces")]];
    this.select.replaceChildren(...options.map(([value, label]) => new Option(label, value, false, value === current)));
    if (![...this.select.options].some((o) => o.value === current)) this.select.value = "default";
    this.namespace = this.select.value;
  }

  visible(spec, obj) {
    if (!spec.namespaced || !this.namespace) return true;
    return (obj.metadata || {}).namespace === this.namespace;
  }

  renderGroup(group) {
    const objects = this.state.list(group.spec.kind).filter((o) => this.visible(group.spec, o));
    objects.sort((a, b) => objectName(a).localeCompare(objectName(b)));
    group.count.textContent = String(objects.length);
    const seen = new Set();
    let previous = null;
    for (const obj of objects) {
      const key = `${obj.metadata.namespace || ""}/${obj.metadata.name}`;
      seen.add(key);
      const version = obj.metadata.resourceVersion;
      let entry = group.rows.get(key);
      if (!entry || entry.version !== version) {
        const row = this.buildRow(group.spec, obj);
        if (entry) {
          entry.row.replaceWith(row);
          row.classList.add("flash");
        }
        entry = { row, version };
        group.rows.set(key, entry);
      }
      const expected = previous ? previous.nextSibling : group.body.firstChild;
      if (expected !== entry.row) group.body.insertBefore(entry.row, expected);
      previous = entry.row;
    }
    for (const [key, entry] of group.rows) {
      if (!seen.has(key)) {
        entry.row.remove();
        group.rows.delete(key);
      }
    }
    group.body.querySelector("tr.empty")?.remove();
    if (!objects.length) {
      const row = document.createElement("tr");
      row.className = "empty";
      const td = document.createElement("td");
      td.textContent = gettext("None");
      row.appendChild(td);
      group.body.appendChild(row);
    }
  }

  buildRow(spec, obj) {
    const row = document.createElement("tr");
    const name = document.createElement("td");
    name.className = "name";
    name.textContent = obj.metadata.name;
    name.title = obj.metadata.namespace && !this.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
    row.appendChild(name);
    for (const value of spec.cells(obj)) row.appendChild(cell(value));
    return row;
  }
}

function objectName(obj) {
  return `${obj.metadata.namespace || ""}/${obj.metadata.name}`;
}
