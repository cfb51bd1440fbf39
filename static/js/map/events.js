// The Events panel, like `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE. kubectl lists the oldest
// first; the page's panel lists the newest first (it is read from the top), Explain keeps kubectl's order.

import { gettext } from "../i18n.js";

// apimachinery's HumanDuration (the AGE / LAST SEEN columns).
export function humanDuration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  return d < 365 * 2 ? `${d}d` : `${Math.floor(d / 365)}y`;
}

export function eventTime(event) {
  const stamp = event.lastTimestamp || (event.series || {}).lastObservedTime || event.eventTime || event.metadata.creationTimestamp;
  return stamp ? Date.parse(stamp) : 0;
}

export function eventsOf(objects, filter) {
  const found = [];
  for (const obj of objects.values()) if (obj.kind === "Event" && filter(obj)) found.push(obj);
  return found.sort((a, b) => eventTime(a) - eventTime(b) || (a.metadata.name < b.metadata.name ? -1 : 1));
}

export function eventRow(event, now) {
  const io = event.involvedObject || {};
  return [humanDuration(now - eventTime(event)), event.type || "", event.reason || "",
    `${(io.kind || "").toLowerCase()}/${io.name || ""}`, event.message || ""];
}

const COLUMNS = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];

export function eventsTable(events, now, { limit = 200, newestFirst = false } = {}) {
  const table = document.createElement("table");
  table.className = "events-table";
  const cols = document.createElement("colgroup");
  for (const name of ["seen", "type", "reason", "object", "message"]) {
    const col = document.createElement("col");
    col.className = `col-${name}`;
    cols.append(col);
  }
  table.append(cols);
  const head = table.createTHead().insertRow();
  for (const title of COLUMNS) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  const shown = events.slice(-limit);
  if (newestFirst) shown.reverse();
  for (const event of shown) {
    const row = body.insertRow();
    row.className = event.type === "Warning" ? "warning" : "";
    eventRow(event, now).forEach((value, i) => {
      const cell = row.insertCell();
      cell.textContent = value;
      cell.dataset.label = COLUMNS[i];
    });
  }
  if (!events.length) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = COLUMNS.length;
    cell.className = "empty";
    cell.textContent = gettext("No events.");
  }
  return table;
}
