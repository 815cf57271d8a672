// @ts-check
// The content scripts' side in the background: registers the isolated-world link fixer and the
// page-world script, and answers their requests with the core. (Filled in by the content work.)

/** @type {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => unknown>} */
export const contentHandlers = {};

/** @param {Promise<void>} _ready resolves when the wasm core is loaded */
export function startContent(_ready) {}
