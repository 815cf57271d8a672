// @ts-check
// The popup: the chosen cluster's services (every openable port, grouped by namespace), pods and
// nodes; type to search, arrows and Enter to open — the target opens in a new tab bound to the
// cluster. It also shows the current tab's binding, with "Unbind". It never shows a blank page:
// no cluster, an error or an empty list each say what to do.
import { MessageType, ext } from "./messages.js";
import { FilteredList } from "./popup-list.js";
import { byId, h, send } from "./ui/dom.js";
import { describeExpiry, errorReport } from "./ui/report.js";

/**
 * @typedef {import("./messages.js").ClusterView} ClusterView
 * @typedef {import("./popup-list.js").ListItem} ListItem
 * @typedef {"services" | "pods" | "nodes"} View
 */

const clusterSelect = /** @type {HTMLSelectElement} */ (byId("cluster"));
const clusterName = byId("cluster-name");
const message = byId("message");
const search = /** @type {HTMLInputElement} */ (byId("search"));
const podNamespace = /** @type {HTMLSelectElement} */ (byId("pod-namespace"));
const list = new FilteredList(search, /** @type {HTMLUListElement} */ (byId("results")), open);

/** @type {ClusterView[]} */
let clusters = [];
/** @type {ClusterView | undefined} */
let cluster;
/** @type {View} */
let view = "services";
/** Namespaces seen in the service list (for the pods' namespace choice). @type {string[]} */
let namespaces = [];
let loadTicket = 0;

/** @param {import("kubeopen/manual").Target} t */
function describeTarget(t) {
  const port = t.port !== undefined && t.port !== "" ? `:${t.port}` : "";
  const scheme = t.scheme ? `${t.scheme}:` : "";
  return t.kind === "node" ? `node/${scheme}${t.name}${port}` : `${t.kind === "service" ? "svc" : "pod"}/${t.namespace}/${scheme}${t.name}${port}`;
}

async function openOptions() {
  await ext.runtime.openOptionsPage(); // before closing: a closed popup's pending call is dropped
  window.close();
}

/** @param {(HTMLElement | string)[]} parts */
function say(...parts) {
  message.replaceChildren(...parts);
}

/** @param {import("./messages.js").ClusterErrorView} error */
function sayError(error) {
  say(
    errorReport(error),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", onclick: () => load(true) }, "Retry"),
      h("button", { type: "button", onclick: openOptions }, "Clusters…"),
    ),
  );
}

/** A token that expired, or expires within the hour, is said before it fails. */
function expiryWarning() {
  const at = cluster?.tokenExpiresAt;
  if (at === undefined || at * 1000 - Date.now() > 3_600_000) return [];
  return [
    h(
      "p",
      { class: "warning" },
      `This cluster's token ${describeExpiry(at)}. `,
      h("button", { type: "button", onclick: openOptions }, "New token…"),
    ),
  ];
}

/** @param {ListItem} item */
async function open(item) {
  if (!cluster) return;
  const target = /** @type {{ target: import("kubeopen/manual").Target }} */ (item.data).target;
  /** @type {import("./messages.js").OpenResponse} */
  const answer = await send({ type: MessageType.Open, clusterId: cluster.id, target });
  if (answer.ok) window.close();
  else say(errorReport(answer.error));
}

/** @param {boolean} refresh @param {number} ticket */
async function loadServices(refresh, ticket) {
  if (!cluster) return;
  /** @type {import("./messages.js").EndpointsResponse} */
  const answer = await send({ type: MessageType.Endpoints, clusterId: cluster.id, refresh });
  if (ticket !== loadTicket) return;
  if (!answer.ok) {
    list.setItems([]);
    sayError(answer.error);
    return;
  }
  namespaces = [...new Set([cluster.namespace, ...answer.endpoints.map((e) => e.namespace)])].sort();
  list.setItems(
    answer.endpoints.map((e) => ({
      group: e.namespace,
      label: `${e.name}:${e.port}`,
      detail: e.portName && e.portName !== e.scheme ? `${e.portName} · ${e.scheme}` : e.scheme,
      search: `${e.namespace}/${e.name}:${e.port} ${e.portName ?? ""} ${e.scheme}`.toLowerCase(),
      data: { target: e.target },
    })),
  );
  if (answer.endpoints.length === 0) say(h("p", { class: "hint" }, "No service port that looks like HTTP was found in what these credentials may list. Try Pods or Nodes."));
}

