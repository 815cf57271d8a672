// @ts-check
// The services table: every service with its ports, the openable ones as links that open the
// proxy URL the core built (`openableEndpoints`) in a new tab.
import { el } from "./dom.js";

/**
 * @typedef {import("kubeopen/cluster").ServiceList} ServiceList
 * @typedef {import("kubeopen/cluster").OpenableEndpoint} OpenableEndpoint
 * @typedef {import("kubeopen/cluster").ClusterInfoEntry} ClusterInfoEntry
 */

/** Why a port was taken for HTTP, in words. */
const EVIDENCE = { appProtocol: "appProtocol", portName: "port name", wellKnownPort: "well-known port", unknown: "a guess" };

/** Why the core's `openableEndpoints` leaves a port out (its rules, in short). */
const NOT_OPENABLE =
  "Not HTTP by its protocol, appProtocol, name or number — or a service the proxy cannot reach through its pods (ExternalName, default/kubernetes).";

/** @param {OpenableEndpoint} ep */
function openLink(ep) {
  const label = ep.portName ? `${ep.portName} (${ep.port})` : String(ep.port);
  return el(
    "a",
    {
      href: ep.url,
      target: "_blank",
      rel: "noopener noreferrer",
      class: "open",
      "data-endpoint": `${ep.namespace}/${ep.name}:${ep.portName || ep.port}`,
      title: `${ep.scheme}, because of its ${EVIDENCE[ep.evidence]}; opens ${ep.url}`,
    },
    [`Open ${label}`, el("span", { class: "visually-hidden" }, [` of ${ep.namespace}/${ep.name} in a new tab`])],
  );
}

/**
 * @param {ServiceList} list
 * @param {OpenableEndpoint[]} openable
 */
export function servicesTable(list, openable) {
  /** @type {Map<string, OpenableEndpoint>} */
  const byPort = new Map(openable.map((ep) => [`${ep.namespace}/${ep.name}/${ep.port}`, ep]));
  if (list.items.length === 0) return el("p", { "data-field": "no-services" }, ["No services here."]);
  const rows = list.items.map((svc) => {
    const ns = svc.metadata.namespace ?? "";
    const ports = svc.spec.ports.map((p) => {
      const ep = byPort.get(`${ns}/${svc.metadata.name}/${p.port}`);
      if (ep) return el("li", {}, [openLink(ep)]);
      const name = p.name ? `${p.name} (${p.port}/${p.protocol ?? "TCP"})` : `${p.port}/${p.protocol ?? "TCP"}`;
      return el("li", { class: "muted", title: NOT_OPENABLE }, [name, " — not openable"]);
    });
    return el("tr", { "data-service": `${ns}/${svc.metadata.name}` }, [
      el("td", {}, [ns]),
      el("th", { scope: "row" }, [svc.metadata.name]),
      el("td", {}, [svc.spec.type ?? "ClusterIP"]),
      el("td", {}, [ports.length ? el("ul", { class: "ports" }, ports) : el("span", { class: "muted" }, ["no ports"])]),
    ]);
  });
  return el("table", { class: "services" }, [
    el("caption", {}, [`${list.items.length} service${list.items.length === 1 ? "" : "s"}`]),
    el("thead", {}, [el("tr", {}, ["Namespace", "Service", "Type", "Ports"].map((h) => el("th", { scope: "col" }, [h])))]),
    el("tbody", {}, rows),
  ]);
}

/**
 * `kubectl cluster-info`, as a list.
 * @param {string} server
 * @param {ClusterInfoEntry[]} entries
 */
export function clusterInfoList(server, entries) {
  return el("ul", { class: "cluster-info" }, [
    el("li", {}, ["Kubernetes control plane is running at ", el("code", {}, [server])]),
    ...entries.map((e) =>
      el("li", { "data-cluster-info": e.name }, [
        `${e.name} is running at `,
        el("a", { href: e.url, target: "_blank", rel: "noopener noreferrer" }, [e.url]),
      ]),
    ),
  ]);
}
