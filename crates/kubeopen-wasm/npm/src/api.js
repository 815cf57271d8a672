// The package's public JavaScript API, over the wasm-bindgen glue. Conversion and wiring only:
// every rule lives in the Rust core. Entry points (index.js, node.mjs, manual.js) initialise the
// wasm, call `attach()`, and re-export this module.
import {
  __registerErrorClass,
  __takeError,
  __exchange,
  __memory,
  __proxyPath,
  __proxyUrl,
  __parseProxyUrl,
  __parseProxyUrlSpans,
  __resolveAddress,
  __resolveAddressSpans,
  __rewriteUrl,
  __rewriteLocation,
  __rewriteSrcset,
  __rewriteCss,
  __rewriteHtml,
  __HtmlRewriter,
  __browserRules,
  parseSegment as glueParseSegment,
  formatSegment as glueFormatSegment,
  version as glueVersion,
} from "../dist/kubeopen.js";
import { KubeopenError, assertLoaded, loaded } from "./errors.js";

export { KubeopenError };

// Hot functions cross into wasm as one `\0`-joined string and come back the same way (or, for
// `parseProxyUrl` and `resolveAddress`, as positions in that string: see "Spans" below): reading
// a JS object field by field from wasm costs several times the whole budget (crates/kubeopen-wasm/
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
// Node's Buffer reads an ASCII answer as Latin-1 several times faster than TextDecoder decodes
// it; elsewhere (browsers) TextDecoder does it all.
const NodeBuffer = /** @type {any} */ (globalThis).Buffer;
/** The exchange buffer as a Node Buffer, when there is one. @type {any} */
let exchangeBuffer = null;
/** Set in a packed answer's length when the answer is ASCII (packed.rs, `ASCII_ANSWER`). */
const ASCII_ANSWER = 0x80000000;
/** What an exchange export returns when it failed; `__takeError()` is the error (packed.rs). */
const FAILED = 0xffffffff;

/** Points `exchangeBytes` at a buffer of at least `length` bytes. @param {number} length */
function reserve(length) {
  if (length > exchangeLength || exchangeBytes.byteLength === 0) remap(length);
}

