// The package's public JavaScript API, over the wasm-bindgen glue. Conversion and wiring only:
// every rule lives in the Rust core. Entry points (index.js, node.mjs, manual.js) initialise the
// wasm, call `attach()`, and re-export this module.
import {
  __registerErrorClass,
  __exchange,
  __memory,
  __proxyPath,
  __proxyUrl,
  __parseProxyUrl,
  __resolveAddress,
  __rewriteUrl,
  __rewriteLocation,
  __rewriteCss,
  __rewriteHtml,
  __HtmlRewriter,
  __browserRules,
} from "./dist/kubeopen.js";

export { parseSegment, formatSegment, version } from "./dist/kubeopen.js";

// Hot functions cross into wasm as one `\0`-joined string and come back the same way: reading a
// JS object field by field from wasm costs several times the whole budget (crates/kubeopen-wasm/
// src/packed.rs). Only type checks and joining happen here; every rule is in the Rust core, which
// also refuses a NUL inside a field (it would change the field count).
const NUL = "\0";

// The exchange buffer (crates/kubeopen-wasm/src/packed.rs): the packed call is written into wasm
// memory with `encodeInto` and the answer read back from the same place, instead of
// wasm-bindgen's per-call allocation and character-by-character copy.
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
/** @type {WebAssembly.Memory | undefined} */ let memory;
let exchangeAt = 0;
let exchangeLength = 0;
/** The exchange buffer as bytes; empty until first use and after wasm memory grows. */
let exchangeBytes = new Uint8Array(0);

/** Points `exchangeBytes` at a buffer of at least `length` bytes. @param {number} length */
function reserve(length) {
  if (length > exchangeLength) {
    exchangeAt = __exchange(length);
    exchangeLength = length;
    exchangeBytes = new Uint8Array(0);
  }
  // Growing wasm memory detaches the old ArrayBuffer, which then has no bytes.
  if (exchangeBytes.byteLength === 0) {
    memory ??= /** @type {WebAssembly.Memory} */ (__memory());
    exchangeBytes = new Uint8Array(memory.buffer, exchangeAt, exchangeLength);
  }
}

/**
 * Calls a packed export: `packed` in, the packed answer out.
 * @param {(length: number) => number} exported @param {string} packed
 */
function call(exported, packed) {
  // UTF-8 needs at most 3 bytes per UTF-16 unit.
  reserve(packed.length * 3);
  const { written } = encoder.encodeInto(packed, exchangeBytes);
  const length = exported(written);
  reserve(length);
  return decoder.decode(exchangeBytes.subarray(0, length));
}

/**
 * A string field, `""` for undefined/null; numbers only where `numeric` (ports).
 * @param {unknown} value @param {string} what @param {boolean} [numeric]
 */
function text(value, what, numeric = false) {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  if (numeric && typeof value === "number") return String(value);
  throw new KubeopenError("InvalidArgument", `${what} must be a string${numeric ? " or a number" : ""}, got ${typeof value}`);
}

/**
 * The target's fields, `\0`-joined: kind, namespace, name, scheme, port.
 * @param {unknown} t
 */
function packTarget(t) {
  if (typeof t !== "object" || t === null) throw new KubeopenError("InvalidArgument", "target must be an object");
  const o = /** @type {Record<string, unknown>} */ (t);
  return (
    text(o.kind, "target.kind") + NUL + text(o.namespace, "target.namespace") + NUL + text(o.name, "target.name") +
    NUL + text(o.scheme, "target.scheme") + NUL + text(o.port, "target.port", true)
  );
}

/**
 * The query mode and its fields: `""`, `"r"` and the raw query, or `"p"` and keys and values.
 * @param {unknown} query
 */
function packQuery(query) {
  if (query === undefined || query === null) return "";
  if (typeof query === "string") return "r" + NUL + query;
  if (typeof query !== "object") throw new KubeopenError("InvalidArgument", "query must be a string or an object");
  let out = "p";
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      out += NUL + key + NUL + text(v, `query[${JSON.stringify(key)}]`, true);
    }
  }
  return out;
}

/**
 * Reads a packed answer field by field. `indexOf` + `slice` rather than `split`: split is a
 * runtime call that builds an array, and costs more than the rest of the unpacking together.
 */
class Fields {
  /** @param {string} packed */
  constructor(packed) {
    this.packed = packed;
    this.at = 0;
  }

  /** The next field (the last one runs to the end). */
  next() {
    const end = this.packed.indexOf(NUL, this.at);
    const field = end < 0 ? this.packed.slice(this.at) : this.packed.slice(this.at, end);
    this.at = end < 0 ? this.packed.length : end + 1;
    return field;
  }

