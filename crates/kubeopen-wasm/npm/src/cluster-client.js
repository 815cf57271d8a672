// The `Cluster` client. Its only job is I/O: `fetch`, a timeout, the caller's abort signal, and
// turning fetch's failures into error codes. What to fetch, the `Authorization` value, decoding
// the answers and mapping HTTP statuses to errors are the Rust core's
// (crates/kubeopen/src/discovery/requests.rs), reached through the cluster wasm module.
import {
  __serverBase,
  __authorizationHeader,
  __apiUrl,
  __apiAnswer,
  __proxyFetchUrl,
} from "../dist/kubeopen_cluster.js";
import { portForward, tunnelFetch } from "./tunnel-client.js";
import { KubeopenError, assertLoaded } from "./errors.js";

const DEFAULT_TIMEOUT = 30_000;

/** @param {unknown} value @param {string} what @returns {string | undefined} */
function optionalString(value, what) {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  throw new KubeopenError("InvalidArgument", `${what} must be a string, got ${typeof value}`);
}

/** Why fetch rejected, in a few words (Node puts the system error in `cause`). @param {unknown} error */
function describe(error) {
  if (!(error instanceof Error)) return String(error);
  const cause = /** @type {{ code?: unknown, message?: unknown } | undefined} */ (error.cause);
  const code = typeof cause?.code === "string" ? cause.code : "";
  const message = typeof cause?.message === "string" ? cause.message : "";
  const detail = code && message && !message.includes(code) ? `${code}: ${message}` : message || code;
  return detail ? `${error.message} (${detail})` : error.message;
}

export class Cluster {
  /** @type {string} */ #server;
  /** @type {string | undefined} */ #authorization;
  /** @type {number} */ #timeout;
  /** @type {(input: string, init: RequestInit) => Promise<Response>} */ #fetch;
  /** For the WebSocket subprotocols of tunnels (checked above, like the header). @type {{ token?: string, username?: string, password?: string }} */ #credentials;
  /** @type {(new (url: string, protocols: string[]) => WebSocket) | undefined} */ #webSocket;

  /** @param {Record<string, unknown>} options */
  constructor(options) {
    assertLoaded("cluster");
    if (typeof options !== "object" || options === null) throw new KubeopenError("InvalidArgument", "options must be an object");
    const server = optionalString(options.server, "options.server");
    if (server === undefined) throw new KubeopenError("InvalidArgument", "options.server is required");
    this.#server = __serverBase(server);
    const token = optionalString(options.token, "options.token");
    const username = optionalString(options.username, "options.username");
    const password = optionalString(options.password, "options.password");
    // The core checks the values (no header injection) and refuses a token with basic auth.
    this.#authorization =
      token === undefined && username === undefined && password === undefined
        ? undefined
        : __authorizationHeader(token, username, password);
    const timeout = options.timeout ?? DEFAULT_TIMEOUT;
    if (typeof timeout !== "number" || !(timeout > 0) || !Number.isFinite(timeout)) {
      throw new KubeopenError("InvalidArgument", "options.timeout must be a positive number of milliseconds");
    }
    this.#timeout = timeout;
    const custom = options.fetch;
    if (custom !== undefined && typeof custom !== "function") throw new KubeopenError("InvalidArgument", "options.fetch must be a function");
    // Called through a closure: a bare `window.fetch` reference throws "Illegal invocation".
    this.#fetch = custom
      ? /** @type {(input: string, init: RequestInit) => Promise<Response>} */ (custom)
      : (input, init) => globalThis.fetch(input, init);
    this.#credentials = { token, username, password };
    const ws = options.WebSocket;
    if (ws !== undefined && typeof ws !== "function") throw new KubeopenError("InvalidArgument", "options.WebSocket must be a WebSocket constructor");
    this.#webSocket = /** @type {(new (url: string, protocols: string[]) => WebSocket) | undefined} */ (ws);
  }

  /** The server base, normalised. */
  get server() {
    return this.#server;
  }

