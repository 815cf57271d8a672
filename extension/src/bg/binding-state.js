// @ts-check
// The one owner of bindings ("tab T shows target X on server S") and of the session rules derived
// from them. Bindings live in storage.session without any credential; the rules (which hold the
// token) are built from them and the cluster's current credentials by the core's `browserRules`,
// and rebuilt from that state whenever it may differ: at start-up, after a cluster changes, after
// a bind or unbind. Nothing patches rules anywhere else (uBlock Origin Lite's rule: rules are
// derived state).
import { browserRules, parseProxyUrl, proxyUrl } from "kubeopen/manual";
import { ext } from "../messages.js";
import { getCluster } from "./clusters.js";
import { forThisBrowser } from "./firefox-rules.js";
import { remembered } from "./remembered.js";
import { appKey, tunnelledApps } from "./tunnel-prefs.js";
import { TUNNEL_RULES, tunnelRules } from "./tunnel-rules.js";

/**
 * @typedef {import("../messages.js").Binding} Binding
 * @typedef {import("../messages.js").ClusterRecord} ClusterRecord
 * @typedef {import("kubeopen/manual").Target} Target
 * @typedef {import("kubeopen/manual").ParsedTarget} ParsedTarget
 */

const BINDINGS = "kubeopen.bindings";

/**
 * Session rule ids: each binding owns one slot of SLOT ids starting at BINDING_RULE_BASE + k·SLOT.
 * The first CORE_IDS are `browserRules`' (it uses 3: RULES_PER_BINDING in
 * crates/kubeopen/src/rules.rs; the spare id lets the core add a rule without moving anyone's
 * slot), the rest tunnel mode's (bg/tunnel-rules.js), for an app the person put in tunnel mode.
 * Ids below the base are left to other parts.
 */
export const BINDING_RULE_BASE = 1000;
const CORE_IDS = 4;
const SLOT = 8;
/** Chrome's and Firefox's MAX_NUMBER_OF_SESSION_RULES. */
const MAX_SESSION_RULES = 5000;

/** An error with a stable code, answered to pages as `{ ok: false, error }`. */
export class BindingError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** The stored bindings, kept between reads (remembered.js says why). */
const stored = remembered(async () => {
  const got = await ext.storage.session.get(BINDINGS);
  const map = got[BINDINGS];
  return map && typeof map === "object" ? /** @type {Record<string, Binding>} */ (map) : {};
}, [BINDINGS]);

/** @returns {Promise<Record<string, Binding>>} tab id → binding: a copy, the caller's to change */
function readBindings() {
  return stored.get();
}

/** @param {Record<string, Binding>} map */
async function writeBindings(map) {
  stored.forget();
  await ext.storage.session.set({ [BINDINGS]: map });
  stored.set(map);
}

// Every change to bindings and rules runs in this queue, one at a time: a bind racing an unbind
// of the same tab (a navigation committing while open.html asks to bind) must not interleave.
/** @type {Promise<unknown>} */
let queue = Promise.resolve();

/**
 * @template T
 * @param {() => Promise<T>} job
 * @returns {Promise<T>}
 */
function serially(job) {
  const run = queue.then(job);
  queue = run.catch(() => undefined);
  return run;
}

/** Listeners told about every tab whose binding changed (the badge). */
/** @type {((tabId: number, binding: Binding | undefined) => void)[]} */
const listeners = [];

/** @param {(tabId: number, binding: Binding | undefined) => void} listener */
export function onBindingChanged(listener) {
  listeners.push(listener);
}

/** @param {number} tabId @param {Binding | undefined} binding */
function announce(tabId, binding) {
  for (const listener of listeners) listener(tabId, binding);
}

/** @param {number} tabId @returns {Promise<Binding | undefined>} */
export async function bindingForTab(tabId) {
  return (await readBindings())[String(tabId)];
}

/** @returns {Promise<Binding[]>} */
export async function allBindings() {
  return Object.values(await readBindings());
}

/**
 * The lowest free slot. Slots are reused as tabs close, so ids stay small and never collide.
 * @param {Record<string, Binding>} map
 */
function allocateFirstRuleId(map) {
  const used = new Set(Object.values(map).map((b) => b.firstRuleId));
  for (let id = BINDING_RULE_BASE; id + SLOT <= BINDING_RULE_BASE + MAX_SESSION_RULES; id += SLOT) {
    if (!used.has(id)) return id;
  }
  throw new BindingError("TooManyBindings", "too many bound tabs: close some kubeopen tabs first");
}

