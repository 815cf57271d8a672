// @ts-check
// The isolated-world link fixer of a bound tab. It rewrites the URL attributes of elements as
// they appear, so that hovering, copying and opening links in new tabs give the proxy URL, not
// the API server's root. It holds no URL logic: values go to the background in batches and the
// core rewrites them there (the page's CSP may forbid wasm here). It also tells the page-world
// script whether the tab is bound; never anything secret.
//
// The background injects it once the frame has loaded (bg/content.js, injectLinkFixer says why),
// so it starts with the whole document to scan. Injected twice into one document, it runs once.
(function () {
  const KEY = "__kubeopenLinkFixer"; // this isolated world's own global: the page cannot see it
  if (/** @type {any} */ (globalThis)[KEY]) return;
  /** @type {any} */ (globalThis)[KEY] = true;
  const ext = /** @type {typeof chrome} */ (/** @type {any} */ (globalThis).browser ?? globalThis.chrome);

  /**
   * Attributes fixed, by element. Left out on purpose: the `src` of scripts, frames and media and
   * the `href` of `<link>`, because changing them loads the resource again (the network rules
   * already brought the first load into the prefix).
   * @type {Record<string, string[]>}
   */
  const ATTRIBUTES = {
    A: ["href"],
    AREA: ["href"],
    FORM: ["action"],
    BUTTON: ["formaction"],
    INPUT: ["formaction"],
    IMG: ["src", "srcset"],
    SOURCE: ["srcset"],
    VIDEO: ["poster"],
    BLOCKQUOTE: ["cite"],
    Q: ["cite"],
    DEL: ["cite"],
    INS: ["cite"],
  };
  const SELECTOR = Object.entries(ATTRIBUTES)
    .flatMap(([tag, attrs]) => attrs.map((a) => `${tag.toLowerCase()}[${a}]`))
    .join(",");
  const ATTRIBUTE_NAMES = [...new Set(Object.values(ATTRIBUTES).flat())];
  /** Answers kept per page URL (relative URLs depend on it); cleared past this size. */
  const CACHE_LIMIT = 4000;
  /** Values per message, so one huge page does not make one huge message. */
  const BATCH_LIMIT = 500;

  /** @type {Map<string, string>} value → fixed value, for `srcset` keys prefixed with "\0". */
  const cache = new Map();
  let cachedFor = location.href;
  /** @type {{ el: Element, attribute: string, value: string }[]} */
  let pending = [];
  let scheduled = false;
  let bound = false;

  /**
   * Replaces `value` by `fixed`, unless the page has changed the attribute since.
   * @param {Element} el @param {string} attribute @param {string} value @param {string} fixed
   */
  function apply(el, attribute, value, fixed) {
    if (fixed !== value && el.getAttribute(attribute) === value) el.setAttribute(attribute, fixed);
  }

  /** @param {Element} el @param {string} attribute */
  function consider(el, attribute) {
    const value = el.getAttribute(attribute);
    if (value === null || value === "") return;
    const key = attribute === "srcset" ? "\0" + value : value;
    const known = cachedFor === location.href ? cache.get(key) : undefined;
    if (known !== undefined) {
      apply(el, attribute, value, known);
      return;
    }
    pending.push({ el, attribute, value });
    if (!scheduled) {
      scheduled = true;
      // One message for everything one parser or script turn added.
      setTimeout(flush, 0);
    }
  }

  /** @param {Element} el */
  function scan(el) {
    const attrs = ATTRIBUTES[el.tagName];
    if (attrs) for (const a of attrs) if (el.hasAttribute(a)) consider(el, a);
    for (const child of el.querySelectorAll(SELECTOR)) {
      for (const a of ATTRIBUTES[child.tagName] ?? []) if (child.hasAttribute(a)) consider(child, a);
    }
  }

  async function flush() {
    scheduled = false;
    if (cachedFor !== location.href) {
      cache.clear();
      cachedFor = location.href;
    }
    const batch = pending.splice(0, BATCH_LIMIT);
    if (pending.length > 0) {
      scheduled = true;
      setTimeout(flush, 0);
    }
    const urls = [...new Set(batch.filter((p) => p.attribute !== "srcset").map((p) => p.value))];
    const srcsets = [...new Set(batch.filter((p) => p.attribute === "srcset").map((p) => p.value))];
    /** @type {any} */
    let answer;
    try {
      answer = await ext.runtime.sendMessage({ type: "kubeopen:rewriteUrls", page: cachedFor, urls, srcsets });
    } catch {
      return; // the extension was reloaded or the tab unbound meanwhile
    }
    if (!answer?.ok) return;
    if (cache.size > CACHE_LIMIT) cache.clear();
    urls.forEach((u, i) => remember(u, answer.urls[i]));
    srcsets.forEach((s, i) => remember("\0" + s, answer.srcsets[i], "\0"));
    for (const { el, attribute, value } of batch) {
      const fixed = cache.get(attribute === "srcset" ? "\0" + value : value);
      if (fixed !== undefined) apply(el, attribute, value, fixed);
    }
  }

  /** @param {string} key @param {unknown} fixed @param {string} [mark] */
  function remember(key, fixed, mark = "") {
    if (typeof fixed !== "string") return;
    cache.set(key, fixed);
    // Our own change comes back through the observer: know it is already fixed.
    cache.set(mark + fixed, fixed);
  }

  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes" && r.target instanceof Element && r.attributeName) {
        const attrs = ATTRIBUTES[r.target.tagName];
        if (attrs?.includes(r.attributeName)) consider(r.target, r.attributeName);
      } else {
        for (const node of r.addedNodes) if (node instanceof Element) scan(node);
      }
    }
  });

  async function start() {
    /** @type {any} */
    let config;
    try {
      config = await ext.runtime.sendMessage({ type: "kubeopen:contentConfig" });
    } catch {
      config = undefined;
    }
    bound = config?.ok === true && config.bound === true;
    // A string detail crosses from this world to the page's in every browser.
    const detail = JSON.stringify({ bound, clusterDomain: bound ? config.clusterDomain : undefined });
    document.dispatchEvent(new CustomEvent("kubeopen:config", { detail }));
    if (!bound) return;
    observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ATTRIBUTE_NAMES });
    if (document.documentElement) scan(document.documentElement);
  }

  start();
})();
