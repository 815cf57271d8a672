// @ts-check
// What the dashboard says when a cluster call fails: the honest cause and what to do. The error
// codes come from the package's `Cluster`; this module only adds the advice, and, for `Network`,
// one extra request to tell a CORS refusal from a server that cannot be reached.
import { el } from "./dom.js";

/**
 * @typedef {{ code?: unknown, message?: unknown }} ErrorLike
 * @typedef {{ cause: string, title: string, advice: (string | Node)[] }} Diagnosis
 */

/** @param {string} text */
const code = (text) => el("code", {}, [text]);

/**
 * `fetch` failed: with `mode: "no-cors"` the browser skips the CORS check and resolves with an
 * opaque answer whenever the server answered at all. So: it answers → CORS refused this origin;
 * it does not → the server is down, the address is wrong, or its certificate is not trusted.
 * @param {string} server
 * @returns {Promise<"cors" | "unreachable">}
 */
export async function networkCause(server) {
  try {
    await fetch(server, { mode: "no-cors", credentials: "omit", cache: "no-store", signal: AbortSignal.timeout(5000) });
    return "cors";
  } catch {
    return "unreachable";
  }
}

/**
 * @param {unknown} error   what a `Cluster` method threw
 * @param {string} server   the server the user entered
 * @param {boolean} hasToken
 * @returns {Promise<Diagnosis>}
 */
export async function diagnose(error, server, hasToken) {
  const e = /** @type {ErrorLike} */ (error ?? {});
  const message = typeof e.message === "string" ? e.message : String(error);
  switch (e.code) {
    case "Unauthorized":
      return {
        cause: "unauthorized",
        title: "401 Unauthorized: the API server did not accept the credentials.",
        advice: hasToken
          ? ["The token is wrong or expired. Create a fresh one with ", code("kubectl create token SERVICE_ACCOUNT -n NAMESPACE"), " and paste it again."]
          : ["This server wants a token. Paste one (", code("kubectl create token SERVICE_ACCOUNT -n NAMESPACE"), "), or go through ", code("kubectl proxy"), ", which signs in for you."],
      };
    case "Forbidden":
      return {
        cause: "forbidden",
        title: `403 Forbidden: ${message}`,
        advice: [
          "The credentials are valid but may not do this. Listing needs ", code("list"), " on services (and namespaces); opening needs ",
          code("get"), " on ", code("services/proxy"), ". A cluster admin can grant read access, e.g. ",
          code("kubectl create clusterrolebinding kubeopen-view --clusterrole=view --serviceaccount=NAMESPACE:NAME"), ".",
        ],
      };
    case "Network": {
      if ((await networkCause(server)) === "cors") {
        return {
          cause: "cors",
          title: "The API server answered, but the browser refused to show its answer to this page (CORS).",
          advice: [
            `The API server does not allow requests from ${location.origin}. Either start kube-apiserver with `,
            code("--cors-allowed-origins"), " matching this origin, or serve this page from the API server's own origin: ",
            code("kubectl proxy --www=www/dist --www-prefix=/ui/"), " and open ", code("http://127.0.0.1:8001/ui/dashboard.html"), ".",
          ],
        };
      }
      return {
        cause: "network",
        title: `Could not reach ${server}.`,
        advice: [
          "The server is down, the address or port is wrong, or (HTTPS) this browser does not trust its certificate. ",
          "Open the address in a new tab to see which; for a cluster with its own CA, import the CA into the browser's trust store.",
        ],
      };
    }
    case "Timeout":
      return { cause: "timeout", title: "The API server did not answer in time.", advice: ["Check the address, or try again."] };
    case "InvalidResponse":
      return {
        cause: "invalid-response",
        title: `${server} answered, but not like a Kubernetes API server.`,
        advice: ["Check the address, including any path prefix (Rancher: ", code("/k8s/clusters/ID"), ")."],
      };
    default:
      return { cause: typeof e.code === "string" ? e.code : "error", title: message, advice: [] };
  }
}

/** @param {Diagnosis} d */
export function diagnosisView(d) {
  return el("div", { class: "error", role: "alert", "data-cause": d.cause }, [
    el("p", {}, [el("strong", {}, [d.title])]),
    d.advice.length ? el("p", { class: "hint" }, d.advice) : null,
  ]);
}
