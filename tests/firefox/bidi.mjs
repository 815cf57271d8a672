// Debian's Firefox ESR driven over WebDriver BiDi (built into Firefox; no geckodriver, no
// downloaded browser). A small client: enough to install an extension, open pages and evaluate.
// Node 20 needs --experimental-websocket for the WebSocket global (the test layer passes it).
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export const FIREFOX = process.env.FIREFOX_BIN ?? "/usr/bin/firefox-esr";

/** The moz-extension:// host our extension gets (fixed so tests can open its pages). */
export const EXTENSION_UUID = "6b1c2f34-8a5e-4d1e-9f0a-4b7e2c1d0a11";
const EXTENSION_ID = "kubeopen@kubeopen.dev";

// Keep Firefox off the (closed) network and quiet.
const PREFS = {
  "app.update.enabled": false,
  "app.normandy.enabled": false,
  "browser.shell.checkDefaultBrowser": false,
  "browser.safebrowsing.malware.enabled": false,
  "browser.safebrowsing.phishing.enabled": false,
  "browser.safebrowsing.downloads.enabled": false,
  "datareporting.healthreport.uploadEnabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "extensions.update.enabled": false,
  "extensions.getAddons.cache.enabled": false,
  "messaging-system.rsexperimentloader.enabled": false,
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "services.settings.server": "http://127.0.0.1:9/",
  "toolkit.telemetry.enabled": false,
  "extensions.webextensions.uuids": JSON.stringify({ [EXTENSION_ID]: EXTENSION_UUID }),
};

export class Bidi {
  /** @param {WebSocket} ws */
  constructor(ws) {
    this.ws = ws;
    this.nextId = 1;
    /** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>} */
    this.pending = new Map();
    ws.addEventListener("message", (ev) => {
      const msg = JSON.parse(String(ev.data));
      const waiter = msg.id !== undefined && this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.type === "error") waiter.reject(new Error(`${msg.error}: ${msg.message}`));
      else waiter.resolve(msg.result);
    });
  }

  /** @param {string} method @param {object} params @returns {Promise<any>} */
  send(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /**
   * Evaluates `expression` (awaiting promises) in a browsing context; returns the JSON-decoded
   * value of `JSON.stringify(result)`.
   * @param {string} context @param {string} expression
   */
  async evaluate(context, expression) {
    const r = await this.send("script.evaluate", {
      expression: `(async () => JSON.stringify(await (${expression})))()`,
      target: { context },
      awaitPromise: true,
    });
    if (r.type === "exception") throw new Error(`evaluate failed: ${r.exceptionDetails?.text}`);
    return r.result.type === "string" ? JSON.parse(r.result.value) : undefined;
  }
}

/** Starts Firefox with a fresh profile; resolves when its BiDi endpoint is up. */
export async function launchFirefox() {
  const profile = await mkdtemp(path.join(tmpdir(), "kubeopen-firefox-"));
  const userJs = Object.entries(PREFS)
    .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
    .join("\n");
  await writeFile(path.join(profile, "user.js"), userJs + "\n");
  const proc = spawn(FIREFOX, ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port=0",
    // BiDi may not navigate to moz-extension:// pages; chrome-scope access lets the test open them
    // the way the browser's own UI does (openExtensionPage).
    "--remote-allow-system-access", "about:blank"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const endpoint = await new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`Firefox did not start BiDi in 30 s:\n${seen.slice(-2000)}`)), 30_000);
    proc.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on("exit", (code) => reject(new Error(`Firefox exited (${code}) before BiDi was up:\n${seen.slice(-2000)}`)));
  });
  const ws = new WebSocket(`${endpoint}/session`);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", () => reject(new Error(`cannot connect to ${endpoint}`)), { once: true });
  });
  const bidi = new Bidi(ws);
  await bidi.send("session.new", { capabilities: {} });
  return {
    bidi,
    /**
     * Opens a page of the installed extension in a new tab; returns its browsing context id.
     * @param {string} page e.g. "popup.html"
     */
    async openExtensionPage(page) {
      const url = `moz-extension://${EXTENSION_UUID}/${page}`;
      const chromeTree = await bidi.send("browsingContext.getTree", { "moz:scope": "chrome" });
      await bidi.evaluate(
        chromeTree.contexts[0].context,
        `(async () => {
          const tab = gBrowser.addTab(${JSON.stringify(url)}, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
          gBrowser.selectedTab = tab;
          return true;
        })()`,
      );
      for (let i = 0; i < 100; i++) {
        const tree = await bidi.send("browsingContext.getTree", {});
        const found = tree.contexts.find((/** @type {{ url: string }} */ c) => c.url === url);
        if (found) {
          await bidi.evaluate(found.context, `new Promise(r => document.readyState === "complete" ? r(true) : addEventListener("load", () => r(true)))`);
          return /** @type {string} */ (found.context);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${url} did not open`);
    },
    /**
     * The browsing context whose URL satisfies `want`, polled (up to 20 s).
     * @param {(url: string) => boolean} want
     */
    async contextWhere(want) {
      for (let i = 0; i < 400; i++) {
        const tree = await bidi.send("browsingContext.getTree", {});
        const found = tree.contexts.find((/** @type {{ url: string }} */ c) => want(c.url));
        if (found) return /** @type {string} */ (found.context);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("no tab with the wanted URL");
    },
    /**
     * Polls `expression` in `context` until it is truthy (up to 20 s; errors while the context
     * navigates are retried); returns it.
     * @param {string} context @param {string} expression
     */
    async until(context, expression) {
      for (let i = 0; i < 400; i++) {
        try {
          const v = await bidi.evaluate(context, expression);
          if (v) return v;
        } catch {
          // navigating
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out: ${expression}`);
    },
    async close() {
      try {
        await bidi.send("session.end", {});
      } catch {
        // already gone
      }
      ws.close();
      proc.kill("SIGTERM");
      await new Promise((resolve) => (proc.exitCode !== null ? resolve(undefined) : proc.once("exit", resolve)));
      await rm(profile, { recursive: true, force: true });
    },
  };
}
