// @ts-check
// The messages between the extension's pages (popup, options) and its background, defined once.
// The background owns the wasm and all state; pages only ask.

/** Message kinds a page can send to the background. */
export const MessageType = Object.freeze({
  /** Parse a `[scheme:]name[:port]` segment. */
  ParseSegment: "kubeopen:parseSegment",
  /** Is the wasm core loaded? Answers with the package version. */
  Status: "kubeopen:status",
  // Clusters (bg/clusters.js). Extension pages only: content scripts are refused.
  /** Add a cluster from a server and credentials → ClusterResponse. */
  AddCluster: "kubeopen:addCluster",
  /** Parse a kubeconfig → KubeconfigResponse (contexts, what each would use; never a secret). */
  ReadKubeconfig: "kubeopen:readKubeconfig",
  /** Add one context of a kubeconfig as a cluster → ClusterResponse. */
  AddFromKubeconfig: "kubeopen:addFromKubeconfig",
  /** Every cluster → ClustersResponse. */
  ListClusters: "kubeopen:listClusters",
  /** Remove a cluster → ClustersResponse. */
  RemoveCluster: "kubeopen:removeCluster",
  /** Make a cluster the default → ClustersResponse. */
  SetDefaultCluster: "kubeopen:setDefaultCluster",
  /** Rename a cluster → ClusterResponse. */
  RenameCluster: "kubeopen:renameCluster",
  /** Change a cluster's credentials, persistence, namespace or cluster domain → ClusterResponse. */
  UpdateCluster: "kubeopen:updateCluster",
  /** Check a stored cluster, or a server + credentials not yet stored → TestClusterResponse. */
  TestCluster: "kubeopen:testCluster",
  /** A cluster's openable service ports (cached) → EndpointsResponse. */
  Endpoints: "kubeopen:endpoints",
  /** A cluster's pods (in a namespace) or nodes → ResourcesResponse. */
  Resources: "kubeopen:resources",
  // Bindings (bg/bindings.js). A binding never holds a credential.
  /** Open a target in a new tab (or `tabId`), bound before its first request → OpenResponse. Extension pages only. */
  Open: "kubeopen:open",
  /** open.html: resolve what was asked for, bind this tab, answer where to go → OpenResponse. */
  OpenHere: "kubeopen:openHere",
  /** The binding of `tabId` (pages) or of the sender's own tab (content scripts) → BindingResponse. */
  Binding: "kubeopen:binding",
  /** Unbind `tabId`: its rules are removed → BindingResponse (the binding it had). Extension pages only. */
  Unbind: "kubeopen:unbind",
  // Content scripts (bg/content.js). Answers carry URLs and a yes/no, never a credential.
  /** Is the sender's tab bound, and its cluster's DNS domain → ContentConfigResponse. */
  ContentConfig: "kubeopen:contentConfig",
  /** The link fixer's batch of attribute values, rewritten by the core → RewriteUrlsResponse. */
  RewriteUrls: "kubeopen:rewriteUrls",
  // Tunnel mode (bg/tunnel-mode.js). Extension pages only; answers never carry a credential.
  /** The app of `tabId` (or the sender's tab), its tunnel mode and the kubectl alternative → TunnelInfoResponse. */
  TunnelInfo: "kubeopen:tunnelInfo",
  /** Tunnel mode on or off (`on`) for the app of `tabId` (or the sender's tab) → TunnelInfoResponse. */
  SetTunnel: "kubeopen:setTunnel",
});

/**
 * @typedef {{ type: typeof MessageType.ParseSegment, id: string }} ParseSegmentRequest
 * @typedef {{ scheme: "" | "http" | "https", name: string, port: string }} SegmentView
 * @typedef {{ code: string, message: string }} ErrorView
 * @typedef {{ ok: true, segment: SegmentView } | { ok: false, error: ErrorView }} ParseSegmentResponse
 * @typedef {{ type: typeof MessageType.Status }} StatusRequest
 * @typedef {{ ok: true, core: "ready", version: string } | { ok: false, error: ErrorView }} StatusResponse
 */

