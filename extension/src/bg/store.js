// @ts-check
// Where clusters live. A cluster the person did not ask to keep lives only in storage.session
// (memory; gone when the browser closes, never readable by content scripts). One they chose to
// persist lives in storage.local, on disk, credentials included: that is what the options page
// says "remember on this computer" means. Storage is the only truth: a restarted service worker
// reads it back; within one worker's life the last read is kept until storage says a cluster
// changed (remembered.js).
import { ext } from "../messages.js";
import { remembered } from "./remembered.js";

const CLUSTERS = "kubeopen.clusters";
const DEFAULT = "kubeopen.defaultCluster";
/** The storage keys that hold clusters (pages watch them to redraw). */
export const CLUSTER_KEYS = Object.freeze([CLUSTERS, DEFAULT]);

/**
 * A cluster as stored (the credentials are secret; see ClusterRecord in messages.js).
 * @typedef {import("../messages.js").Credentials} Credentials
 * @typedef {{ id: string, name: string, server: string, namespace: string, clusterDomain: string,
 *   credentials: Credentials | null, persist: boolean }} StoredCluster
 */

/**
 * @param {chrome.storage.StorageArea} area
 * @returns {Promise<StoredCluster[]>}
 */
async function readArea(area) {
  const got = await area.get(CLUSTERS);
  const list = got[CLUSTERS];
  return Array.isArray(list) ? list : [];
}

/** The stored clusters, kept between reads (remembered.js says why). */
const stored = remembered(readStorage, [CLUSTERS, DEFAULT]);

/**
 * Every stored cluster, persisted ones first, in the order they were added: a copy, the caller's.
 * @returns {Promise<{ clusters: StoredCluster[], defaultId: string | undefined }>}
 */
export function readClusters() {
  return stored.get();
}

/** @returns {Promise<{ clusters: StoredCluster[], defaultId: string | undefined }>} */
async function readStorage() {
  const [local, session, chosen] = await Promise.all([
    readArea(ext.storage.local),
    readArea(ext.storage.session),
    ext.storage.local.get(DEFAULT),
  ]);
  const clusters = [...local, ...session];
  const wanted = typeof chosen[DEFAULT] === "string" ? chosen[DEFAULT] : undefined;
  // Whenever there is a cluster there is a default: the chosen one, else the first.
  const defaultId = clusters.some((c) => c.id === wanted) ? wanted : clusters[0]?.id;
  return { clusters, defaultId };
}

// Mutations are read-modify-write over two areas: run them one at a time.
/** @type {Promise<unknown>} */
let queue = Promise.resolve();

/**
 * Runs `change` on the current list and writes back what it returns (each cluster to the area its
 * `persist` flag says). `change` may throw to abort without writing.
 * @template T
 * @param {(clusters: StoredCluster[], defaultId: string | undefined) =>
 *   { clusters: StoredCluster[], defaultId?: string | undefined, result: T }} change
 * @returns {Promise<T>}
 */
export function updateClusters(change) {
  const run = queue.then(async () => {
    const { clusters, defaultId } = await readClusters();
    const next = change(clusters.map((c) => ({ ...c })), defaultId);
    stored.forget();
    await Promise.all([
      ext.storage.local.set({ [CLUSTERS]: next.clusters.filter((c) => c.persist) }),
      ext.storage.session.set({ [CLUSTERS]: next.clusters.filter((c) => !c.persist) }),
    ]);
    // The default is an opaque id, not a secret: it may stay on disk.
    if (next.defaultId !== undefined) await ext.storage.local.set({ [DEFAULT]: next.defaultId });
    stored.forget(); // read back once: what was written, as storage keeps it
    return next.result;
  });
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Calls `listener` when any cluster changes (in any area).
 * @param {() => void} listener
 */
export function onClustersChanged(listener) {
  ext.storage.onChanged.addListener((changes) => {
    if (CLUSTERS in changes || DEFAULT in changes) listener();
  });
}
