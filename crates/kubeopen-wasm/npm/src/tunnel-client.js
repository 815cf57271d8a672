// `Cluster.portForward` and `Cluster.tunnelFetch`: the I/O half of tunnel mode. JavaScript owns the
// WebSocket, timers, aborts and streams; which pod and port, every URL, the subprotocols, the
// channel framing, the HTTP request and the response parsing are the Rust core's
// (crates/kubeopen/src/tunnel.rs, reached through crates/kubeopen-wasm/src/tunnel_api.rs).
import { __tunnelResolve, __responseError } from "../dist/kubeopen_cluster.js";
import { loadTunnelUrl } from "./tunnel-url-load.js";
import { KubeopenError } from "./errors.js";

// The tunnel's wasm is in the URL module (kubeopen_bg.wasm). Where that module is shared with
// "kubeopen" (bundles, Node) or built in ("kubeopen/manual"), it may be instantiated already;
// otherwise it is on the first tunnel, from beside the built file (dist/) or from what the entry
// set (Node reads the file: fetch cannot). The unbundled "kubeopen/cluster" also fetches the
// module's JavaScript then (tunnel-url-load.lazy.js): its own copy, beside a page's "kubeopen".
/** @type {() => (URL | BufferSource | Promise<URL | BufferSource>)} */
let urlModuleSource = () => new URL("./kubeopen_bg.wasm", import.meta.url);

/** For an entry that loads the URL module's wasm its own way. @param {() => (URL | BufferSource | Promise<URL | BufferSource>)} source */
export function setUrlModuleSource(source) {
  urlModuleSource = source;
}

/**
 * The URL module's tunnel functions, once `ready()` has resolved (every caller of them runs after).
 * @type {typeof import("./tunnel-url.js")}
 */
let tun;

/** Loads and instantiates the URL module once (tunnel-url.js); a failed load is retried next time. */
async function ready() {
  const loaded = await loadTunnelUrl();
  await loaded.instantiate(urlModuleSource);
  tun = loaded;
}

/** Largest message sent down the socket (a request body is split into these). */
const MAX_MESSAGE = 64 * 1024;

/**
 * What the `Cluster` hands to the tunnel functions (its private state, passed in, not exposed).
 * @typedef {object} TunnelContext
 * @property {string} server
 * @property {number} timeout
 * @property {{ token?: string, username?: string, password?: string }} credentials
 * @property {() => (new (url: string, protocols: string[]) => WebSocket)} webSocket throws when there is none
 * @property {(url: string, init: RequestInit, signal: AbortSignal | undefined) => Promise<[number, string]>} request
 */

/** @param {unknown} value @param {string} what @returns {string} */
function str(value, what) {
  if (typeof value === "string") return value;
  throw new KubeopenError("InvalidArgument", `${what} must be a string`);
}

/** A port as the core takes it: a number's digits, or a name. @param {unknown} port @param {string} what */
function portString(port, what) {
  if (port === undefined || port === null) return "";
  if (typeof port === "number") return String(port);
  return str(port, what);
}

/** @param {unknown} signal */
function checkSignal(signal) {
  if (signal !== undefined && signal !== null && (typeof signal !== "object" || typeof (/** @type {AbortSignal} */ (signal).addEventListener) !== "function")) {
    throw new KubeopenError("InvalidArgument", "signal must be an AbortSignal");
  }
  return /** @type {AbortSignal | undefined} */ (signal ?? undefined);
}

/** @param {string} what @param {AbortSignal} signal */
function aborted(what, signal) {
  return new KubeopenError("Aborted", `${what} was aborted`, undefined, { cause: signal.reason });
}

/**
 * The error a non-2xx answer stands for (the cluster module's mapping), with `detail.permission`
 * for a 403 whose message names the permission.
 * @param {number} status @param {string} body @param {string} path
 * @returns {KubeopenError}
 */
function httpError(status, body, path) {
  const error = /** @type {KubeopenError} */ (__responseError(status, body, path));
  const permission = error.code === "Forbidden" ? tun.__forbiddenPermission(error.message) : undefined;
  return permission === undefined ? error : withPermission(error, permission);
}

/** The same error with `detail.permission`. @param {KubeopenError} error @param {string} permission */
function withPermission(error, permission) {
  return new KubeopenError(error.code, error.message, { ...error.detail, permission });
}

/** The path of a URL, for error details (no query: it may carry names the caller typed). @param {string} url */
function pathOf(url) {
  return new URL(url).pathname;
}

/**
 * Resolves a target to the pod and its port: EndpointSlices for a service, the pod's container
 * ports for a named pod port.
 * @param {TunnelContext} ctx @param {string} kind @param {string} namespace @param {string} name @param {string} port
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<{ pod: string, port: number }>}
 */
