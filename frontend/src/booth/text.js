// The booth's strings: the page's data island carries them, translated by the server (Django's
// catalogues), with Python's %(name)s / %(name)d placeholders, which `format` fills.

/** Fill %(name)s and %(name)d in `template` from `params`. */
export function format(template, params = {}) {
  return template.replace(/%\((\w+)\)[sd]/g, (whole, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole
  );
}

/** A lookup of the booth's strings: t(key, params). An unknown key throws (a test checks that
 * every key the booth uses is in the island). */
export function translator(strings) {
  return (key, params) => {
    if (!Object.hasOwn(strings, key)) throw new Error(`no booth string ${key}`);
    return format(strings[key], params);
  };
}

/** Put text (never markup) into the element with this id, and show or hide it. */
export function say(id, text) {
  const element = document.getElementById(id);
  element.textContent = text ?? '';
  element.hidden = !text;
  return element;
}