  /**
   * Fetches `url`; `keepCallerAbort`: the caller's signal still aborts the body after return
   * (proxyFetch), while the timeout covers only the wait for the headers. A timeout that ran on
   * would cut off a body that streams for long (a log, a download).
   * @param {string} url @param {RequestInit} init @param {AbortSignal | undefined} signal
   * @param {(response: Response) => Promise<T>} read what to do with the response within the timeout
   * @param {boolean} keepCallerAbort
   * @returns {Promise<T>}
   * @template T
   */
  async #send(url, init, signal, read, keepCallerAbort) {
    // Duck-typed: a signal from another realm (an iframe, a polyfill) is not `instanceof` ours.
    if (signal !== undefined && (typeof signal !== "object" || signal === null || typeof signal.addEventListener !== "function")) {
      throw new KubeopenError("InvalidArgument", "signal must be an AbortSignal");
    }
    if (signal?.aborted) throw aborted(url, signal);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new KubeopenError("Timeout", `no answer from ${url} within ${this.#timeout} ms`));
    }, this.#timeout);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const headers = new Headers(init.headers);
    if (this.#authorization !== undefined) headers.set("Authorization", this.#authorization);
    let done = false;
    try {
      const response = await this.#fetch(url, { ...init, headers, signal: controller.signal });
      const result = await read(response);
      done = true;
      return result;
    } catch (error) {
      if (signal?.aborted) throw aborted(url, signal);
      if (timedOut) throw new KubeopenError("Timeout", `no answer from ${url} within ${this.#timeout} ms`, { timeout: this.#timeout }, { cause: error });
      if (error instanceof KubeopenError) throw error;
      throw new KubeopenError("Network", `could not reach ${url}: ${describe(error)}`, { url }, { cause: error });
    } finally {
      clearTimeout(timer);
      if (!(done && keepCallerAbort)) signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * One API call: the core says the URL, the answer is the core's decoding of the body.
   * @param {string} call @param {string | undefined} namespace @param {{ signal?: AbortSignal } | undefined} options
   */
  async #api(call, namespace, options) {
    const url = __apiUrl(call, namespace, this.#server);
    const init = { method: "GET", headers: { Accept: "application/json" } };
    const [status, body] = await this.#send(url, init, options?.signal, async (response) => [response.status, await response.text()], false);
    return JSON.parse(__apiAnswer(call, namespace, this.#server, status, body));
  }

  /** @param {{ signal?: AbortSignal }} [options] */
  version(options) {
    return this.#api("version", undefined, options);
  }

  /** @param {{ signal?: AbortSignal }} [options] */
  apiVersions(options) {
    return this.#api("apiVersions", undefined, options);
  }

  /** @param {{ signal?: AbortSignal }} [options] */
  listNamespaces(options) {
    return this.#api("listNamespaces", undefined, options);
  }

  /** @param {string} [namespace] @param {{ signal?: AbortSignal }} [options] */
  async listServices(namespace, options) {
    return this.#api("listServices", optionalString(namespace, "namespace"), options);
  }

  /** @param {string} namespace @param {{ signal?: AbortSignal }} [options] */
  async listPods(namespace, options) {
    return this.#api("listPods", optionalString(namespace, "namespace"), options);
  }

  /** @param {{ signal?: AbortSignal }} [options] */
  listNodes(options) {
    return this.#api("listNodes", undefined, options);
  }

  /** @param {{ signal?: AbortSignal, namespace?: string }} [options] */
  async clusterInfo(options) {
    return this.#api("clusterInfo", optionalString(options?.namespace, "options.namespace"), options);
  }

  /** @param {string} [namespace] @param {{ signal?: AbortSignal }} [options] */
  async openableEndpoints(namespace, options) {
    return this.#api("openableEndpoints", optionalString(namespace, "namespace"), options);
  }

  /** What the tunnel functions (tunnel-client.js) need of this client. @returns {import("./tunnel-client.js").TunnelContext} */
  #tunnel() {
    return {
      server: this.#server,
      timeout: this.#timeout,
      credentials: this.#credentials,
      webSocket: () => {
        const ws = this.#webSocket ?? /** @type {{ WebSocket?: new (url: string, protocols: string[]) => WebSocket }} */ (globalThis).WebSocket;
        if (ws === undefined) {
          throw new KubeopenError("InvalidArgument", "there is no WebSocket here: pass options.WebSocket (Node 20: or run node with --experimental-websocket)");
        }
        return ws;
      },
      request: (url, init, signal) => this.#send(url, init, signal, async (response) => [response.status, await response.text()], false),
    };
  }

  /**
   * A byte stream to `port` (a number, or a container port name) of a pod, through the API
   * server's portforward WebSocket.
   * @param {{ namespace: string, name: string }} pod @param {number | string} port @param {{ signal?: AbortSignal }} [options]
   */
  portForward(pod, port, options) {
    return portForward(this.#tunnel(), pod, port, options);
  }

  /**
   * One HTTP request to a service's ready pod (or a pod) through a portforward WebSocket.
   * @param {Record<string, unknown>} target @param {string} [path] @param {RequestInit} [init]
   * @returns {Promise<Response>}
   */
  tunnelFetch(target, path, init) {
    return tunnelFetch(this.#tunnel(), target, path, init);
  }

  /**
   * @param {Record<string, unknown>} target @param {string} [path] @param {RequestInit} [init]
   * @returns {Promise<Response>}
   */
  async proxyFetch(target, path, init) {
    if (typeof target !== "object" || target === null) throw new KubeopenError("InvalidArgument", "target must be an object");
    const port = target.port;
    const url = __proxyFetchUrl(
      this.#server,
      optionalString(target.kind, "target.kind") ?? "",
      optionalString(target.namespace, "target.namespace"),
      optionalString(target.name, "target.name") ?? "",
      optionalString(target.scheme, "target.scheme") ?? "",
      typeof port === "number" ? String(port) : (optionalString(port, "target.port") ?? ""),
      optionalString(path, "path") ?? "",
    );
    const { signal, ...rest } = init ?? {};
    return this.#send(url, rest, signal ?? undefined, async (response) => response, true);
  }
}

/** The error for a call the caller aborted. @param {string} url @param {AbortSignal} signal */
function aborted(url, signal) {
  return new KubeopenError("Aborted", `the request to ${url} was aborted`, { url }, { cause: signal.reason });
}
