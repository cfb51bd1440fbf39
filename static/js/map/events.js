// The Events panel, like `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (oldest first).

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

export function eventsTable(events, now, { limit = 200 } = {}) {
  const table = document.createElement("table");
  table.className = "events-table";
  const head = table.createTHead().insertRow();
  for (const title of ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  for (const event of events.slice(-limit)) {
    const row = body.insertRow();
    row.className = event.type === "Warning" ? "warning" : "";
    for (const value of eventRow(event, now)) row.insertCell().textContent = value;
  }
  if (!events.length) body.insertRow().insertCell().textContent = gettext("No events.");
  return table;
}
