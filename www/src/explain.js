// @ts-check
// Turns a thrown kubeopen error into something a person can act on: the stable `code`, the core's
// own message (it already says what was wrong and where) and one line on what to do next.
import { el } from "./dom.js";

/** What to try, per error code. The messages themselves come from the Rust core. */
const HINTS = /** @type {Record<string, string>} */ ({
  InvalidSegment:
    "A proxy segment is [scheme:]name[:port]: scheme is http, https or empty, and there are at most two colons.",
  InvalidTarget:
    "Service names are DNS-1035 labels (lower case, digits, '-', starting with a letter); pods and nodes DNS-1123 subdomains; ports a number 1–65535 or an IANA service name.",
  InvalidServer: "The API server is a URL starting with http:// or https://, e.g. https://10.0.0.1:6443.",
  InvalidAddress:
    "Try svc/NAMESPACE/NAME:PORT/path, NAME.NAMESPACE.svc:PORT/path, pod/NS/NAME:PORT, node/NAME/path or a full proxy URL.",
  InvalidContext: "The rewrite needs a valid API server and target: fix the address above first.",
  InvalidKubeconfig: "Paste the whole file (kubectl config view --raw --minify); the position shows where parsing stopped.",
  InvalidToken: "Paste the token alone: a JWT (three base64url parts separated by dots) or an opaque token.",
  InvalidArgument: "Check the value you typed.",
});

/**
 * @typedef {{ code?: unknown, message?: unknown, detail?: unknown }} ErrorLike
 */

/**
 * A block showing `error`: code, message and a hint. Anything that is not a kubeopen error
 * (a bug) is still shown, with its message.
 * @param {unknown} error
 */
export function errorView(error) {
  const e = /** @type {ErrorLike} */ (error ?? {});
  const code = typeof e.code === "string" ? e.code : "Error";
  const message = typeof e.message === "string" ? e.message : String(error);
  const hint = HINTS[code];
  return el("div", { class: "error", "data-code": code }, [
    el("p", {}, [el("strong", {}, [code]), ": ", message]),
    hint ? el("p", { class: "hint" }, [hint]) : null,
  ]);
}
