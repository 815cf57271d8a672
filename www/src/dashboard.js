// @ts-check
// The dashboard page: connect to an API server (an address and a token, or this page's own
// origin when it is served by `kubectl proxy --www` or beside the API), list namespaces and
// services with their openable ports, open one in a new tab. All API calls go through the
// package's `Cluster`; the token lives only in this page's memory and the password field.
import { Cluster, inspectToken, openableEndpoints } from "kubeopen/cluster";
import { version } from "kubeopen";
import { byId, el } from "./dom.js";
import { errorView } from "./explain.js";
import { diagnose, diagnosisView } from "./connection-errors.js";
import { clusterInfoList, servicesTable } from "./services-view.js";

byId("version", HTMLElement).textContent = version();

const connectForm = byId("connect", HTMLFormElement);
const serverInput = byId("dash-server", HTMLInputElement);
const tokenInput = byId("dash-token", HTMLInputElement);
const sameOrigin = byId("same-origin", HTMLButtonElement);
const status = byId("status", HTMLElement);
const clusterSection = byId("cluster", HTMLElement);
const summary = byId("cluster-summary", HTMLElement);
const nsForm = byId("namespace-form", HTMLFormElement);
const nsInput = byId("dash-namespace", HTMLInputElement);
const nsList = byId("namespaces", HTMLDataListElement);
const services = byId("services", HTMLElement);

/** @type {Cluster | null} */
let cluster = null;
/** Counts connection attempts: an answer for an older one (a second click) is dropped. */
let attempt = 0;

/** @param {(string | Node)[]} children */
function say(...children) {
  status.replaceChildren(...children);
}

/**
 * Shows why a call failed. An expired pasted token is named as such: the commonest 401.
 * @param {unknown} error
 * @param {HTMLElement} where
 */
async function showFailure(error, where) {
  const token = tokenInput.value.trim();
  const d = await diagnose(error, serverInput.value.trim(), token !== "");
  if (d.cause === "unauthorized" && token) {
    try {
      const info = inspectToken(token);
      if (info.kind === "jwt" && info.expired) d.advice.unshift("This token has expired. ");
    } catch {
      // Not a readable JWT: the general advice stands.
    }
  }
  where.replaceChildren(diagnosisView(d));
}

/** Lists the services of the namespace typed (empty: all namespaces). */
async function showServices() {
  if (!cluster) return;
  const ns = nsInput.value.trim();
  services.replaceChildren(el("p", { role: "status" }, [`Loading services${ns ? ` in ${ns}` : ""}…`]));
  try {
    const list = await cluster.listServices(ns || undefined);
    services.replaceChildren(servicesTable(list, openableEndpoints(list, cluster.server)));
  } catch (e) {
    await showFailure(e, services);
  }
}

/** @param {string} server @param {string} token */
async function connect(server, token) {
  const mine = ++attempt;
  clusterSection.hidden = true;
  cluster = null;
  try {
    cluster = new Cluster(token ? { server, token } : { server });
  } catch (e) {
    say(errorView(e));
    return;
  }
  say(el("p", {}, [`Connecting to ${server}…`]));
  let info;
  try {
    info = await cluster.version();
  } catch (e) {
    if (mine === attempt) await showFailure(e, status);
    return;
  }
  if (mine !== attempt) return;
  say(el("p", { class: "good", "data-connected": "" }, [`Connected: Kubernetes ${info.gitVersion} (${info.platform}) at ${cluster.server}.`]));
  clusterSection.hidden = false;
  summary.replaceChildren(el("p", {}, ["Loading…"]));
  // Namespaces only feed the suggestions: a token that may not list them still browses a namespace typed by hand.
  const namespaces = cluster.listNamespaces().then(
    (list) => {
      nsList.replaceChildren(...list.items.map((n) => el("option", { value: n.metadata.name })));
      return `${list.items.length} namespaces`;
    },
    () => "namespaces not listable with these credentials: type one",
  );
  const infoLines = cluster.clusterInfo().then(
    (entries) => clusterInfoList(cluster?.server ?? server, entries),
    () => null,
  );
  const [nsText, infoList] = await Promise.all([namespaces, infoLines]);
  if (mine !== attempt) return;
  const note = el("p", { class: "hint" }, [
    `${nsText}. Links open through the API server's proxy in a new tab.`,
    token ? " A new tab cannot send your token by itself: the kubeopen extension does that." : "",
  ]);
  summary.replaceChildren(...(infoList ? [infoList, note] : [note]));
  await showServices();
}

connectForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void connect(serverInput.value.trim(), tokenInput.value.trim());
});
nsForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void showServices();
});
sameOrigin.addEventListener("click", () => {
  serverInput.value = location.origin;
  tokenInput.value = "";
  void connect(location.origin, "");
});

/**
 * Served by `kubectl proxy --www` or beside the API server, this page's own origin is the API:
 * connect at once, no token. Elsewhere (Vite, a static host) take `?server=` or leave the form.
 */
async function start() {
  const fromQuery = new URLSearchParams(location.search).get("server");
  if (fromQuery) {
    serverInput.value = fromQuery;
    await connect(fromQuery, "");
    return;
  }
  try {
    await new Cluster({ server: location.origin, timeout: 3000 }).version();
  } catch (e) {
    if (/** @type {{code?: string}} */ (e).code === "Unauthorized") {
      serverInput.value = location.origin;
      say(el("p", {}, ["This page is served by an API server that wants a token: paste one and connect."]));
    }
    return;
  }
  serverInput.value = location.origin;
  await connect(location.origin, "");
}
void start().finally(() => performance.mark("kubeopen:rendered"));
