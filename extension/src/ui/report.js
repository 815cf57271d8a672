// @ts-check
// How the pages show an error (what happened, and what to do) and a connection check's result.
import { h } from "./dom.js";

/**
 * Advice text with its `commands` shown as code (split on backticks; never parsed as HTML).
 * @param {string} text
 */
export function adviceParagraph(text) {
  const parts = text.split("`").map((part, i) => (i % 2 ? h("code", {}, part) : part));
  return h("p", { class: "advice" }, ...parts);
}

/**
 * @param {import("../messages.js").ClusterErrorView} error
 * @returns {HTMLElement}
 */
export function errorReport(error) {
  return h(
    "div",
    { class: "error", role: "alert", dataset: { code: error.code } },
    h("p", { class: "error-message" }, h("strong", {}, `${error.code}: `), error.message),
    error.advice ? adviceParagraph(error.advice) : null,
  );
}

/** @param {number} seconds Unix time */
export function describeExpiry(seconds) {
  const left = seconds * 1000 - Date.now();
  const when = new Date(seconds * 1000).toLocaleString();
  if (left <= 0) return `expired ${when}`;
  const minutes = Math.round(left / 60_000);
  const span = minutes < 120 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} days`;
  return `expires ${when} (in ${span})`;
}

/** @param {import("../messages.js").IdentityView} identity */
export function describeIdentity(identity) {
  const who =
    identity.kind === "serviceAccount"
      ? `service account ${identity.namespace ? `${identity.namespace}/` : ""}${identity.name}`
      : identity.kind === "user"
        ? `user ${identity.name}`
        : identity.name;
  return who;
}

/**
 * The result of "Test connection".
 * @param {import("../messages.js").TestClusterResponse} result
 * @returns {HTMLElement}
 */
export function connectionReport(result) {
  if (!result.ok) return errorReport(result.error);
  const rows = [
    ["Server", result.server, "server"],
    ["Version", `${result.version}${result.platform ? ` (${result.platform})` : ""}`, "version"],
    ["API", result.apiVersions.join(", "), "api"],
    ["Identity", describeIdentity(result.identity), "identity"],
  ];
  if (result.identity.expiresAt !== undefined) rows.push(["Token", describeExpiry(result.identity.expiresAt), "expiry"]);
  return h(
    "div",
    { class: "report ok", role: "status" },
    h("p", {}, h("strong", {}, "Connected.")),
    h("dl", {}, ...rows.flatMap(([k, v, field]) => [h("dt", {}, k), h("dd", { dataset: { field } }, v)])),
    result.warning ? adviceParagraph(result.warning) : null,
  );
}
