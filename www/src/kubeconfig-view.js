// @ts-check
// "Read a kubeconfig": every context, resolved by the core with client-go's rules, and what a
// browser can and cannot use from it, with why and what to do instead.
import { el, fields } from "./dom.js";
import { errorView } from "./explain.js";
import { clusterModule } from "./cluster-module.js";
import { SAMPLE_KUBECONFIG } from "./samples.js";

/** @typedef {import("kubeopen/cluster").ResolvedContext} ResolvedContext */

/** @param {ResolvedContext} r */
function credentialsText(r) {
  if (r.credentials === null) return "none";
  return "token" in r.credentials ? "bearer token" : `basic auth (user ${r.credentials.username})`;
}

/**
 * The verdict for one context: usable, usable with care, or not.
 * @param {ResolvedContext} r
 * @returns {[string, string]}  [class, text]
 */
function verdict(r) {
  if (r.credentials !== null) {
    return r.insecureSkipTlsVerify
      ? ["warn", "Usable if the browser trusts the server's certificate: a browser cannot skip verification as insecure-skip-tls-verify does."]
      : ["good", r.unsupported.length ? "Usable in a browser, with the notes below." : "Usable in a browser."];
  }
  if (r.unsupported.length > 0) return ["bad", "Not usable in a browser as it is: see below."];
  return ["warn", "No credentials: usable only where the server needs none, e.g. kubectl proxy."];
}

/**
 * @param {ResolvedContext} r
 * @param {boolean} current
 */
function contextView(r, current) {
  const [cls, text] = verdict(r);
  /** @type {[string, string | Node][]} */
  const rows = [
    ["server", r.server],
    ["namespace", r.namespace],
    ["credentials", credentialsText(r)],
  ];
  if (r.insecureSkipTlsVerify) rows.push(["TLS", "insecure-skip-tls-verify is set"]);
  if (r.tlsServerName) rows.push(["TLS server name", `${r.tlsServerName} (a browser always checks the URL's own host)`]);
  if (r.proxyUrl) rows.push(["proxy-url", `${r.proxyUrl} (set it in the browser's proxy settings instead)`]);
  return el("article", { class: "context", "data-context": r.context }, [
    el("h3", {}, [r.context, current ? " (current)" : ""]),
    el("p", { class: `verdict ${cls}`, "data-verdict": cls }, [text]),
    fields(rows),
    r.unsupported.length
      ? el(
          "ul",
          { class: "unsupported" },
          r.unsupported.map((u) => el("li", {}, [el("code", {}, [u.field]), ": ", u.reason, " ", el("em", {}, ["Instead: "]), u.instead])),
        )
      : null,
  ]);
}

/** @param {{ input: HTMLTextAreaElement, example: HTMLButtonElement, output: HTMLOutputElement }} parts */
export function mountKubeconfig({ input, example, output }) {
  let generation = 0;
  async function update() {
    const text = input.value;
    const mine = ++generation;
    if (!text.trim()) return output.replaceChildren();
    let mod;
    try {
      mod = await clusterModule();
    } catch (e) {
      output.replaceChildren(errorView(e));
      return;
    }
    if (mine !== generation) return;
    let kubeconfig;
    try {
      kubeconfig = mod.parseKubeconfig(text);
    } catch (e) {
      output.replaceChildren(errorView(e));
      return;
    }
    if (kubeconfig.contexts.length === 0) {
      output.replaceChildren(el("p", { class: "hint" }, ["This kubeconfig has no contexts."]));
      return;
    }
    const views = kubeconfig.contexts.map(({ name }) => {
      try {
        return contextView(mod.resolveContext(kubeconfig, name), name === kubeconfig.currentContext);
      } catch (e) {
        return el("article", { class: "context", "data-context": name }, [el("h3", {}, [name]), errorView(e)]);
      }
    });
    const current = kubeconfig.currentContext;
    output.replaceChildren(
      el("p", {}, [
        `${views.length} context${views.length === 1 ? "" : "s"}; current: `,
        current ? el("code", {}, [current]) : "none set",
        ". Nothing you paste leaves this page.",
      ]),
      ...views,
    );
  }
  input.addEventListener("input", () => void update());
  example.addEventListener("click", () => {
    input.value = SAMPLE_KUBECONFIG;
    void update();
  });
  void update();
}
