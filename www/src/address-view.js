// @ts-check
// "Open an address": what a person types (a segment, an in-cluster address or a proxy URL),
// resolved by the core, and the proxy URL it becomes on the API server they name.
import { formatSegment, proxyPath, proxyUrl, resolveAddress } from "kubeopen";
import { el, fields } from "./dom.js";
import { errorView } from "./explain.js";

/**
 * @typedef {import("kubeopen").ParsedTarget} ParsedTarget
 * @typedef {{ server: string, target: ParsedTarget } | null} Context  what the rewrite view uses
 */

/**
 * @param {{ address: HTMLInputElement, server: HTMLInputElement, namespace: HTMLInputElement,
 *   output: HTMLOutputElement, onContext: (ctx: Context) => void }} parts
 */
export function mountAddress({ address, server, namespace, output, onContext }) {
  function update() {
    const input = address.value.trim();
    if (!input) {
      output.replaceChildren();
      onContext(null);
      return;
    }
    let resolved;
    try {
      resolved = resolveAddress(input, { namespace: namespace.value.trim() || "default" });
    } catch (e) {
      output.replaceChildren(errorView(e));
      onContext(null);
      return;
    }
    const { target, path, query, fragment } = resolved;
    /** @type {[string, string | Node][]} */
    const rows = [["kind", target.kind]];
    if (target.kind !== "node") rows.push(["namespace", target.namespace]);
    rows.push(
      ["name", target.name],
      ["scheme", target.scheme || "(none: http)"],
      ["port", target.port || "(none: the only port)"],
      ["path", path || "/"],
    );
    if (query !== null) rows.push(["query", query]);
    if (fragment !== null) rows.push(["fragment", fragment]);
    if (resolved.server !== null) rows.push(["server in the URL", resolved.server]);
    rows.push(["segment", formatSegment(target)], ["proxy path", proxyPath(target)]);

    // A pasted proxy URL names its server; the field, when filled, says where to open it instead.
    const base = server.value.trim() || resolved.server || "";
    let link;
    try {
      const url = proxyUrl(base, target, path, query ?? undefined);
      link = el("a", { href: url, target: "_blank", rel: "noopener noreferrer", "data-proxy-url": "" }, [url]);
      onContext({ server: base, target });
    } catch (e) {
      link = errorView(e);
      onContext(null);
    }
    rows.push(["proxy URL", link]);
    output.replaceChildren(fields(rows));
  }
  for (const input of [address, server, namespace]) input.addEventListener("input", update);
  update();
}
