// @ts-check
// "Rewrite a page": HTML or CSS as an app sends it, rewritten by the core so every URL stays in
// the target's proxy prefix, with the changed parts highlighted.
import { rewriteCss, rewriteHtml } from "kubeopen";
import { el } from "./dom.js";
import { changes } from "./diff.js";
import { errorView } from "./explain.js";

/** @typedef {import("./address-view.js").Context} Context */

/**
 * @param {{ input: HTMLTextAreaElement, kinds: RadioNodeList, output: HTMLOutputElement }} parts
 * @returns {(ctx: Context) => void}  call with the address view's context whenever it changes
 */
export function mountRewrite({ input, kinds, output }) {
  /** @type {Context} */
  let ctx = null;
  function update() {
    if (!ctx) {
      output.replaceChildren(el("p", { class: "hint" }, ["Enter a valid address and API server above: the rewrite happens for that target."]));
      return;
    }
    const source = input.value;
    let rewritten;
    try {
      rewritten = kinds.value === "css" ? rewriteCss(source, ctx) : rewriteHtml(source, ctx);
    } catch (e) {
      output.replaceChildren(errorView(e));
      return;
    }
    const pieces = changes(source, rewritten);
    const marked = pieces.filter((p) => p.changed).length;
    output.replaceChildren(
      el("p", { "data-field": "summary" }, [
        marked === 0 ? "Nothing to change: every URL already stays inside the proxy." : `${marked} change${marked === 1 ? "" : "s"}, highlighted:`,
      ]),
      el(
        "pre",
        { class: "rewritten", tabindex: "0", "aria-label": "Rewritten output" },
        pieces.map((p) => (p.changed ? el("mark", {}, [p.text]) : p.text)),
      ),
    );
  }
  input.addEventListener("input", update);
  for (const radio of kinds) radio.addEventListener("change", update);
  return (next) => {
    ctx = next;
    update();
  };
}
