// @ts-check
// Clusters: the servers and credentials the person added, kept in storage.session unless they
// opted in to persisting them. (Filled in by the clusters work; this is the interface.)

/** @type {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => unknown>} */
export const clusterHandlers = {};

/** @param {Promise<void>} _ready resolves when the wasm core is loaded */
export function startClusters(_ready) {}