  /** An optional field: `""` is none; `"=value"` is value. */
  optional() {
    const field = this.next();
    return field === "" ? null : field.slice(1);
  }

  /** Kind, namespace, name, scheme, port. */
  target() {
    const kind = this.next();
    const namespace = this.next();
    const name = this.next();
    const scheme = this.next();
    const port = this.next();
    return kind === "node" ? { kind, name, scheme, port } : { kind, namespace, name, scheme, port };
  }
}

/** @param {unknown} target */
export function proxyPath(target) {
  return call(__proxyPath, packTarget(target));
}

/** @param {string} server @param {unknown} target @param {string} [path] @param {unknown} [query] */
export function proxyUrl(server, target, path, query) {
  return call(
    __proxyUrl,
    text(server, "server") + NUL + packTarget(target) + NUL + text(path, "path") + NUL + packQuery(query),
  );
}

/** @param {string} url */
export function parseProxyUrl(url) {
  const packed = call(__parseProxyUrl, text(url, "url"));
  if (packed === "") return null;
  const f = new Fields(packed);
  const server = f.next();
  const target = f.target();
  return { server, target, path: f.next(), query: f.optional(), fragment: f.optional() };
}

/** @param {string} input @param {{ namespace?: string, clusterDomain?: string }} [options] */
export function resolveAddress(input, options) {
  const o = options ?? {};
  const packed =
    text(input, "input") + NUL + text(o.namespace, "options.namespace") + NUL + text(o.clusterDomain, "options.clusterDomain");
  const f = new Fields(call(__resolveAddress, packed));
  const target = f.target();
  return { target, path: f.next(), query: f.optional(), fragment: f.optional(), server: f.optional() };
}

/** What every kubeopen function throws: a stable `code`, a message, sometimes a `detail`. */
export class KubeopenError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [detail]
   */
  constructor(code, message, detail) {
    super(message);
    this.name = "KubeopenError";
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
}

/** Wires the JavaScript side into a freshly instantiated wasm module. */
export function attach() {
  __registerErrorClass(KubeopenError);
}

/** @param {unknown} ctx */
function packContext(ctx) {
  if (typeof ctx !== "object" || ctx === null) throw new KubeopenError("InvalidArgument", "ctx must be an object");
  const o = /** @type {Record<string, unknown>} */ (ctx);
  return (
    text(o.server, "ctx.server") + NUL + packTarget(o.target) + NUL + text(o.page, "ctx.page") + NUL +
    text(o.clusterDomain, "ctx.clusterDomain")
  );
}

/** @param {string} url @param {unknown} ctx */
export function rewriteUrl(url, ctx) {
  return __rewriteUrl(packContext(ctx) + NUL + text(url, "url"));
}

/** @param {string} location @param {unknown} ctx */
export function rewriteLocation(location, ctx) {
  return __rewriteLocation(packContext(ctx) + NUL + text(location, "location"));
}

/** @param {string} css @param {unknown} ctx */
export function rewriteCss(css, ctx) {
  return __rewriteCss(packContext(ctx), text(css, "css"));
}

/** @param {string} html @param {unknown} ctx */
export function rewriteHtml(html, ctx) {
  return __rewriteHtml(packContext(ctx), text(html, "html"));
}

/** The streaming HTML rewriter: chunks may be split anywhere; memory stays bounded. */
export class HtmlRewriter {
  /** @param {unknown} ctx @param {{ charset?: string }} [options] */
  constructor(ctx, options) {
    this.inner = new __HtmlRewriter(packContext(ctx), text(options?.charset, "options.charset"));
  }

  /** @param {Uint8Array} chunk @returns {Uint8Array} */
  write(chunk) {
    if (!(chunk instanceof Uint8Array)) throw new KubeopenError("InvalidArgument", "chunk must be a Uint8Array");
    return this.inner.write(chunk);
  }

  /** @returns {Uint8Array} */
  end() {
    return this.inner.end();
  }

  free() {
    this.inner.free();
  }
}

/** @param {unknown} input */
export function browserRules(input) {
  if (typeof input !== "object" || input === null) throw new KubeopenError("InvalidArgument", "input must be an object");
  const o = /** @type {Record<string, unknown>} */ (input);
  return JSON.parse(
    __browserRules(
      text(o.server, "input.server") + NUL + packTarget(o.target) + NUL + text(o.tabId, "input.tabId", true) + NUL +
        text(o.token, "input.token") + NUL + text(o.firstRuleId, "input.firstRuleId", true),
    ),
  );
}
