// @ts-check
// Tiny DOM builders: every text goes in through textContent, so nothing a user pastes (HTML, a
// kubeconfig, a server's error message) is ever parsed as markup.

/**
 * An element with attributes and children (strings become text nodes).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | boolean | undefined>} [attrs]  `false`/`undefined` are left out
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/**
 * A definition list of `[term, value]` rows; each value carries `data-field=term` for tests and
 * styling. A value that is a Node is inserted as is.
 * @param {[string, string | Node][]} rows
 */
export function fields(rows) {
  return el(
    "dl",
    {},
    rows.flatMap(([term, value]) => [el("dt", {}, [term]), el("dd", { "data-field": term }, [value])]),
  );
}

/**
 * The element with this id, typed; throws at start-up when the page and the script disagree.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
export function byId(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return node;
}