async function resolve(ctx, kind, namespace, name, port, signal) {
  const urls = tun.__tunnelLookups(ctx.server, kind, namespace, name, port);
  const answers = await Promise.all(urls.map((url) => ctx.request(url, { method: "GET", headers: { Accept: "application/json" } }, signal)));
  const bodies = answers.map(([status, body], i) => {
    if (status < 200 || status > 299) throw httpError(status, body, pathOf(urls[i]));
    return body;
  });
  const [pod, podPort] = __tunnelResolve(kind, namespace, name, port, bodies[0], bodies[1]);
  return { pod, port: podPort };
}

/**
 * Why the handshake failed: a browser hides its status, so ask again over plain HTTP(S). The
 * server authorizes that GET like the handshake (`get`, then the synthetic `create` check) and
 * says 401, 403 or 404 readably; otherwise (400 "Upgrade request required") it would have taken
 * the WebSocket, and something in between did not.
 * @param {TunnelContext} ctx @param {string} namespace @param {string} pod @param {number} port
 * @param {AbortSignal | undefined} signal @param {string} url
 * @returns {Promise<KubeopenError>}
 */
async function diagnose(ctx, namespace, pod, port, signal, url) {
  const path = pathOf(url);
  try {
    const [status, text] = await ctx.request(tun.__portForwardUrl(ctx.server, namespace, pod, port, false), { method: "GET" }, signal);
    if (status === 401 || status === 404) return httpError(status, text, path);
    if (status === 403) {
      const error = httpError(status, text, path);
      return withPermission(error, tun.__portForwardPermission(error.message));
    }
  } catch (error) {
    if (error instanceof KubeopenError) return error;
    throw error;
  }
  return new KubeopenError("Network", `the WebSocket to ${url} could not be opened (the server refused the upgrade, or a proxy in between does not pass WebSockets)`, { url });
}

/**
 * Opens the portforward WebSocket; resolves once it is open.
 * @param {TunnelContext} ctx @param {string} namespace @param {string} pod @param {number} port
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<WebSocket>}
 */
function openSocket(ctx, namespace, pod, port, signal) {
  const url = tun.__portForwardUrl(ctx.server, namespace, pod, port, true);
  const { token, username, password } = ctx.credentials;
  const protocols = tun.__websocketProtocols(token, username, password);
  const Socket = ctx.webSocket();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(`the port-forward to ${namespace}/${pod}:${port}`, signal));
    const ws = new Socket(url, protocols);
    ws.binaryType = "arraybuffer";
    let settled = false;
    const finish = (/** @type {() => void} */ then) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      then();
    };
    const onAbort = () =>
      finish(() => {
        ws.close();
        reject(aborted(`the port-forward to ${namespace}/${pod}:${port}`, /** @type {AbortSignal} */ (signal)));
      });
    const timer = setTimeout(
      () =>
        finish(() => {
          ws.close();
          reject(new KubeopenError("Timeout", `the port-forward WebSocket to ${namespace}/${pod}:${port} did not open within ${ctx.timeout} ms`, { timeout: ctx.timeout }));
        }),
      ctx.timeout,
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    ws.addEventListener("open", () => finish(() => resolve(ws)));
    // A failed handshake is an error event, then a close; neither says why.
    const failed = () =>
      finish(() => {
        diagnose(ctx, namespace, pod, port, signal, url).then(reject, reject);
      });
    ws.addEventListener("error", failed);
    ws.addEventListener("close", failed);
  });
}

/**
 * Feeds a socket's messages to `onData`/`onError` bytes through the channel codec; `onClose` once.
 * @param {WebSocket} ws @param {import("./tunnel-url.js").__PortForwardChannel} channel
 * @param {{ data: (bytes: Uint8Array) => void, error: (text: string) => void, violation: (error: unknown) => void, close: () => void }} on
 */
function listen(ws, channel, on) {
  const text = new TextEncoder();
  const errorBytes = new TextDecoder();
  ws.addEventListener("message", (event) => {
    const raw = typeof event.data === "string" ? text.encode(event.data) : new Uint8Array(/** @type {ArrayBuffer} */ (event.data));
    let frames;
    try {
      frames = channel.decode(raw);
    } catch (error) {
      on.violation(error);
      return;
    }
    for (let i = 0; i < frames.length; i += 2) {
      const bytes = /** @type {Uint8Array} */ (frames[i + 1]);
      if (frames[i] === 0) on.data(bytes);
      else on.error(errorBytes.decode(bytes, { stream: true }));
    }
  });
  ws.addEventListener("close", () => on.close(), { once: true });
}

