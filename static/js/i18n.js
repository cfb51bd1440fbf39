// UI text through Django's JavaScript catalog (/jsi18n/, loaded before the modules); English if it is missing.
// Call sites use gettext("…") literally so that `makemessages -d djangojs` finds the strings.

export function gettext(text) {
  return typeof window.gettext === "function" ? window.gettext(text) : text;
}

// Fill %(name)s placeholders of an already translated text, as Django's interpolate() does.
export function tf(translated, values) {
  return translated.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}