/**
 * Clusters (bg/clusters.js). A page never receives credentials back: `auth` says what kind is set.
 * @typedef {{ token: string } | { username: string, password: string }} Credentials
 * @typedef {{ id: string, name: string, server: string, namespace: string, clusterDomain: string,
 *   credentials: Credentials | null, isDefault: boolean, persist: boolean }} ClusterRecord
 * @typedef {{ id: string, name: string, server: string, namespace: string, clusterDomain: string,
 *   isDefault: boolean, persist: boolean, auth: "token" | "basic" | "none", username?: string,
 *   tokenExpiresAt?: number }} ClusterView
 * @typedef {ErrorView & { advice?: string }} ClusterErrorView
 * @typedef {{ type: typeof MessageType.AddCluster, name?: string, server: string,
 *   credentials: Credentials | null, namespace?: string, clusterDomain?: string, persist?: boolean }} AddClusterRequest
 * @typedef {{ ok: true, cluster: ClusterView } | { ok: false, error: ClusterErrorView }} ClusterResponse
 * @typedef {{ ok: true, clusters: ClusterView[] } | { ok: false, error: ClusterErrorView }} ClustersResponse
 * @typedef {{ what: string, reason: string, instead: string }} UnsupportedView
 * @typedef {{ name: string, current: boolean, cluster: string, user: string | null, server: string | null,
 *   namespace: string | null, auth: "token" | "basic" | "none" | null, caData: string | null, unsupported: UnsupportedView[],
 *   error: ErrorView | null }} KubeconfigContextView
 * @typedef {{ ok: true, contexts: KubeconfigContextView[] } | { ok: false, error: ClusterErrorView }} KubeconfigResponse
 * @typedef {{ type: typeof MessageType.AddFromKubeconfig, text: string, context: string, name?: string,
 *   persist?: boolean, clusterDomain?: string }} AddFromKubeconfigRequest
 * @typedef {{ kind: "serviceAccount" | "user" | "unknown", name: string, namespace?: string,
 *   expiresAt?: number, expired?: boolean }} IdentityView
 * @typedef {{ ok: true, server: string, version: string, platform: string, apiVersions: string[],
 *   identity: IdentityView, canListServices: boolean, warning?: string }
 *   | { ok: false, error: ClusterErrorView }} TestClusterResponse
 * @typedef {{ namespace: string, name: string, port: number, portName: string | null,
 *   scheme: string, url: string, target: import("kubeopen/manual").Target }} EndpointView
 * @typedef {{ ok: true, cluster: ClusterView, endpoints: EndpointView[], fetchedAt: number }
 *   | { ok: false, cluster?: ClusterView, error: ClusterErrorView }} EndpointsResponse
 * @typedef {{ namespace?: string, name: string, ready: boolean, detail: string,
 *   target: import("kubeopen/manual").Target }} ResourceView
 * @typedef {{ ok: true, items: ResourceView[] } | { ok: false, error: ClusterErrorView }} ResourcesResponse
 */

/**
 * Bindings (bg/bindings.js): tab `tabId` shows `target` through `server` with the credentials of
 * cluster `clusterId`; `prefix` is the target's proxy URL without its final "/"; the tab's session
 * rules are `firstRuleId` and the next ones.
 * @typedef {{ tabId: number, clusterId: string, server: string, target: import("kubeopen/manual").ParsedTarget,
 *   prefix: string, firstRuleId: number }} Binding
 * @typedef {{ type: typeof MessageType.Open, clusterId: string, target: import("kubeopen/manual").Target,
 *   path?: string, tabId?: number }} OpenRequest
 * @typedef {{ type: typeof MessageType.OpenHere, input: string, clusterId?: string }} OpenHereRequest
 * @typedef {{ ok: true, binding: Binding, url: string } | { ok: false, error: ClusterErrorView }} OpenResponse
 * @typedef {{ type: typeof MessageType.Binding, tabId?: number }} BindingRequest
 * @typedef {{ type: typeof MessageType.Unbind, tabId: number }} UnbindRequest
 * @typedef {{ ok: true, binding: Binding | null } | { ok: false, error: ClusterErrorView }} BindingResponse
 */

/**
 * Content scripts (bg/content.js, content/isolated.js).
 * @typedef {{ type: typeof MessageType.ContentConfig }} ContentConfigRequest
 * @typedef {{ ok: true, bound: false } | { ok: true, bound: true, clusterDomain: string }
 *   | { ok: false, error: ErrorView }} ContentConfigResponse
 * @typedef {{ type: typeof MessageType.RewriteUrls, page: string, urls: string[], srcsets?: string[] }} RewriteUrlsRequest
 * @typedef {{ ok: true, urls: string[], srcsets: string[] } | { ok: false, error: ErrorView }} RewriteUrlsResponse
 */

/**
 * Tunnel mode (bg/tunnel-mode.js): per app (cluster + target), off by default.
 * @typedef {{ type: typeof MessageType.TunnelInfo, tabId?: number }} TunnelInfoRequest
 * @typedef {{ type: typeof MessageType.SetTunnel, tabId?: number, on: boolean }} SetTunnelRequest
 * @typedef {{ target: import("kubeopen/manual").ParsedTarget, prefix: string, cluster: string, tunnel: boolean,
 *   kubectl: string | null, basicAuth: boolean }} TunnelAppView
 * @typedef {{ ok: true, app: TunnelAppView | null } | { ok: false, error: ErrorView }} TunnelInfoResponse
 */

/** The `chrome`/`browser` namespace, whichever this browser has. */
export const ext = /** @type {typeof chrome} */ (globalThis.browser ?? globalThis.chrome);

/**
 * Firefox (Gecko): it has `runtime.getBrowserInfo`, Chromium has not. Not the `browser` global:
 * recent Chromium has one too.
 */
export const isFirefox = typeof (/** @type {any} */ (ext?.runtime)?.getBrowserInfo) === "function";
