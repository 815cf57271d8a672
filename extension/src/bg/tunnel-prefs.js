// @ts-check
// Which apps are opened in tunnel mode: the person's choice per app (cluster + target), off by
// default, kept in storage.local across restarts. Only ids and target names are stored: never a
// credential (the tunnel uses the cluster's credentials as they are when a page is fetched).
import { ext } from "../messages.js";

const KEY = "kubeopen.tunnelApps";

/**
 * @typedef {import("kubeopen/manual").ParsedTarget} ParsedTarget
 * @typedef {{ clusterId: string, target: ParsedTarget }} App
 */

/**
 * One stable key per app, whatever order the target's fields come back in from storage.
 * @param {App} app
 */
export function appKey({ clusterId, target }) {
  const ns = target.kind === "node" ? "" : target.namespace;
  return JSON.stringify([clusterId, target.kind, ns, target.name, target.scheme, target.port]);
}

/** @returns {Promise<Record<string, { since: number }>>} */
async function read() {
  const got = await ext.storage.local.get(KEY);
  const map = got[KEY];
  return map && typeof map === "object" ? /** @type {Record<string, { since: number }>} */ (map) : {};
}

/** The keys of every app in tunnel mode. @returns {Promise<Set<string>>} */
export async function tunnelledApps() {
  return new Set(Object.keys(await read()));
}

/** @param {App} app */
export async function isTunnelled(app) {
  return appKey(app) in (await read());
}

/** @param {App} app @param {boolean} on */
export async function setTunnelled(app, on) {
  const map = await read();
  const key = appKey(app);
  if (on) map[key] = { since: Date.now() };
  else delete map[key];
  await ext.storage.local.set({ [KEY]: map });
}