/** Sends `data` to the pod, in messages of at most MAX_MESSAGE bytes. @param {WebSocket} ws @param {import("./tunnel-url.js").__PortForwardChannel} channel @param {Uint8Array} data */
function send(ws, channel, data) {
  for (let at = 0; at < data.length; at += MAX_MESSAGE) {
    const message = channel.encode(data.subarray(at, at + MAX_MESSAGE));
    ws.send(channel.text ? new TextDecoder().decode(message) : message);
  }
}

/**
 * `Cluster.portForward(pod, port, {signal})`.
 * @param {TunnelContext} ctx @param {unknown} pod @param {unknown} port @param {{ signal?: AbortSignal }} [options]
 */
export async function portForward(ctx, pod, port, options) {
  if (typeof pod !== "object" || pod === null) throw new KubeopenError("InvalidArgument", "pod must be {namespace, name}");
  const p = /** @type {Record<string, unknown>} */ (pod);
  const namespace = str(p.namespace, "pod.namespace");
  const name = str(p.name, "pod.name");
  const signal = checkSignal(options?.signal);
  await ready();
  const to = await resolve(ctx, "pod", namespace, name, portString(port, "port"), signal);
  const ws = await openSocket(ctx, namespace, to.pod, to.port, signal);
  const channel = new tun.__PortForwardChannel(ws.protocol, to.port);
  /** @type {ReadableStreamDefaultController<Uint8Array>} */
  let reader;
  let errorText = "";
  let done = false;
  const end = (/** @type {unknown} */ error) => {
    if (done) return;
    done = true;
    signal?.removeEventListener("abort", onAbort);
    if (error === undefined) reader.close();
    else reader.error(error);
    if (ws.readyState <= 1) ws.close();
  };
  const onAbort = () => end(aborted(`the port-forward to ${namespace}/${to.pod}:${to.port}`, /** @type {AbortSignal} */ (signal)));
  const readable = new ReadableStream({
    start(controller) {
      reader = controller;
    },
    cancel() {
      done = true;
      ws.close();
    },
  });
  listen(ws, channel, {
    data: (bytes) => {
      if (!done) reader.enqueue(bytes);
    },
    error: (text) => (errorText += text),
    violation: (error) => end(error),
    close: () =>
      end(errorText ? new KubeopenError("Network", `the port-forward to ${namespace}/${to.pod}:${to.port} failed: ${errorText.trim()}`, { portForwardError: errorText }) : undefined),
  });
  signal?.addEventListener("abort", onAbort, { once: true });
  const writable = new WritableStream({
    write(chunk) {
      if (ws.readyState !== 1) throw new KubeopenError("Network", "the port-forward is closed");
      send(ws, channel, chunk);
    },
    // The v4 protocol has no half-close: closing the writable leaves the socket open for reading.
    close() {},
    abort() {
      ws.close();
    },
  });
  return {
    readable,
    writable,
    pod: to.pod,
    port: to.port,
    close() {
      end(undefined);
    },
  };
}

/**
 * `init.headers` as name/value pairs. Plain objects and arrays are taken as given, not through
 * `Headers` (which throws a bare TypeError on a CR or LF): the core refuses a bad one, naming it.
 * @param {HeadersInit | undefined} init @returns {[string, string][]}
 */
function headerPairs(init) {
  if (init === undefined || init === null) return [];
  if (init instanceof Headers) return [...init];
  const entries = Array.isArray(init) ? init : Object.entries(init);
  return entries.map((pair) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new KubeopenError("InvalidArgument", "init.headers entries must be [name, value] pairs");
    return [str(pair[0], "a header name"), str(pair[1], `header ${pair[0]}`)];
  });
}

/** fetch's method normalisation: these six are upper-cased, others kept as given. @param {string} method */
function normalizeMethod(method) {
  const upper = method.toUpperCase();
  return ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"].includes(upper) ? upper : method;
}

/**
 * The response body: de-chunked by the core, decoded here when gzip or deflate.
 * @param {ReadableStream<Uint8Array>} body @param {Headers} headers
 */
function decoded(body, headers) {
  const encoding = (headers.get("Content-Encoding") ?? "").trim().toLowerCase();
  const format = encoding === "gzip" || encoding === "x-gzip" ? "gzip" : encoding === "deflate" ? "deflate" : undefined;
  if (format === undefined) return body;
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  return body.pipeThrough(/** @type {TransformStream<Uint8Array, Uint8Array>} */ (/** @type {unknown} */ (new DecompressionStream(format))));
}