/** @param {"pods" | "nodes"} kind @param {number} ticket */
async function loadResources(kind, ticket) {
  if (!cluster) return;
  const namespace = kind === "pods" ? podNamespace.value || cluster.namespace : undefined;
  /** @type {import("./messages.js").ResourcesResponse} */
  const answer = await send({ type: MessageType.Resources, clusterId: cluster.id, kind, namespace });
  if (ticket !== loadTicket) return;
  if (!answer.ok) {
    list.setItems([]);
    sayError(answer.error);
    return;
  }
  list.setItems(
    answer.items.map((r) => ({
      group: r.namespace ?? "nodes",
      label: r.target.port !== undefined ? `${r.name}:${r.target.port}` : r.name,
      detail: r.detail,
      dim: !r.ready,
      search: `${r.namespace ?? ""}/${r.name}:${r.target.port ?? ""} ${r.detail}`.toLowerCase(),
      data: { target: r.target },
    })),
  );
  if (answer.items.length === 0) say(h("p", { class: "hint" }, kind === "pods" ? `No pods in ${namespace}.` : "No nodes."));
}

/** @param {boolean} [refresh] */
async function load(refresh = false) {
  const ticket = ++loadTicket;
  say(h("p", { class: "hint" }, "Loading…"));
  list.setItems([]);
  podNamespace.hidden = view !== "pods";
  if (view === "pods") {
    const chosen = podNamespace.value || cluster?.namespace || "default";
    const all = namespaces.includes(chosen) ? namespaces : [...namespaces, chosen].sort();
    podNamespace.replaceChildren(...all.map((ns) => h("option", { value: ns, selected: ns === chosen }, ns)));
  }
  await (view === "services" ? loadServices(refresh, ticket) : loadResources(view, ticket));
  if (ticket === loadTicket && list.count > 0) say(...expiryWarning());
}

/** @param {View} next */
function selectView(next) {
  view = next;
  for (const name of /** @type {View[]} */ (["services", "pods", "nodes"])) {
    const tab = byId(`view-${name}`);
    tab.setAttribute("aria-selected", String(name === next));
    tab.tabIndex = name === next ? 0 : -1;
  }
  byId("results").setAttribute("aria-label", next[0].toUpperCase() + next.slice(1));
  load();
}
for (const name of /** @type {View[]} */ (["services", "pods", "nodes"])) {
  const tab = byId(`view-${name}`);
  tab.addEventListener("click", () => selectView(name));
  tab.addEventListener("keydown", (e) => {
    const order = /** @type {View[]} */ (["services", "pods", "nodes"]);
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = order[(order.indexOf(name) + step + order.length) % order.length];
    selectView(next);
    byId(`view-${next}`).focus();
  });
}
podNamespace.addEventListener("change", () => load());

// ---- the current tab's binding ---------------------------------------------------------------------

/** The tab this popup describes: the active one (or `?tab=ID`, when opened as a page). */
async function currentTabId() {
  const asked = Number(new URLSearchParams(location.search).get("tab"));
  if (Number.isInteger(asked) && asked > 0) return asked;
  const [tab] = await ext.tabs.query({ active: true, lastFocusedWindow: true });
  return tab?.id;
}

async function showBinding() {
  const tabId = await currentTabId();
  const section = byId("binding");
  if (tabId === undefined) return;
  /** @type {import("./messages.js").BindingResponse} */
  const answer = await send({ type: MessageType.Binding, tabId });
  if (!answer.ok || !answer.binding) {
    section.hidden = true;
    return;
  }
  const bound = answer.binding;
  byId("binding-target").textContent = describeTarget(bound.target);
  const owner = clusters.find((c) => c.id === bound.clusterId);
  byId("binding-cluster").textContent = owner ? `on ${owner.name}` : `on ${bound.server}`;
  section.hidden = false;
  byId("tunnel-mode").onclick = async () => {
    // tunnel.html explains tunnel mode and switches it for this tab's app.
    await ext.tabs.create({ url: ext.runtime.getURL(`tunnel.html?tab=${tabId}`) });
    window.close();
  };
  byId("unbind").onclick = async () => {
    const done = await send({ type: MessageType.Unbind, tabId });
    if (done.ok) section.hidden = true;
    else say(errorReport(done.error));
  };
}

// ---- clusters ----------------------------------------------------------------------------------------

async function start() {
  byId("options").addEventListener("click", openOptions);
  /** @type {import("./messages.js").ClustersResponse} */
  const answer = await send({ type: MessageType.ListClusters });
  if (!answer.ok) {
    sayError(answer.error);
    return;
  }
  clusters = answer.clusters;
  showBinding();
  if (clusters.length === 0) {
    say(
      h("p", {}, "No cluster yet. Add one with a kubeconfig or a server URL and token."),
      h("button", { type: "button", class: "primary", id: "add-cluster", onclick: openOptions }, "Add a cluster"),
    );
    for (const id of ["views", "search", "results"]) byId(id).hidden = true;
    return;
  }
  cluster = clusters.find((c) => c.isDefault) ?? clusters[0];
  if (clusters.length > 1) {
    clusterSelect.replaceChildren(...clusters.map((c) => h("option", { value: c.id, selected: c === cluster }, c.name)));
    clusterSelect.hidden = false;
    clusterSelect.addEventListener("change", () => {
      cluster = clusters.find((c) => c.id === clusterSelect.value);
      namespaces = [];
      load();
    });
  } else {
    clusterName.textContent = cluster.name;
  }
  await load();
}

start();
