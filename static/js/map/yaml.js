// A small YAML writer for showing objects (block style, strings quoted only when YAML needs it).

const PLAIN = /^[A-Za-z_/.][\w ./:@%+-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function scalar(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = String(value);
  if (text !== "" && PLAIN.test(text) && !RESERVED.test(text) && !/[: ]$/.test(text) && !text.includes(": ")) {
    return text;
  }
  return JSON.stringify(text);
}

function isEmpty(value) {
  return (Array.isArray(value) && !value.length) || (value && typeof value === "object" && !Object.keys(value).length);
}

function lines(value, indent, out) {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item && typeof item === "object" && !isEmpty(item)) {
        const inner = [];
        lines(item, indent + 2, inner);
        out.push(`${pad}- ${inner[0].trimStart()}`, ...inner.slice(1));
      } else out.push(`${pad}- ${isEmpty(item) ? JSON.stringify(item) : scalar(item)}`);
    }
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (item && typeof item === "object" && !isEmpty(item)) {
      out.push(`${pad}${scalar(key)}:`);
      lines(item, Array.isArray(item) ? indent : indent + 2, out);
    } else out.push(`${pad}${scalar(key)}: ${isEmpty(item) ? JSON.stringify(item) : scalar(item)}`);
  }
}

export function toYaml(obj) {
  const out = [];
  lines(obj, 0, out);
  return out.join("\n") + "\n";
}