/**
 * `Cluster.tunnelFetch(target, path, init)`.
 * @param {TunnelContext} ctx @param {unknown} target @param {unknown} path @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
export async function tunnelFetch(ctx, target, path, init) {
  if (typeof target !== "object" || target === null) throw new KubeopenError("InvalidArgument", "target must be an object");
  const t = /** @type {Record<string, unknown>} */ (target);
  const kind = t.kind === undefined ? "service" : str(t.kind, "target.kind");
  // A missing namespace is the core's to refuse (InvalidTarget), with a node's kind.
  const namespace = t.namespace === undefined ? "" : str(t.namespace, "target.namespace");
  const name = str(t.name, "target.name");
  const port = portString(t.port, "target.port");
  if (t.scheme === "https") throw new KubeopenError("InvalidTarget", "a tunnel carries plain HTTP: an https backend cannot be reached through it");
  const signal = checkSignal(init?.signal);
  await ready();
  const method = normalizeMethod(init?.method ?? "GET");
  const headers = headerPairs(init?.headers);
  /** @type {Uint8Array | undefined} */
  let body;
  if (init?.body !== undefined && init.body !== null) {
    if (method === "GET" || method === "HEAD") throw new KubeopenError("InvalidArgument", `a ${method} request cannot have a body`);
    // Any BodyInit (string, FormData, Blob, stream…), read the way fetch would send it.
    const wrapped = new Response(init.body);
    body = new Uint8Array(await wrapped.arrayBuffer());
    const type = wrapped.headers.get("Content-Type");
    if (type !== null && !headers.some(([n]) => n.toLowerCase() === "content-type")) headers.push(["content-type", type]);
  }
  const to = await resolve(ctx, kind, namespace, name, port, signal);
  const flat = headers.flat();
  const head = tun.__tunnelRequest(kind, namespace, name, port, str(path ?? "", "path"), to.port, method, flat, body?.length);
  const ws = await openSocket(ctx, namespace, to.pod, to.port, signal);
  const channel = new tun.__PortForwardChannel(ws.protocol, to.port);
  const parser = new tun.__TunnelResponse(method === "HEAD");
  const what = `the tunnelled ${method} ${str(path ?? "", "path") || "/"} to ${namespace}/${to.pod}:${to.port}`;

  return new Promise((resolveResponse, rejectResponse) => {
    /** @type {ReadableStreamDefaultController<Uint8Array> | undefined} */
    let bodyController;
    let answered = false;
    let finished = false;
    let errorText = "";
    const timer = setTimeout(() => fail(new KubeopenError("Timeout", `no answer to ${what} within ${ctx.timeout} ms`, { timeout: ctx.timeout })), ctx.timeout);
    const onAbort = () => fail(aborted(what, /** @type {AbortSignal} */ (signal)));
    signal?.addEventListener("abort", onAbort, { once: true });
    const cleanUp = () => {
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      // One request per socket: close as soon as the body is complete (the pod's side may wait ~1 s).
      if (ws.readyState <= 1) ws.close();
    };
    /** @param {unknown} error */
    function fail(error) {
      if (finished) return;
      cleanUp();
      if (!answered) rejectResponse(error);
      else bodyController?.error(error);
    }
    /** @param {unknown[]} events */
    const handle = (events) => {
      for (const event of events) {
        if (Array.isArray(event)) {
          const response = respond(/** @type {[number, string, ...string[]]} */ (event));
          clearTimeout(timer);
          answered = true;
          resolveResponse(response);
        } else if (event === true) {
          cleanUp();
          bodyController?.close();
          return;
        } else {
          bodyController?.enqueue(/** @type {Uint8Array} */ (event));
        }
      }
    };
    /** The head, as the core hands it: `[status, statusText, name, value, …]`. @param {[number, string, ...string[]]} head */
    const respond = ([status, statusText, ...fields]) => {
      if (status < 200 || status > 599) {
        throw new KubeopenError("InvalidResponse", `${what} answered status ${status}, which a Response cannot carry`, { status });
      }
      const responseHeaders = new Headers();
      for (let i = 0; i < fields.length; i += 2) responseHeaders.append(fields[i], fields[i + 1]);
      const nullBody = method === "HEAD" || [204, 205, 304].includes(status);
      const stream = new ReadableStream({
        start(controller) {
          bodyController = controller;
        },
        cancel() {
          cleanUp();
        },
      });
      const responseBody = nullBody ? null : decoded(stream, responseHeaders);
      return new Response(responseBody, { status, statusText, headers: responseHeaders });
    };
    listen(ws, channel, {
      data: (bytes) => {
        if (finished) return;
        try {
          handle(parser.push(bytes));
        } catch (error) {
          fail(error);
        }
      },
      error: (text) => (errorText += text),
      violation: (error) => fail(error),
      close: () => {
        if (finished) return;
        if (errorText) {
          fail(new KubeopenError("Network", `${what} failed: ${errorText.trim()}`, { portForwardError: errorText }));
          return;
        }
        try {
          handle(parser.finish());
          fail(new KubeopenError("Network", `${what}: the connection closed early`));
        } catch (error) {
          fail(error);
        }
      },
    });
    send(ws, channel, head);
    if (body !== undefined && body.length > 0) send(ws, channel, body);
  });
}