/** @param {number} firstRuleId */
function slotIds(firstRuleId) {
  return Array.from({ length: SLOT }, (_, i) => firstRuleId + i);
}

/**
 * The credentials `browserRules` sends as `Authorization`, in the shape it takes: a token, a user
 * name and password, or none (e.g. `kubectl proxy`: it authenticates itself).
 * @param {ClusterRecord} cluster
 * @returns {{ token: string } | { username: string, password: string } | {}}
 */
function credentialsOf(cluster) {
  const c = cluster.credentials;
  if (c === null) return {};
  return "token" in c ? { token: c.token } : { username: c.username, password: c.password };
}

/**
 * The rules of one binding with the cluster's current credentials (the core's rule type is the
 * declarativeNetRequest one with plain strings where the browser's typings list literals), and
 * tunnel mode's when its app is in `tunnelled` (keys of bg/tunnel-prefs.js).
 * @param {Binding} b @param {ClusterRecord} cluster @param {Set<string>} tunnelled
 * @returns {chrome.declarativeNetRequest.Rule[]}
 */
function rulesFor(b, cluster, tunnelled) {
  const rules = browserRules({
    server: b.server,
    target: b.target,
    tabId: b.tabId,
    firstRuleId: b.firstRuleId,
    ...credentialsOf(cluster),
  });
  if (rules.length > CORE_IDS) throw new BindingError("Internal", `browserRules returned ${rules.length} rules; slots hold ${CORE_IDS}`);
  // Firefox names finer request types (an `<img srcset>` is `imageset`): see firefox-rules.js.
  const core = /** @type {chrome.declarativeNetRequest.Rule[]} */ (/** @type {unknown} */ (forThisBrowser(rules)));
  if (!tunnelled.has(appKey({ clusterId: b.clusterId, target: b.target }))) return core;
  if (CORE_IDS + TUNNEL_RULES > SLOT) throw new BindingError("Internal", "tunnel rules do not fit the slot");
  return [...core, ...tunnelRules(b, b.firstRuleId + CORE_IDS)];
}

/**
 * The binding's proxy prefix: the target's proxy URL on the server without the final "/".
 * @param {string} server @param {Target} target
 */
function prefixOf(server, target) {
  return proxyUrl(server, target, "").replace(/\/$/, "");
}

/**
 * The target as the core writes it back (every field present, port as a string), so that two
 * spellings of one target compare equal and a stored binding compares with a parsed URL.
 * @param {string} server @param {Target} target
 * @returns {ParsedTarget}
 */
function canonicalTarget(server, target) {
  const parsed = parseProxyUrl(proxyUrl(server, target, ""));
  if (!parsed) throw new BindingError("Internal", "the core did not parse its own proxy URL");
  return parsed.target;
}

/**
 * Field by field: storage may hand objects back with their keys in another order.
 * @param {ParsedTarget} a @param {ParsedTarget} b
 */
function equalTargets(a, b) {
  const ns = (/** @type {ParsedTarget} */ t) => (t.kind === "node" ? "" : t.namespace);
  return a.kind === b.kind && ns(a) === ns(b) && a.name === b.name && a.scheme === b.scheme && a.port === b.port;
}

/**
 * Is `target` on `server` (as parsed from a URL) the binding's target?
 * @param {Binding} b @param {string} server @param {Target} target
 */
export function sameTarget(b, server, target) {
  return b.server === server && equalTargets(canonicalTarget(server, target), b.target);
}

/**
 * Binds tab `tabId` to `target` on `cluster` and installs its rules; resolves when they are in
 * place (the next request of the tab gets them). Binding a tab again to the same server and
 * target keeps its binding (and the cluster it was bound with).
 * @param {number} tabId @param {ClusterRecord} cluster @param {Target} target
 * @returns {Promise<Binding>}
 */
