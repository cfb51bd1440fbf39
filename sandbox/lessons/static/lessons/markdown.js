// A deliberately small Markdown renderer for lesson texts: paragraphs, "- " lists, `code`, ``code``, **bold**,
// *emphasis*.
// Lesson files are ours, but everything is escaped first anyway: no HTML from a lesson reaches the page.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function renderInline(text) {
  const parts = [];
  // ``double`` first (it may contain single backticks), then `single`.
  const re = /``\s?(.+?)\s?``|`([^`]+)`/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    parts.push(emphasis(escapeHtml(text.slice(last, m.index))));
    parts.push(`<code>${escapeHtml(m[1] ?? m[2])}</code>`);
    last = m.index + m[0].length;
  }
  parts.push(emphasis(escapeHtml(text.slice(last))));
  return parts.join("");
}

function emphasis(html) {
  return html
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^\w*])\*([^*\s](?:[^*]*[^*\s])?)\*(?![\w*])/g, "$1<em>$2</em>");
}

export function renderMarkdown(source) {
  const blocks = String(source || "").replace(/\r/g, "").split(/\n\s*\n/);
  return blocks
    .map((block) => {
      const lines = block.split("\n").filter((l) => l.trim() !== "");
      if (lines.length && lines.every((l) => /^\s*- /.test(l))) {
        return `<ul>${lines.map((l) => `<li>${renderInline(l.replace(/^\s*- /, ""))}</li>`).join("")}</ul>`;
      }
      if (lines.length && /^\s*- /.test(lines[lines.length - 1]) && !/^\s*- /.test(lines[0])) {
        const first = lines.findIndex((l) => /^\s*- /.test(l));
        const head = lines.slice(0, first).join(" ");
        const items = lines.slice(first).map((l) => `<li>${renderInline(l.replace(/^\s*- /, ""))}</li>`).join("");
        return `<p>${renderInline(head)}</p><ul>${items}</ul>`;
      }
      return lines.length ? `<p>${renderInline(lines.join(" "))}</p>` : "";
    })
    .join("");
}
