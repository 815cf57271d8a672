// @ts-check
// The messages between the extension's pages (popup, options) and its background, defined once.
// The background owns the wasm and all state; pages only ask.

/** Message kinds a page can send to the background. */
export const MessageType = Object.freeze({
  /** Parse a `[scheme:]name[:port]` segment. */
  ParseSegment: "kubeopen:parseSegment",
  /** Is the wasm core loaded? Answers with the package version. */
  Status: "kubeopen:status",
});

/**
 * @typedef {{ type: typeof MessageType.ParseSegment, id: string }} ParseSegmentRequest
 * @typedef {{ scheme: "" | "http" | "https", name: string, port: string }} SegmentView
 * @typedef {{ code: string, message: string }} ErrorView
 * @typedef {{ ok: true, segment: SegmentView } | { ok: false, error: ErrorView }} ParseSegmentResponse
 * @typedef {{ type: typeof MessageType.Status }} StatusRequest
 * @typedef {{ ok: true, core: "ready", version: string } | { ok: false, error: ErrorView }} StatusResponse
 */

/** The `chrome`/`browser` namespace, whichever this browser has. */
export const ext = /** @type {typeof chrome} */ (globalThis.browser ?? globalThis.chrome);
