// @ts-check
// Bindings: "tab T shows target X on server S", and the network rules that make it work.
// (Filled in by the bindings work; this is the interface.)

/** @type {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => unknown>} */
export const bindingHandlers = {};

/** @param {Promise<void>} _ready resolves when the wasm core is loaded */
export function startBindings(_ready) {}
