// Launching Debian's Chromium for tests: never a downloaded browser (TOOLCHAIN.md).
import { chromium } from "playwright-core";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";

// Quiet flags: without them Chromium floods the closed network (TOOLCHAIN.md). Root needs --no-sandbox.
export const QUIET_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

/**
 * A persistent Chromium context with the unpacked extension at `extensionDir` loaded.
 * Returns the context, the extension id and a `close()` that also removes the profile.
 * `options.args` are further Chromium flags (e.g. `--ignore-certificate-errors-spki-list=…` from
 * `trustCertificateArgs` to trust a TLS sandbox).
 * @param {string} extensionDir
 * @param {{ args?: string[] }} [options]
 */
export async function launchWithExtension(extensionDir, options = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), "kubeopen-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...QUIET_ARGS,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...(options.args ?? []),
    ],
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent("serviceworker", { timeout: 15_000 });
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Flags that make Chromium trust one server certificate (PEM), as a person would by importing the
 * cluster's CA: Chromium accepts a certificate whose public key hash is listed, nothing else.
 * @param {string} certPem
 */
export function trustCertificateArgs(certPem) {
  const key = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return [`--ignore-certificate-errors-spki-list=${createHash("sha256").update(key).digest("base64")}`];
}

/** A plain headless Chromium (no extension). */
export async function launchPlain() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: QUIET_ARGS });
}
