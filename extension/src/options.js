// @ts-check
// The options page: the clusters (rename, default, test, new credentials, remember or not,
// remove) and the "Add a cluster" form (options-add.js). Credentials are never shown back: a
// cluster says which kind it has.
import { MessageType, ext } from "./messages.js";
import { CLUSTER_KEYS } from "./bg/store.js";
import { startAddForm } from "./options-add.js";
import { byId, h, send } from "./ui/dom.js";
import { connectionReport, describeExpiry, errorReport } from "./ui/report.js";

/**
 * @typedef {import("./messages.js").ClusterView} ClusterView
 * @typedef {import("./messages.js").ClustersResponse} ClustersResponse
 */

const list = byId("clusters");
const empty = byId("no-clusters");
/** Results of "Test connection" survive a redraw of the list. @type {Map<string, HTMLElement>} */
const reports = new Map();

/** @param {ClusterView} c */
function authText(c) {
  if (c.auth === "basic") return `user ${c.username ?? ""}`;
  if (c.auth === "none") return "no credentials";
  return c.tokenExpiresAt === undefined ? "bearer token set" : `bearer token set, ${describeExpiry(c.tokenExpiresAt)}`;
}

/** @param {string} clusterId @param {HTMLElement} report */
function showReport(clusterId, report) {
  reports.set(clusterId, report);
  const slot = list.querySelector(`li[data-cluster-id="${CSS.escape(clusterId)}"] .cluster-report`);
  slot?.replaceChildren(report);
}

/** @param {string} clusterId */
async function testCluster(clusterId) {
  showReport(clusterId, h("p", { class: "hint" }, "Testing…"));
  showReport(clusterId, connectionReport(await send({ type: MessageType.TestCluster, clusterId })));
}

/**
 * Runs a change and redraws; an error is shown on the cluster's row.
 * @param {string} clusterId
 * @param {Record<string, unknown> & { type: string }} msg
 */
async function change(clusterId, msg) {
  /** @type {{ ok: boolean, error?: import("./messages.js").ClusterErrorView }} */
  const answer = await send({ ...msg, clusterId });
  if (!answer.ok && answer.error) showReport(clusterId, errorReport(answer.error));
  await refresh();
  return answer.ok;
}

/** @param {ClusterView} c */
function renameControl(c) {
  const field = h("input", { type: "text", value: c.name, "aria-label": `New name for ${c.name}`, class: "rename-input" });
  const form = h(
    "form",
    {
      class: "rename",
      hidden: true,
      onsubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        change(c.id, { type: MessageType.RenameCluster, name: field.value });
      },
    },
    field,
    h("button", { type: "submit" }, "Save name"),
  );
  const open = h("button", {
    type: "button",
    class: "rename-open",
    onclick: () => {
      form.hidden = false;
      field.focus();
      field.select();
    },
  }, "Rename");
  return { open, form };
}

/** @param {ClusterView} c */
function tokenControl(c) {
  const field = h("textarea", { rows: 2, spellcheck: "false", "aria-label": `New token for ${c.name}` });
  return h(
    "details",
    { class: "new-token" },
    h("summary", {}, "New token"),
    h(
      "form",
      {
        onsubmit: async (/** @type {Event} */ e) => {
          e.preventDefault();
          const ok = await change(c.id, { type: MessageType.UpdateCluster, credentials: { token: field.value } });
          field.value = "";
          if (ok) testCluster(c.id);
        },
      },
      field,
      h("button", { type: "submit" }, "Save token"),
    ),
  );
}

/** @param {ClusterView} c */
function clusterRow(c) {
  const { open, form } = renameControl(c);
  let confirming = false;
  const remove = h("button", {
    type: "button",
    class: "remove danger",
    onclick: () => {
      // Two steps: a stray Enter must not lose a cluster whose token is gone with it.
      if (!confirming) {
        confirming = true;
        remove.textContent = `Remove ${c.name}?`;
        return;
      }
      reports.delete(c.id);
      change(c.id, { type: MessageType.RemoveCluster });
    },
  }, "Remove");
  const persist = h("input", {
    type: "checkbox",
    checked: c.persist,
    class: "persist-toggle",
    onchange: () => change(c.id, { type: MessageType.UpdateCluster, persist: persist.checked }),
  });
  return h(
    "li",
    { class: "cluster", dataset: { clusterId: c.id } },
    h(
      "div",
      { class: "cluster-head" },
      h("strong", { class: "cluster-name" }, c.name),
      c.isDefault ? h("span", { class: "badge" }, "default") : null,
      h("code", { class: "cluster-server" }, c.server),
    ),
    h("p", { class: "cluster-facts" }, `namespace ${c.namespace} · ${authText(c)} · cluster domain ${c.clusterDomain}`),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "test", onclick: () => testCluster(c.id) }, "Test connection"),
      c.isDefault ? null : h("button", { type: "button", class: "make-default", onclick: () => change(c.id, { type: MessageType.SetDefaultCluster }) }, "Make default"),
      open,
      remove,
    ),
    form,
    h("label", { class: "persist" }, persist, " Remember on this computer (credentials included)"),
    c.auth === "basic" ? null : tokenControl(c),
    h("div", { class: "cluster-report", "aria-live": "polite" }, reports.get(c.id) ?? null),
  );
}

async function refresh() {
  /** @type {ClustersResponse} */
  const answer = await send({ type: MessageType.ListClusters });
  if (!answer.ok) {
    list.replaceChildren(h("li", {}, errorReport(answer.error)));
    return;
  }
  empty.hidden = answer.clusters.length > 0;
  list.replaceChildren(...answer.clusters.map(clusterRow));
}

startAddForm(async (added) => {
  await refresh();
  testCluster(added.id);
});
// Another page (or the popup) may change clusters too.
ext.storage.onChanged.addListener((changes) => {
  if (CLUSTER_KEYS.some((key) => key in changes)) refresh();
});
refresh();
