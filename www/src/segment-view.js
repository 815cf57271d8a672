// @ts-check
// "Proxy segment": the `[scheme:]name[:port]` part alone, split exactly as Kubernetes'
// SplitSchemeNamePort does (by the core), errors with their position.
import { parseSegment } from "kubeopen";
import { fields } from "./dom.js";
import { errorView } from "./explain.js";

/** @param {{ input: HTMLInputElement, output: HTMLOutputElement }} parts */
export function mountSegment({ input, output }) {
  function update() {
    const id = input.value.trim();
    if (!id) return output.replaceChildren();
    try {
      const { scheme, name, port } = parseSegment(id);
      output.replaceChildren(fields([["scheme", scheme || "(none: http)"], ["name", name], ["port", port || "(none)"]]));
    } catch (e) {
      output.replaceChildren(errorView(e));
    }
  }
  input.addEventListener("input", update);
  update();
}
