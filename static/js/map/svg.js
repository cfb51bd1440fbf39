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
