// Shared by the content-script end-to-end tests (demo app, Prometheus): a recording front for the
// sandbox, and the extension driven through its own messages (add a cluster, open a target).
import { createServer, request as httpRequest } from "node:http";
import { connect } from "node:net";

/**
 * @typedef {{ method: string, url: string, authorization: boolean, upgrade: boolean }} Seen
 * @typedef {{ url: string, seen: Seen[], close: () => Promise<void> }} Front
 */

/**
 * An HTTP front on another port that forwards every request (and WebSocket upgrade) to `backend`
 * and records it: the sandbox's --verbose log only lists proxied requests, and the checks need
 * every request that reached the API server, inside a proxy prefix or not.
 * @param {string} backend base URL (http), no trailing slash
 * @returns {Promise<Front>}
 */
export async function startRecordingFront(backend) {
  const to = new URL(backend);
  /** @type {Seen[]} */
  const seen = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: "authorization" in req.headers, upgrade: false });
    const out = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
  });
  server.on("upgrade", (req, socket, head) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: "authorization" in req.headers, upgrade: true });
    const upstream = connect(Number(to.port), to.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join("\r\n") + "\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

/**
 * An extension page to send the extension's own messages from (the background refuses cluster
 * messages from content scripts).
 * @param {{ context: import("playwright-core").BrowserContext, extensionId: string }} browser
 */
export async function extensionPage(browser) {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  return page;
}

/**
 * Adds a cluster with `kubeopen:addCluster` (the clusters part's message) and returns its id.
 * @param {import("playwright-core").Page} page an extension page
 * @param {{ name: string, server: string, token: string }} cluster
 */
export async function addCluster(page, { name, server, token }) {
  const answer = await page.evaluate(
    (msg) => chrome.runtime.sendMessage(msg),
    { type: "kubeopen:addCluster", name, server, credentials: { token } },
  );
  if (!answer?.ok) throw new Error(`addCluster: ${JSON.stringify(answer)}`);
  return /** @type {string} */ (answer.cluster.id);
}

/**
 * Opens `target` in a new bound tab with `kubeopen:open` (the bindings part's message); resolves
 * with that tab's page once its first document has loaded.
 * @param {import("playwright-core").BrowserContext} context
 * @param {import("playwright-core").Page} page an extension page
 * @param {{ clusterId: string, target: object, path?: string }} what
 */
export async function openBound(context, page, what) {
  const opened = context.waitForEvent("page", { timeout: 15_000 });
  const answer = await page.evaluate((msg) => chrome.runtime.sendMessage(msg), { type: "kubeopen:open", ...what });
  if (!answer?.ok) throw new Error(`open: ${JSON.stringify(answer)}`);
  const tab = await opened;
  // The tab may show about:blank first, while it is bound before its first request; the app may
  // then redirect within its prefix.
  const inside = `${answer.binding.prefix}/`;
  await tab.waitForURL((u) => u.href.startsWith(inside), { waitUntil: "load", timeout: 15_000 });
  return { tab, binding: answer.binding, url: /** @type {string} */ (answer.url) };
}
