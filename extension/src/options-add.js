// @ts-check
// The options page's "Add a cluster" form: from a kubeconfig (pasted, dropped or chosen; pick the
// context) or from a server and credentials. The kubeconfig's text goes to the background, which
// parses it with the core and keeps only the chosen context's server and credentials.
import { MessageType } from "./messages.js";
import { byId, h, send } from "./ui/dom.js";
import { connectionReport, errorReport } from "./ui/report.js";

/**
 * @typedef {import("./messages.js").KubeconfigContextView} KubeconfigContextView
 * @typedef {import("./messages.js").KubeconfigResponse} KubeconfigResponse
 * @typedef {import("./messages.js").ClusterResponse} ClusterResponse
 * @typedef {import("./messages.js").TestClusterResponse} TestClusterResponse
 */

const input = {
  kubeconfig: /** @type {HTMLTextAreaElement} */ (byId("kubeconfig")),
  file: /** @type {HTMLInputElement} */ (byId("kubeconfig-file")),
  context: /** @type {HTMLSelectElement} */ (byId("context")),
  server: /** @type {HTMLInputElement} */ (byId("server")),
  token: /** @type {HTMLTextAreaElement} */ (byId("token")),
  username: /** @type {HTMLInputElement} */ (byId("username")),
  password: /** @type {HTMLInputElement} */ (byId("password")),
  namespace: /** @type {HTMLInputElement} */ (byId("namespace")),
  name: /** @type {HTMLInputElement} */ (byId("name")),
  clusterDomain: /** @type {HTMLInputElement} */ (byId("cluster-domain")),
  persist: /** @type {HTMLInputElement} */ (byId("persist")),
};
const kubeconfigResult = byId("kubeconfig-result");
const contextChoice = byId("context-choice");
const contextDetail = byId("context-detail");
const addResult = byId("add-result");

/** @type {KubeconfigContextView[]} */
let contexts = [];

/** Which form is showing. */
function mode() {
  return byId("tab-server").getAttribute("aria-selected") === "true" ? "server" : "kubeconfig";
}

// ---- tabs (arrow keys move between them, as in the WAI-ARIA tabs pattern) -------------------------

/** @param {"kubeconfig" | "server"} which */
function selectTab(which) {
  for (const name of /** @type {const} */ (["kubeconfig", "server"])) {
    const tab = byId(`tab-${name}`);
    const on = name === which;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    byId(`panel-${name}`).hidden = !on;
  }
  addResult.replaceChildren();
}
for (const name of /** @type {const} */ (["kubeconfig", "server"])) {
  const tab = byId(`tab-${name}`);
  tab.addEventListener("click", () => selectTab(name));
  tab.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    const other = name === "server" ? "kubeconfig" : "server";
    selectTab(other);
    byId(`tab-${other}`).focus();
  });
}

// ---- kubeconfig -------------------------------------------------------------------------------------

/** @param {KubeconfigContextView} c */
function contextLabel(c) {
  return `${c.name}${c.current ? " (current)" : ""}${c.server ? ` — ${c.server}` : ""}`;
}

/** @param {string} pem */
function caDownload(pem) {
  const url = URL.createObjectURL(new Blob([pem], { type: "application/x-pem-file" }));
  return h("a", { href: url, download: "ca.crt", class: "ca-download" }, "Save the cluster's CA certificate (ca.crt)");
}

function showContext() {
  const c = contexts[input.context.selectedIndex];
  if (!c) {
    contextDetail.replaceChildren();
    return;
  }
  if (c.error) {
    contextDetail.replaceChildren(errorReport(c.error));
    return;
  }
  const authText = { token: "a bearer token", basic: "a user name and password", none: "no credentials" }[c.auth ?? "none"];
  const parts = [
    h(
      "dl",
      { class: "context-facts" },
      h("dt", {}, "Server"),
      h("dd", { dataset: { field: "server" } }, c.server ?? ""),
      h("dt", {}, "Namespace"),
      h("dd", { dataset: { field: "namespace" } }, c.namespace ?? ""),
      h("dt", {}, "Credentials"),
      h("dd", { dataset: { field: "auth" } }, `${authText}${c.user ? ` (user ${c.user})` : ""}`),
    ),
    c.unsupported.length
      ? h(
          "div",
          { class: "unsupported" },
          h("p", {}, "Not usable from a browser (left out):"),
          h(
            "ul",
            {},
            ...c.unsupported.map((u) =>
              h("li", { dataset: { what: u.what } }, h("code", {}, u.what), ` — ${u.reason} `, h("span", { class: "instead" }, `Instead: ${u.instead}`)),
            ),
          ),
        )
      : null,
    c.caData
      ? h(
          "p",
          { class: "hint" },
          "This cluster's certificate is signed by its own CA. The browser must trust it: import it into your system's or browser's trusted authorities. ",
          caDownload(c.caData),
        )
      : null,
  ];
  contextDetail.replaceChildren(...parts.filter((p) => p !== null));
}