/** `reserve`'s slow path: the first call (before which the wasm must be there), growth. @param {number} length */
function remap(length) {
  assertLoaded("url");
  if (length > exchangeLength) {
    exchangeAt = __exchange(length);
    exchangeLength = length;
    exchangeBytes = new Uint8Array(0);
  }
  // Growing wasm memory detaches the old ArrayBuffer, which then has no bytes.
  if (exchangeBytes.byteLength === 0) {
    memory ??= /** @type {WebAssembly.Memory} */ (__memory());
    exchangeBytes = new Uint8Array(memory.buffer, exchangeAt, exchangeLength);
    if (typeof NodeBuffer?.from === "function") exchangeBuffer = NodeBuffer.from(memory.buffer, exchangeAt, exchangeLength);
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
  const answer = exported(written);
  if (answer === FAILED) throw __takeError();
  const ascii = answer >= ASCII_ANSWER;
  const length = ascii ? answer - ASCII_ANSWER : answer;
  reserve(length);
  if (ascii && exchangeBuffer !== null) return exchangeBuffer.toString("latin1", 0, length);
  return decoder.decode(exchangeBytes.subarray(0, length));
}

// Spans (crates/kubeopen-wasm/src/packed.rs, `Spans`): for an ASCII call, `parseProxyUrl` and
// `resolveAddress` answer with where each field is in the call, as u32 words, and the fields are
// taken with `slice` from the string already here — no decoding, no splitting. Only fields that
// are not the call's text as written come back as text.
/** The whole wasm memory as u32 words; empty until first use and after wasm memory grows. */
let exchangeWords = new Uint32Array(0);
const SPAN_WORDS = 17;
const SPAN_TEXT = 0x80000000;
const SPAN_NONE = 0xffffffff;
const KINDS = ["", "service", "pod", "node"];
const SCHEMES = ["", "http", "https"];

/**
 * Calls a spans export; returns the index in `exchangeWords` of the answer's first word, or -1
 * when `packed` is not ASCII (byte offsets would not be string offsets: use the text export).
 * @param {(length: number) => number} exported @param {string} packed
 */
function callSpans(exported, packed) {
  reserve(packed.length * 3);
  const { read, written } = encoder.encodeInto(packed, exchangeBytes);
  if (read !== written) return -1;
  const length = exported(written);
  if (length === FAILED) throw __takeError();
  reserve(length);
  if (exchangeWords.length === 0) exchangeWords = new Uint32Array(/** @type {WebAssembly.Memory} */ (memory).buffer);
  // The answer starts at the first 4-aligned address of the exchange buffer.
  return (exchangeAt + 3) >>> 2;
}

/**
 * The field whose two words are at `exchangeWords[i]`: a piece of `packed`, text after the
 * answer's words, or null. @param {string} packed @param {number} w @param {number} i
 */
function spanField(packed, w, i) {
  const a = exchangeWords[i];
  const b = exchangeWords[i + 1];
  if (a === SPAN_NONE) return null;
  if (a < SPAN_TEXT) return packed.slice(a, b);
  const text = w * 4 - exchangeAt + SPAN_WORDS * 4;
  return decoder.decode(exchangeBytes.subarray(text + (a - SPAN_TEXT), text + b));
}

/** The target of a spans answer at `w`. @param {string} packed @param {number} w */
function spanTarget(packed, w) {
  const kind = KINDS[exchangeWords[w]];
  const scheme = SCHEMES[exchangeWords[w + 1]];
  const n = exchangeWords[w + 2];
  const port = n === 0 ? (spanField(packed, w, w + 7) ?? "") : String(n);
  const name = /** @type {string} */ (spanField(packed, w, w + 5));
  return kind === "node"
    ? { kind, name, scheme, port }
    : { kind, namespace: /** @type {string} */ (spanField(packed, w, w + 3)), name, scheme, port };
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

// The glue's own exports, behind the check that the wasm is there (the packed calls check in
// `remap`, off their hot path).
/** @param {string} id */
export function parseSegment(id) {
  assertLoaded("url");
  return glueParseSegment(id);
}

/** @param {import("../dist/kubeopen.js").SegmentInput} segment */
export function formatSegment(segment) {
  assertLoaded("url");
  return glueFormatSegment(segment);
}

export function version() {
  assertLoaded("url");
  return glueVersion();
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
  const s = text(url, "url");
  const w = callSpans(__parseProxyUrlSpans, s);
  if (w < 0) return parseProxyUrlText(s);
  if (exchangeWords[w] === 0) return null;
  const target = spanTarget(s, w);
  return {
    server: /** @type {string} */ (spanField(s, w, w + 9)),
    target,
    path: /** @type {string} */ (spanField(s, w, w + 11)),
    query: spanField(s, w, w + 13),
    fragment: spanField(s, w, w + 15),
  };
}

/** `parseProxyUrl` for a call that is not ASCII. @param {string} url */
function parseProxyUrlText(url) {
  const packed = call(__parseProxyUrl, url);
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
  const w = callSpans(__resolveAddressSpans, packed);
  if (w >= 0) {
    const target = spanTarget(packed, w);
    return {
      target,
      path: /** @type {string} */ (spanField(packed, w, w + 11)),
      query: spanField(packed, w, w + 13),
      fragment: spanField(packed, w, w + 15),
      server: spanField(packed, w, w + 9),
    };
  }
  const f = new Fields(call(__resolveAddress, packed));
  const target = f.target();
  return { target, path: f.next(), query: f.optional(), fragment: f.optional(), server: f.optional() };
}

/** Wires the JavaScript side into a freshly instantiated wasm module. */
export function attach() {
  __registerErrorClass(KubeopenError);
  loaded.url = true;
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
  assertLoaded("url");
  return __rewriteUrl(packContext(ctx) + NUL + text(url, "url"));
}

/** @param {string} location @param {unknown} ctx */
export function rewriteLocation(location, ctx) {
  assertLoaded("url");
  return __rewriteLocation(packContext(ctx) + NUL + text(location, "location"));
}

/** @param {string} value @param {unknown} ctx */
export function rewriteSrcset(value, ctx) {
  assertLoaded("url");
  return __rewriteSrcset(packContext(ctx) + NUL + text(value, "value"));
}

/** @param {string} css @param {unknown} ctx */
export function rewriteCss(css, ctx) {
  assertLoaded("url");
  return __rewriteCss(packContext(ctx), text(css, "css"));
}

/** @param {string} html @param {unknown} ctx */
export function rewriteHtml(html, ctx) {
  assertLoaded("url");
  return __rewriteHtml(packContext(ctx), text(html, "html"));
}

/** The streaming HTML rewriter: chunks may be split anywhere; memory stays bounded. */
export class HtmlRewriter {
  /** @param {unknown} ctx @param {{ charset?: string }} [options] */
  constructor(ctx, options) {
    assertLoaded("url");
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
  assertLoaded("url");
  if (typeof input !== "object" || input === null) throw new KubeopenError("InvalidArgument", "input must be an object");
  const o = /** @type {Record<string, unknown>} */ (input);
  return JSON.parse(
    __browserRules(
      text(o.server, "input.server") + NUL + packTarget(o.target) + NUL + text(o.tabId, "input.tabId", true) + NUL +
        text(o.token, "input.token") + NUL + text(o.username, "input.username") + NUL + text(o.password, "input.password") +
        NUL + text(o.firstRuleId, "input.firstRuleId", true),
    ),
  );
}