export function bindTab(tabId, cluster, target) {
  return serially(async () => {
    await ext.tabs.get(tabId); // throws for a tab that does not exist: no orphan rules
    const map = await readBindings();
    const key = String(tabId);
    const canonical = canonicalTarget(cluster.server, target);
    const existing = map[key];
    if (existing && existing.server === cluster.server && equalTargets(existing.target, canonical)) {
      return existing;
    }
    const tunnelled = await tunnelledApps();
    /** @type {Binding} */
    const binding = {
      tabId,
      clusterId: cluster.id,
      server: cluster.server,
      target: canonical,
      prefix: prefixOf(cluster.server, canonical),
      firstRuleId: existing?.firstRuleId ?? allocateFirstRuleId(map),
    };
    const addRules = rulesFor(binding, cluster, tunnelled);
    await ext.declarativeNetRequest.updateSessionRules({ removeRuleIds: slotIds(binding.firstRuleId), addRules });
    map[key] = binding;
    await writeBindings(map);
    announce(tabId, binding);
    return binding;
  });
}

/**
 * Unbinds a tab: its rules go, then its binding. Resolves with the binding it had, if any.
 * @param {number} tabId
 * @returns {Promise<Binding | undefined>}
 */
export function unbindTab(tabId) {
  return serially(async () => {
    const map = await readBindings();
    const key = String(tabId);
    const binding = map[key];
    if (!binding) return undefined;
    await ext.declarativeNetRequest.updateSessionRules({ removeRuleIds: slotIds(binding.firstRuleId) });
    delete map[key];
    await writeBindings(map);
    announce(tabId, undefined);
    return binding;
  });
}

/** @param {unknown} a @param {unknown} b */
function sameRules(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Makes the installed session rules exactly those derived from the stored bindings and the
 * clusters' current credentials: drops bindings whose tab or cluster is gone, rebuilds missing or
 * stale rules (after a restart, a token change), removes rules no binding owns. One atomic
 * `updateSessionRules`, and none at all when everything already matches (the usual wake-up).
 * @returns {Promise<{ bindings: number, added: number, removed: number }>}
 */
export function reconcile() {
  return serially(async () => {
    const map = await readBindings();
    const [installed, tabs, tunnelled] = await Promise.all([
      ext.declarativeNetRequest.getSessionRules(),
      ext.tabs.query({}),
      tunnelledApps(),
    ]);
    const openTabs = new Set(tabs.map((t) => t.id));
    /** @type {chrome.declarativeNetRequest.Rule[]} */
    const wanted = [];
    let changed = false;
    for (const [key, b] of Object.entries(map)) {
      const cluster = openTabs.has(b.tabId) ? await getCluster(b.clusterId) : undefined;
      let rules;
      try {
        rules = cluster && cluster.server === b.server ? rulesFor(b, cluster, tunnelled) : undefined;
      } catch {
        rules = undefined; // its credentials no longer fit: unbind rather than send nothing
      }
      if (!rules) {
        delete map[key];
        changed = true;
        if (openTabs.has(b.tabId)) announce(b.tabId, undefined);
        continue;
      }
      wanted.push(...rules);
    }
    const ours = installed.filter((r) => r.id >= BINDING_RULE_BASE);
    const byId = new Map(ours.map((r) => [r.id, r]));
    const addRules = wanted.filter((r) => !sameRules(comparable(byId.get(r.id)), comparable(r)));
    const wantedIds = new Set(wanted.map((r) => r.id));
    const removeRuleIds = [...ours.filter((r) => !wantedIds.has(r.id)).map((r) => r.id), ...addRules.map((r) => r.id)];
    if (addRules.length || removeRuleIds.length) {
      await ext.declarativeNetRequest.updateSessionRules({ removeRuleIds, addRules });
    }
    if (changed) await writeBindings(map);
    return { bindings: Object.keys(map).length, added: addRules.length, removed: removeRuleIds.length - addRules.length };
  });
}

/**
 * A rule in a form that compares equal whether it came from `browserRules` or back from
 * `getSessionRules` (which may add defaults and reorder keys).
 * @param {unknown} rule
 */
function comparable(rule) {
  if (!rule) return null;
  const r = /** @type {any} */ (rule);
  return {
    id: r.id,
    priority: r.priority,
    type: r.action?.type,
    headers: (r.action?.requestHeaders ?? []).map((/** @type {any} */ h) => [h.header, h.operation, h.value]),
    responseHeaders: (r.action?.responseHeaders ?? []).map((/** @type {any} */ h) => [h.header, h.operation, h.value]),
    methods: [...(r.condition?.requestMethods ?? [])].sort(),
    redirect: r.action?.redirect?.regexSubstitution ?? null,
    regex: r.condition?.regexFilter,
    tabs: r.condition?.tabIds ?? [],
    types: [...(r.condition?.resourceTypes ?? [])].sort(),
  };
}
