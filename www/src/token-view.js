// @ts-check
// "Inspect a token": what a service-account token claims and when it expires, read by the core.
// The signature is not verified (display only); the token never leaves this page.
import { el, fields } from "./dom.js";
import { errorView } from "./explain.js";
import { clusterModule } from "./cluster-module.js";
import { sampleToken } from "./samples.js";

/**
 * "in 59 minutes" / "3 days ago", for an expiry in Unix seconds.
 * @param {number} seconds  Unix time
 * @param {number} now      Unix time
 */
export function relative(seconds, now) {
  const diff = seconds - now;
  const abs = Math.abs(diff);
  const [amount, unit] =
    abs < 90 ? [abs, "second"] : abs < 5400 ? [abs / 60, "minute"] : abs < 129600 ? [abs / 3600, "hour"] : [abs / 86400, "day"];
  const n = Math.round(amount);
  const text = `${n} ${unit}${n === 1 ? "" : "s"}`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** @param {number} seconds */
const when = (seconds) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

/** @param {{ input: HTMLTextAreaElement, example: HTMLButtonElement, output: HTMLOutputElement }} parts */
export function mountToken({ input, example, output }) {
  let generation = 0;
  async function update() {
    const token = input.value.trim();
    const mine = ++generation;
    if (!token) return output.replaceChildren();
    let inspectToken;
    try {
      ({ inspectToken } = await clusterModule());
    } catch (e) {
      output.replaceChildren(errorView(e));
      return;
    }
    if (mine !== generation) return; // a newer keystroke won
    const now = Math.floor(Date.now() / 1000);
    let info;
    try {
      info = inspectToken(token, now);
    } catch (e) {
      output.replaceChildren(errorView(e));
      return;
    }
    if (info.kind === "opaque") {
      output.replaceChildren(
        fields([["kind", "opaque (not a JWT)"]]),
        el("p", { class: "hint" }, ["A static or bootstrap token: nothing can be read from it. The API server decides whether it is valid."]),
      );
      return;
    }
    /** @type {[string, string | Node][]} */
    const rows = [["kind", info.legacy ? "JWT (legacy Secret-based service-account token)" : "JWT"]];
    if (info.subject) rows.push(["subject", info.subject]);
    if (info.serviceAccount) rows.push(["service account", info.serviceAccount.name]);
    if (info.namespace) rows.push(["namespace", info.namespace]);
    if (info.issuer) rows.push(["issuer", info.issuer]);
    if (info.audiences.length) rows.push(["audiences", info.audiences.join(", ")]);
    if (info.pod) rows.push(["bound to pod", info.pod.name]);
    if (info.secret) rows.push(["bound to secret", info.secret.name]);
    if (info.issuedAt !== undefined) rows.push(["issued", `${when(info.issuedAt)} (${relative(info.issuedAt, now)})`]);
    const expiry =
      info.expiresAt === undefined
        ? el("span", { class: "warn" }, ["never: this token does not expire (a legacy token?)"])
        : el("span", { class: info.expired ? "bad" : "good" }, [
            `${info.expired ? "expired" : "expires"} ${relative(info.expiresAt, now)} (${when(info.expiresAt)})`,
          ]);
    rows.push(["expiry", expiry]);
    if (info.notYetValid && info.notBefore !== undefined) rows.push(["not valid before", when(info.notBefore)]);
    output.replaceChildren(
      fields(rows),
      el("p", { class: "hint" }, ["Read from the token itself; the signature is not checked — only the API server can say whether it is valid."]),
    );
  }
  input.addEventListener("input", () => void update());
  example.addEventListener("click", () => {
    input.value = sampleToken(Math.floor(Date.now() / 1000));
    void update();
  });
  void update();
}
