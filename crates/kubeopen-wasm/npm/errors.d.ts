// The one error class of every kubeopen entry (`kubeopen`, `kubeopen/cluster`, `kubeopen/manual`).
// The code list is checked against the Rust enum `KubeopenErrorCode` by a test in
// crates/kubeopen-wasm/src/error.rs, so the two cannot drift.

/**
 * Every `code` a kubeopen function can throw.
 * - Input: `InvalidSegment`, `InvalidTarget`, `InvalidServer`, `InvalidAddress`, `InvalidContext`,
 *   `InvalidRules`, `InvalidArgument`, `InvalidKubeconfig`, `InvalidCredentials`, `InvalidToken`,
 *   `NotInCluster`.
 * - `Cluster` calls: `Unauthorized` (401), `Forbidden` (403), `NotFound` (404),
 *   `ServiceUnavailable` (503), `HttpError` (any other non-2xx; `detail.status`), `Network`,
 *   `Timeout`, `Aborted`, `InvalidResponse`.
 * - Tunnels (`Cluster.portForward`, `Cluster.tunnelFetch`): the codes above (`Forbidden` with
 *   `detail.permission`, e.g. `"create pods/portforward"`; `ServiceUnavailable` for no ready
 *   endpoint), and `UnsupportedCredentials`: basic auth, which cannot authenticate a WebSocket.
 * - `kubeopen/manual` only: `NotInitialized`, a function called before `await init()` instantiated
 *   its wasm module (`detail.module`: `"url"`, or `"cluster"` after `init({ cluster: false })`).
 */
export type KubeopenErrorCode =
  | "InvalidSegment"
  | "InvalidTarget"
  | "InvalidServer"
  | "InvalidAddress"
  | "InvalidContext"
  | "InvalidRules"
  | "InvalidArgument"
  | "InvalidKubeconfig"
  | "InvalidCredentials"
  | "InvalidToken"
  | "NotInCluster"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "ServiceUnavailable"
  | "HttpError"
  | "Network"
  | "Timeout"
  | "Aborted"
  | "InvalidResponse"
  | "UnsupportedCredentials"
  | "NotInitialized";

/** What kubeopen throws: `code` is stable; `detail` says what was wrong and where, when useful. */
export class KubeopenError extends Error {
  constructor(code: KubeopenErrorCode, message: string, detail?: Record<string, unknown>, options?: { cause?: unknown });
  readonly name: "KubeopenError";
  readonly code: KubeopenErrorCode;
  readonly detail?: Record<string, unknown>;
}
