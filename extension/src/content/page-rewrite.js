// @ts-check
// The page world's URL rewrite: a JavaScript copy of the core's `rewrite_url`
// (crates/kubeopen/src/rewrite/url.rs and the modules it uses), kept because the page-world
// script must answer synchronously, before the page's own scripts run, where the page's CSP may
// forbid wasm. It is the one sanctioned piece of URL logic outside the core, and it is tested
// against the core's own case list (tests/url-cases.json) in a real page
// (tests/e2e/content-rewrite.test.mjs), so the two cannot drift apart unnoticed.
//
// A classic script (world MAIN scripts cannot be modules): it hands its functions to page.js,
// which the build appends to it in one minified file (extension/build.mjs) and which removes the
// handle in the same synchronous run, before any page script exists.
(function () {
  /**
   * @typedef {{ kind: "service" | "pod" | "node", namespace?: string, name: string,
   *   scheme?: string, port?: string | number }} TargetInput
   * @typedef {{ kind: "service" | "pod" | "node", namespace: string | undefined, name: string,
   *   scheme: string, port: string }} PageTarget
   * @typedef {{ https: boolean, host: string, port: number, authority: string, basePath: string }} PageServer
   * @typedef {{ https: boolean, prefix: string, dir: string, depth: number }} PagePlace
   * @typedef {{ server: PageServer, target: PageTarget, prefix: string, page: PagePlace | null,
   *   clusterDomain: string }} PageContext
   * @typedef {{ scheme: string | null, lead: string, authority: string, host: string,
   *   port: string | null, path: string, rest: string }} Absolute
   */

  const WEB_SCHEMES = ["http", "https", "ws", "wss"];
  /** The browser's URL parser as it was before any page script ran. */
  const NativeURL = URL;
  /** RFC 3986 `pchar` bytes other than alphanumerics: what a path segment keeps literally. */
  const PCHAR_MARKS = "-._~!$&'()*+,;=:@";
  const encoder = new TextEncoder();

  /** @param {string} c */
  const isSlash = (c) => c === "/" || c === "\\";
  /** @param {boolean} https */
  const defaultPort = (https) => (https ? 443 : 80);
  /** @param {string} scheme */
  const isSecure = (scheme) => scheme === "https" || scheme === "wss";

  /** `.` or `%2e`. @param {string} s */
  const isSingleDot = (s) => s === "." || s.toLowerCase() === "%2e";
  /** `..`, `.%2e`, `%2e.`, `%2e%2e`. @param {string} s */
  const isDoubleDot = (s) => {
    const l = s.toLowerCase();
    return l === ".." || l === ".%2e" || l === "%2e." || l === "%2e%2e";
  };

  /** The port number of an all-digit string (1–65535, leading zeros allowed), else null. @param {string} p */
  function portNumber(p) {
    if (!/^[0-9]+$/.test(p)) return null;
    const significant = p.replace(/^0+/, "");
    if (significant.length > 5) return null;
    const n = Number(significant || "0");
    return n >= 1 && n <= 65535 ? n : null;
  }

  /** A port as the core compares it: numbers without leading zeros, names as they are. @param {string | number | undefined} p */
  function normalPort(p) {
    if (p === undefined || p === "") return "";
    const s = String(p);
    const n = portNumber(s);
    return n === null ? s : String(n);
  }

  /** Appends one path segment percent-encoded for a path (valid `%XX` kept). @param {string} segment */
  function encodeSegment(segment) {
    let out = "";
    for (let i = 0; i < segment.length; i++) {
      const c = segment[i];
      if (/[A-Za-z0-9]/.test(c) || PCHAR_MARKS.includes(c)) out += c;
      else if (c === "%" && /^[0-9A-Fa-f]{2}$/.test(segment.slice(i + 1, i + 3))) out += c;
      else {
        const code = segment.codePointAt(i) ?? 0;
        const char = String.fromCodePoint(code);
        if (char.length === 2) i++;
        for (const b of encoder.encode(char)) out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
      }
    }
    return out;
  }

  /**
   * `path` made safe to append below a prefix ending with `/` (the core's `push_confined_path`):
   * `/`, `\`, `%2F`, `%5C` all separate, empty segments go, dot segments in every spelling are
   * resolved and can never remove the prefix.
   * @param {string} path
   */
  function confine(path) {
    /** @type {string[]} */
    const kept = [];
    let endsPlain = false;
    for (const segment of path.split(/\/|\\|%2[fF]|%5[cC]/)) {
      endsPlain = !(segment === "" || isSingleDot(segment) || isDoubleDot(segment));
      if (endsPlain) kept.push(encodeSegment(segment));
      else if (isDoubleDot(segment)) kept.pop();
    }
    const joined = kept.map((s) => s + "/").join("");
    return endsPlain ? joined.slice(0, -1) : joined;
  }

  /** The path a browser makes of `path`: `\` as `/`, dot segments resolved at the root. @param {string} path */
  function resolveLikeBrowser(path) {
    if (!path.includes("\\") && !path.split("/").some((s) => isSingleDot(s) || isDoubleDot(s))) return path;
    /** @type {string[]} */
    const segments = [];
    let endsWithDot = false;
    for (const segment of path.split(/[/\\]/).slice(1)) {
      endsWithDot = isDoubleDot(segment) || isSingleDot(segment);
      if (isDoubleDot(segment)) segments.pop();
      else if (!endsWithDot) segments.push(segment);
    }
    let out = segments.map((s) => "/" + s).join("");
    if (endsWithDot || out === "") out += "/";
    return out;
  }

  /**
   * The length of `basePath` + a proxy path of any target at the start of `path` (with its `/`),
   * or null: the shape is checked, not the names, like the browser rules' allow rule.
   * @param {string} path @param {string} basePath
   */
  function proxyPrefixLen(path, basePath) {
    if (!path.startsWith(basePath + "/api/v1/")) return null;
    const segments = path.slice(basePath.length + "/api/v1/".length).split("/");
    const wanted = segments[0] === "namespaces" ? 4 : segments[0] === "nodes" ? 2 : -1;
    if (wanted < 0 || segments.length <= wanted) return null;
    if (segments.slice(0, wanted).some((s) => s === "")) return null;
    if (wanted === 4 && segments[2] !== "services" && segments[2] !== "pods") return null;
    if (segments[wanted] !== "proxy") return null;
    const used = basePath.length + "/api/v1/".length + segments.slice(0, wanted + 1).join("/").length + 1;
    return Math.min(used, path.length);
  }

  /** @param {string} path @param {PageContext} ctx */
  const isInProxyPrefix = (path, ctx) => proxyPrefixLen(resolveLikeBrowser(path || "/"), ctx.server.basePath) !== null;

  /** @param {string} s @returns {[string, string]} */
  function splitRest(s) {
    const at = s.search(/[?#]/);
    return at < 0 ? [s, ""] : [s.slice(0, at), s.slice(at)];
  }

  /**
   * The authority after `scheme:` (or from the start for `//`).
   * @param {string} url @param {string | null} scheme @param {number} afterScheme
   * @returns {Absolute | null}
   */
  function absolute(url, scheme, afterScheme) {
    let start = afterScheme;
    while (start < url.length && isSlash(url[start])) start++;
    const found = url.slice(start).search(/[/\\?#]/);
    const end = found < 0 ? url.length : start + found;
    const authority = url.slice(start, end);
    const hostPort = authority.includes("@") ? authority.slice(authority.lastIndexOf("@") + 1) : authority;
    let host;
    /** @type {string | null} */
    let port = null;
    if (hostPort.startsWith("[")) {
      const close = hostPort.indexOf("]");
      if (close < 0) return null;
      const after = hostPort.slice(close + 1);
      host = hostPort.slice(0, close + 1);
      if (after.startsWith(":")) port = after.slice(1);
      else if (after !== "") return null;
    } else {
      const colon = hostPort.indexOf(":");
      host = colon < 0 ? hostPort : hostPort.slice(0, colon);
      if (colon >= 0) port = hostPort.slice(colon + 1);
    }
    if (host === "") return null;
    const [path, rest] = splitRest(url.slice(end));
    return { scheme, lead: url.slice(0, start), authority, host, port, path, rest };
  }

  /**
   * The host as the browser reads it (percent-decoding, IDNA mapping, every IPv4 and IPv6 form:
   * `10.000.1` is 10.0.0.1), or null where it refuses it: the browser's own parser, which the
   * core's rewrite/host.rs follows by hand.
   * @param {string} host
   */
  function canonicalHost(host) {
    try {
      return new NativeURL(`http://${host}/`).hostname;
    } catch {
      return null;
    }
  }

  /** A host without its trailing dot, which reaches the same server. @param {string} host */
  const withoutDot = (host) => (host.endsWith(".") ? host.slice(0, -1) : host);
  /** Whether two canonical hosts are one. @param {string} a @param {string} b */
  const sameHost = (a, b) => withoutDot(a) === withoutDot(b);

  /** Whether an absolute URL names the API server (any scheme; its port). @param {Absolute} url @param {boolean} secure @param {PageContext} ctx */
  function namesServer(url, secure, ctx) {
    const host = canonicalHost(url.host);
    if (host === null || !sameHost(host, ctx.server.host)) return false;
    if (url.port === null || url.port === "") {
      return ctx.server.port === defaultPort(ctx.server.https) || ctx.server.port === defaultPort(secure);
    }
    if (!/^[0-9]+$/.test(url.port)) return false;
    const digits = url.port.replace(/^0+/, "") || "0";
    return digits.length <= 5 && Number(digits) === ctx.server.port;
  }

  const DNS1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
  const DNS1123 = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

  /**
   * The service an in-cluster host name reaches (`NAME.NS.svc[.DOMAIN]`, `NAME.NS` in the
   * target's namespace, the target's own `NAME`), or null.
   * @param {PageContext} ctx @param {string} rawHost @param {string | null} port @param {boolean} secure
   * @returns {PageTarget | null}
   */
  function clusterTarget(ctx, rawHost, port, secure) {
    const read = canonicalHost(rawHost);
    if (read === null) return null;
    const host = withoutDot(read);
    const own = ctx.target;
    let name;
    let namespace;
    const dot = host.indexOf(".");
    if (dot < 0) {
      if (own.kind !== "service" || own.name !== host || own.namespace === undefined) return null;
      [name, namespace] = [host, own.namespace];
    } else {
      name = host.slice(0, dot);
      const rest = host.slice(dot + 1);
      const dot2 = rest.indexOf(".");
      if (dot2 < 0) {
        if (rest !== own.namespace) return null;
        namespace = rest;
      } else {
        namespace = rest.slice(0, dot2);
        const tail = rest.slice(dot2 + 1);
        if (tail !== "svc" && tail !== `svc.${ctx.clusterDomain}`) return null;
      }
    }
    let explicit = null;
    if (port !== null && port !== "") {
      explicit = portNumber(port);
      if (explicit === null) return null;
    }
    if (own.kind === "service" && own.name === name && own.namespace === namespace) {
      const ownNumber = portNumber(own.port);
      if (explicit === null || ownNumber === explicit) return own;
    }
    if (!DNS1035.test(name) || !DNS1123.test(namespace)) return null;
    const number = explicit ?? defaultPort(secure);
    return { kind: "service", namespace, name, scheme: secure ? "https" : "", port: String(number) };
  }

  /** @param {PageTarget} a @param {PageTarget} b */
  const sameTarget = (a, b) =>
    a.kind === b.kind && a.namespace === b.namespace && a.name === b.name && a.scheme === b.scheme && a.port === b.port;

  /** `[scheme:]name[:port]`, as Kubernetes' JoinSchemeNamePort. @param {PageTarget} t */
  function segmentOf(t) {
    if (t.scheme) return `${t.scheme}:${t.name}:${t.port}`;
    return t.port ? `${t.name}:${t.port}` : t.name;
  }

  /** @param {PageTarget} t */
  function proxyPath(t) {
    const head = t.namespace === undefined ? "/api/v1/" : `/api/v1/namespaces/${t.namespace}/`;
    return `${head}${t.kind}s/${segmentOf(t)}/proxy/`;
  }

  /** @param {PageContext} ctx @param {boolean} websocket */
  function origin(ctx, websocket) {
    const scheme = websocket ? (ctx.server.https ? "wss" : "ws") : ctx.server.https ? "https" : "http";
    return `${scheme}://${ctx.server.authority}`;
  }

  /** @param {string} path @param {string} rest @param {PageContext} ctx */
  function rewriteRelative(path, rest, ctx) {
    const page = ctx.page;
    if (!page) return null;
    let depth = page.depth;
    const segments = path.split(/[/\\]/);
    let escapes = false;
    for (let i = 0; i < segments.length; i++) {
      if (isDoubleDot(segments[i])) {
        if (depth === 0) {
          escapes = true;
          break;
        }
        depth--;
      } else if (!isSingleDot(segments[i]) && i < segments.length - 1) depth++;
    }
    return escapes ? page.prefix + confine(page.dir + path) + rest : null;
  }

  /** @param {Absolute} url @param {PageContext} ctx */
  function rewriteAbsolute(url, ctx) {
    const websocket = url.scheme === "ws" || url.scheme === "wss";
    const secure = url.scheme === null ? (ctx.page ? ctx.page.https : ctx.server.https) : isSecure(url.scheme);
    if (namesServer(url, secure, ctx)) {
      const path = url.path || "/";
      const inside = isInProxyPrefix(path, ctx);
      // Apps build absolute URLs from the Host header, usually with `http`: use the server's scheme.
      const schemeOk = url.scheme === null || isSecure(url.scheme) === ctx.server.https;
      if (inside && schemeOk) return null;
      const lead = url.scheme === null ? url.lead : origin(ctx, websocket).slice(0, -ctx.server.authority.length);
      return lead + url.authority + (inside ? path : ctx.prefix + confine(path)) + url.rest;
    }
    const target = clusterTarget(ctx, url.host, url.port, secure);
    if (!target) return null;
    const prefix = sameTarget(target, ctx.target) ? ctx.prefix : ctx.server.basePath + proxyPath(target);
    return origin(ctx, websocket) + prefix + confine(url.path) + url.rest;
  }

  /** @param {string} url (trimmed, no tabs or newlines) @param {PageContext} ctx */
  function rewriteClean(url, ctx) {
    const first = url[0];
    if (first === undefined || first === "#" || first === "?") return null;
    if (isSlash(first)) {
      if (url.length > 1 && isSlash(url[1])) {
        const abs = absolute(url, null, 0);
        return abs && rewriteAbsolute(abs, ctx);
      }
      const [path, rest] = splitRest(url);
      return isInProxyPrefix(path, ctx) ? null : ctx.prefix + confine(path) + rest;
    }
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(url);
    if (!scheme) {
      const [path, rest] = splitRest(url);
      return rewriteRelative(path, rest, ctx);
    }
    const name = scheme[0].slice(0, -1).toLowerCase();
    const len = name.length;
    if (!WEB_SCHEMES.includes(name)) return null;
    const pageHttps = ctx.page ? ctx.page.https : ctx.server.https;
    const slashes = url.length > len + 2 && isSlash(url[len + 1]) && isSlash(url[len + 2]);
    // The page's own scheme without `//` (`https:/x`, `https:x`) is a reference on the page's origin.
    if ((name === "http" || name === "https") && isSecure(name) === pageHttps && !slashes) {
      const after = url.slice(len + 1);
      const [path, rest] = splitRest(after);
      if (after.startsWith("/") || after.startsWith("\\")) {
        return isInProxyPrefix(path, ctx) ? null : ctx.prefix + confine(path) + rest;
      }
      if (after === "" || after.startsWith("?") || after.startsWith("#")) return null;
      return rewriteRelative(path, rest, ctx);
    }
    const abs = absolute(url, name, len + 1);
    return abs && rewriteAbsolute(abs, ctx);
  }

  /**
   * Keeps `url` inside the context's proxy prefix (see the core's `rewrite_url`): unchanged URLs
   * come back as given.
   * @param {string} url @param {PageContext} ctx
   */
  function rewriteUrl(url, ctx) {
    let s = url.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
    if (/[\t\n\r]/.test(s)) s = s.replace(/[\t\n\r]/g, "");
    const out = rewriteClean(s, ctx);
    return out === null ? url : out;
  }

  /**
   * Where a page at `pageUrl` is: inside which proxy prefix, in which directory below it.
   * @param {PageServer} server @param {string} pageUrl
   * @returns {PagePlace | null}
   */
  function placeOf(server, pageUrl) {
    const page = new NativeURL(pageUrl);
    const https = page.protocol === "https:";
    const port = page.port ? Number(page.port) : defaultPort(https);
    if (page.hostname.toLowerCase() !== server.host || port !== server.port) return null;
    const resolved = resolveLikeBrowser(page.pathname || "/");
    const len = proxyPrefixLen(resolved, server.basePath);
    if (len === null) return null;
    let prefix = resolved.slice(0, len);
    if (!prefix.endsWith("/")) prefix += "/";
    let below = resolved.slice(len);
    if (below.startsWith("/")) below = below.slice(1);
    const dir = below.slice(0, below.lastIndexOf("/") + 1);
    return { https, prefix, dir, depth: dir.split("/").length - 1 };
  }

  /** @param {string} serverUrl @returns {PageServer} */
  function serverOf(serverUrl) {
    const u = new NativeURL(serverUrl);
    const https = u.protocol === "https:";
    const host = u.hostname.toLowerCase();
    return {
      https,
      host,
      port: u.port ? Number(u.port) : defaultPort(https),
      authority: u.port ? `${host}:${u.port}` : host,
      basePath: u.pathname.replace(/\/+$/, ""),
    };
  }

  /** @param {TargetInput} t @returns {PageTarget} */
  const targetOf = (t) => ({
    kind: t.kind,
    namespace: t.kind === "node" ? undefined : t.namespace,
    name: t.name,
    scheme: t.scheme === "https" || t.scheme === "http" ? t.scheme : "",
    port: normalPort(t.port),
  });

  /**
   * A context from a server URL and a target (as the core's RewriteContext), optionally a page.
   * @param {string} serverUrl @param {TargetInput} target @param {string | null} [pageUrl] @param {string} [clusterDomain]
   * @returns {PageContext}
   */
  function contextFor(serverUrl, target, pageUrl, clusterDomain) {
    const server = serverOf(serverUrl);
    const t = targetOf(target);
    return {
      server,
      target: t,
      prefix: server.basePath + proxyPath(t),
      page: pageUrl ? placeOf(server, pageUrl) : null,
      clusterDomain: (clusterDomain ?? "cluster.local").replace(/\.$/, "").toLowerCase(),
    };
  }

  /**
   * The context of a page shown through the API server's proxy, read from its own URL: the proxy
   * prefix in its path gives the server's base path and the target (no message needed, so it is
   * known before the page's scripts run). Null when the URL is not a proxy URL.
   * @param {string} pageUrl @param {string} [clusterDomain]
   * @returns {PageContext | null}
   */
  function contextForPage(pageUrl, clusterDomain) {
    const page = new NativeURL(pageUrl);
    if (page.protocol !== "http:" && page.protocol !== "https:") return null;
    const path = resolveLikeBrowser(page.pathname || "/");
    for (let at = path.indexOf("/api/v1/"); at >= 0; at = path.indexOf("/api/v1/", at + 1)) {
      const basePath = path.slice(0, at);
      if (proxyPrefixLen(path, basePath) === null) continue;
      const parts = path.slice(at + "/api/v1/".length).split("/");
      const namespaced = parts[0] === "namespaces";
      let segment;
      try {
        segment = decodeURIComponent(namespaced ? parts[3] : parts[1]);
      } catch {
        return null;
      }
      // Kubernetes' SplitSchemeNamePort: name | name:port | scheme:name:port.
      const pieces = segment.split(":");
      if (pieces.length > 3 || (pieces.length === 3 && pieces[0] !== "http" && pieces[0] !== "https")) return null;
      const [scheme, name, port] =
        pieces.length === 3 ? pieces : pieces.length === 2 ? ["", pieces[0], pieces[1]] : ["", pieces[0], ""];
      const kind = namespaced ? (parts[2] === "services" ? "service" : "pod") : "node";
      const target = { kind, namespace: namespaced ? parts[1] : undefined, name, scheme, port };
      const origin = `${page.protocol}//${page.host}`;
      const ctx = contextFor(origin + basePath, /** @type {TargetInput} */ (target), pageUrl, clusterDomain);
      // The prefix exactly as the page's URL spells it (`080`, `%3A` stay as they are).
      if (ctx.page) ctx.prefix = ctx.page.prefix;
      return ctx;
    }
    return null;
  }

  Object.defineProperty(globalThis, "__kubeopenPageRewrite", {
    value: Object.freeze({ rewriteUrl, contextFor, contextForPage }),
    configurable: true,
  });
})();
