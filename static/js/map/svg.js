// Creating SVG elements without a library.

const NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, children = []) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  for (const child of children) element.append(child);
  return element;
}

export function text(x, y, content, attrs = {}) {
  const element = svg("text", { x, y, ...attrs });
  element.textContent = content;
  return element;
}

export function truncate(value, max) {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

// A name cut to `max` characters with "…" in the middle. keepEnd: keep as much of the end as fits (a pod of a
// ReplicaSet: "…8cc99765-x7k2p", its owner is named beside it); otherwise keep the start and the last part.
export function elideName(value, max, keepEnd = false) {
  if (value.length <= max) return value;
  if (keepEnd) return `…${value.slice(value.length - (max - 1)).replace(/^-/, "")}`;
  const dash = value.lastIndexOf("-");
  const tail = dash > 0 && value.length - dash <= max / 2 ? value.slice(dash) : "";
  return `${value.slice(0, max - 1 - tail.length)}…${tail}`;
}
