// @ts-check
// The few DOM and messaging helpers the extension's pages (popup, options) share.
import { ext } from "../messages.js";

/**
 * Creates an element: `h("button", { type: "button", onclick }, "Remove")`. Attributes starting
 * with "on" become listeners, `dataset` sets data-*, anything else is an attribute (false/null
 * omitted). Children are nodes or text (never parsed as HTML).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [attrs]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key in el && typeof value !== "string") /** @type {any} */ (el)[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/**
 * Sends a message to the background; a background that cannot answer becomes an error answer,
 * so callers handle one shape.
 * @template T
 * @param {Record<string, unknown> & { type: string }} msg
 * @returns {Promise<T | { ok: false, error: import("../messages.js").ClusterErrorView }>}
 */
export async function send(msg) {
  try {
    const answer = await ext.runtime.sendMessage(msg);
    if (answer === undefined) return { ok: false, error: { code: "NoAnswer", message: `nothing answers ${msg.type}` } };
    return answer;
  } catch (e) {
    return { ok: false, error: { code: "BackgroundUnavailable", message: String(e) } };
  }
}

/** @param {string} id @returns {HTMLElement} */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id} in this page`);
  return el;
}
