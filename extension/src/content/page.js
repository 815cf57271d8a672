// @ts-check
// The page-world script of a bound tab (world MAIN, document_start: before the page's own
// scripts). It keeps the URLs the page builds at run time inside the proxy prefix where the
// browser's network rules cannot: Chromium never redirects a WebSocket handshake, and `fetch`,
// XHR, EventSource, history entries, window.open and form posts are better sent to the right
// URL at once (no redirect; `response.url`, `location` and reloads stay right).
//
// It learns everything from the page's own URL (the proxy prefix in its path), synchronously.
// It never receives a token: the isolated-world script only tells it whether the tab is bound
// and the cluster's DNS domain (tests/e2e/content-page.test.mjs checks what reaches the page).
(function () {
  const KEY = "__kubeopenPageRewrite";
  const api = /** @type {any} */ (globalThis)[KEY];
  delete (/** @type {any} */ (globalThis)[KEY]);
  if (!api) return;

  /** @type {{ rewriteUrl: (url: string, ctx: object) => string, contextForPage: (url: string, domain?: string) => object | null }} */
  const rewriter = api;
  let active = true;
  let clusterDomain = "cluster.local";
  /** @type {{ href: string, domain: string, ctx: object | null } | null} */
  let cached = null;

  /** The rewrite context of the page as it is now (pushState moves it). */
  function context() {
    const href = location.href;
    if (!cached || cached.href !== href || cached.domain !== clusterDomain) {
      cached = { href, domain: clusterDomain, ctx: rewriter.contextForPage(href, clusterDomain) };
    }
    return cached.ctx;
  }

  /** @param {unknown} url @returns {unknown} the rewritten URL as a string, or `url` unchanged */
  function fix(url) {
    if (!active || (typeof url !== "string" && !(url instanceof URL))) return url;
    const ctx = context();
    if (!ctx) return url;
    const text = String(url);
    const out = rewriter.rewriteUrl(text, ctx);
    return out === text ? url : out;
  }

  // The isolated-world script (injected once the page has loaded) answers once it has asked the
  // background: an unbound tab (a proxy URL of a known cluster that nothing bound) is left alone
  // from then on.
  document.addEventListener("kubeopen:config", (event) => {
    const detail = /** @type {CustomEvent} */ (event).detail;
    if (typeof detail !== "string") return;
    try {
      const config = JSON.parse(detail);
      active = config.bound === true;
      if (typeof config.clusterDomain === "string" && config.clusterDomain) clusterDomain = config.clusterDomain;
    } catch {
      // Not ours.
    }
  });

  /**
   * Replaces `owner[name]` with a Proxy that rewrites one argument: the original keeps its
   * identity for `instanceof`, its constants and its `toString()`.
   * @param {any} owner @param {string} name @param {number} index @param {"apply" | "construct"} trap
   */
  function hook(owner, name, index, trap) {
    const original = owner?.[name];
    if (typeof original !== "function") return;
    /** @param {any[]} args */
    const rewriteArgs = (args) => {
      if (args.length > index) args[index] = fix(args[index]);
      return args;
    };
    const handler =
      trap === "apply"
        ? { apply: (/** @type {any} */ t, /** @type {any} */ self, /** @type {any[]} */ args) => Reflect.apply(t, self, rewriteArgs(args)) }
        : { construct: (/** @type {any} */ t, /** @type {any[]} */ args, /** @type {any} */ nt) => Reflect.construct(t, rewriteArgs(args), nt) };
    Object.defineProperty(owner, name, {
      value: new Proxy(original, handler),
      writable: true,
      configurable: true,
      enumerable: Object.getOwnPropertyDescriptor(owner, name)?.enumerable ?? false,
    });
  }

  // fetch takes a string, a URL or a Request (whose URL is already resolved).
  const originalFetch = globalThis.fetch;
  if (typeof originalFetch === "function") {
    Object.defineProperty(globalThis, "fetch", {
      value: new Proxy(originalFetch, {
        apply(target, self, args) {
          const input = args[0];
          if (input instanceof Request) {
            const url = fix(input.url);
            if (url !== input.url) args[0] = new Request(/** @type {string} */ (url), input);
          } else if (args.length > 0) {
            args[0] = fix(input);
          }
          return Reflect.apply(target, self, args);
        },
      }),
      writable: true,
      configurable: true,
      enumerable: true,
    });
  }
  hook(XMLHttpRequest.prototype, "open", 1, "apply");
  hook(globalThis, "WebSocket", 0, "construct");
  hook(globalThis, "EventSource", 0, "construct");
  hook(History.prototype, "pushState", 2, "apply");
  hook(History.prototype, "replaceState", 2, "apply");
  hook(globalThis, "open", 0, "apply");
  hook(Navigator.prototype, "sendBeacon", 0, "apply");

  /** Fixes the URL attribute a form submission will use. @param {Element | null | undefined} el @param {string} attribute */
  function fixAttribute(el, attribute) {
    const value = el?.getAttribute(attribute);
    if (!el || value === null || value === undefined) return;
    const fixed = fix(value);
    if (fixed !== value) el.setAttribute(attribute, /** @type {string} */ (fixed));
  }

  // A form's action is read after its submit event, so fixing it here (capture, first) is in time.
  addEventListener(
    "submit",
    (event) => {
      const form = event.target instanceof HTMLFormElement ? event.target : null;
      const submitter = /** @type {SubmitEvent} */ (event).submitter;
      if (submitter?.hasAttribute("formaction")) fixAttribute(submitter, "formaction");
      else fixAttribute(form, "action");
    },
    true,
  );
  // form.submit() fires no submit event.
  const originalSubmit = HTMLFormElement.prototype.submit;
  Object.defineProperty(HTMLFormElement.prototype, "submit", {
    value: new Proxy(originalSubmit, {
      apply(target, self, args) {
        if (self instanceof HTMLFormElement) fixAttribute(self, "action");
        return Reflect.apply(target, self, args);
      },
    }),
    writable: true,
    configurable: true,
  });
})();