let readTicket = 0;
async function readKubeconfig() {
  const text = input.kubeconfig.value;
  const ticket = ++readTicket;
  if (!text.trim()) {
    contexts = [];
    contextChoice.hidden = true;
    kubeconfigResult.replaceChildren();
    return;
  }
  /** @type {KubeconfigResponse} */
  const answer = await send({ type: MessageType.ReadKubeconfig, text });
  if (ticket !== readTicket) return; // a newer paste won
  if (!answer.ok) {
    contexts = [];
    contextChoice.hidden = true;
    kubeconfigResult.replaceChildren(errorReport(answer.error));
    return;
  }
  contexts = answer.contexts;
  kubeconfigResult.replaceChildren(h("p", { class: "hint" }, `${contexts.length} context${contexts.length === 1 ? "" : "s"} found.`));
  const chosen = Math.max(0, contexts.findIndex((c) => c.current));
  input.context.replaceChildren(...contexts.map((c, i) => h("option", { value: c.name, selected: i === chosen }, contextLabel(c))));
  input.context.selectedIndex = chosen;
  contextChoice.hidden = false;
  showContext();
}

input.kubeconfig.addEventListener("input", readKubeconfig);
input.context.addEventListener("change", showContext);

/** @param {File} file */
async function loadFile(file) {
  input.kubeconfig.value = await file.text();
  await readKubeconfig();
}
input.file.addEventListener("change", () => {
  const file = input.file.files?.[0];
  if (file) loadFile(file);
});
const dropZone = byId("panel-kubeconfig");
dropZone.addEventListener("dragover", (e) => {
  e.preventDefault();
  dropZone.classList.add("dragging");
});
dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
dropZone.addEventListener("drop", (e) => {
  e.preventDefault();
  dropZone.classList.remove("dragging");
  const file = e.dataTransfer?.files[0];
  if (file) loadFile(file);
  else if (e.dataTransfer?.getData("text/plain")) {
    input.kubeconfig.value = e.dataTransfer.getData("text/plain");
    readKubeconfig();
  }
});

// ---- server + credentials ---------------------------------------------------------------------------

function authKind() {
  const checked = /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="auth"]:checked'));
  return checked?.value ?? "token";
}
for (const radio of document.querySelectorAll('input[name="auth"]')) {
  radio.addEventListener("change", () => {
    byId("auth-token").hidden = authKind() !== "token";
    byId("auth-basic").hidden = authKind() !== "basic";
  });
}

function typedCredentials() {
  const kind = authKind();
  if (kind === "token") return { token: input.token.value };
  if (kind === "basic") return { username: input.username.value, password: input.password.value };
  return null;
}

// ---- test and add -------------------------------------------------------------------------------------

/** @param {HTMLElement} el */
function busy(el) {
  el.replaceChildren(h("p", { class: "hint" }, "Working…"));
}

async function test() {
  busy(addResult);
  /** @type {TestClusterResponse} */
  let answer;
  if (mode() === "server") {
    answer = await send({ type: MessageType.TestCluster, server: input.server.value, credentials: typedCredentials() });
  } else {
    const c = contexts[input.context.selectedIndex];
    if (!c) {
      addResult.replaceChildren(errorReport({ code: "InvalidKubeconfig", message: "paste a kubeconfig first" }));
      return;
    }
    // The background resolves the context itself: the page never holds a parsed token.
    answer = await send({ type: MessageType.TestCluster, kubeconfig: input.kubeconfig.value, context: c.name });
  }
  addResult.replaceChildren(connectionReport(answer));
}

/** @param {(added: import("./messages.js").ClusterView) => void} onAdded */
async function add(onAdded) {
  busy(addResult);
  const common = {
    name: input.name.value,
    persist: input.persist.checked,
    clusterDomain: input.clusterDomain.value || undefined,
  };
  /** @type {ClusterResponse} */
  let answer;
  if (mode() === "server") {
    answer = await send({
      type: MessageType.AddCluster,
      ...common,
      server: input.server.value,
      credentials: typedCredentials(),
      namespace: input.namespace.value || undefined,
    });
  } else {
    const c = contexts[input.context.selectedIndex];
    if (!c) {
      addResult.replaceChildren(errorReport({ code: "InvalidKubeconfig", message: "paste a kubeconfig first" }));
      return;
    }
    answer = await send({ type: MessageType.AddFromKubeconfig, ...common, text: input.kubeconfig.value, context: c.name });
  }
  if (!answer.ok) {
    addResult.replaceChildren(errorReport(answer.error));
    return;
  }
  // The secrets leave the form as soon as they are stored.
  for (const field of [input.kubeconfig, input.token, input.password]) field.value = "";
  input.name.value = "";
  contexts = [];
  contextChoice.hidden = true;
  kubeconfigResult.replaceChildren();
  addResult.replaceChildren(h("p", { class: "report ok", role: "status" }, `Added ${answer.cluster.name}.`));
  onAdded(answer.cluster);
}

/**
 * Wires the buttons. `onAdded` gets the new cluster (the list then shows and checks it).
 * @param {(added: import("./messages.js").ClusterView) => void} onAdded
 */
export function startAddForm(onAdded) {
  byId("test").addEventListener("click", test);
  byId("add").addEventListener("click", () => add(onAdded));
  for (const form of ["panel-kubeconfig", "panel-server"]) {
    byId(form).addEventListener("submit", (e) => {
      e.preventDefault();
      add(onAdded);
    });
  }
}
